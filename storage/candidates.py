"""Set-based candidate queries of a check pass (Core only): SQL decides which reports the pure
checks must look at; Python then runs the checks on those few.

Every query reads one temporary table, ``gk_latest`` (the figures of each report's latest
version with the report's agency and year), filled once per pass by ``latest_figures``. Each
condition is a *superset* of its check (small margins for float rounding): the pure checks
in ``monitor.checks`` decide; a report left out here is one they could not flag.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import (
    Boolean,
    Column,
    ColumnElement,
    Connection,
    Date,
    Float,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    and_,
    exists,
    func,
    literal,
    or_,
    select,
    true,
    union_all,
)

from storage.figures import CARRY_COLUMNS, IN_FORCE_ROWS, JUMP, columns
from storage.models import AgencyRow, FetchRow, ReportRow, UTCDateTime, VersionRow, report_figures
from storage.sketch import BINS, EMPTY

_R = cast(Table, ReportRow.__table__)
_V = cast(Table, VersionRow.__table__)
_A = cast(Table, AgencyRow.__table__)
_FE = cast(Table, FetchRow.__table__)
_F = report_figures
EPS = 1e-7  # float slack: SQL keeps a little more than the checks flag, never less
BAND_BINS = 4  # as monitor.checks.copied: 8 bands of 4 bins
_EMPTY_BIN = EMPTY.to_bytes(4, "little")
IDS_PER_QUERY = 5000

_meta = MetaData()
LATEST = Table(
    "gk_latest",
    _meta,
    Column("report_id", Integer, primary_key=True),
    Column("agency_id", String(100), nullable=False),
    Column("year", Integer, nullable=False),
    Column("template", String(20)),
    Column("failing", Boolean),
    Column("prose_mismatch", Boolean),
    Column("shingles", Integer),
    Column("sketch", LargeBinary),
    *(Column(name, Float) for name in columns()),
    # what the late check's deadline and dates need (agency level and override, the dates)
    Column("level", String(50)),
    Column("override", String(20)),
    Column("published_on", Date),
    Column("list_date", Date),
    Column("signed_on", Date),
    Column("first_seen", UTCDateTime),
    prefixes=["TEMPORARY"],
)
#: the eligible signatures only, narrow: the LSH bands scan it eight times
SKETCHES = Table(
    "gk_sketches",
    _meta,
    Column("report_id", Integer, primary_key=True),
    Column("agency_id", String(100), nullable=False),
    Column("year", Integer, nullable=False),
    Column("shingles", Integer, nullable=False),
    Column("sketch", LargeBinary, nullable=False),
    prefixes=["TEMPORARY"],
)
_COPIED = ["template", "failing", "prose_mismatch", "shingles", "sketch", *columns()]
_DATES = ["published_on", "list_date", "first_seen"]


def latest_figures(conn: Connection) -> int:
    """Fill ``gk_latest`` (dropped first if a previous pass left it); returns its rows."""
    LATEST.drop(conn, checkfirst=True)
    LATEST.create(conn)
    source = (
        select(
            _R.c.id,
            _R.c.agency_id,
            _R.c.year,
            *(_F.c[n] for n in _COPIED),
            _A.c.level,
            func.coalesce(_A.c.deadline, ""),
            *(_R.c[n] for n in _DATES),
            _F.c.signed_on,
        )
        .join(_V, (_V.c.report_id == _R.c.id) & (_V.c.number == _R.c.latest_version))
        .join(_F, _F.c.version_id == _V.c.id)
        .join(_A, _A.c.id == _R.c.agency_id)
    )
    names = ["report_id", "agency_id", "year", *_COPIED, "level", "override", *_DATES]
    names.append("signed_on")
    conn.execute(LATEST.insert().from_select(names, source))
    # a temporary table has no statistics until analysed: without them PostgreSQL plans
    # nested loops over a million rows for the joins below
    conn.exec_driver_sql(f"ANALYZE {LATEST.name}")
    return int(conn.scalar(select(func.count()).select_from(LATEST)) or 0)


def drop_latest(conn: Connection) -> None:
    LATEST.drop(conn, checkfirst=True)
    SKETCHES.drop(conn, checkfirst=True)


def fill_sketches(conn: Connection, min_shingles: int) -> None:
    """``gk_sketches``: the signatures of ``gk_latest`` the copy check may compare (those of
    ``min_shingles`` or more); ``band_buckets`` and ``previous_year_pairs`` read it."""
    SKETCHES.drop(conn, checkfirst=True)
    SKETCHES.create(conn)
    t = LATEST.c
    source = select(t.report_id, t.agency_id, t.year, t.shingles, t.sketch).where(
        t.shingles >= min_shingles, t.sketch.is_not(None)
    )
    names = ["report_id", "agency_id", "year", "shingles", "sketch"]
    conn.execute(SKETCHES.insert().from_select(names, source))
    conn.exec_driver_sql(f"ANALYZE {SKETCHES.name}")


@dataclass(frozen=True)
class TableCandidate:
    """A report one of the table checks (identity, prose_mismatch, carryover, in_force,
    jump) may flag, with its previous year (same agency, year − 1) when there is one."""

    report_id: int
    agency_id: str
    year: int
    previous_id: int | None
    figures: dict[str, float]  # the jump figures that could be read
    previous_figures: dict[str, float]


def _lag(column: ColumnElement[Any]) -> ColumnElement[Any]:
    """The value of ``column`` in the same agency's row of the year before (by year order)."""
    t = LATEST.c
    return func.lag(column).over(partition_by=t.agency_id, order_by=t.year)


