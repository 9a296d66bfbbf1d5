"""The small frozen facts the pure checks need besides the records themselves.

``monitor.gather`` builds them from storage; tests build them by hand.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from monitor.deadlines import deadline


@dataclass(frozen=True)
class AgencyFacts:
    id: str
    name: str
    level: str
    region: str = ""
    deadline: str | None = None  # registry override "MM-DD"
    since: int | None = None

    def due(self, year: int) -> dt.date:
        return deadline(self.level, year, self.deadline)


@dataclass(frozen=True)
class ReportFacts:
    """What is known of when and where one report was published."""

    agency_id: str
    year: int
    url: str
    first_seen: dt.datetime
    published_on: dt.date | None = None  # the date printed on the report's page
    list_date: dt.date | None = None  # the date next to the link on the list
    signed_on: dt.date | None = None  # the date under the signature
    #: the last crawl of the agency's list, before the report was first seen, that did not
    #: show it (``None``: no such crawl, so first_seen says nothing about publication)
    absent_at: dt.datetime | None = None
    status: str = "present"  # "present" | "removed"
    removed_at: dt.datetime | None = None
    removed_status: int | None = None  # 404/410, or None when it left its list


@dataclass(frozen=True)
class CrawlAttempt:
    """One crawl run's outcome for one agency (newest last in a history)."""

    run_id: int
    at: dt.datetime
    ok: bool  # at least one of the agency's pages answered
    error: str | None = None
    listed: int | None = None  # report links its lists showed; None: not known
