"""Version facts (what a check pass reads), the set-based findings sync at volume, and the
SYNTHETIC bulk loader writing exactly the rows the normal path writes."""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

from storage_factories import report, write_registry

from parser.record import Section
from storage import Archive, FindingState, ReportObservation
from storage.bulk import PLACEHOLDER_PARSER, BulkReport, Derivation, load
from storage.facts import derive, slim_record
from storage.sketch import estimate, signature
from storage.testing import isolated_postgres_schema

T0 = dt.datetime(2024, 3, 1, tzinfo=dt.UTC)
TEXT = (
    "本机关认真贯彻落实政府信息公开条例，围绕中心工作，主动公开政府信息，做好依申请公开工作。" * 4
)


def _obs(archive: Archive, agency: str, year: int, record: Any, seen: dt.datetime) -> Any:
    sha = archive.put_document(json.dumps(record.to_dict()).encode(), "text/html")
    return ReportObservation(
        agency_id=agency,
        year=year,
        url=f"http://127.0.0.1:9/{agency}/{year}.html",
        title=record.title,
        published_on=dt.date(year + 1, 1, 9),
        list_date=None,
        seen_at=seen,
        document_sha=sha,
        record=record,
    )


def test_facts_keep_key_rows_failing_identities_and_a_signature() -> None:
    broken = report(received=10)
    apps = {r: dict(c) for r, c in (broken.applications or {}).items()}
    apps["carried_forward"]["total"] = 5  # T3.balance fails in the total column
    derived = derive(replace(broken, applications=apps))
    slim = slim_record(derived.facts)
    assert slim.cell("applications", "new_received", "total") == 10
    assert slim.cell("applications", "denied_state_secret", "total") is None  # not a key row
    assert slim.flags_of("applications", "carried_over", "research") == {"blank"}
    assert slim.prose == {"applications_received": 10}
    assert [(i["rule"], i["scope"]) for i in derived.facts["failing"]] == [
        ("T3.balance", "total"),  # 10 + 0 != 8 + 5
        ("T3.rows", "carried_forward"),  # 5 != 2 (the natural-person column)
    ]
    assert derive(report()).facts["failing"] == []


def test_signature_estimates_similarity() -> None:
    a = signature(TEXT + "今年新增栏目三个，更新信息一千条。")
    same = signature(TEXT + "今年新增栏目三个，更新信息一千条。")
    other = signature("完全不同的一段文字，说的是别的事情，没有任何雷同之处。" * 6)
    assert estimate(a, same) == 1.0
    assert estimate(a, other) < 0.3
    assert a.to_bytes() == type(a).from_bytes(a.count, a.to_bytes()).to_bytes()


def test_store_migration_backfill_and_reparse_keep_facts(database_url: str, tmp_path: Path) -> None:
    Archive.upgrade(database_url, "0002")  # an archive from before the facts
    with Archive.open(database_url, check_schema=False) as old:
        old.import_registry(write_registry(tmp_path))
    Archive.upgrade(database_url)
    archive = Archive.open(database_url)
    archive.store_report(_obs(archive, "fj-pt", 2023, report(received=10), T0))
    archive.store_report(_obs(archive, "fj-pt", 2022, report(year=2022, received=4), T0))
    Archive.downgrade(database_url, "0002")
    Archive.upgrade(database_url)  # 0003 derives the facts of the stored versions
    assert archive.refresh_facts() == 0  # nothing left to derive
    items = list(archive.check_inputs())
    assert [(i.agency_id, i.year, i.versions) for i in items] == [
        ("fj-pt", 2022, 1),
        ("fj-pt", 2023, 1),
    ]
    assert items[1].record.cell("applications", "new_received", "total") == 10
    assert items[1].failing == ()
    assert items[1].sketch is not None
    archive.reparse(lambda data, url, ct: report(received=12, parser_version="test-2"))
    assert [
        i.record.cell("applications", "new_received", "total") for i in archive.check_inputs()
    ] == [12, 12]
    archive.close()


