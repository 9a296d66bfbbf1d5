"""Findings sync and the alert outbox (leases) on both backends."""

from __future__ import annotations

import datetime as dt
import threading

from storage import Archive, FindingState

T0 = dt.datetime(2024, 4, 1, tzinfo=dt.UTC)
DAY = dt.timedelta(days=1)


def late(agency: str, year: int = 2023, days: int = 3) -> FindingState:
    return FindingState(
        key=f"late:{agency}:{year}",
        kind="late",
        severity="high",
        agency_id=agency,
        year=year,
        summary=f"{agency} {year} report is {days} days late",
        evidence={"days": days},
    )


def test_sync_opens_updates_resolves_with_one_alert_per_change(archive: Archive) -> None:
    r = archive.sync_findings(["late"], [late("a"), late("b")], now=T0)
    assert (r.opened, r.updated, r.resolved) == (2, 0, 0)
    r = archive.sync_findings(["late"], [late("a", days=4), late("b")], now=T0 + DAY)
    assert (r.opened, r.updated, r.resolved) == (0, 2, 0)
    a = archive.finding("late:a:2023")
    assert a.evidence == {"days": 4} and a.last_seen == T0 + DAY and a.opened_at == T0
    r = archive.sync_findings(["late"], [late("a")], now=T0 + 2 * DAY)
    assert (r.opened, r.updated, r.resolved) == (0, 1, 1)
    b = archive.finding("late:b:2023")
    assert b.state == "resolved" and b.resolved_at == T0 + 2 * DAY
    events = [(x.finding_key, x.event) for x in archive.alerts()]
    assert events == [
        ("late:a:2023", "opened"),
        ("late:b:2023", "opened"),
        ("late:b:2023", "resolved"),
    ]
    # the problem comes back: reopened, alerted again
    r = archive.sync_findings(["late"], [late("a"), late("b")], now=T0 + 3 * DAY)
    assert (r.opened, r.updated, r.resolved) == (1, 1, 0)
    assert archive.alerts()[-1].event == "opened" and len(archive.alerts()) == 4
    assert [f.key for f in archive.findings(open_only=True, agency_id="b")] == ["late:b:2023"]


def test_sync_only_resolves_its_kinds_and_scope(archive: Archive) -> None:
    other = FindingState("t3:a:2023", "t3_balance", "medium", "a", 2023, "T3 does not balance", {})
    archive.sync_findings(["late", "t3_balance"], [late("a"), late("b"), other], now=T0)
    r = archive.sync_findings(["late"], [], now=T0 + DAY, scope_agency_ids=["a"])
    assert (r.opened, r.updated, r.resolved) == (0, 0, 1)
    assert {f.key for f in archive.findings(open_only=True)} == {"late:b:2023", "t3:a:2023"}
    assert [f.key for f in archive.findings(kind="t3_balance", severity="medium")] == ["t3:a:2023"]
    assert archive.findings(since=T0 + 2 * DAY) == []


def test_outbox_lease_retry_and_delivery(archive: Archive) -> None:
    archive.sync_findings(["late"], [late("a")], now=T0)
    (alert,) = archive.due_alerts(T0)
    assert archive.claim_alert(alert.id, T0, lease_seconds=60)
    assert not archive.claim_alert(alert.id, T0 + dt.timedelta(seconds=30), lease_seconds=60)
    assert archive.due_alerts(T0 + dt.timedelta(seconds=30)) == []
    archive.alert_failed(
        alert.id, T0 + dt.timedelta(seconds=31), "smtp down", T0 + dt.timedelta(minutes=5)
    )
    assert archive.due_alerts(T0 + dt.timedelta(minutes=1)) == []
    (again,) = archive.due_alerts(T0 + dt.timedelta(minutes=5))
    assert again.attempts == 1 and again.last_error == "smtp down"
    assert archive.claim_alert(alert.id, T0 + dt.timedelta(minutes=5), lease_seconds=60)
    archive.alert_delivered(alert.id, T0 + dt.timedelta(minutes=5, seconds=2))
    assert archive.alerts(pending_only=True) == []
    (done,) = archive.alerts()
    assert done.attempts == 2 and done.delivered_at == T0 + dt.timedelta(minutes=5, seconds=2)
    assert not archive.claim_alert(alert.id, T0 + dt.timedelta(hours=1), lease_seconds=60)


def test_an_expired_lease_can_be_taken_over(archive: Archive) -> None:
    archive.sync_findings(["late"], [late("a")], now=T0)
    (alert,) = archive.due_alerts(T0)
    assert archive.claim_alert(alert.id, T0, lease_seconds=10)
    assert archive.claim_alert(alert.id, T0 + dt.timedelta(seconds=11), lease_seconds=10)


def test_concurrent_claims_give_one_winner(database_url: str, archive: Archive) -> None:
    archive.sync_findings(["late"], [late(f"a{i}") for i in range(20)], now=T0)
    ids = [a.id for a in archive.due_alerts(T0)]
    wins: list[list[int]] = [[], [], [], []]

    def deliverer(slot: int) -> None:
        with Archive.open(database_url) as mine:
            for alert_id in ids:
                if mine.claim_alert(alert_id, T0, lease_seconds=300):
                    wins[slot].append(alert_id)

    threads = [threading.Thread(target=deliverer, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    claimed = sorted(i for w in wins for i in w)
    assert claimed == sorted(ids)  # every alert claimed exactly once
