"""Dates and years as portals write them: 2024-01-20, 2024/1/20, 2024年1月20日, 2024.01.20."""

from __future__ import annotations

import datetime as dt
import re

_DATE = re.compile(r"((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")
#: A label that announces the publication date, strongest first.
_LABELLED = (
    re.compile(r"(?:发布时间|发布日期|发文日期|公开日期|发表时间)\s*[:：]?\s*"),
    re.compile(r"(?<!采集)(?<!更新)(?<!访问)(?<!成文)(?:日期|时间)\s*[:：]\s*"),
)
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")


def parse_date(text: str) -> dt.date | None:
    """The first valid date in ``text``."""
    for match in _DATE.finditer(text):
        try:
            return dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        except ValueError:
            continue
    return None


def labelled_date(text: str) -> dt.date | None:
    """The date after 发布时间/发布日期/时间 …; ``None`` when the page does not say."""
    for label in _LABELLED:
        for match in label.finditer(text):
            found = _DATE.match(text, match.end())
            if found:
                value = parse_date(found.group(0))
                if value is not None:
                    return value
    return None


def title_year(title: str) -> int | None:
    """The report year a title names: 2023 in ``XX局2023年政府信息公开工作年度报告``."""
    match = _YEAR.search(title)
    return int(match.group(1)) if match else None
