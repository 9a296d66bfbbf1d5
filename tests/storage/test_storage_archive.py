"""The archive on SQLite and PostgreSQL: registry, documents, fetches, reports, versions, cells."""

from __future__ import annotations

import datetime as dt
import zlib
from dataclasses import replace
from pathlib import Path

import pytest
from storage_factories import REGISTRY, report, write_registry

from parser.record import Report, Section
from storage import (
    Archive,
    FetchRecord,
    NotFound,
    RegistryError,
    ReportObservation,
    SchemaBehind,
    StoreResult,
)

T0 = dt.datetime(2024, 3, 1, 8, 0, tzinfo=dt.UTC)


def observe(
    archive: Archive,
    data: bytes,
    record: Report | None = None,
    *,
    at: dt.datetime = T0,
    agency: str = "fj-pt",
    year: int = 2023,
) -> StoreResult:
    sha = archive.put_document(data, "text/html")
    return archive.store_report(
        ReportObservation(
            agency_id=agency,
            year=year,
            url=f"http://127.0.0.1:9/pt/ndbg/{year}.html",
            title="平潭2023年报",
            published_on=dt.date(2024, 1, 25),
            list_date=dt.date(2024, 1, 26),
            seen_at=at,
            document_sha=sha,
            record=record or report(),
        )
    )


@pytest.fixture
def registered(archive: Archive, tmp_path: Path) -> Archive:
    archive.import_registry(write_registry(tmp_path))
    return archive


def test_registry_import_and_reimport_updates_in_place(archive: Archive, tmp_path: Path) -> None:
    first = archive.import_registry(write_registry(tmp_path))
    assert (first.added, first.updated, first.unchanged) == (3, 0, 0)
    pt = archive.agency("fj-pt")
    assert pt.parent == "fj" and pt.deadline == "03-31" and pt.since == 2019
    assert pt.report_lists == ("http://127.0.0.1:9/pt/ndbg/",)
    assert pt.region == "福建省/平潭综合实验区"
    archive.set_discovered_lists("fj-pt", ["http://127.0.0.1:9/pt/a/", "http://127.0.0.1:9/pt/a/"])
    # Second file: one agency renamed, one dropped from the file (kept in the archive).
    text = REGISTRY.replace("平潭综合实验区教育局", "平潭综合实验区教育与体育局")
    text = text[: text.index("  - id: fj-pt\n")] + text[text.index("  - id: fj-pt-edu") :]
    text = text.replace("parent: fj-pt\n", "parent: fj-pt\n", 1)
    again = archive.import_registry(write_registry(tmp_path, text, "r2.yaml"))
    assert (again.added, again.updated, again.unchanged) == (0, 1, 1)
    assert archive.agency("fj-pt-edu").name == "平潭综合实验区教育与体育局"
    assert archive.agency("fj-pt").discovered_lists == ("http://127.0.0.1:9/pt/a/",)
    assert [a.id for a in archive.agencies()] == ["fj", "fj-pt", "fj-pt-edu"]
    assert [a.id for a in archive.agencies(region="福建省/平潭综合实验区")] == [
        "fj-pt",
        "fj-pt-edu",
    ]
    assert [a.id for a in archive.agencies(level="department")] == ["fj-pt-edu"]
    with pytest.raises(NotFound):
        archive.agency("nope")


@pytest.mark.parametrize(
    ("needle", "replacement", "line", "reason"),
    [
        (
            "  - id: fj-pt-edu\n",
            "  - id: fj-pt\n",
            17,
            "duplicate id 'fj-pt' (first defined on line 7)",
        ),
        ("level: department", "level: ministry", 19, "unknown level 'ministry'"),
        ("portal: http://127.0.0.1:9/pt/edu/", "portal: ftp//x", 22, "not an http(s) URL"),
        ("parent: fj-pt\n", "parent: fj-nowhere\n", 21, "unknown parent 'fj-nowhere'"),
        ('deadline: "01-31"', 'deadline: "02-30"', 23, "not a date of the year as MM-DD"),
        ("    since: 2019", "    snice: 2019", 16, "unknown key 'snice'"),
    ],
)
def test_bad_registry_names_line_and_reason_and_imports_nothing(
    archive: Archive, tmp_path: Path, needle: str, replacement: str, line: int, reason: str
) -> None:
    assert needle in REGISTRY
    path = write_registry(tmp_path, REGISTRY.replace(needle, replacement, 1))
    with pytest.raises(RegistryError) as err:
        archive.import_registry(path)
    assert f"{path}:{line}: " in str(err.value)
    assert reason in str(err.value)
    assert archive.agencies() == []