def _differ(a: ColumnElement[Any], b: ColumnElement[Any]) -> ColumnElement[bool]:
    return and_(a.is_not(None), b.is_not(None), func.abs(a - b) > EPS)


def table_candidates(
    conn: Connection, jump_rules: Mapping[str, tuple[float, float]]
) -> list[TableCandidate]:
    """``jump_rules``: figure -> (ratio, min_change), for every jump figure to compare."""
    t = LATEST.c
    lagged_names = (
        ["year", "report_id", "template"]
        + [f"jump_{n}" for n in JUMP]
        + [f"forward_{c}" for c in CARRY_COLUMNS]
        + [f"{p}_in_force" for p in IN_FORCE_ROWS.values()]
    )
    current_names = (
        ["report_id", "agency_id", "year", "template", "failing", "prose_mismatch"]
        + [f"jump_{n}" for n in JUMP]
        + [f"over_{c}" for c in CARRY_COLUMNS]
        + [f"{p}_{c}" for p in IN_FORCE_ROWS.values() for c in ("in_force", "issued", "repealed")]
    )
    inner = select(
        *(t[n] for n in current_names),
        *(_lag(t[n]).label(f"p_{n}") for n in lagged_names),
    ).subquery()
    c = inner.c
    carry = or_(*(_differ(c[f"over_{col}"], c[f"p_forward_{col}"]) for col in CARRY_COLUMNS))
    in_force = and_(
        c.template == "2021",
        c.p_template == "2021",
        or_(
            *(
                _differ(
                    c[f"{p}_in_force"],
                    c[f"p_{p}_in_force"] + c[f"{p}_issued"] - c[f"{p}_repealed"],
                )
                for p in IN_FORCE_ROWS.values()
            )
        ),
    )
    jumps = []
    for name, (ratio, min_change) in jump_rules.items():
        now, before = c[f"jump_{name}"], c[f"p_jump_{name}"]
        jumps.append(
            and_(
                now.is_not(None),
                before.is_not(None),
                func.abs(now - before) >= min_change - EPS,
                or_(now >= before * ratio - EPS, now * ratio <= before + EPS),
            )
        )
    paired = and_(c.p_year == c.year - 1, or_(carry, in_force, *jumps))
    query = select(inner).where(or_(c.failing.is_(true()), c.prose_mismatch.is_(true()), paired))
    out = []
    for r in conn.execute(query).mappings():
        previous = r["p_year"] == r["year"] - 1
        out.append(
            TableCandidate(
                report_id=r["report_id"],
                agency_id=r["agency_id"],
                year=r["year"],
                previous_id=r["p_report_id"] if previous else None,
                figures=_figures(r, ""),
                previous_figures=_figures(r, "p_") if previous else {},
            )
        )
    return out


def _figures(row: Any, prefix: str) -> dict[str, float]:
    out = {}
    for name in JUMP:
        value = row[f"{prefix}jump_{name}"]
        if value is not None:
            out[name] = float(value)
    return out


@dataclass(frozen=True)
class SketchRow:
    report_id: int
    agency_id: str
    year: int
    shingles: int
    sketch: bytes


def _sketch_row(r: Any) -> SketchRow:
    return SketchRow(r.report_id, r.agency_id, r.year, r.shingles, bytes(r.sketch))


