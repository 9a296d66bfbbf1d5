"""The archive pipeline: every item goes to ``storage``, every report through ``parser``.

A page is stored as a document with its fetch; a report page or attachment is parsed and
stored as a report observation (storage makes a new version only when the content changed).
A 304 records a fetch and parses nothing (but brings a removed report back). Nothing here
stops the crawl: a parse or storage failure is recorded on the fetch and counted against its
agency.

Parsing runs in a pool of processes (``GKWATCH_PARSE_PROCESSES``; 0: on the storage thread),
started when the spider opens; storing runs in batches (``GKWATCH_STORE_BATCH`` items or
``GKWATCH_STORE_INTERVAL`` seconds) on one worker thread, so the reactor keeps downloading
meanwhile. (A storage process of its own was tried: on two cores the extra process start-up
and pickling cost more than the GIL contention it removed.) An attachment is queued
after its report page's item: whether it carries the report depends on what the page held.
"""

from __future__ import annotations

import asyncio
import logging
import socket
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from typing import Any, Self

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.http import Response

from crawler.archive_access import archive_of
from crawler.batching import Batcher
from crawler.items import PageItem
from crawler.parsing import Parsed, needs_parse, parse_bytes, start_pool
from crawler.recorder import Entry, Recorder
from crawler.summary import AgencyTally, run_stats
from storage import Archive

log = logging.getLogger(__name__)


class ArchivePipeline:
    def __init__(
        self,
        crawler: Crawler,
        archive: Archive,
        parse_processes: int = 0,
        *,
        batch_size: int = 1,
        batch_interval: float = 0.0,
    ) -> None:
        self.crawler = crawler
        self.archive = archive
        self.batch_size = batch_size
        self.batch_interval = batch_interval
        self.run_id: int | None = None
        self.agency_ids: list[str] = []
        self.recorder: Recorder | None = None
        self.batcher: Batcher[Entry] | None = None
        #: spider errors (raised in callbacks, so never seen by the recorder) per agency
        self.spider_errors: Counter[str] = Counter()
        self.parse_processes = parse_processes
        self.parsers: ProcessPoolExecutor | None = None
        #: report pages whose item is being handled (their attachments wait for them)
        self.inflight: dict[str, asyncio.Future[None]] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        settings = crawler.settings
        pipeline = cls(
            crawler,
            archive_of(crawler),
            settings.getint("GKWATCH_PARSE_PROCESSES", 0),
            batch_size=settings.getint("GKWATCH_STORE_BATCH", 50),
            batch_interval=settings.getfloat("GKWATCH_STORE_INTERVAL", 0.2),
        )
        crawler.signals.connect(pipeline.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(pipeline.spider_error, signal=signals.spider_error)
        return pipeline

    # -- the crawl run ---------------------------------------------------------------
    def open_spider(self, spider: Spider | None = None) -> None:
        self.parsers = start_pool(self.parse_processes)
        self.agency_ids = sorted(getattr(self.crawler.spider, "agencies", {}))
        node = self.crawler.settings.get("GKWATCH_NODE") or socket.gethostname()
        self.run_id = self.archive.start_crawl_run(self.agency_ids, node=str(node))
        self.crawler.stats.set_value("gkwatch/crawl_run_id", self.run_id)
        self.recorder = Recorder(self.archive, self.run_id)
        self.batcher = Batcher(
            self.recorder.record, size=self.batch_size, interval=self.batch_interval
        )

    def _finish_storing(self) -> dict[str, AgencyTally]:
        """Wait for the last batches, store the reserve; the per-agency counts."""
        assert self.batcher is not None and self.recorder is not None
        self.batcher.close()
        try:
            self.recorder.finish()
        except Exception:
            log.exception("storage failed on the crawl's last reports")
        return self.recorder.tally

    def spider_closed(self, spider: Spider, reason: str) -> None:
        tally = self._finish_storing() if self.batcher is not None else {}
        if self.parsers is not None:
            self.parsers.shutdown(wait=True, cancel_futures=True)
        for agency_id in self.agency_ids:
            tally.setdefault(agency_id, AgencyTally())
        for agency_id, errors in self.spider_errors.items():
            tally.setdefault(agency_id, AgencyTally()).errors += errors
        for agency_id, urls in getattr(spider, "listed", {}).items():
            tally.setdefault(agency_id, AgencyTally()).listed = len(urls)
        summary = {a: t.as_dict() for a, t in sorted(tally.items())}
        self.crawler.stats.set_value("gkwatch/summary", summary)
        if self.run_id is None:
            return
        stats = run_stats(summary, self.crawler.stats.get_stats())
        status = "ok" if reason == "finished" else reason
        self.archive.finish_crawl_run(self.run_id, stats, status)

    def spider_error(self, failure: Any, response: Response, spider: Spider) -> None:
        agency_id = response.meta.get("agency_id")
        if agency_id:
            self.spider_errors[agency_id] += 1

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
            if self.parsers is not None and needs_parse(item):
                parsed = await loop.run_in_executor(
                    self.parsers, parse_bytes, item.body, item.url, item.content_type
                )
            assert self.batcher is not None, "the spider was not opened"
            stored = self.batcher.submit((item, parsed))
        finally:
            # Batches are recorded in order, so an attachment queued after its page sees
            # what the page held: it need not wait for the page to be written.
            if gate is not None:
                gate.set_result(None)
                if self.inflight.get(item.url) is gate:
                    del self.inflight[item.url]
        await stored
        return item
