"""The overview and region roll-ups come from grouped counts (``storage.aggregates`` and
``timeliness.tally``); they must say exactly what the per-cell timeliness grid says, for any
"today" (before, at and after the deadlines of the seeded reports)."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from fastapi.testclient import TestClient

from gkwatch import queries, summary
from storage import Archive

TODAYS = [dt.date(2022, 2, 1), dt.date(2024, 3, 31), dt.date(2024, 4, 1), dt.date(2026, 1, 5)]


@pytest.mark.parametrize("today", TODAYS, ids=str)
def test_overview_counts_equal_the_per_cell_grid(seeded_url: str, today: dt.date) -> None:
    with Archive.open(seeded_url) as archive:
        data = summary.build(archive, today, first_year=2021, grid_limit=3)
        grid = queries.timeliness_grid(archive, today=today, first_year=2021)
        open_findings = archive.findings(open_only=True)
        agencies = archive.agencies()
        reports = archive.reports()
    by_year: dict[int, Counter[str]] = {}
    for cell in grid:
        by_year.setdefault(cell.year, Counter())[cell.status] += 1
    assert data.by_year == {y: dict(c) for y, c in by_year.items()}
    assert data.reports == len(reports) == sum(1 for c in grid if c.report is not None)
    assert data.versions == sum(r.versions for r in reports)
    assert data.agencies == len(agencies)
    assert data.open_findings == len(open_findings)
    kinds = Counter((f.kind, f.severity) for f in open_findings)
    assert {(k, s): n for k, sev in data.by_kind_severity.items() for s, n in sev.items()} == kinds
    # the grid page: the first three agencies by region and id, every cell of theirs
    first = sorted({c.agency.id: c.agency for c in grid}.values(), key=lambda a: (a.region, a.id))
    chosen = {a.id for a in first[:3]}
    key = lambda c: (c.agency.id, c.year)  # noqa: E731
    assert sorted(data.grid, key=key) == sorted((c for c in grid if c.agency.id in chosen), key=key)
    assert data.grid_agencies == len(first)
    assert [f.key for f in data.recent] == [f.key for f in open_findings[:10]]


@pytest.mark.parametrize("today", TODAYS[1:3], ids=str)
def test_region_rollups_equal_the_per_cell_grid(seeded_url: str, today: dt.date) -> None:
    with Archive.open(seeded_url) as archive:
        rollups = {r.region: r for r in summary.regions(archive, today, first_year=2021)}
        grid = queries.timeliness_grid(archive, today=today, first_year=2021)
        open_findings = archive.findings(open_only=True)
        region_of = {a.id: a.region for a in archive.agencies()}
    assert set(rollups) == set(region_of.values())  # the seeded regions are one level deep
    for name, rollup in rollups.items():
        cells = [c for c in grid if c.agency.region == name]
        assert rollup.statuses == dict(Counter(c.status for c in cells)), name
        assert rollup.reports == sum(1 for c in cells if c.report is not None)
        assert rollup.agencies == sum(1 for r in region_of.values() if r == name)
        assert rollup.open_findings == sum(
            1 for f in open_findings if region_of.get(f.agency_id or "") == name
        )


def test_findings_page_pages_in_the_database(client: TestClient, seeded_url: str) -> None:
    with Archive.open(seeded_url) as archive:
        every = archive.findings()
    html = client.get("/findings?state=all&page=99").text  # past the end: the last page
    assert f"<small>{len(every)} 项</small>" in html
    first = every[0]
    assert first.summary in html
    region = client.get("/findings", params={"state": "all", "region": "嘉兴市"}).text
    jx = [f for f in every if f.agency_id == "jx-gov"]
    assert jx and f"<small>{len(jx)} 项</small>" in region


def test_region_matching_covers_sub_regions_only() -> None:
    assert queries.in_region("示范省/青禾市/松川区", "示范省/青禾市")
    assert queries.in_region("示范省/青禾市", "/示范省/青禾市/")
    assert not queries.in_region("示范省/青禾市区", "示范省/青禾市")
    assert summary.region_path("示范省／青禾市/松川区") == (
        "示范省",
        "示范省/青禾市",
        "示范省/青禾市/松川区",
    )
