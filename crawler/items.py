"""The items the spider hands to the pipeline (dataclasses; Scrapy handles them natively)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

#: home: a portal page read for discovery; list: a report list page; report: a report's
#: own page; attachment: a file linked from a report page.
PageKind = Literal["home", "list", "report", "attachment"]


@dataclass
class PageItem:
    """One page answered 200 (or 304, with the archived bytes restored)."""

    agency_id: str
    url: str
    kind: PageKind
    status: int
    body: bytes
    fetched_at: dt.datetime
    content_type: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    #: answered 304: ``body`` is the archived document ``document_sha``; nothing to re-parse
    not_modified: bool = False
    document_sha: str | None = None
    title: str | None = None
    year: int | None = None  # the year the list entry's title names
    published_on: dt.date | None = None
    list_date: dt.date | None = None
    report_url: str | None = None  # attachments: the report page that links them
    attachments: tuple[str, ...] = field(default_factory=tuple)


@dataclass
class FailureItem:
    """A page that could not be fetched: an HTTP error status or no answer at all."""

    agency_id: str
    url: str
    kind: PageKind
    status: int | None
    error: str
    fetched_at: dt.datetime


@dataclass
class DiscoveryItem:
    """Report lists discovered on an agency's portal (the next crawl starts there)."""

    agency_id: str
    urls: tuple[str, ...]
