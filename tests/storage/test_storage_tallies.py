"""``report_tallies``: kept by database triggers (migration 0005) on both backends.

Expectations are counted by hand from the agencies and reports stored here; the random walk
at the end holds the kept table equal to a recount made with ``storage.deadline_sql``.
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import pytest
from storage_factories import report, write_registry

from storage import Archive, ReportObservation
from storage.testing import execute

REGISTRY = """\
agencies:
  - id: dept
    name: 甲市教育局
    level: department
    region: 甲省/甲市
    portal: http://127.0.0.1:9/dept/
  - id: city
    name: 甲市人民政府
    level: city
    region: 甲省/甲市
    portal: http://127.0.0.1:9/city/
    since: 2020
  - id: leap
    name: 乙乡人民政府
    level: township
    region: 甲省/甲市/乙县
    portal: http://127.0.0.1:9/leap/
    deadline: "02-29"
"""

SEEN = dt.datetime(2024, 6, 30, 23, 30, tzinfo=dt.UTC)


def store(
    archive: Archive,
    agency: str,
    year: int,
    *,
    published: dt.date | None = None,
    seen: dt.datetime = SEEN,
    content: int = 0,
) -> None:
    sha = archive.put_document(f"{agency}{year}-{content}".encode(), "text/html")
    archive.store_report(
        ReportObservation(
            agency_id=agency,
            year=year,
            url=f"http://127.0.0.1:9/{agency}/{year}.html",
            title=None,
            published_on=published,
            list_date=None,
            seen_at=seen,
            document_sha=sha,
            record=report(year=year, received=10 + content),
        )
    )


def kept(archive: Archive) -> dict[tuple[str, str, str, int, int], tuple[int, int, int]]:
    rows = archive.query(
        "SELECT region, level, deadline, since, year, reports, on_time, versions "
        "FROM report_tallies WHERE reports <> 0 OR on_time <> 0 OR versions <> 0"
    )
    return {
        (r["region"], r["level"], r["deadline"], r["since"], r["year"]): (
            r["reports"],
            r["on_time"],
            r["versions"],
        )
        for r in rows
    }


def test_reports_are_counted_as_they_are_stored(archive: Archive, tmp_path: Path) -> None:
    archive.import_registry(write_registry(tmp_path, REGISTRY))
    d = dt.date
    store(archive, "dept", 2022, published=d(2023, 1, 31))  # due 2023-01-31: on time
    store(archive, "dept", 2023, published=d(2024, 2, 1))  # a day late
    store(archive, "city", 2023, published=d(2024, 3, 31))  # city: due 03-31, on time
    store(archive, "city", 2023, published=d(2024, 3, 31), content=1)  # a second version
    store(archive, "leap", 2022, published=d(2023, 2, 28))  # 02-29 in 2023: the 28th
    store(archive, "leap", 2023, published=d(2024, 3, 1))  # due 2024-02-29: late
    store(archive, "city", 2018)  # first seen 2024-06-30 (UTC); 2008 rule, due 2019-03-31
    assert kept(archive) == {
        ("甲省/甲市", "department", "", 0, 2022): (1, 1, 1),
        ("甲省/甲市", "department", "", 0, 2023): (1, 0, 1),
        ("甲省/甲市", "city", "", 2020, 2023): (1, 1, 2),
        ("甲省/甲市", "city", "", 2020, 2018): (1, 0, 1),
        ("甲省/甲市/乙县", "township", "02-29", 0, 2022): (1, 1, 1),
        ("甲省/甲市/乙县", "township", "02-29", 0, 2023): (1, 0, 1),
    }
    counts = archive.counts()
    assert (counts.reports, counts.versions) == (6, 7)
    assert archive.tally_drift() == 0


def test_a_later_date_moves_a_report_and_an_agency_moves_its_reports(
    archive: Archive, tmp_path: Path
) -> None:
    archive.import_registry(write_registry(tmp_path, REGISTRY))
    store(archive, "dept", 2023, published=dt.date(2024, 2, 1))  # late for a department
    # the page's date, read again, is earlier: now on time
    store(archive, "dept", 2023, published=dt.date(2024, 1, 20))
    assert kept(archive) == {("甲省/甲市", "department", "", 0, 2023): (1, 1, 1)}
    store(archive, "dept", 2023, published=dt.date(2024, 3, 1))
    assert kept(archive) == {("甲省/甲市", "department", "", 0, 2023): (1, 0, 1)}
    # the registry now says it is a county government in another region, owing from 2021:
    # due 03-31, so the same report is on time, under the new group
    moved = REGISTRY.replace(
        "    level: department\n    region: 甲省/甲市\n",
        "    level: county\n    region: 甲省/丙县\n    since: 2021\n",
    )
    archive.import_registry(write_registry(tmp_path, moved, name="moved.yaml"))
    assert kept(archive) == {("甲省/丙县", "county", "", 2021, 2023): (1, 1, 1)}
    # an override earlier than the publication date makes it late again
    override = moved.replace("    since: 2021\n", '    since: 2021\n    deadline: "02-15"\n', 1)
    archive.import_registry(write_registry(tmp_path, override, name="override.yaml"))
    assert kept(archive) == {("甲省/丙县", "county", "02-15", 2021, 2023): (1, 0, 1)}
    assert archive.tally_drift() == 0


def test_triggers_follow_writes_made_outside_the_archive(
    archive: Archive, database_url: str, tmp_path: Path
) -> None:
    archive.import_registry(write_registry(tmp_path, REGISTRY))
    store(archive, "dept", 2022, published=dt.date(2023, 1, 31))
    store(archive, "dept", 2023, published=dt.date(2024, 1, 2))
    execute(
        database_url,
        "UPDATE reports SET published_on = '2023-05-01' WHERE agency_id = 'dept' AND year = 2022",
        "DELETE FROM cell_values",
        "DELETE FROM version_facts",
        "DELETE FROM report_figures",
        "DELETE FROM versions WHERE report_id IN "
        "(SELECT id FROM reports WHERE agency_id = 'dept' AND year = 2023)",
        "DELETE FROM reports WHERE agency_id = 'dept' AND year = 2023",
    )
    assert kept(archive) == {("甲省/甲市", "department", "", 0, 2022): (1, 0, 1)}
    assert archive.tally_drift() == 0


def test_drift_is_found_and_repaired(archive: Archive, database_url: str, tmp_path: Path) -> None:
    archive.import_registry(write_registry(tmp_path, REGISTRY))
    store(archive, "dept", 2022, published=dt.date(2023, 1, 31))
    store(archive, "city", 2022, published=dt.date(2023, 4, 1))
    right = kept(archive)
    # what a load with triggers off leaves: a wrong count and a group that is not there
    execute(
        database_url,
        "UPDATE report_tallies SET reports = reports + 5 WHERE level = 'department'",
        "DELETE FROM report_tallies WHERE level = 'city'",
    )
    assert archive.tally_drift() == 2
    assert archive.repair_tallies() == 2
    assert kept(archive) == right
    assert archive.tally_drift() == 0
    assert archive.repair_tallies() == 0


@pytest.mark.parametrize("seed", [1, 2])
def test_random_writes_keep_the_tallies_equal_to_a_recount(
    archive: Archive, tmp_path: Path, seed: int
) -> None:
    rng = random.Random(seed)
    levels = ("province", "city", "county", "department", "township")
    regions = ("丁省", "丁省/戊市", "丁省/戊市/己县")

    def registry(name: str) -> None:
        lines = ["agencies:"]
        for i in range(8):
            lines += [
                f"  - id: a{i}",
                f"    name: 随机机关{i}",
                f"    level: {rng.choice(levels)}",
                f"    region: {rng.choice(regions)}",
                f"    portal: http://127.0.0.1:9/a{i}/",
            ]
            if rng.random() < 0.4:
                lines.append(f'    deadline: "{rng.choice(["01-15", "02-29", "03-31", "04-30"])}"')
            if rng.random() < 0.4:
                lines.append(f"    since: {rng.choice([2017, 2019, 2021])}")
        archive.import_registry(write_registry(tmp_path, "\n".join(lines) + "\n", name=name))

    registry("r0.yaml")
    for step in range(60):
        if step % 20 == 19:
            registry(f"r{step}.yaml")  # agencies change group under their reports
            continue
        year = rng.randrange(2016, 2025)
        published = (
            None
            if rng.random() < 0.3
            else dt.date(year + 1, 1, 1) + dt.timedelta(days=rng.randrange(0, 120))
        )
        seen = SEEN + dt.timedelta(days=rng.randrange(-400, 10), hours=rng.randrange(24))
        store(
            archive,
            f"a{rng.randrange(8)}",
            year,
            published=published,
            seen=seen,
            content=rng.randrange(3),
        )
    assert archive.tally_drift() == 0
    reports = archive.query("SELECT count(*) AS n FROM reports")[0]["n"]
    assert sum(n for n, _, _ in kept(archive).values()) == reports > 20


def test_the_migration_counts_an_archive_that_has_reports(
    database_url: str, tmp_path: Path
) -> None:
    Archive.upgrade(database_url, "0004")  # before the tallies
    with Archive.open(database_url, check_schema=False) as old:
        old.import_registry(write_registry(tmp_path, REGISTRY))
        store(old, "dept", 2022, published=dt.date(2023, 2, 1))  # late
        store(old, "city", 2022)  # first seen 2024-06-30: late
        store(old, "leap", 2023, published=dt.date(2024, 2, 29), content=0)
        store(old, "leap", 2023, published=dt.date(2024, 2, 29), content=1)
    Archive.upgrade(database_url)
    with Archive.open(database_url) as archive:
        assert kept(archive) == {
            ("甲省/甲市", "department", "", 0, 2022): (1, 0, 1),
            ("甲省/甲市", "city", "", 2020, 2022): (1, 0, 1),
            ("甲省/甲市/乙县", "township", "02-29", 0, 2023): (1, 1, 2),
        }
        assert archive.tally_drift() == 0
    # and down again: the triggers go with the table
    assert Archive.downgrade(database_url, "0004") == "0004"
    with Archive.open(database_url, check_schema=False) as old:
        store(old, "dept", 2023)
