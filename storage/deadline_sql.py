"""The publication deadline of a report as a SQL expression, so that the database can decide
on time / late / missing for 100 000 reports without a join or a row per report in Python.

The rule is ``monitor.deadlines.deadline``'s, copied (storage does not import the monitor):
the report for year Y is due in Y+1; up to 2018 (the 2008 条例) on 03-31 for every body;
later, the registry override "MM-DD" if any, else 03-31 for people's governments (province,
city, county) and 01-31 for everyone else. Tests hold the two equal.
"""

from __future__ import annotations

from typing import Any, Final

from sqlalchemy import ColumnElement, Date, Integer, String, case, func, literal, select, union_all
from sqlalchemy import cast as sql_cast

LAST_2008_YEAR: Final = 2018
GOVERNMENT_LEVELS: Final = ("province", "city", "county")


def month_day(level: Any, override: Any, year: Any) -> ColumnElement[str]:
    """The deadline's "MM-DD" (in the year after ``year``)."""
    return case(
        (year <= LAST_2008_YEAR, literal("03-31")),
        (func.coalesce(override, "") != "", override),
        (level.in_(GOVERNMENT_LEVELS), literal("03-31")),
        else_=literal("01-31"),
    )


def due(dialect: str, level: Any, override: Any, year: Any) -> ColumnElement[Any]:
    """The deadline: a DATE on PostgreSQL, "YYYY-MM-DD" text on SQLite (which stores dates
    as such text, so they compare in order)."""
    # years have four digits: "2024" + 1 -> "2025-" + "03-31"
    full = sql_cast(year + 1, String) + "-" + month_day(level, override, year)
    return sql_cast(full, Date) if dialect == "postgresql" else full


def years(owed: range) -> Any:
    """``owed`` as a one-column subquery ``year`` (SQLite cannot name the columns of VALUES)."""
    return union_all(*(select(literal(y, Integer()).label("year")) for y in owed)).subquery("y")