def _states(n: int, tag: str = "v1") -> list[FindingState]:
    return [
        FindingState(f"late:a{i}:2023", "late", "medium", f"a{i}", 2023, f"s {tag}", {"d": i})
        for i in range(n)
    ]


def test_sync_at_volume_one_alert_per_change(archive: Archive) -> None:
    now = T0
    first = archive.sync_findings(["late"], _states(12_000), now=now)
    assert (first.opened, first.updated, first.resolved) == (12_000, 0, 0)
    later = now + dt.timedelta(hours=1)
    again = archive.sync_findings(["late"], _states(12_000), now=later)
    assert (again.opened, again.updated, again.resolved) == (0, 12_000, 0)
    assert len(archive.alerts()) == 12_000
    f = archive.finding("late:a7:2023")
    assert (f.last_seen, f.opened_at, f.summary) == (later, now, "s v1")
    # changed evidence for some, gone for others: updated in place / resolved
    changed = _states(10_000)
    changed[5] = replace(changed[5], summary="s v2", evidence={"d": -1})
    third = archive.sync_findings(["late"], changed, now=later)
    assert (third.opened, third.updated, third.resolved) == (0, 10_000, 2_000)
    f = archive.finding("late:a5:2023")
    assert (f.summary, f.evidence, f.opened_at) == ("s v2", {"d": -1}, now)
    # a resolved finding that comes back reopens, with one more alert
    back = archive.sync_findings(["late"], _states(10_001), now=later)
    assert (back.opened, back.resolved) == (1, 0)
    events = [a.event for a in archive.alerts()]
    assert events.count("opened") == 12_001 and events.count("resolved") == 2_000
    assert archive.finding("late:a10000:2023").state == "open"


@contextmanager
def _second_url(url: str, tmp_path: Path) -> Iterator[str]:
    if url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / 'normal.db'}"
        return
    with isolated_postgres_schema(os.environ["GKWATCH_TEST_DATABASE_URL"]) as other:
        yield other


def _rows(archive: Archive, sql: str, json_cols: set[str]) -> list[dict[str, Any]]:
    out = []
    for row in archive.query(sql):
        for k, v in row.items():
            if k in json_cols and isinstance(v, str):
                row[k] = json.loads(v)
            elif isinstance(v, memoryview):
                row[k] = bytes(v)
        out.append(row)
    return out


def test_bulk_loader_writes_what_the_normal_path_writes(database_url: str, tmp_path: Path) -> None:
    removed_at = T0 + dt.timedelta(days=3)
    items = [
        ("fj-pt", 2022, (report(year=2022, received=7),), None),
        ("fj-pt", 2023, (report(received=9), report(received=11)), None),  # changed later
        ("fj-pt-edu", 2023, (report(narrative=TEXT),), removed_at),
        ("fj", 2021, (replace(report(year=2021), sections=(Section("一、", (TEXT,)),)),), None),
    ]
    with _second_url(database_url, tmp_path) as normal_url:
        Archive.upgrade(normal_url)
        with Archive.open(normal_url) as normal:
            normal.import_registry(write_registry(tmp_path))
            for agency, year, records, gone in items:
                for record in records:
                    normal.store_report(_obs(normal, agency, year, record, T0))
                if gone:
                    normal.mark_missing(f"http://127.0.0.1:9/{agency}/{year}.html", 404, gone)
            agencies = normal.agencies()
            Archive.upgrade(database_url)
            bulk = [
                BulkReport(
                    agency,
                    year,
                    f"http://127.0.0.1:9/{agency}/{year}.html",
                    records[-1].title,
                    dt.date(year + 1, 1, 9),
                    None,
                    T0,
                    records,
                    gone,
                )
                for agency, year, records, gone in items
            ]
            assert load(database_url, agencies, bulk, now=T0) == 4
            with Archive.open(database_url) as loaded:
                checks = [
                    ("SELECT * FROM reports ORDER BY id", set()),
                    (
                        "SELECT id, report_id, number, record, parser_version, content_hash,"
                        " attachments, first_seen, last_seen FROM versions ORDER BY id",
                        {"record", "attachments"},
                    ),
                    ("SELECT * FROM version_facts ORDER BY version_id", {"facts"}),
                    ("SELECT * FROM report_figures ORDER BY version_id", set()),
                    (
                        "SELECT id, name, level, region, parent_id, portal, report_lists,"
                        " discovered_lists, deadline, since FROM agencies ORDER BY id",
                        {"report_lists", "discovered_lists"},
                    ),
                ]
                for sql, json_cols in checks:
                    assert _rows(loaded, sql, json_cols) == _rows(normal, sql, json_cols), sql
                assert [i.versions for i in loaded.check_inputs()] == [1, 1, 2, 1]