def band_buckets(conn: Connection) -> list[list[SketchRow]]:
    """LSH: per year and band of ``BAND_BINS`` bins, the groups of two or more reports whose
    band is identical (bands with every bin empty carry no evidence and are skipped), from
    ``gk_sketches``. Per band, one grouping scan finds the shared keys (a count only: an
    array of ids per group costs more over a million mostly single groups) and one scan
    joins their members back; the members' signatures are then read by id."""
    t = SKETCHES.c
    width = BAND_BINS * 4
    groups: dict[tuple[int, int, bytes], list[int]] = {}
    for band in range(BINS // BAND_BINS):
        key = func.substr(t.sketch, band * width + 1, width)
        usable = key != _EMPTY_BIN * BAND_BINS
        shared = (
            select(t.year, key.label("k"))
            .where(usable)
            .group_by(t.year, key)
            .having(func.count() > 1)
            .subquery()
        )
        query = (
            select(t.report_id, t.year, shared.c.k)
            .join(shared, and_(shared.c.year == t.year, shared.c.k == key))
            .where(usable)
        )
        for r in conn.execute(query):
            groups.setdefault((band, r.year, bytes(r.k)), []).append(r.report_id)
    rows = _sketch_rows(conn, sorted({i for g in groups.values() for i in g}))
    return [sorted((rows[i] for i in groups[k]), key=lambda m: m.agency_id) for k in sorted(groups)]


def _sketch_rows(conn: Connection, ids: Sequence[int]) -> dict[int, SketchRow]:
    t = SKETCHES.c
    out: dict[int, SketchRow] = {}
    for i in range(0, len(ids), IDS_PER_QUERY):
        query = select(t.report_id, t.agency_id, t.year, t.shingles, t.sketch).where(
            t.report_id.in_(ids[i : i + IDS_PER_QUERY])
        )
        for r in conn.execute(query):
            out[r.report_id] = _sketch_row(r)
    return out


def previous_year_pairs(
    conn: Connection, *, threshold: float, margin: float
) -> list[tuple[SketchRow, SketchRow]]:
    """Same agency, consecutive years, both signatures eligible, sizes within ``threshold``
    of each other, and at least one piece of bins equal where an estimated similarity of
    ``threshold - margin`` requires one (pigeonhole over the disagreeing bins)."""
    t = SKETCHES.c

    def lag(column: ColumnElement[Any]) -> ColumnElement[Any]:
        return func.lag(column).over(partition_by=t.agency_id, order_by=t.year)

    inner = select(
        t.report_id,
        t.agency_id,
        t.year,
        t.shingles,
        t.sketch,
        lag(t.report_id).label("p_report_id"),
        lag(t.year).label("p_year"),
        lag(t.shingles).label("p_shingles"),
        lag(t.sketch).label("p_sketch"),
    ).subquery()
    c = inner.c
    # SQLite's two-argument min/max are PostgreSQL's least/greatest
    sqlite = conn.dialect.name == "sqlite"
    small = (func.min if sqlite else func.least)(c.shingles, c.p_shingles)
    large = (func.max if sqlite else func.greatest)(c.shingles, c.p_shingles)
    conditions = [c.p_year == c.year - 1, small >= large * threshold - EPS]
    disagree = int((1 - (threshold - margin)) * BINS + 1e-9)  # at most this many bins differ
    piece = 2 if disagree < BINS // 2 else 1
    if disagree < BINS // piece:
        width = piece * 4
        conditions.append(
            or_(
                *(
                    func.substr(c.sketch, i * width + 1, width)
                    == func.substr(c.p_sketch, i * width + 1, width)
                    for i in range(BINS // piece)
                )
            )
        )
    query = select(inner).where(*conditions)
    out = []
    for r in conn.execute(query):
        before = SketchRow(r.p_report_id, r.agency_id, r.p_year, r.p_shingles, bytes(r.p_sketch))
        out.append((before, _sketch_row(r)))
    return out


@dataclass(frozen=True)
class ReportSlim:
    """The report row as the time checks (late, removed, changed) read it."""

    report_id: int
    agency_id: str
    year: int
    url: str
    first_seen: dt.datetime
    published_on: dt.date | None
    list_date: dt.date | None
    signed_on: dt.date | None
    status: str
    removed_at: dt.datetime | None
    versions: int


def _slim_query() -> Any:
    return select(
        _R.c.id,
        _R.c.agency_id,
        _R.c.year,
        _R.c.url,
        _R.c.first_seen,
        _R.c.published_on,
        _R.c.list_date,
        _F.c.signed_on,
        _R.c.status,
        _R.c.removed_at,
        _R.c.latest_version,
    ).select_from(
        _R.join(_V, (_V.c.report_id == _R.c.id) & (_V.c.number == _R.c.latest_version)).join(
            _F, _F.c.version_id == _V.c.id
        )
    )


def _slims(conn: Connection, query: Any) -> list[ReportSlim]:
    return [ReportSlim(*r) for r in conn.execute(query.order_by(_R.c.agency_id, _R.c.year))]


def removed_or_changed(conn: Connection) -> list[ReportSlim]:
    """Reports marked removed, and reports with more than one version."""
    return _slims(conn, _slim_query().where(or_(_R.c.status == "removed", _R.c.latest_version > 1)))


#: (agency level, registry deadline override or "", year, deadline)
Due = tuple[str, str, int, dt.date]


_DUES = Table(
    "gk_dues",
    _meta,
    Column("level", String(50), nullable=False),
    Column("override", String(20), nullable=False),
    Column("year", Integer, nullable=False),
    Column("due", Date, nullable=False),
    Column("due_at", UTCDateTime, nullable=False),
    prefixes=["TEMPORARY"],
)


def late_candidates(conn: Connection, dues: Sequence[Due]) -> list[ReportSlim]:
    """Reports with a date (page, list, signature) after their deadline, or first seen after
    it (the crawler's own evidence), from ``gk_latest`` (filled by ``latest_figures``, which
    carries each report's dates, agency level and deadline override). ``dues`` covers every
    level/override/year present.

    The deadlines go into a small temporary table with planner statistics (a join with a
    list of constants cannot be estimated: PostgreSQL chose nested loops over the archive),
    and the crawler's evidence is each agency's earliest successful fetch, grouped once (not
    a subquery per report: in a bulk-imported archive every report was first seen after its
    deadline)."""
    if not dues:
        return []
    _DUES.drop(conn, checkfirst=True)
    _DUES.create(conn)
    try:
        conn.execute(
            _DUES.insert(),
            [
                {
                    "level": level,
                    "override": override,
                    "year": year,
                    "due": due,
                    "due_at": dt.datetime.combine(due, dt.time(), tzinfo=dt.UTC),
                }
                for level, override, year, due in dues
            ],
        )
        conn.exec_driver_sql("ANALYZE gk_dues")
        return _slims_of(conn, sorted(conn.scalars(_late_query())))
    finally:
        _DUES.drop(conn, checkfirst=True)


def _late_query() -> Any:
    t, d = LATEST.c, _DUES.c
    first_ok = (
        select(_FE.c.agency_id, func.min(_FE.c.fetched_at).label("at"))
        .where(_FE.c.status >= 200, _FE.c.status < 400, _FE.c.agency_id.is_not(None))
        .group_by(_FE.c.agency_id)
        .subquery("first_ok")
    )
    return (
        select(t.report_id)
        .join(_DUES, and_(d.level == t.level, d.override == t.override, d.year == t.year))
        .outerjoin(first_ok, first_ok.c.agency_id == t.agency_id)
        .where(
            or_(
                t.published_on > d.due,
                t.list_date > d.due,
                t.signed_on > d.due,
                # the crawler's evidence: first seen after the deadline (a day's slack) and an
                # earlier successful fetch of one of the agency's pages to compare with
                and_(t.first_seen >= d.due_at, first_ok.c.at < t.first_seen),
            )
        )
    )


def _slims_of(conn: Connection, ids: Sequence[int]) -> list[ReportSlim]:
    out: list[ReportSlim] = []
    for i in range(0, len(ids), IDS_PER_QUERY):
        out += _slims(conn, _slim_query().where(_R.c.id.in_(ids[i : i + IDS_PER_QUERY])))
    return sorted(out, key=lambda s: (s.agency_id, s.year))


def _constants(name: str, cols: Sequence[tuple[str, Any]], rows: Sequence[tuple[Any, ...]]) -> Any:
    """A small table of constants as a subquery (SQLite cannot name the columns of VALUES)."""
    selects = [
        select(*(literal(v, type_).label(c) for v, (c, type_) in zip(row, cols, strict=True)))
        for row in rows
    ]
    return union_all(*selects).subquery(name)


def deadline_keys(conn: Connection) -> tuple[list[tuple[str, str]], list[int]]:
    """The (level, override or "") pairs of the agencies, and the years of the reports."""
    keys = conn.execute(select(_A.c.level, func.coalesce(_A.c.deadline, "")).distinct()).all()
    years = conn.scalars(select(_R.c.year).distinct()).all()
    return [(k[0], k[1]) for k in keys], sorted(years)


def absent(conn: Connection, until: int, first_year: int) -> list[tuple[str, int]]:
    """``(agency_id, year)`` expected — from the agency's ``since`` (else ``first_year``) up to
    ``until`` (exclusive) — with no report at all."""
    since = conn.scalar(select(func.min(_A.c.since)))
    start = min(first_year, since) if since is not None else first_year
    if start >= until:
        return []
    years = _constants("y", [("year", Integer())], [(v,) for v in range(start, until)])
    query = (
        select(_A.c.id, years.c.year)
        .select_from(_A.join(years, true()))
        .where(
            years.c.year >= func.coalesce(_A.c.since, first_year),
            ~exists().where(_R.c.agency_id == _A.c.id, _R.c.year == years.c.year),
        )
        .order_by(_A.c.id, years.c.year)
    )
    return [(r[0], r[1]) for r in conn.execute(query)]


__all__ = [
    "LATEST",
    "Due",
    "ReportSlim",
    "SketchRow",
    "TableCandidate",
    "absent",
    "band_buckets",
    "deadline_keys",
    "drop_latest",
    "fill_sketches",
    "late_candidates",
    "latest_figures",
    "previous_year_pairs",
    "removed_or_changed",
    "table_candidates",
]