def test_documents_are_deduplicated_and_compressed(archive: Archive) -> None:
    data = ("<html>" + "年度报告" * 500 + "</html>").encode()
    sha = archive.put_document(data, "text/html")
    assert archive.put_document(data, "text/html") == sha
    stored = archive.document(sha)
    assert stored.data == data and stored.size == len(data)
    assert archive.info()["counts"]["documents"] == 1
    raw = archive.query("SELECT data, compression FROM documents WHERE sha256 = :s", s=sha)[0]
    assert raw["compression"] == "zlib"
    assert zlib.decompress(raw["data"]) == data and len(raw["data"]) < len(data) / 10
    with pytest.raises(NotFound):
        archive.document("0" * 64)


def test_directory_store(database_url: str, tmp_path: Path) -> None:
    Archive.upgrade(database_url)
    with Archive.open(database_url, document_dir=tmp_path / "docs") as archive:
        sha = archive.put_document(b"%PDF-1.4 report", "application/pdf")
        assert (tmp_path / "docs" / sha[:2] / sha[2:4] / f"{sha}.zz").exists()
        assert archive.document(sha).data == b"%PDF-1.4 report"
        assert archive.query("SELECT data FROM documents")[0]["data"] is None


def test_fetch_log(registered: Archive) -> None:
    sha = registered.put_document(b"page", "text/html")
    url = "http://127.0.0.1:9/pt/ndbg/"
    ok = FetchRecord(
        url, "fj-pt", T0, 200, etag='"abc"', document_sha=sha, content_type="text/html"
    )
    registered.record_fetch(ok)
    registered.record_fetch(replace(ok, fetched_at=T0 + dt.timedelta(hours=1), status=304))
    registered.record_fetch(
        FetchRecord(url, "fj-pt", T0 + dt.timedelta(hours=2), None, error="timeout")
    )
    last = registered.last_fetch(url)
    assert last is not None and last.etag == '"abc"' and last.fetched_at == T0
    assert [f.status for f in registered.fetches(url=url)] == [None, 304, 200]
    assert registered.last_fetch("http://127.0.0.1:9/other") is None


def test_same_content_twice_is_one_version(registered: Archive) -> None:
    first = observe(registered, b"<html>v1</html>")
    assert first.created and first.changed and first.version == 1
    again = observe(registered, b"<html>v1</html>", at=T0 + dt.timedelta(days=1))
    assert (again.report_id, again.version, again.created, again.changed) == (
        first.report_id,
        1,
        False,
        False,
    )
    assert registered.info()["counts"]["documents"] == 1
    (v,) = registered.versions(first.report_id)
    assert v.first_seen == T0 and v.last_seen == T0 + dt.timedelta(days=1)
    info = registered.report("fj-pt", 2023)
    assert info.versions == 1 and info.last_seen == T0 + dt.timedelta(days=1)


def test_new_bytes_same_content_is_not_a_new_version(registered: Archive) -> None:
    # A visitor counter changes the bytes; the parsed content is the same (whitespace aside).
    observe(registered, b"<html>v1 visits: 10</html>")
    spaced = replace(
        report(), sections=(Section("一、总体情况", ("2023年， 本县认真贯彻落实\n《条例》。",)),)
    )
    result = observe(
        registered, b"<html>v1 visits: 11</html>", spaced, at=T0 + dt.timedelta(days=1)
    )
    assert not result.changed and result.version == 1
    assert registered.info()["counts"]["documents"] == 2


def test_changed_report_is_a_second_version(registered: Archive) -> None:
    observe(registered, b"<html>v1</html>")
    changed = observe(
        registered, b"<html>v2</html>", report(received=12), at=T0 + dt.timedelta(days=3)
    )
    assert changed.changed and changed.version == 2
    versions = registered.versions(changed.report_id)
    assert [v.number for v in versions] == [1, 2]
    assert versions[0].record.cell("applications", "new_received", "total") == 10
    assert versions[1].record.cell("applications", "new_received", "total") == 12
    assert versions[0].content_hash != versions[1].content_hash
    assert registered.version(changed.report_id, 2).document_sha == versions[1].document_sha
    info = registered.report("fj-pt", 2023)
    assert (info.versions, info.latest_version, info.first_seen) == (2, 2, T0)
    # back to the first content: that is a change again (a third version), not a merge
    back = observe(registered, b"<html>v1</html>", at=T0 + dt.timedelta(days=4))
    assert back.changed and back.version == 3
    with pytest.raises(NotFound):
        registered.version(changed.report_id, 9)


