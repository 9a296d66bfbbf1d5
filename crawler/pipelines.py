"""The archive pipeline: every item goes to ``storage``, every report through ``parser``.

A page is stored as a document with its fetch; a report page or attachment is parsed and
stored as a report observation (storage makes a new version only when the content changed).
A 304 records a fetch and parses nothing. Nothing here stops the crawl: a parse or storage
failure is recorded on the fetch and counted against its agency.

Parsing runs in a small process pool (``GKWATCH_PARSE_PROCESSES``; 0: in the storage thread)
and storing on one worker thread, so the reactor keeps downloading meanwhile (a PDF parse or a
database commit would otherwise stall every portal). An attachment waits for its report page's
item to be stored first: whether it carries the report depends on what the page held.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import socket
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from typing import Any, Self

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.http import Response

import parser
from crawler.archive_access import archive_of
from crawler.items import DiscoveryItem, FailureItem, PageItem
from crawler.summary import AgencyTally, run_stats
from storage import Archive, FetchRecord, NotFound, ReportObservation, StorageError

log = logging.getLogger(__name__)


class ArchivePipeline:
    def __init__(self, crawler: Crawler, archive: Archive, parse_processes: int = 0) -> None:
        self.crawler = crawler
        self.archive = archive
        self.run_id: int | None = None
        self.tally: dict[str, AgencyTally] = {}
        #: report page URL -> "report" (its own record stored) / "wrapper" / "unchanged"
        self.pages: dict[str, str] = {}
        self.claimed: dict[tuple[str, int], str] = {}
        #: wrapper pages' own thin records, stored at the end if no attachment carried one
        self.reserve: dict[str, tuple[PageItem, str, parser.Report]] = {}
        self.worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="gkwatch-archive")
        self.parsers: Executor | None = None
        if parse_processes > 0:
            spawn = multiprocessing.get_context("spawn")  # never fork a running reactor
            self.parsers = ProcessPoolExecutor(parse_processes, mp_context=spawn)
        #: report pages whose item is being handled (their attachments wait for them)
        self.inflight: dict[str, asyncio.Future[None]] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        processes = crawler.settings.getint("GKWATCH_PARSE_PROCESSES", 0)
        pipeline = cls(crawler, archive_of(crawler), processes)
        crawler.signals.connect(pipeline.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(pipeline.spider_error, signal=signals.spider_error)
        return pipeline

    # -- the crawl run ---------------------------------------------------------------
    def open_spider(self, spider: Spider | None = None) -> None:
        agency_ids = sorted(getattr(self.crawler.spider, "agencies", {}))
        for agency_id in agency_ids:
            self.tally[agency_id] = AgencyTally()
        node = self.crawler.settings.get("GKWATCH_NODE") or socket.gethostname()
        self.run_id = self.archive.start_crawl_run(agency_ids, node=str(node))
        self.crawler.stats.set_value("gkwatch/crawl_run_id", self.run_id)

    def spider_closed(self, spider: Spider, reason: str) -> None:
        self.worker.shutdown(wait=True)
        if self.parsers is not None:
            self.parsers.shutdown(wait=True, cancel_futures=True)
        for item, sha, record in self.reserve.values():
            try:
                self._fetch(item, document_sha=sha, error=self._store(item, item.url, sha, record))
            except StorageError as exc:
                log.error("storage failed on %s: %s", item.url, exc)
                self._tally(item.agency_id).errors += 1
        summary = {a: t.as_dict() for a, t in sorted(self.tally.items())}
        self.crawler.stats.set_value("gkwatch/summary", summary)
        if self.run_id is None:
            return
        stats = run_stats(summary, self.crawler.stats.get_stats())
        status = "ok" if reason == "finished" else reason
        self.archive.finish_crawl_run(self.run_id, stats, status)

    def spider_error(self, failure: Any, response: Response, spider: Spider) -> None:
        agency_id = response.meta.get("agency_id")
        if agency_id:
            self._tally(agency_id).errors += 1

    def _tally(self, agency_id: str) -> AgencyTally:
        return self.tally.setdefault(agency_id, AgencyTally())

    # -- items -------------------------------------------------------------------------
    async def process_item(self, item: Any, spider: Spider | None = None) -> Any:
        loop = asyncio.get_running_loop()
        gate: asyncio.Future[None] | None = None
        if isinstance(item, PageItem) and item.kind == "report":
            gate = self.inflight[item.url] = loop.create_future()
        try:
            if isinstance(item, PageItem) and item.report_url in self.inflight:
                await asyncio.shield(self.inflight[item.report_url])
            parsed: Parsed | None = None
            if self.parsers is not None and _needs_parse(item):
                parsed = await loop.run_in_executor(
                    self.parsers, parse_bytes, item.body, item.url, item.content_type
                )
            return await loop.run_in_executor(self.worker, self.handle, item, parsed)
        finally:
            if gate is not None:
                gate.set_result(None)
                if self.inflight.get(item.url) is gate:
                    del self.inflight[item.url]

    def handle(self, item: Any, parsed: Parsed | None = None) -> Any:
        try:
            if isinstance(item, PageItem):
                self._page(item, parsed)
            elif isinstance(item, FailureItem):
                self._failure(item)
            elif isinstance(item, DiscoveryItem):
                self.archive.set_discovered_lists(item.agency_id, list(item.urls))
                self._tally(item.agency_id).discovered = len(item.urls)
        except StorageError as exc:
            # One bad row must not end the crawl of every other portal.
            log.error("storage failed on %s: %s", getattr(item, "url", item), exc)
            self._tally(item.agency_id).errors += 1
        return item

    def _fetch(self, item: PageItem | FailureItem, **fields: Any) -> None:
        values: dict[str, Any] = {
            "url": item.url,
            "agency_id": item.agency_id,
            "fetched_at": item.fetched_at,
            "status": item.status,
            "crawl_run_id": self.run_id,
        }
        if isinstance(item, PageItem):
            values.update(
                etag=item.etag, last_modified=item.last_modified, content_type=item.content_type
            )
        values.update(fields)
        self.archive.record_fetch(FetchRecord(**values))

    def _page(self, item: PageItem, parsed: Parsed | None = None) -> None:
        tally = self._tally(item.agency_id)
        tally.pages += 1
        if item.kind == "report" or (item.kind == "attachment" and item.report_url is None):
            tally.found.add(item.url)
        if item.not_modified:
            tally.not_modified += 1
            self._fetch(item, document_sha=item.document_sha)
            if item.kind == "report":
                self.pages[item.url] = "unchanged"
            return
        sha = self.archive.put_document(item.body, item.content_type)
        if item.kind in ("home", "list"):
            self._fetch(item, document_sha=sha)
            return
        record, error = parsed or parse_bytes(item.body, item.url, item.content_type)
        wrapper = item.kind == "report" and bool(item.attachments)
        if wrapper and (record is None or not substantive(record)):
            # The report is in an attachment; the page's own record (if any) is kept in
            # reserve for the case where no attachment turns out to be readable.
            self.pages[item.url] = "wrapper"
            if record is not None:
                self.reserve[item.url] = (item, sha, record)
            self._fetch(item, document_sha=sha)
            return
        if record is None:
            tally.errors += 1
            self._fetch(item, document_sha=sha, error=error)
            return
        owner = item.url if item.kind == "report" else item.report_url or item.url
        if item.kind == "attachment" and item.report_url and not self._attachment_wanted(item):
            self._fetch(item, document_sha=sha)
            return
        self.reserve.pop(owner, None)
        problem = self._store(item, owner, sha, record)
        self._fetch(item, document_sha=sha, error=problem)

    def _attachment_wanted(self, item: PageItem) -> bool:
        """Whether an attachment carries the report: its page had no record of its own."""
        assert item.report_url is not None
        outcome = self.pages.get(item.report_url)
        if outcome == "report":
            return False
        if outcome == "unchanged":
            return not self._archived_page_is_report(item)
        return True

    def _archived_page_is_report(self, item: PageItem) -> bool:
        last = self.archive.last_fetch(item.report_url or "")
        if last is None or item.year is None:
            return False
        try:
            info = self.archive.report(item.agency_id, item.year)
        except NotFound:
            return False
        version = self.archive.version(info.id, info.latest_version)
        return version.document_sha == last.document_sha

    def _store(self, item: PageItem, url: str, sha: str, record: parser.Report) -> str | None:
        tally = self._tally(item.agency_id)
        year = item.year or record.year
        if year is None:
            tally.errors += 1
            return "no report year in the title or the document"
        key = (item.agency_id, year)
        if self.claimed.get(key, url) != url:
            tally.duplicates += 1
            return f"{year} report already taken from {self.claimed[key]} in this crawl"
        self.claimed[key] = url
        result = self.archive.store_report(
            ReportObservation(
                agency_id=item.agency_id,
                year=year,
                url=url,
                title=item.title,
                published_on=item.published_on or item.list_date,
                list_date=item.list_date,
                seen_at=item.fetched_at,
                document_sha=sha,
                record=record,
                attachments=(sha,) if url != item.url else (),
            )
        )
        self.pages[url] = "report"
        tally.stored += 1
        if result.created:
            tally.new += 1
        elif result.changed:
            tally.changed += 1
        return None

    def _failure(self, item: FailureItem) -> None:
        tally = self._tally(item.agency_id)
        tally.errors += 1
        self._fetch(item, error=item.error)
        if item.kind == "report" and item.status in (404, 410):
            tally.missing += 1
            self.archive.mark_missing(item.url, item.status, item.fetched_at)


def substantive(record: parser.Report) -> bool:
    """Whether a record has report content (a table or prose figures), not just a title."""
    return any(t is not None for t in (record.active, record.applications, record.appeals)) or bool(
        record.prose
    )


Parsed = tuple[parser.Report | None, str | None]


def _needs_parse(item: Any) -> bool:
    return (
        isinstance(item, PageItem)
        and item.kind in ("report", "attachment")
        and (not item.not_modified)
    )


def parse_bytes(body: bytes, url: str, content_type: str | None) -> Parsed:
    """The parsed record, or the reason there is none (the crawl goes on either way).

    Returns the error as text: it may cross a process boundary, and exceptions with their
    own ``__init__`` signature do not unpickle.
    """
    try:
        return parser.parse(body, url=url, content_type=content_type), None
    except parser.ParserError as exc:
        return None, str(exc)
    except Exception as exc:  # a parser bug on one document must not stop the crawl
        log.exception("parser crashed on %s", url)
        return None, f"parser crashed: {type(exc).__name__}: {exc}"