def _benchmark() -> Any:
    """benchmarks/check_scale.py (not a package): its SYNTHETIC generator is what is tested."""
    path = Path(__file__).resolve().parents[2] / "benchmarks" / "check_scale.py"
    spec = importlib.util.spec_from_file_location("check_scale_under_test", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def _registry_of(agencies: list[Any]) -> str:
    lines = ["agencies:"]
    for a in agencies:
        lines += [
            f"  - id: {a.id}",
            f"    name: {a.name}",
            f"    level: {a.level}",
            f"    region: {a.region}",
            f"    portal: {a.portal}",
            f"    since: {a.since}",
        ]
    return "\n".join(lines) + "\n"


def test_synthetic_derivations_equal_the_normal_path(database_url: str, tmp_path: Path) -> None:
    """The benchmark's direct facts/figures/signatures (``Derivation``) are what the normal
    path derives from the same whole records; only the stored record is a placeholder."""
    bench = _benchmark()
    shares = dict.fromkeys(bench.PLANTED, 0.06)  # every planted kind appears in 60 reports
    agencies, fast, planted = bench.synthetic(60, 5, shares)
    _, full, _ = bench.synthetic(60, 5, shares, full=True)
    fast_reports, full_reports = list(fast), list(full)
    assert {"identity", "changed", "copied", "removed", "prose_mismatch"} <= set(planted)
    derived = sum(isinstance(v, Derivation) for r in fast_reports for v in r.records)
    assert derived >= 40
    with _second_url(database_url, tmp_path) as normal_url:
        Archive.upgrade(normal_url)
        with Archive.open(normal_url) as normal:
            normal.import_registry(write_registry(tmp_path, _registry_of(agencies)))
            for r in full_reports:
                for record in r.records:
                    obs = _obs(normal, r.agency_id, r.year, record, r.seen_at)
                    normal.store_report(replace(obs, published_on=r.published_on))
                if r.removed_at:
                    normal.mark_missing(r.url, 404, r.removed_at)
            Archive.upgrade(database_url)
            assert load(database_url, normal.agencies(), fast_reports, now=T0) == len(fast_reports)
            with Archive.open(database_url) as loaded:
                for sql, json_cols in [
                    ("SELECT * FROM reports ORDER BY id", set()),
                    ("SELECT * FROM version_facts ORDER BY version_id", {"facts"}),
                    ("SELECT * FROM report_figures ORDER BY version_id", set()),
                    (
                        "SELECT id, report_id, number, attachments, first_seen, last_seen"
                        " FROM versions ORDER BY id",
                        {"attachments"},
                    ),
                ]:
                    assert _rows(loaded, sql, json_cols) == _rows(normal, sql, json_cols), sql
                sql = "SELECT id, record, parser_version FROM versions ORDER BY id"
                mine, theirs = _rows(loaded, sql, {"record"}), _rows(normal, sql, {"record"})
                placeholders = [m for m in mine if m["parser_version"] == PLACEHOLDER_PARSER]
                assert len(placeholders) == derived
                for m, t in zip(mine, theirs, strict=True):
                    if m["parser_version"] != PLACEHOLDER_PARSER:
                        assert m["record"] == t["record"]
                        continue
                    # a placeholder: the narrative the copy check reads, and no tables
                    assert m["record"]["sections"] == t["record"]["sections"]
                    assert m["record"]["applications"] is None
