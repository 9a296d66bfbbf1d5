"""The check pass reads compact facts, not records: on the same records it must find exactly
what the pure checks find on the full records."""

from __future__ import annotations

import datetime as dt
import importlib.util
import sys
from collections import Counter
from dataclasses import replace
from pathlib import Path
from typing import Any

from records import active, appeals, applications, report

from monitor import gather, setpass
from monitor.checks import carryover, identity, in_force, jump, prose_mismatch
from monitor.settings import load
from parser.record import Report
from storage import Archive, ReportObservation, bulk
from storage.facts import derive, failing_of, slim_record
from storage.types import FindingState


def _pass(records: list[Report], slim: bool) -> list[FindingState]:
    rule = load({}).jump_rule
    out: list[FindingState] = []
    prev: Report | None = None
    for full in records:
        facts = derive(full).facts
        record = slim_record(facts) if slim else full
        year = full.year or 0
        if slim:
            out += identity.check_failing("a", year, failing_of(facts), record.agency)
        else:
            out += identity.check_report("a", record)
        out += prose_mismatch.check_report("a", record)
        if prev is not None:
            out += carryover.check("a", prev, record)
            out += in_force.check("a", prev, record)
            out += jump.check("a", year, jump.figures(prev), jump.figures(record), rule)
        prev = record
    return sorted(out, key=lambda f: f.key)


def test_facts_find_what_full_records_find() -> None:
    broken = applications(new=10, carried=2, granted=8, forward=4)
    broken["total"]["total"] = 9  # T3.results and T3.rows fail
    records = [
        report(year=2020, apps=applications(new=10, carried=2, granted=8, forward=4)),
        report(  # carry-over broken, prose wrong, blank review, jumping licensing
            year=2021,
            apps=applications(new=30, carried=5, granted=31, forward=4),
            act=active(in_force=30, licensing=400),
            appeal=appeals((2, 1, 0, 0)),
            prose={"applications_received": 31, "review_total": 3},
            blank=(("appeals", "review", "pending"), ("active", "licensing", "decisions")),
            signed_on=dt.date(2022, 1, 5),
        ),
        report(year=2022, apps=broken, act=active(issued=5, in_force=12)),
    ]
    full = _pass(records, slim=False)
    assert {f.kind for f in full} == {"identity", "carryover", "in_force", "prose_mismatch", "jump"}
    assert _pass(records, slim=True) == full


# -- the set-based pass (SQL candidates) against the streaming pass, on a real archive -----

_WORDS = "公开条例政务申请答复依法规范平台解读回应关切决策执行管理服务结果制度监督考核培训渠道网站"
#: ~200 distinct 5-character shingles (a repeated sentence would have only a few dozen)
TEXT = "".join(
    _WORDS[(i * 7) % 41 % len(_WORDS)] + _WORDS[(i * i + 3 * i) % 37 % len(_WORDS)]
    for i in range(200)
)
NOW = dt.datetime(2025, 6, 1, tzinfo=dt.UTC)


def _active(licensing: float | None, punishment: float | None, nd_in_force: float) -> Any:
    table = active(issued=2, repealed=1, in_force=int(nd_in_force))
    table["licensing"] = {"decisions": licensing}
    table["punishment"] = {"decisions": punishment}
    return table


def _store(archive: Archive, agency: str, record: Report, published: dt.date | None = None) -> None:
    url = f"http://127.0.0.1:1/{agency}/{record.year}.html"
    sha = archive.put_document(repr(record).encode(), "text/html")
    archive.store_report(
        ReportObservation(
            agency_id=agency,
            year=record.year or 0,
            url=url,
            title=None,
            published_on=published,
            list_date=None,
            seen_at=dt.datetime(2025, 4, 1, tzinfo=dt.UTC),
            document_sha=sha,
            record=record,
        )
    )


def _key(states: list[FindingState]) -> list[tuple[str, str, str]]:
    return sorted((s.key, s.summary, repr(s.evidence)) for s in states)