def test_record_round_trips(registered: Archive) -> None:
    record = report()
    observe(registered, b"x", record)
    ((info, stored),) = list(registered.latest_records())
    assert info.agency_id == "fj-pt" and info.published_on == dt.date(2024, 1, 25)
    assert stored == record


def test_latest_records_of_a_whole_registry_of_ids(registered: Archive) -> None:
    # 70 000 ids are more than PostgreSQL binds in one statement (65 535): read in slices
    observe(registered, b"x", report())
    many = [f"made-up-{i:05d}" for i in range(70_000)] + ["fj-pt"]
    assert [i.agency_id for i, _ in registered.latest_records(agency_ids=many)] == ["fj-pt"]
    assert list(registered.latest_records(agency_ids=[])) == []


def test_cells_and_views(registered: Archive) -> None:
    observe(registered, b"a", report(received=10))
    observe(registered, b"b", report(received=15), at=T0 + dt.timedelta(days=1))
    observe(registered, b"c", report(year=2022, received=7), year=2022)
    observe(registered, b"d", report(received=4), agency="fj-pt-edu")
    cells = registered.cells(table="applications", row="new_received", column="total")
    assert [(c.agency_id, c.year, c.version, c.value) for c in cells] == [
        ("fj-pt", 2022, 1, 7.0),
        ("fj-pt", 2023, 2, 15.0),
        ("fj-pt-edu", 2023, 1, 4.0),
    ]
    history = registered.cells(
        table="applications",
        row="new_received",
        column="total",
        latest_only=False,
        years=[2023],
        agency_ids=["fj-pt"],
    )
    assert [c.value for c in history] == [10.0, 15.0]
    (flagged,) = registered.cells(
        table="applications", row="carried_over", column="research", years=[2022]
    )
    assert flagged.blank and flagged.value == 0
    (unread,) = registered.cells(table="active", row="coercion", years=[2022])
    assert unread.value is None and not unread.blank
    totals = registered.query(
        "SELECT agency_id, year, new_received, granted, handled, carried_forward "
        "FROM t3_totals ORDER BY agency_id, year"
    )
    assert [tuple(r.values()) for r in totals] == [
        ("fj-pt", 2022, 7, 5, 5, 2),
        ("fj-pt", 2023, 15, 13, 13, 2),
        ("fj-pt-edu", 2023, 4, 2, 2, 2),
    ]
    latest = registered.query("SELECT agency_id, year, number FROM latest_versions ORDER BY 1, 2")
    assert [tuple(r.values()) for r in latest] == [
        ("fj-pt", 2022, 1),
        ("fj-pt", 2023, 2),
        ("fj-pt-edu", 2023, 1),
    ]
    assert [r.year for r in registered.reports(agency_id="fj-pt")] == [2022, 2023]
    assert [r.agency_id for r in registered.reports(year=2023, region="福建省")] == [
        "fj-pt",
        "fj-pt-edu",
    ]


def test_missing_and_restored(registered: Archive) -> None:
    observe(registered, b"a")
    url = "http://127.0.0.1:9/pt/ndbg/2023.html"
    assert registered.mark_missing(url, 404, T0 + dt.timedelta(days=2)) == 1
    gone = registered.report("fj-pt", 2023)
    assert gone.status == "removed" and gone.removed_at == T0 + dt.timedelta(days=2)
    observe(registered, b"a", at=T0 + dt.timedelta(days=5))
    back = registered.report("fj-pt", 2023)
    assert back.status == "present" and back.removed_at is None and back.versions == 1


def test_unknown_agency_and_document_are_refused(registered: Archive) -> None:
    with pytest.raises(NotFound, match="import the registry"):
        observe(registered, b"a", agency="nobody")
    with pytest.raises(NotFound, match="put_document"):
        registered.store_report(
            ReportObservation("fj-pt", 2023, "http://x/", None, None, None, T0, "f" * 64, report())
        )


def test_reparse_rederives_records_and_cells(registered: Archive) -> None:
    observe(registered, b"received=10", report(received=10, parser_version="old"))
    observe(registered, b"received=20", report(received=20, parser_version="old"), year=2022)
    calls: list[tuple[bytes, str | None, str | None]] = []

    def parse(data: bytes, url: str | None, content_type: str | None) -> Report:
        calls.append((data, url, content_type))
        value = int(data.decode().split("=")[1]) + 1
        return report(received=value, parser_version="new")

    seen: list[tuple[int, int]] = []
    assert (
        registered.reparse(parse, parser_version="new", progress=lambda d, t: seen.append((d, t)))
        == 2
    )
    assert seen == [(1, 2), (2, 2)]
    assert calls[0][2] == "text/html"
    values = [
        c.value for c in registered.cells(table="applications", row="new_received", column="total")
    ]
    assert values == [21.0, 11.0]
    assert {v.parser_version for r in registered.reports() for v in registered.versions(r.id)} == {
        "new"
    }
    assert registered.reparse(parse, parser_version="new") == 0  # nothing left to do
    assert registered.reparse(parse, parser_version="new", force=True) == 2


