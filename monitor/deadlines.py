"""Publication deadlines of the annual report (条例 第四十九条; 2008 条例 第三十一条).

Report for year Y is due in year Y+1: departments by 31 January, people's governments
(province, city, county) by 31 March; townships by their registry date or 31 January.
A registry ``deadline`` ("MM-DD") overrides the default. Reports for years up to 2018 fall
under the 2008 条例: 31 March for every body, whatever the registry says, because the
registry dates are local rules made under the 2019 revision.
"""

from __future__ import annotations

import calendar
import datetime as dt

from monitor.errors import SettingsError

LAST_2008_YEAR = 2018
_GOVERNMENT_LEVELS = frozenset({"province", "city", "county"})


def parse_month_day(value: str, year: int) -> dt.date:
    """``"MM-DD"`` in ``year``; raises ``SettingsError`` naming the bad value. A deadline of
    02-29 falls on 02-28 in a common year (the last day of February, as the registry means;
    the dashboard's SQL compares "YYYY-MM-DD" text, which agrees)."""
    try:
        month, day = (int(part) for part in value.split("-"))
        if (month, day) == (2, 29) and not calendar.isleap(year):
            day = 28
        return dt.date(year, month, day)
    except ValueError as exc:
        raise SettingsError("deadline", value, "a month-day like 03-31") from exc


def deadline(level: str, year: int, override: str | None = None) -> dt.date:
    """The last day on which the report for ``year`` is on time."""
    due_year = year + 1
    if year <= LAST_2008_YEAR:
        return dt.date(due_year, 3, 31)
    if override:
        return parse_month_day(override, due_year)
    if level in _GOVERNMENT_LEVELS:
        return dt.date(due_year, 3, 31)
    return dt.date(due_year, 1, 31)
