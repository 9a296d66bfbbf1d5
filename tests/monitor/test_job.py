"""run_checks against a real archive: stable keys, re-runs update, cleared findings resolve;
a missing report that appears resolves ``missing`` and, being after the deadline, opens
``late`` on the crawler's own evidence (an earlier crawl of the list did not show it)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from monitor import MonitorConfig, run_checks
from parser.record import Report
from storage import Archive, FetchRecord, ReportObservation
from tests.monitor.records import applications, report

LIST = "http://127.0.0.1:1/fgj/list.html"
PAGE = "http://127.0.0.1:1/fgj/nb2023.html"


def _at(day: str, hour: int = 12) -> dt.datetime:
    return dt.datetime.fromisoformat(day).replace(hour=hour, tzinfo=dt.UTC)


def _store(
    archive: Archive, agency: str, record: Report, seen: dt.datetime, url: str = PAGE
) -> None:
    sha = archive.put_document(repr(record).encode(), "text/html")
    archive.record_fetch(FetchRecord(url, agency, seen, 200, document_sha=sha))
    archive.store_report(
        ReportObservation(
            agency_id=agency,
            year=record.year or 0,
            url=url,
            title=None,
            published_on=None,
            list_date=None,
            seen_at=seen,
            document_sha=sha,
            record=record,
        )
    )


def _config(db_url: str) -> MonitorConfig:
    return MonitorConfig(database_url=db_url, section={"kinds": ["missing", "late", "identity"]})


def _open(archive: Archive, kind: str | None = None) -> list[str]:
    return sorted(f.key for f in archive.findings(open_only=True, kind=kind))


def test_missing_then_appearing_late(db_url: str, archive: Archive, tmp_path: Path) -> None:
    config = _config(db_url)
    # 2023 reports exist for the county; the department's is not there after 31 Jan + 7 days
    _store(archive, "sy-gov", report("沭阳县人民政府", 2022), _at("2023-03-01"), "http://x/g22")
    _store(archive, "sy-gov", report("沭阳县人民政府", 2023), _at("2024-03-01"), "http://x/g23")
    _store(archive, "sy-fgj", report(year=2022), _at("2023-01-20"), "http://x/f22")
    archive.record_fetch(FetchRecord(LIST, "sy-fgj", _at("2024-02-20", 2), 200))
    first = run_checks(archive, config, _at("2024-02-20"))
    assert _open(archive) == ["missing:sy-fgj:2023"]
    assert (first.opened, first.resolved) == (1, 0)
    # the same state again: updated, not duplicated
    again = run_checks(archive, config, _at("2024-02-21"))
    assert (again.opened, again.updated, again.resolved) == (0, 1, 0)
    assert len(archive.findings()) == 1
    # it appears (first seen 02-25; the 02-20 crawl of the list did not show it)
    _store(archive, "sy-fgj", report(year=2023), _at("2024-02-25"))
    result = run_checks(archive, config, _at("2024-02-25", 18))
    assert (result.opened, result.resolved) == (1, 1)
    assert _open(archive) == ["late:sy-fgj:2023"]
    late = archive.finding("late:sy-fgj:2023")
    assert late.evidence["basis"] == "crawler_absent" and late.evidence["days_late"] == 20
    events = sorted((a.finding_key, a.event) for a in archive.alerts())
    assert events == [
        ("late:sy-fgj:2023", "opened"),
        ("missing:sy-fgj:2023", "opened"),
        ("missing:sy-fgj:2023", "resolved"),
    ]


def test_identity_opens_and_a_fixed_version_resolves_it(db_url: str, archive: Archive) -> None:
    config = _config(db_url)
    broken = applications()
    broken["carried_forward"]["natural_person"] = 5
    broken["carried_forward"]["total"] = 5
    _store(archive, "sy-gov", report("沭阳县人民政府", 2023, apps=broken), _at("2024-03-01"))
    run_checks(archive, config, _at("2024-03-02"))
    assert _open(archive, "identity") == ["identity:sy-gov:2023:T3.balance"]
    _store(archive, "sy-gov", report("沭阳县人民政府", 2023), _at("2024-03-05"))
    result = run_checks(archive, config, _at("2024-03-06"))
    assert result.resolved == 1 and _open(archive, "identity") == []
    # kinds not run are left alone: a sweep of "missing" does not resolve other kinds
    _store(archive, "sy-gov", report("沭阳县人民政府", 2023, apps=broken), _at("2024-03-07"))
    run_checks(archive, config, _at("2024-03-08"))
    run_checks(archive, config, _at("2024-03-09"), kinds=["missing"])
    assert _open(archive, "identity") == ["identity:sy-gov:2023:T3.balance"]