def test_set_based_pass_finds_what_the_streaming_pass_finds(archive: Archive) -> None:
    broken = applications(new=10, carried=4, granted=8, forward=4)
    broken["total"]["total"] = 9  # identity
    null_cells = applications(new=10, carried=4, granted=10, forward=4)
    null_cells["carried_over"]["research"] = None  # unreadable: no carry identity
    fgj = [
        report(  # 2022: base year; licensing 10, punishment 10
            year=2022,
            apps=applications(new=10, carried=2, granted=8, forward=4),
            act=_active(10, 10, 10),
            paragraphs=(TEXT,),
        ),
        report(  # 2023: licensing 10 -> 30 exactly 3x and +20 (jump), punishment 10 -> 29
            year=2023,
            apps=applications(new=10, carried=5, granted=11, forward=4),  # carry 4 -> 5 broken
            act=_active(30, 29, 40),  # in_force 10 + 2 - 1 != 40
            prose={"applications_received": 11},  # prose says 11, table 10
            appeal=appeals((2, 1, 0, 0)),
            blank=(("appeals", "review", "pending"),),
            paragraphs=(TEXT + "今年另有新意。",),  # a near copy of 2022
        ),
        report(  # 2024: blank licensing (no jump), zero punishment (29 -> 0 is a jump)
            year=2024,
            apps=broken,
            act=_active(0, 0, 11),
            blank=(("active", "licensing", "decisions"),),
            prose={"applications_received": 10},
            paragraphs=("完全不同的一段文字，说的是别的事情。" * 8,),
        ),
    ]
    gov = [
        report(year=2022, apps=null_cells, act=_active(None, 5, 10)),
        report(year=2024, act=_active(5, 5, 10), paragraphs=(TEXT + "今年另有新意。",)),
    ]
    for record in fgj:
        _store(archive, "sy-fgj", record, dt.date((record.year or 0) + 1, 1, 20))
    _store(archive, "sy-gov", gov[0], dt.date(2023, 4, 2))  # late: due 31 March
    _store(archive, "sy-gov", gov[1], dt.date(2025, 3, 31))  # on the deadline day itself
    moved = applications(new=10, carried=4, granted=8, forward=4)
    moved["total"]["total"] = 9
    moved["granted"]["natural_person"] = 7  # one request re-classified later
    changed = replace(fgj[2], applications=moved)
    _store(archive, "sy-fgj", changed, dt.date(2025, 1, 20))
    archive.mark_missing("http://127.0.0.1:1/sy-gov/2022.html", 404, NOW - dt.timedelta(days=1))
    for settings in (
        load({}),
        load({"jump": {"ratio": 2, "figures": {"licensing_decisions": {"min_change": 21}}}}),
    ):
        streaming = gather.collect_streaming(archive, settings, NOW)
        set_based = setpass.collect(archive, settings, NOW)
        assert _key(set_based) == _key(streaming)
    kinds = {s.kind for s in streaming}
    assert kinds >= {
        "identity",
        "carryover",
        "in_force",
        "prose_mismatch",
        "jump",
        "late",
        "missing",
        "changed",
        "removed",
        "copied",
    }, kinds
    found = {s.key for s in gather.collect_streaming(archive, load({}), NOW)}
    assert "jump:sy-fgj:2023:licensing_decisions" in found  # exactly 3x and +20
    assert "jump:sy-fgj:2023:punishment_decisions" not in found  # 2.9x, +19
    assert "jump:sy-fgj:2024:licensing_decisions" not in found  # blank
    assert "jump:sy-fgj:2024:punishment_decisions" in found  # 29 -> printed 0
    assert "late:sy-gov:2024" not in found  # published on the deadline day


def _benchmark() -> Any:
    """benchmarks/check_scale.py (not a package): its SYNTHETIC world, planted problems and
    all, is a second, larger archive on which both passes must agree."""
    path = Path(__file__).resolve().parents[2] / "benchmarks" / "check_scale.py"
    spec = importlib.util.spec_from_file_location("check_scale_for_equivalence", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_set_based_pass_equals_streaming_on_the_benchmark_world(database_url: str) -> None:
    bench = _benchmark()
    shares = dict.fromkeys(bench.PLANTED, 0.03)  # ~36 reports of each planted kind
    agencies, reports, planted = bench.synthetic(1200, 11, shares)
    Archive.upgrade(database_url)
    assert bulk.load(database_url, agencies, reports, now=bench.SEEN) > 1000
    with Archive.open(database_url) as archive:
        bench.crawl_log(archive, agencies)
        settings = load({})
        streaming = gather.collect_streaming(archive, settings, bench.NOW)
        set_based = setpass.collect(archive, settings, bench.NOW)
    assert _key(set_based) == _key(streaming)
    found = Counter(s.kind for s in streaming)
    assert set(found) >= set(planted) | {"crawl_failing"}, found
    # each planted copy (one per year at most is the year's first and copies nothing) is
    # named from both sides, in the LSH buckets of the same year
    assert found["copied"] >= 2 * (planted["copied"] - len(bench.YEARS))
    assert found["changed"] == planted["changed"]
    assert found["removed"] == planted["removed"]
    assert found["missing"] == planted["missing"]
