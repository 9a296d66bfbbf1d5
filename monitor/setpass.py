"""The set-based check pass: storage's candidate queries (``Archive.check_candidates``) pick
the few reports each check could flag — in SQL, over plain numeric columns — and the pure
checks of ``monitor.checks`` run on those alone. It finds exactly what the streaming pass
(``monitor.gather.collect_streaming``) finds: every query keeps a superset of what its check
flags, and the check decides (tests/monitor/test_facts_equivalence.py)."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Mapping

from monitor.checks import (
    carryover,
    copied,
    crawl_failing,
    identity,
    in_force,
    jump,
    late,
    missing,
    prose_mismatch,
    removed,
)
from monitor.deadlines import deadline
from monitor.inputs import AgencyFacts, ReportFacts
from monitor.settings import Settings
from storage import Archive, FindingState
from storage.candidatepass import Candidates, Plan
from storage.candidates import ReportSlim, SketchRow
from storage.sketch import Signature

TABLE_KINDS = frozenset({"identity", "prose_mismatch", "carryover", "in_force", "jump"})


def plan(settings: Settings, today: dt.date) -> Plan:
    kinds = set(settings.kinds)
    rules = {}
    if "jump" in kinds:
        for figure in jump.FIGURES:
            rule = settings.jump_rule(figure)
            rules[figure] = (rule.ratio, rule.min_change)
    return Plan(
        table_checks=bool(kinds & TABLE_KINDS),
        jump_rules=rules,
        late="late" in kinds,
        dues=lambda level, override, year: deadline(level, year, override or None),
        missing_until=today.year if kinds & {"missing", "due"} else None,
        first_year=settings.first_year,
        copied="copied" in kinds,
        copy_threshold=settings.copy_threshold,
        copy_margin=copied.MARGIN,
        copy_min_shingles=settings.copy_min_shingles,
    )


def table_findings(
    found: Candidates, settings: Settings, names: Mapping[str, str]
) -> list[FindingState]:
    kinds = set(settings.kinds)
    out: list[FindingState] = []
    for candidate in found.table:
        item = found.inputs[candidate.report_id]
        agency_id, year, record = item.agency_id, item.year, item.record
        name = names.get(agency_id)
        if "identity" in kinds and item.failing:
            out += identity.check_failing(agency_id, year, item.failing, name or record.agency)
        if "prose_mismatch" in kinds:
            out += prose_mismatch.check_report(agency_id, record)
        if candidate.previous_id is None:
            continue
        previous = found.inputs[candidate.previous_id].record
        if "carryover" in kinds:
            out += carryover.check(agency_id, previous, record)
        if "in_force" in kinds:
            out += in_force.check(agency_id, previous, record)
        if "jump" in kinds:
            out += jump.check(
                agency_id,
                year,
                candidate.previous_figures,
                candidate.figures,
                settings.jump_rule,
                name,
            )
    return out


def report_facts(slim: ReportSlim) -> ReportFacts:
    return ReportFacts(
        agency_id=slim.agency_id,
        year=slim.year,
        url=slim.url,
        first_seen=slim.first_seen,
        published_on=slim.published_on,
        list_date=slim.list_date,
        signed_on=slim.signed_on,
        status=slim.status,
        removed_at=slim.removed_at,
    )


def missing_findings(
    found: Candidates, agencies: Mapping[str, AgencyFacts], settings: Settings, today: dt.date
) -> list[FindingState]:
    """``missing.check`` on the agencies with an absent year, each told what it has."""
    absent = set(found.absent)
    wanted = [agencies[a] for a in sorted({a for a, _ in absent}) if a in agencies]
    present = {
        (a.id, year)
        for a in wanted
        for year in missing.expected_years(a, today, settings.first_year)
        if (a.id, year) not in absent
    }
    kinds = set(settings.kinds)
    found_states = missing.check(
        wanted,
        present,
        today,
        grace_days=settings.grace_days,
        due_days=settings.due_days if "due" in kinds else 0,
        first_year=settings.first_year,
    )
    return [f for f in found_states if f.kind in kinds]


def _signed(row: SketchRow) -> copied.Signed:
    return copied.DocRef(row.agency_id, row.year), Signature.from_bytes(row.shingles, row.sketch)


def copy_pairs(found: Candidates, settings: Settings) -> set[tuple[copied.DocRef, copied.DocRef]]:
    buckets = [[_signed(r) for r in members] for members in found.buckets]
    previous = [(_signed(a), _signed(b)) for a, b in found.previous_pairs]
    return copied.pairs_from(buckets, previous, settings.copy_threshold)


def collect(
    archive: Archive,
    settings: Settings,
    now: dt.datetime,
    timings: dict[str, float] | None = None,
) -> list[FindingState]:
    """Every finding the enabled checks produce now (the streaming pass's result).
    ``timings``, when given, receives the seconds of each stage: ``sql <query>`` for the
    candidate queries (``sql refresh+overhead``: the rest of ``check_candidates``), then the
    Python stages by check."""
    from monitor import gather  # the shared helpers (crawl evidence, removal, texts)

    laps: dict[str, float] = {} if timings is None else timings
    started = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal started
        now_ = time.perf_counter()
        laps[name] = laps.get(name, 0.0) + now_ - started
        started = now_

    kinds = set(settings.kinds)
    agencies, lists = gather.agency_facts(archive)
    log = archive.fetches(limit=gather.FETCH_WINDOW)
    names = {a.id: a.name for a in agencies.values()}
    today = now.astimezone(gather.CHINA).date()
    lap("agencies+fetch log")
    found = archive.check_candidates(plan(settings, today))
    lap("sql (all candidate queries)")
    sql = laps.pop("sql (all candidate queries)")
    for name, seconds in found.timings.items():
        laps[f"sql {name}"] = seconds
    laps["sql refresh+overhead"] = sql - sum(found.timings.values())
    out = table_findings(found, settings, names)
    lap("py table checks")
    if kinds & {"missing", "due"}:
        out += missing_findings(found, agencies, settings, today)
    lap("py missing")
    if "late" in kinds:
        facts = [report_facts(s) for s in found.late]
        out += late.check(gather.with_crawl_evidence(facts, agencies, lists, log), agencies)
    lap("py late")
    if "removed" in kinds:
        gone = [report_facts(s) for s in found.removed_or_changed if s.status == "removed"]
        out += removed.check(gather.with_removal_status(archive, gone), agencies)
    lap("py removed")
    if "changed" in kinds:
        versioned = [s for s in found.removed_or_changed if s.versions > 1]
        out += gather.changed_findings(archive, versioned, names)
    lap("py changed")
    if "copied" in kinds:
        out += gather.verify_copies(archive, copy_pairs(found, settings), settings, names)
    lap("py copied (verify texts)")
    if "crawl_failing" in kinds:
        histories = gather.crawl_histories(archive, agencies, log)
        out += crawl_failing.check(histories, failures=settings.crawl_failures, names=names)
    lap("py crawl_failing")
    return out
