"""The ``reports`` spider: every annual report of the registry's agencies.

Per agency it starts from the registry's report lists, else from the lists an earlier crawl
discovered, else it discovers the 年报 column from the portal's home page. List pages give
report entries and further pages; report pages give the report and its attachments.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import AsyncIterator, Iterator
from typing import Any, Self
from urllib.parse import urlsplit

from scrapy import Spider
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request, Response, TextResponse
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from crawler import pages
from crawler.archive_access import archive_of
from crawler.errors import SettingError
from crawler.items import DiscoveryItem, FailureItem, PageItem, PageKind
from crawler.middlewares.conditional import NOT_MODIFIED
from storage import Agency

Output = Iterator[PageItem | FailureItem | DiscoveryItem | Request]

#: Scrapy request priority of list pages (reports and attachments have 0; DEPTH_PRIORITY
#: still lowers deeper pages, so one deep portal does not starve the others)
LIST_PRIORITY = 100


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _header(response: Response, name: str) -> str | None:
    value = response.headers.get(name)
    return value.decode("latin-1") if value else None


class ReportsSpider(Spider):
    name = "reports"

    def __init__(self, agencies: str | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.agency_ids = [a.strip() for a in re.split(r"[,\s]+", agencies or "") if a.strip()]
        self.agencies: dict[str, Agency] = {}
        self.discovered: dict[str, list[str]] = {}
        #: per agency, the report entries its list pages showed in this crawl (by URL); the
        #: monitor's crawl_failing check compares the count with earlier crawls
        self.listed: dict[str, set[str]] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> Self:
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.load_agencies(crawler)
        return spider

    def load_agencies(self, crawler: Crawler) -> None:
        archive = archive_of(crawler)
        found = archive.agencies(ids=self.agency_ids or None)
        missing = sorted(set(self.agency_ids) - {a.id for a in found})
        if missing:
            raise SettingError("agencies", f"not in the registry: {', '.join(missing)}")
        self.agencies = {a.id: a for a in found}
        hosts: set[str] = set()
        for agency in found:
            for url in (agency.portal, *agency.report_lists, *agency.discovered_lists):
                host = urlsplit(url).hostname
                if host:
                    hosts.add(host)
        # The offsite middleware keeps the crawl on these hosts: no wandering off-registry.
        self.allowed_domains = sorted(hosts)

    # -- requests ----------------------------------------------------------------------
    def _request(
        self, url: str, agency_id: str, kind: PageKind, callback: Any, **cb_kwargs: Any
    ) -> Request:
        meta: dict[str, Any] = {
            "agency_id": agency_id,
            "kind": kind,
            "handle_httpstatus_list": [304],
        }
        if callback == self.parse_attachment:
            meta["restore_body"] = False  # on a 304 nothing reads a file's archived bytes
        return Request(
            url,
            callback=callback,
            errback=self.failed,
            cb_kwargs={"agency_id": agency_id, **cb_kwargs},
            meta=meta,
        )

    def _list(self, url: str, agency_id: str, page: int = 1, discovered: bool = False) -> Request:
        req = self._request(url, agency_id, "list", self.parse_list, page=page)
        req.meta["rediscover"] = discovered
        # Lists before reports: each list page leads to many more requests, and going
        # breadth-first would queue its next page behind every report of this one, leaving
        # the downloader idle while the pagination chain crawls along.
        return req.replace(priority=LIST_PRIORITY)

    def _home(self, agency: Agency, depth: int = 0) -> Request:
        return self._request(agency.portal, agency.id, "home", self.parse_home, depth=depth)

    async def start(self) -> AsyncIterator[Request]:
        for agency in self.agencies.values():
            if agency.report_lists:
                for url in agency.report_lists:
                    yield self._list(url, agency.id)
            elif agency.discovered_lists:
                for url in agency.discovered_lists:
                    yield self._list(url, agency.id, discovered=True)
            else:
                yield self._home(agency)

    def _page(self, response: Response, agency_id: str, kind: PageKind, **fields: Any) -> PageItem:
        not_modified = NOT_MODIFIED in response.flags
        return PageItem(
            agency_id=agency_id,
            url=response.url,
            kind=kind,
            status=response.status,
            body=response.body,
            fetched_at=_now(),
            content_type=_header(response, "Content-Type"),
            etag=_header(response, "ETag"),
            last_modified=_header(response, "Last-Modified"),
            not_modified=not_modified,
            document_sha=response.meta.get("prior_document") if not_modified else None,
            **fields,
        )

    # -- discovery ---------------------------------------------------------------------
    def parse_home(self, response: Response, agency_id: str, depth: int) -> Output:
        yield self._page(response, agency_id, "home")
        if not isinstance(response, TextResponse):
            return
        agency = self.agencies[agency_id]
        columns, gateways = pages.column_links(response.selector, response.url)
        if not columns and depth > 0 and pages.list_entries(response.selector, response.url):
            columns = [response.url]  # this page lists the reports itself
        found = self.discovered.setdefault(agency_id, [])
        new = [u for u in columns if u not in found]
        if new:
            found.extend(new)
            yield DiscoveryItem(agency_id=agency_id, urls=tuple(found))
            for url in new:
                if url == response.url:
                    yield from self.parse_list(response, agency_id, page=1, store=False)
                else:
                    yield self._list(url, agency_id)
        max_depth = self.settings.getint("GKWATCH_DISCOVERY_DEPTH", 2)
        if found or depth >= max_depth:
            return
        portal_host = urlsplit(agency.portal).hostname
        for url in gateways:
            if urlsplit(url).hostname == portal_host:
                req = self._request(url, agency_id, "home", self.parse_home, depth=depth + 1)
                yield req

    # -- lists -------------------------------------------------------------------------
    def parse_list(
        self, response: Response, agency_id: str, page: int, store: bool = True
    ) -> Output:
        if store:
            yield self._page(response, agency_id, "list")
        if not isinstance(response, TextResponse):
            return
        sel = response.selector
        listed = self.listed.setdefault(agency_id, set())
        for entry in pages.list_entries(sel, response.url):
            listed.add(entry.url)
            kind: PageKind = "attachment" if pages.is_attachment(entry.url) else "report"
            callback = self.parse_attachment if kind == "attachment" else self.parse_report
            yield self._request(
                entry.url,
                agency_id,
                "report",
                callback,
                title=entry.title,
                year=entry.year,
                list_date=entry.list_date,
            )
        if page < self.settings.getint("GKWATCH_MAX_LIST_PAGES", 200):
            for url in pages.next_pages(sel, response.url):
                yield self._list(url, agency_id, page=page + 1)

    # -- reports -----------------------------------------------------------------------
    def parse_report(
        self,
        response: Response,
        agency_id: str,
        title: str,
        year: int,
        list_date: dt.date | None,
    ) -> Output:
        if not isinstance(response, TextResponse):
            # The entry pointed straight at a file (no extension in the URL).
            yield from self.parse_attachment(response, agency_id, title, year, list_date)
            return
        sel = response.selector
        own_title = pages.page_title(sel)
        if own_title is None or not pages.is_report_title(own_title):
            own_title = title
        published = pages.publication_date(sel)
        files = pages.attachment_links(sel, response.url, response.encoding)
        yield self._page(
            response,
            agency_id,
            "report",
            title=own_title,
            year=year,
            published_on=published,
            list_date=list_date,
            attachments=tuple(files),
        )
        for url in files:
            req = self._request(
                url,
                agency_id,
                "attachment",
                self.parse_attachment,
                title=own_title,
                year=year,
                list_date=list_date,
                report_url=response.url,
                published_on=published,
            )
            yield req

    def parse_attachment(
        self,
        response: Response,
        agency_id: str,
        title: str,
        year: int,
        list_date: dt.date | None,
        report_url: str | None = None,
        published_on: dt.date | None = None,
    ) -> Output:
        yield self._page(
            response,
            agency_id,
            "attachment",
            title=title,
            year=year,
            list_date=list_date,
            published_on=published_on,
            report_url=report_url,
        )

    # -- failures ----------------------------------------------------------------------
    def failed(self, failure: Failure) -> Output:
        request: Request = failure.request  # type: ignore[attr-defined]
        agency_id = request.meta.get("agency_id")
        if agency_id is None:
            return
        exc = failure.value
        if isinstance(exc, IgnoreRequest) and not isinstance(exc, HttpError):
            # robots.txt or the offsite filter: a decision, not a failure of the portal
            self.crawler.stats.inc_value(f"gkwatch/{agency_id}/ignored")
            return
        status = exc.response.status if isinstance(exc, HttpError) else None
        yield FailureItem(
            agency_id=agency_id,
            url=request.url,
            kind=request.meta.get("kind", "report"),
            status=status,
            error=f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__,
            fetched_at=_now(),
        )
        agency = self.agencies.get(agency_id)
        if request.meta.get("rediscover") and agency is not None:
            # A list an earlier crawl discovered is gone: look for the column again.
            yield self._home(agency)
