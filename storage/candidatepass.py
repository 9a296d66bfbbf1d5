"""One set-based candidate pass in one transaction: fill ``gk_latest``, run every candidate
query of ``storage.candidates``, read the compact facts of the candidates only, drop the
temporary table. ``Archive.check_candidates`` is its door."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from sqlalchemy import Connection

from storage import candidates as c
from storage.checkinputs import check_inputs
from storage.facts import CheckInput

IDS_PER_QUERY = 5000
WORK_MEM = "256MB"


@dataclass(frozen=True)
class Plan:
    """What to look for. ``dues(level, override, year)`` gives a deadline (the monitor's
    rule); ``missing_until``: years before it are expected (``None``: skip missing)."""

    table_checks: bool = True
    jump_rules: Mapping[str, tuple[float, float]] = field(default_factory=dict)
    late: bool = True
    dues: Callable[[str, str, int], dt.date] | None = None
    missing_until: int | None = None
    first_year: int = 2019
    copied: bool = True
    copy_threshold: float = 0.9
    copy_margin: float = 0.15
    copy_min_shingles: int = 100


@dataclass(frozen=True)
class Candidates:
    reports: int  # reports in the archive (latest versions with figures)
    table: list[c.TableCandidate]
    inputs: dict[int, CheckInput]  # compact facts of every table candidate and its previous
    buckets: list[list[c.SketchRow]]
    previous_pairs: list[tuple[c.SketchRow, c.SketchRow]]
    late: list[c.ReportSlim]
    removed_or_changed: list[c.ReportSlim]
    absent: list[tuple[str, int]]
    timings: dict[str, float] = field(default_factory=dict)


def _inputs(conn: Connection, ids: Sequence[int]) -> dict[int, CheckInput]:
    out: dict[int, CheckInput] = {}
    for i in range(0, len(ids), IDS_PER_QUERY):
        for item in check_inputs(conn, report_ids=ids[i : i + IDS_PER_QUERY]):
            out[item.report_id] = item
    return out


def run(conn: Connection, plan: Plan, clock: Callable[[], float]) -> Candidates:
    timings: dict[str, float] = {}
    started = clock()

    def lap(name: str) -> None:
        nonlocal started
        now = clock()
        timings[name] = now - started
        started = now

    if conn.dialect.name == "postgresql":
        # the pass sorts and groups whole-archive sets (window by agency and year, LSH bands):
        # in memory rather than in temporary files; for this read transaction only
        conn.exec_driver_sql(f"SET LOCAL work_mem = '{WORK_MEM}'")
    try:
        reports = c.latest_figures(conn)
        lap("latest_figures")
        table = c.table_candidates(conn, plan.jump_rules) if plan.table_checks else []
        lap("table_candidates")
        wanted = sorted(
            {t.report_id for t in table} | {t.previous_id for t in table if t.previous_id}
        )
        inputs = _inputs(conn, wanted)
        lap("candidate_facts")
        buckets: list[list[c.SketchRow]] = []
        previous: list[tuple[c.SketchRow, c.SketchRow]] = []
        if plan.copied:
            c.fill_sketches(conn, plan.copy_min_shingles)
            lap("copy_sketch_table")
            buckets = c.band_buckets(conn)
            lap("copy_lsh_bands")
            previous = c.previous_year_pairs(
                conn, threshold=plan.copy_threshold, margin=plan.copy_margin
            )
            lap("copy_previous_year")
        late: list[c.ReportSlim] = []
        keys, years = c.deadline_keys(conn)
        if plan.late and plan.dues is not None:
            dues: list[c.Due] = []
            for level, override in keys:
                for year in years:
                    due = plan.dues(level, override, year)
                    dues.append((level, override, year, due))
            late = c.late_candidates(conn, dues)
        lap("late_candidates")
    finally:
        c.drop_latest(conn)
    changed = c.removed_or_changed(conn)
    lap("removed_changed")
    absent: list[tuple[str, int]] = []
    if plan.missing_until is not None:
        absent = c.absent(conn, plan.missing_until, plan.first_year)
    lap("missing_candidates")
    return Candidates(reports, table, inputs, buckets, previous, late, changed, absent, timings)
