"""The read-only, set-based queries (``storage.aggregates``) on both backends.

Every expectation is counted by hand from the agencies, reports and findings stored here.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from storage_factories import report, write_registry

from gkwatch import timeliness
from storage import Archive, FindingState, ReportObservation
from storage.aggregates import AgencyTally, FindingTally, ReportTally, StatusTally

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


def test_agencies_page_filters_searches_and_pages(archive: Archive, tmp_path: Path) -> None:
    archive.import_registry(write_registry(tmp_path, REGISTRY))
    every = archive.agencies_page()
    assert [a.id for a in every.agencies] == ["new", "pt", "pt-edu", "ptx"] and every.total == 4
    page = archive.agencies_page(limit=2, offset=1)
    assert [a.id for a in page.agencies] == ["pt", "pt-edu"] and page.total == 4
    assert [a.id for a in archive.agencies_page(search="平潭").agencies] == ["pt", "pt-edu", "ptx"]
    assert [a.id for a in archive.agencies_page(search="PT-EDU").agencies] == ["pt-edu"]  # any case
    assert archive.agencies_page(search="%").total == 0  # literally
    assert archive.agencies_page(search="_").total == 0
    region = archive.agencies_page(region="福建省/平潭", level="department")
    assert [a.id for a in region.agencies] == ["new", "pt-edu"]


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
    # a region: its agencies and those below it, not 福建省/平潭县 (a name that starts alike)
    assert sorted(archive.finding_tallies(region="福建省/平潭"), key=repr) == [
        FindingTally("late", "high", "福建省/平潭", 1),
        FindingTally("late", "high", "福建省/平潭/教育", 1),
    ]
    assert archive.finding_tallies(by_region=False, region="福建省/平潭") == [
        FindingTally("late", "high", None, 2)
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


DEADLINES = """\
agencies:
  - id: prov
    name: 甲省人民政府
    level: province
    region: 甲省
    portal: http://127.0.0.1:9/prov/
    since: 2018
  - id: city
    name: 乙市人民政府
    level: city
    region: 甲省/乙市
    portal: http://127.0.0.1:9/city/
    since: 2019
  - id: cnty
    name: 丙县人民政府
    level: county
    region: 甲省/乙市/丙县
    portal: http://127.0.0.1:9/cnty/
  - id: dept
    name: 乙市教育局
    level: department
    region: 甲省/乙市
    portal: http://127.0.0.1:9/dept/
    deadline: "01-15"
    since: 2018
  - id: town
    name: 丁镇人民政府
    level: township
    region: 甲省/乙市/丙县
    portal: http://127.0.0.1:9/town/
  - id: town2
    name: 戊乡人民政府
    level: township
    region: 甲省/乙市/丙县
    portal: http://127.0.0.1:9/town2/
    deadline: "02-28"
    since: 2020
"""


def deadline_cases(archive: Archive, tmp: Path) -> Archive:
    """Each level, two overrides, 2008-条例 years, deadline days and the days after."""
    archive.import_registry(write_registry(tmp, DEADLINES))
    d = dt.date
    store(archive, "prov", 2018, published=d(2019, 3, 31))  # 2008 rule, the deadline day
    store(archive, "prov", 2019, published=d(2020, 4, 1))  # a day late
    store(archive, "city", 2019, listed=d(2020, 3, 31))  # the list's date, the deadline day
    store(archive, "city", 2020)  # no date: first seen 2024-03-31, late
    store(archive, "cnty", 2020, published=d(2021, 3, 31))  # cnty 2019: none
    store(archive, "dept", 2018, published=d(2019, 3, 20))  # override ignored before 2019
    store(archive, "dept", 2019, published=d(2020, 1, 16))  # override 01-15: a day late
    store(archive, "dept", 2020, published=d(2021, 1, 15))  # the override's day
    store(archive, "town", 2019, published=d(2020, 1, 31))  # township default 01-31
    store(archive, "town", 2020, published=d(2021, 2, 1))  # a day late
    store(archive, "town2", 2020, published=d(2021, 2, 28))  # override 02-28
    return archive


def by_status(tallies: list[StatusTally]) -> dict[str, int]:
    out: dict[str, int] = {}
    for t in tallies:
        out[t.status] = out.get(t.status, 0) + t.agency_years
    return out


def test_status_tallies_apply_the_deadline_rule(archive: Archive, tmp_path: Path) -> None:
    deadline_cases(archive, tmp_path)
    # owed before 2021: prov 2018–20, city 2019–20, cnty 2019–20, dept 2018–20, town
    # 2019–20, town2 2020. Late: prov 2019, city 2020, dept 2019, town 2020. Without a
    # report: cnty 2019 (due 2020-03-31) and prov 2020 (due 2021-03-31).
    on_deadline_day = archive.status_tallies(today=dt.date(2021, 3, 31), first_year=2019)
    assert by_status(on_deadline_day) == {"on_time": 7, "late": 4, "missing": 1, "not_due": 1}
    after = archive.status_tallies(today=dt.date(2021, 4, 1), first_year=2019)
    assert by_status(after) == {"on_time": 7, "late": 4, "missing": 2}
    assert StatusTally("甲省", 2020, "missing", 1) in after
    assert StatusTally("甲省/乙市/丙县", 2019, "missing", 1) in after
    assert sorted((t for t in after if t.region == "甲省/乙市"), key=repr) == [
        StatusTally("甲省/乙市", 2018, "on_time", 1),
        StatusTally("甲省/乙市", 2019, "late", 1),
        StatusTally("甲省/乙市", 2019, "on_time", 1),
        StatusTally("甲省/乙市", 2020, "late", 1),
        StatusTally("甲省/乙市", 2020, "on_time", 1),
    ]
    # a region covers its sub-regions only
    town = archive.status_tallies(
        today=dt.date(2021, 4, 1), first_year=2019, region="甲省/乙市/丙县"
    )
    assert by_status(town) == {"on_time": 3, "late": 1, "missing": 1}


@pytest.mark.parametrize(
    "today",
    [
        dt.date(2019, 6, 1),
        dt.date(2020, 1, 31),
        dt.date(2020, 2, 1),
        dt.date(2021, 3, 31),
        dt.date(2021, 4, 1),
        dt.date(2022, 1, 1),
        dt.date(2026, 5, 1),
    ],
    ids=str,
)
@pytest.mark.parametrize("region", [None, "甲省/乙市"])
def test_status_tallies_equal_the_python_tally(
    archive: Archive, tmp_path: Path, today: dt.date, region: str | None
) -> None:
    deadline_cases(archive, tmp_path)
    sql = archive.status_tallies(today=today, first_year=2019, region=region)
    python = timeliness.tally(
        archive.agency_tallies(region=region),
        archive.report_tallies(region=region),
        today=today,
        first_year=2019,
    )
    assert {(t.region, t.year, t.status): t.agency_years for t in sql} == {
        k: n for k, n in python.items() if n
    }
    assert len(sql) == len({(t.region, t.year, t.status) for t in sql})  # one tally per key
