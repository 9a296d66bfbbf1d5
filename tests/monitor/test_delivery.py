"""Outbox delivery to a local json:// sink: one alert per state change, nothing twice,
failures retried with backoff and their error recorded, routing by tags, digest mode."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from monitor import deliver
from monitor.findings import finding
from storage import Archive
from tests.monitor.conftest import Sink, make_config

T0 = dt.datetime(2024, 5, 1, 9, tzinfo=dt.UTC)


def _open_two(archive: Archive, now: dt.datetime = T0) -> None:
    states = [
        finding(
            "missing",
            "sy-fgj",
            2023,
            "沭阳县发展和改革局 2023年度报告缺失",
            {"deadline": "2024-01-31"},
        ),
        finding("jump", "sy-gov", 2023, "新收申请异常", {"previous": 10, "current": 90}, "x"),
    ]
    archive.sync_findings(["missing", "jump"], states, now=now)


def test_one_alert_per_state_change_and_nothing_twice(
    tmp_path: Path, db_url: str, archive: Archive, sink: Sink
) -> None:
    config = make_config(tmp_path, db_url, f"urls:\n  - {sink.url()}:\n    - tag: always\n")
    _open_two(archive)
    report = deliver(archive, config, T0)
    assert (report.sent, report.failed) == (2, 0)
    titles = sorted(m["title"] for m in sink.received)
    assert titles == [
        "【一般】数据异常波动：沭阳县人民政府 2023年度",
        "【严重】年度报告缺失：沭阳县发展和改革局 2023年度",
    ]
    body = next(m["message"] for m in sink.received if "缺失" in m["title"])
    assert "http://gk.example/reports/sy-fgj/2023" in body and "截止日期=2024-01-31" in body
    # a second run, and a re-sync of the same findings: nothing new
    _open_two(archive, T0 + dt.timedelta(hours=1))
    assert deliver(archive, config, T0 + dt.timedelta(hours=1)).sent == 0
    assert len(sink.received) == 2
    # one resolves: exactly one "resolved" alert
    archive.sync_findings(
        ["missing", "jump"],
        [finding("jump", "sy-gov", 2023, "新收申请异常", {}, "x")],
        now=T0 + dt.timedelta(hours=2),
    )
    assert deliver(archive, config, T0 + dt.timedelta(hours=2)).sent == 1
    assert sink.received[-1]["title"].startswith("【已解决】年度报告缺失")
    assert deliver(archive, config, T0 + dt.timedelta(hours=3)).sent == 0


def test_failed_delivery_is_retried_with_backoff_and_error_recorded(
    tmp_path: Path, db_url: str, archive: Archive, sink: Sink
) -> None:
    config = make_config(
        tmp_path,
        db_url,
        f"urls:\n  - {sink.url()}:\n    - tag: always\n",
        {"alerts": {"backoff_seconds": 60}},
    )
    archive.sync_findings(["missing"], [finding("missing", "sy-fgj", 2023, "缺失", {})], now=T0)
    sink.fail_next = 2
    first = deliver(archive, config, T0)
    assert (first.sent, first.failed) == (0, 1)
    [alert] = archive.alerts(pending_only=True)
    assert alert.attempts == 1 and alert.last_error and "503" in alert.last_error
    assert alert.next_attempt_at == T0 + dt.timedelta(seconds=60)
    # not due before the backoff has passed
    assert deliver(archive, config, T0 + dt.timedelta(seconds=59)).failed == 0
    second = deliver(archive, config, T0 + dt.timedelta(seconds=60))
    assert second.failed == 1
    [alert] = archive.alerts(pending_only=True)
    assert alert.attempts == 2
    assert alert.next_attempt_at == T0 + dt.timedelta(seconds=60 + 120)  # doubled
    third = deliver(archive, config, T0 + dt.timedelta(seconds=180))
    assert third.sent == 1 and archive.alerts(pending_only=True) == []
    assert len(sink.received) == 1


def test_routing_by_severity_kind_region_and_agency(
    tmp_path: Path, db_url: str, archive: Archive, sink: Sink
) -> None:
    apprise_yaml = (
        "urls:\n"
        f"  - {sink.url('high')}:\n    - tag: severity:high\n"
        f"  - {sink.url('jump')}:\n    - tag: kind:jump\n"
        f"  - {sink.url('suqian')}:\n    - tag: region:江苏省/宿迁市\n"
        f"  - {sink.url('fgj')}:\n    - tag: agency:sy-fgj\n"
        f"  - {sink.url('elsewhere')}:\n    - tag: region:浙江省\n"
    )
    config = make_config(tmp_path, db_url, apprise_yaml)
    _open_two(archive)
    assert deliver(archive, config, T0).sent == 2
    got = sorted((m["_path"].strip("/"), m["title"].split("：")[0]) for m in sink.received)
    assert got == [
        ("fgj", "【严重】年度报告缺失"),
        ("high", "【严重】年度报告缺失"),
        ("jump", "【一般】数据异常波动"),
        ("suqian", "【一般】数据异常波动"),
        ("suqian", "【严重】年度报告缺失"),
    ]  # and nothing reached the 浙江省 channel


def test_unrouted_alerts_are_settled_without_sending(
    tmp_path: Path, db_url: str, archive: Archive, sink: Sink
) -> None:
    config = make_config(tmp_path, db_url, f"urls:\n  - {sink.url()}:\n    - tag: kind:copied\n")
    _open_two(archive)
    report = deliver(archive, config, T0)
    assert (report.sent, report.unrouted) == (0, 2)
    assert sink.received == [] and archive.alerts(pending_only=True) == []


def test_digest_mode_sends_one_message_per_channel(
    tmp_path: Path, db_url: str, archive: Archive, sink: Sink
) -> None:
    config = make_config(
        tmp_path,
        db_url,
        f"urls:\n  - {sink.url('a')}:\n    - tag: always\n"
        f"  - {sink.url('b')}:\n    - tag: kind:jump\n",
        {"alerts": {"digest": True}},
    )
    _open_two(archive)
    report = deliver(archive, config, T0)
    assert report.sent == 2
    assert len(sink.received) == 2  # one digest to a (2 alerts), one to b (1 alert)
    bodies = sorted(m["message"] for m in sink.received)
    assert sum("年度报告缺失" in b for b in bodies) == 1
    assert all("数据异常波动" in b for b in bodies)


def test_dry_run_sends_and_claims_nothing(
    tmp_path: Path, db_url: str, archive: Archive, sink: Sink
) -> None:
    config = make_config(tmp_path, db_url, f"urls:\n  - {sink.url()}:\n    - tag: always\n")
    _open_two(archive)
    report = deliver(archive, config, T0, dry_run=True)
    assert len(report.messages) == 2 and sink.received == []
    assert len(archive.alerts(pending_only=True)) == 2
    assert all(a.attempts == 0 for a in archive.alerts())
