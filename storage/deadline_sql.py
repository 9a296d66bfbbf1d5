"""The publication deadline of a report as SQL, so that the database can decide on time /
late / missing for 100 000 reports without a row per report in Python.

The rule is ``monitor.deadlines.deadline``'s, copied (storage does not import the monitor):
the report for year Y is due in Y+1; up to 2018 (the 2008 条例) on 03-31 for every body;
later, the registry override "MM-DD" if any, else 03-31 for people's governments (province,
city, county) and 01-31 for everyone else. Tests hold the two equal. The triggers of
migration 0005 carry a frozen copy of the same rule.

Dates are compared as "YYYY-MM-DD" text on both backends (SQLite stores them so): a registry
deadline of 02-29 in a common year then means the last day of February, as it does for the
monitor, instead of a cast error.
"""

from __future__ import annotations

from typing import Any, Final

from sqlalchemy import (
    ColumnElement,
    Date,
    Integer,
    String,
    case,
    func,
    literal,
    select,
    union_all,
)
from sqlalchemy import cast as sql_cast

LAST_2008_YEAR: Final = 2018
GOVERNMENT_LEVELS: Final = ("province", "city", "county")


def month_day(level: Any, override: Any, year: Any) -> ColumnElement[str]:
    """The deadline's "MM-DD" (in the year after ``year``); an override of "" is none."""
    return case(
        (year <= LAST_2008_YEAR, literal("03-31")),
        (func.coalesce(override, "") != "", override),
        (level.in_(GOVERNMENT_LEVELS), literal("03-31")),
        else_=literal("01-31"),
    )


def due(level: Any, override: Any, year: Any) -> ColumnElement[str]:
    """The deadline as "YYYY-MM-DD" text (years have four digits: "2024" + 1 → "2025-03-31")."""
    return sql_cast(year + 1, String) + "-" + month_day(level, override, year)


def day_text(dialect: str, *dates: Any, first_seen: Any) -> ColumnElement[str]:
    """The first of ``dates`` that is set, else the UTC day of ``first_seen``, as text."""
    if dialect == "postgresql":
        seen = sql_cast(func.timezone("UTC", first_seen), Date)
        return func.to_char(func.coalesce(*dates, seen), "YYYY-MM-DD")
    # SQLite keeps dates as "YYYY-MM-DD" and datetimes as UTC "YYYY-MM-DD HH:MM:SS…"
    return func.coalesce(*dates, func.date(first_seen))


def on_time(
    dialect: str,
    *,
    level: Any,
    override: Any,
    year: Any,
    published: tuple[Any, ...],
    first_seen: Any,
) -> ColumnElement[int]:
    """1 when the best known publication date is on or before the deadline, else 0."""
    best = day_text(dialect, *published, first_seen=first_seen)
    return case((best <= due(level, override, year), 1), else_=0)


def years(owed: range) -> Any:
    """``owed`` as a one-column subquery ``year`` (SQLite cannot name the columns of VALUES)."""
    return union_all(*(select(literal(y, Integer()).label("year")) for y in owed)).subquery("y")
