"""The read-only, set-based queries (``storage.aggregates``) on both backends.

Every expectation is counted by hand from the agencies, reports and findings stored here.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from storage_factories import report, write_registry

from storage import Archive, FindingState, ReportObservation
from storage.aggregates import AgencyTally, FindingTally, ReportTally

REGISTRY = """\
agencies:
  - id: pt
    name: 平潭综合实验区管委会
    level: city
    region: 福建省/平潭
    portal: http://127.0.0.1:9/pt/
    deadline: "03-31"
    since: 2021
  - id: pt-edu
    name: 平潭教育局
    level: department
    region: 福建省/平潭/教育
    portal: http://127.0.0.1:9/pt-edu/
  - id: ptx
    name: 平潭县（名字相近的另一个地区）
    level: county
    region: 福建省/平潭县
    portal: http://127.0.0.1:9/ptx/
  - id: new
    name: 新设机关
    level: department
    region: 福建省/平潭
    portal: http://127.0.0.1:9/new/
    since: 2030
"""

SEEN = dt.datetime(2024, 3, 31, 23, 30, tzinfo=dt.UTC)  # late evening UTC: the date is 03-31


def store(
    archive: Archive,
    agency: str,
    year: int,
    *,
    published: dt.date | None = None,
    listed: dt.date | None = None,
    changes: int = 1,
) -> None:
    for n in range(changes):  # each change of content makes one more version
        sha = archive.put_document(f"{agency}{year}-{n}".encode(), "text/html")
        archive.store_report(
            ReportObservation(
                agency_id=agency,
                year=year,
                url=f"http://127.0.0.1:9/{agency}/{year}.html",
                title=None,
                published_on=published,
                list_date=listed,
                seen_at=SEEN + dt.timedelta(days=n),
                document_sha=sha,
                record=report(year=year, received=10 + n),
            )
        )


def seeded(archive: Archive, tmp: Path) -> Archive:
    archive.import_registry(write_registry(tmp, REGISTRY))
    store(archive, "pt", 2022, published=dt.date(2023, 2, 1), changes=2)
    store(archive, "pt", 2023, listed=dt.date(2024, 5, 6))
    store(archive, "pt-edu", 2022, published=dt.date(2023, 2, 1))
    store(archive, "pt-edu", 2023)  # no date known: the day first seen (UTC)
    store(archive, "ptx", 2023, published=dt.date(2024, 1, 9))
    return archive


def test_counts_and_agency_and_report_tallies(archive: Archive, tmp_path: Path) -> None:
    seeded(archive, tmp_path)
    counts = archive.counts()
    assert (counts.agencies, counts.reports, counts.versions, counts.open_findings) == (4, 5, 6, 0)
    assert sorted(archive.agency_tallies(), key=repr) == sorted(
        [
            AgencyTally("福建省/平潭", "city", "03-31", 2021, 1),
            AgencyTally("福建省/平潭", "department", None, 2030, 1),
            AgencyTally("福建省/平潭/教育", "department", None, None, 1),
            AgencyTally("福建省/平潭县", "county", None, None, 1),
        ],
        key=repr,
    )
    pt = ("福建省/平潭", "city", "03-31", 2021)
    edu = ("福建省/平潭/教育", "department", None, None)
    expected = [
        ReportTally(*pt, 2022, dt.date(2023, 2, 1), 1, 2),
        ReportTally(*pt, 2023, dt.date(2024, 5, 6), 1, 1),
        ReportTally(*edu, 2022, dt.date(2023, 2, 1), 1, 1),
        ReportTally(*edu, 2023, dt.date(2024, 3, 31), 1, 1),
        ReportTally("福建省/平潭县", "county", None, None, 2023, dt.date(2024, 1, 9), 1, 1),
    ]
    assert sorted(archive.report_tallies(), key=repr) == sorted(expected, key=repr)
    # a region covers its sub-regions, not a sibling whose name merely starts the same
    assert sorted(archive.report_tallies(region="福建省/平潭"), key=repr) == sorted(
        expected[:4], key=repr
    )
    assert [a.agencies for a in archive.agency_tallies(region="福建省/平潭县")] == [1]


def finding(key: str, kind: str, severity: str, agency: str | None) -> FindingState:
    return FindingState(key, kind, severity, agency, 2023, f"{key} 的摘要", {})


T0 = dt.datetime(2024, 6, 1, tzinfo=dt.UTC)


def test_finding_tallies_and_pages(archive: Archive, tmp_path: Path) -> None:
    seeded(archive, tmp_path)
    first = [
        finding("late:pt", "late", "high", "pt"),
        finding("late:edu", "late", "high", "pt-edu"),
        finding("jump:ptx", "jump", "low", "ptx"),
        finding("late:gone", "late", "medium", "not-in-registry"),
    ]
    archive.sync_findings(["late", "jump"], first, now=T0)
    # a day later: one more opens and the jump is resolved
    later = [*first[:2], first[3], finding("late:ptx", "late", "high", "ptx")]
    archive.sync_findings(["late", "jump"], later, now=T0 + dt.timedelta(days=1))

    assert archive.counts().open_findings == 4
    assert sorted(archive.finding_tallies(), key=repr) == sorted(
        [
            FindingTally("late", "high", "福建省/平潭", 1),
            FindingTally("late", "high", "福建省/平潭/教育", 1),
            FindingTally("late", "high", "福建省/平潭县", 1),
            FindingTally("late", "medium", None, 1),
        ],
        key=repr,
    )
    assert len(archive.finding_tallies(open_only=False)) == 5
    assert sorted(archive.finding_tallies(by_region=False), key=repr) == [
        FindingTally("late", "high", None, 3),
        FindingTally("late", "medium", None, 1),
    ]
    assert archive.finding_kinds() == ["jump", "late"]

    page = archive.findings_page(state="open", limit=2)
    # newest opened first; ties (same sync) by id, newest first
    assert page.total == 4 and [f.key for f in page.findings] == ["late:ptx", "late:gone"]
    rest = archive.findings_page(state="open", limit=2, offset=2)
    assert [f.key for f in rest.findings] == ["late:edu", "late:pt"] and rest.total == 4
    region = archive.findings_page(region="福建省/平潭")
    assert {f.key for f in region.findings} == {"late:pt", "late:edu"} and region.total == 2
    assert {f.key for f in archive.findings_page(region="福建省/平潭县").findings} == {
        "jump:ptx",
        "late:ptx",
    }
    resolved = archive.findings_page(state="resolved")
    assert [f.key for f in resolved.findings] == ["jump:ptx"]
    since = archive.findings_page(since=T0 + dt.timedelta(hours=12))
    assert {f.key for f in since.findings} == {"late:pt", "late:edu", "late:gone", "late:ptx"}
    narrow = archive.findings_page(kind="late", severity="high", agency_id="pt", year=2023)
    assert [f.key for f in narrow.findings] == ["late:pt"]
    assert archive.findings_page(year=2022).total == 0


def test_grid_agencies_and_report_infos(archive: Archive, tmp_path: Path) -> None:
    seeded(archive, tmp_path)
    # "new" owes nothing before 2025 (since 2030) and has no report: no row in the grid
    page = archive.grid_agencies(first_year=2019, before_year=2025)
    assert [a.id for a in page.agencies] == ["pt", "pt-edu", "ptx"] and page.total == 3
    store(archive, "new", 2024, published=dt.date(2025, 1, 2))  # early: now it has a row
    page = archive.grid_agencies(first_year=2019, before_year=2025, limit=1, offset=1)
    assert [a.id for a in page.agencies] == ["pt"] and page.total == 4
    assert (
        archive.grid_agencies(first_year=2019, before_year=2025, region="福建省/平潭县").total == 1
    )

    assert archive.report_infos() == archive.reports()
    assert archive.report_infos(region="福建省/平潭") == archive.reports(region="福建省/平潭")
    assert [
        (r.agency_id, r.year) for r in archive.report_infos(agency_ids=["pt"], years=[2023])
    ] == [("pt", 2023)]
    assert archive.regions() == ["福建省/平潭", "福建省/平潭/教育", "福建省/平潭县"]