def test_reparse_errors_leave_the_version(registered: Archive) -> None:
    observe(registered, b"a", report(parser_version="old"))

    def broken(data: bytes, url: str | None, content_type: str | None) -> Report:
        raise ValueError("unreadable")

    errors: list[str] = []
    assert (
        registered.reparse(
            broken, parser_version="new", on_error=lambda r, n, e: errors.append(str(e))
        )
        == 0
    )
    assert errors == ["unreadable"]
    with pytest.raises(ValueError):
        registered.reparse(broken, parser_version="new")
    assert registered.versions(registered.report("fj-pt", 2023).id)[0].parser_version == "old"


def test_open_refuses_a_schema_that_is_behind(database_url: str) -> None:
    with pytest.raises(SchemaBehind, match="gkwatch db upgrade"):
        Archive.open(database_url)
    Archive.upgrade(database_url)
    with Archive.open(database_url) as archive:
        info = archive.info()
        assert info["revision"] == info["head"]
        assert info["backend"] in ("sqlite", "postgresql")


def test_crawl_runs(registered: Archive) -> None:
    run = registered.start_crawl_run(["fj-pt"], node="n1", now=T0)
    registered.record_fetch(FetchRecord("http://x/", "fj-pt", T0, 200, crawl_run_id=run))
    registered.finish_crawl_run(run, {"pages": 3}, "ok", now=T0 + dt.timedelta(minutes=5))
    (r,) = registered.crawl_runs(10)
    assert (r.id, r.status, r.stats, r.agency_ids, r.node) == (
        run,
        "ok",
        {"pages": 3},
        ("fj-pt",),
        "n1",
    )
    assert r.finished_at == T0 + dt.timedelta(minutes=5)


def test_sqlite_file_settings_let_two_processes_write(archive: Archive, database_url: str) -> None:
    if not database_url.startswith("sqlite"):
        pytest.skip("SQLite only: WAL, foreign keys and busy timeout")
    assert archive.query("PRAGMA journal_mode") == [{"journal_mode": "wal"}]
    assert archive.query("PRAGMA foreign_keys") == [{"foreign_keys": 1}]
    assert archive.query("PRAGMA busy_timeout")[0]["timeout"] >= 5000


def test_registry_children_may_come_before_parents(archive: Archive, tmp_path: Path) -> None:
    entries = REGISTRY.split("  - id: ")
    reordered = entries[0] + "".join("  - id: " + e for e in reversed(entries[1:]))
    assert reordered.index("id: fj-pt-edu") < reordered.index("id: fj\n")
    result = archive.import_registry(write_registry(tmp_path, reordered))
    assert result.added == 3
    assert archive.agency("fj-pt-edu").parent == "fj-pt"


def test_registry_parent_may_already_be_in_the_archive(archive: Archive, tmp_path: Path) -> None:
    archive.import_registry(write_registry(tmp_path))
    child = (
        "agencies:\n  - id: fj-pt-ws\n    name: 平潭综合实验区卫生健康局\n    level: department\n"
        "    region: 福建省/平潭综合实验区\n    parent: fj-pt\n    portal: https://127.0.0.1:9/ws/\n"
    )
    assert archive.import_registry(write_registry(tmp_path, child, "more.yaml")).added == 1
    assert len(archive.agencies()) == 4


def test_registry_refuses_unsafe_yaml_and_broken_yaml(archive: Archive, tmp_path: Path) -> None:
    unsafe = REGISTRY.replace("    since: 2019", "    since: !!python/object/apply:os.getpid []")
    with pytest.raises(RegistryError, match=r"registry.yaml:16: bad value"):
        archive.import_registry(write_registry(tmp_path, unsafe))
    broken = REGISTRY.replace("    name: 福建省人民政府", "   name: 福建省人民政府")
    with pytest.raises(RegistryError, match=r"registry.yaml:\d+: not valid YAML"):
        archive.import_registry(write_registry(tmp_path, broken))
    assert archive.agencies() == []
