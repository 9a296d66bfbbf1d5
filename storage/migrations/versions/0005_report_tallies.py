"""report_tallies: reports counted per agency group and year, kept by triggers; findings index

The dashboard's overview decides on time / late / missing for every agency-year. Computed from
the reports table it costs a pass over every report (~0.2 s at 100 000 on SQLite). The counts
change only when a report or an agency changes, so the database keeps them, in the same
transaction as the change, whatever wrote it (the ORM, a bulk COPY, a hand-written UPDATE):

    report_tallies(region, level, deadline, since, year) -> reports, on_time, versions

keyed by what the deadline rule and the owed years depend on ("" and 0 stand for no registry
deadline / no ``since``: key columns cannot be NULL for ON CONFLICT to match). ``on_time``
applies the publication deadline of ``storage.deadline_sql`` (frozen here; a later change of
the rule comes with a migration of its own). Dates are compared as "YYYY-MM-DD" text on both
backends, so a registry deadline of 02-29 in a common year means the last day of February
rather than an error inside a trigger.

SQLite: row triggers. PostgreSQL: statement triggers over transition tables (one grouped
upsert per statement, so a COPY of 100 000 reports costs one pass, not 100 000 upserts); the
functions keep the search_path they were created with, so a writer connected with another
one still updates the tallies of the schema it writes reports to.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22 03:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

_KEYS = "region, level, deadline, since, year"
_UPSERT_SET = (
    f"ON CONFLICT ({_KEYS}) DO UPDATE SET reports = report_tallies.reports + excluded.reports, "
    "on_time = report_tallies.on_time + excluded.on_time, "
    "versions = report_tallies.versions + excluded.versions"
)


def _on_time(dialect: str, report: str, deadline: str, level: str) -> str:
    """1 when the report's best known publication date (page, else list, else first seen,
    UTC) is on or before its deadline, else 0. ``deadline`` is never NULL here ("" = none)."""
    if dialect == "postgresql":
        seen = f"({report}.first_seen AT TIME ZONE 'UTC')::date"
        best = f"to_char(coalesce({report}.published_on, {report}.list_date, {seen}), 'YYYY-MM-DD')"
        due_year = f"({report}.year + 1)::text"
    else:  # dates are stored as "YYYY-MM-DD" text, first_seen as UTC "YYYY-MM-DD HH:MM:SS…"
        best = f"coalesce({report}.published_on, {report}.list_date, date({report}.first_seen))"
        due_year = f"CAST({report}.year + 1 AS TEXT)"
    month_day = (
        f"CASE WHEN {report}.year <= 2018 THEN '03-31' "  # the 2008 条例: 03-31 for every body
        f"WHEN {deadline} <> '' THEN {deadline} "
        f"WHEN {level} IN ('province', 'city', 'county') THEN '03-31' ELSE '01-31' END"
    )
    return f"CASE WHEN {best} <= {due_year} || '-' || {month_day} THEN 1 ELSE 0 END"


def _sqlite_report_delta(row: str, sign: str) -> str:
    """Add (sign "") or take away (sign "-") one report row (NEW/OLD) of an agency."""
    on_time = _on_time("sqlite", row, "coalesce(a.deadline, '')", "a.level")
    return (
        f"INSERT INTO report_tallies ({_KEYS}, reports, on_time, versions) "
        f"SELECT a.region, a.level, coalesce(a.deadline, ''), coalesce(a.since, 0), {row}.year, "
        f"{sign}1, {sign}({on_time}), {sign}{row}.latest_version "
        f"FROM agencies AS a WHERE a.id = {row}.agency_id {_UPSERT_SET};"
    )


def _sqlite_agency_delta(row: str, sign: str) -> str:
    """Move every report of an agency out of (OLD, "-") or into (NEW, "") its group."""
    deadline = f"coalesce({row}.deadline, '')"
    on_time = _on_time("sqlite", "r", deadline, f"{row}.level")
    return (
        f"INSERT INTO report_tallies ({_KEYS}, reports, on_time, versions) "
        f"SELECT {row}.region, {row}.level, {deadline}, coalesce({row}.since, 0), r.year, "
        f"{sign}count(*), {sign}sum({on_time}), {sign}sum(r.latest_version) "
        f"FROM reports AS r WHERE r.agency_id = {row}.id GROUP BY r.year {_UPSERT_SET};"
    )


_REPORT_COLUMNS = ("agency_id", "year", "published_on", "list_date", "first_seen", "latest_version")
_AGENCY_COLUMNS = ("region", "level", "deadline", "since")


def _changed(columns: tuple[str, ...]) -> str:
    return " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in columns)


SQLITE_TRIGGERS = (
    "CREATE TRIGGER report_tallies_report_insert AFTER INSERT ON reports BEGIN "
    f"{_sqlite_report_delta('NEW', '')} END",
    "CREATE TRIGGER report_tallies_report_delete AFTER DELETE ON reports BEGIN "
    f"{_sqlite_report_delta('OLD', '-')} END",
    f"CREATE TRIGGER report_tallies_report_update AFTER UPDATE OF {', '.join(_REPORT_COLUMNS)} "
    f"ON reports WHEN {_changed(_REPORT_COLUMNS)} BEGIN "
    f"{_sqlite_report_delta('OLD', '-')} {_sqlite_report_delta('NEW', '')} END",
    f"CREATE TRIGGER report_tallies_agency_update AFTER UPDATE OF {', '.join(_AGENCY_COLUMNS)} "
    f"ON agencies WHEN {_changed(_AGENCY_COLUMNS)} BEGIN "
    f"{_sqlite_agency_delta('OLD', '-')} {_sqlite_agency_delta('NEW', '')} END",
)
_SQLITE_NAMES = (
    "report_tallies_report_insert",
    "report_tallies_report_delete",
    "report_tallies_report_update",
    "report_tallies_agency_update",
)


def _pg_grouped(source: str, report: str, deadline: str, level: str, agency: str) -> str:
    """One grouped upsert of signed rows; groups whose changes cancel out write nothing (an
    update of ``last_seen`` takes no lock on a tally). Ordered, so that two writers lock the
    tallies they share in the same order."""
    on_time = _on_time("postgresql", report, deadline, level)
    keys = f"{agency}.region, {agency}.level, {deadline}, coalesce({agency}.since, 0), {report}.year"
    return (
        f"INSERT INTO report_tallies ({_KEYS}, reports, on_time, versions) "
        f"SELECT {keys}, sum(sign), sum(sign * {on_time}), sum(sign * {report}.latest_version) "
        f"FROM {source} GROUP BY {keys} "
        f"HAVING sum(sign) <> 0 OR sum(sign * {on_time}) <> 0 "
        f"OR sum(sign * {report}.latest_version) <> 0 "
        f"ORDER BY 1, 2, 3, 4, 5 {_UPSERT_SET};"
    )


_PG_REPORT_COLUMNS = ", ".join(_REPORT_COLUMNS)


def _pg_report_source(signed: str) -> str:
    return f"({signed}) AS d JOIN agencies AS a ON a.id = d.agency_id"


def _pg_report_function(name: str, signed: str) -> str:
    body = _pg_grouped(
        _pg_report_source(signed), "d", "coalesce(a.deadline, '')", "a.level", "a"
    )
    return (
        f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql "
        "SET search_path FROM CURRENT AS $$ "
        f"BEGIN {body} RETURN NULL; END $$"
    )


_NEW = f"SELECT 1 AS sign, {_PG_REPORT_COLUMNS} FROM new_reports"
_OLD = f"SELECT -1 AS sign, {_PG_REPORT_COLUMNS} FROM old_reports"
_AGENCY_CHANGED = (
    "FROM old_agencies AS o JOIN new_agencies AS n ON n.id = o.id "
    "WHERE (o.region, o.level, o.deadline, o.since) IS DISTINCT FROM "
    "(n.region, n.level, n.deadline, n.since)"
)
_AGENCY_SOURCE = (
    "(SELECT -1 AS sign, o.id, o.region, o.level, coalesce(o.deadline, '') AS deadline, "
    f"o.since {_AGENCY_CHANGED} UNION ALL "
    "SELECT 1, n.id, n.region, n.level, coalesce(n.deadline, ''), "
    f"n.since {_AGENCY_CHANGED}) AS c JOIN reports AS r ON r.agency_id = c.id"
)

PG_FUNCTIONS = (
    _pg_report_function("report_tallies_on_insert", _NEW),
    _pg_report_function("report_tallies_on_delete", _OLD),
    _pg_report_function("report_tallies_on_update", f"{_NEW} UNION ALL {_OLD}"),
    "CREATE FUNCTION report_tallies_on_agency_update() RETURNS trigger LANGUAGE plpgsql "
        "SET search_path FROM CURRENT AS $$ "
    f"BEGIN {_pg_grouped(_AGENCY_SOURCE, 'r', 'c.deadline', 'c.level', 'c')} "
    "RETURN NULL; END $$",
)
PG_TRIGGERS = (
    "CREATE TRIGGER report_tallies_report_insert AFTER INSERT ON reports "
    "REFERENCING NEW TABLE AS new_reports "
    "FOR EACH STATEMENT EXECUTE FUNCTION report_tallies_on_insert()",
    "CREATE TRIGGER report_tallies_report_delete AFTER DELETE ON reports "
    "REFERENCING OLD TABLE AS old_reports "
    "FOR EACH STATEMENT EXECUTE FUNCTION report_tallies_on_delete()",
    "CREATE TRIGGER report_tallies_report_update AFTER UPDATE ON reports "
    "REFERENCING OLD TABLE AS old_reports NEW TABLE AS new_reports "
    "FOR EACH STATEMENT EXECUTE FUNCTION report_tallies_on_update()",
    "CREATE TRIGGER report_tallies_agency_update AFTER UPDATE ON agencies "
    "REFERENCING OLD TABLE AS old_agencies NEW TABLE AS new_agencies "
    "FOR EACH STATEMENT EXECUTE FUNCTION report_tallies_on_agency_update()",
)
_PG_DROP = (
    "DROP TRIGGER IF EXISTS report_tallies_report_insert ON reports",
    "DROP TRIGGER IF EXISTS report_tallies_report_delete ON reports",
    "DROP TRIGGER IF EXISTS report_tallies_report_update ON reports",
    "DROP TRIGGER IF EXISTS report_tallies_agency_update ON agencies",
    "DROP FUNCTION IF EXISTS report_tallies_on_insert()",
    "DROP FUNCTION IF EXISTS report_tallies_on_delete()",
    "DROP FUNCTION IF EXISTS report_tallies_on_update()",
    "DROP FUNCTION IF EXISTS report_tallies_on_agency_update()",
)


def _backfill(dialect: str) -> str:
    on_time = _on_time(dialect, "r", "coalesce(a.deadline, '')", "a.level")
    keys = "a.region, a.level, coalesce(a.deadline, ''), coalesce(a.since, 0), r.year"
    return (
        f"INSERT INTO report_tallies ({_KEYS}, reports, on_time, versions) "
        f"SELECT {keys}, count(*), sum({on_time}), sum(r.latest_version) "
        f"FROM reports AS r JOIN agencies AS a ON a.id = r.agency_id GROUP BY {keys}"
    )


def upgrade() -> None:
    op.create_table(
        "report_tallies",
        sa.Column("region", sa.String(length=300), nullable=False),
        sa.Column("level", sa.String(length=20), nullable=False),
        sa.Column("deadline", sa.String(length=5), nullable=False),
        sa.Column("since", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("reports", sa.Integer(), nullable=False),
        sa.Column("on_time", sa.Integer(), nullable=False),
        sa.Column("versions", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint(
            "region", "level", "deadline", "since", "year", name=op.f("pk_report_tallies")
        ),
    )
    op.create_index(
        "ix_findings_state_opened_at_id", "findings", ["state", "opened_at", "id"], unique=False
    )
    dialect = op.get_bind().dialect.name
    op.execute(_backfill(dialect))
    if dialect == "postgresql":
        for statement in (*PG_FUNCTIONS, *PG_TRIGGERS):
            op.execute(statement)
    else:
        for statement in SQLITE_TRIGGERS:
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for statement in _PG_DROP:
            op.execute(statement)
    else:
        for name in _SQLITE_NAMES:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.drop_index("ix_findings_state_opened_at_id", table_name="findings")
    op.drop_table("report_tallies")
