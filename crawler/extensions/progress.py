"""Progress lines for whoever started the crawl (``gkwatch crawl`` draws them as a bar).

Enabled by ``GKWATCH_PROGRESS_FD``: a file descriptor inherited from the parent, to which one JSON
object per line is written at most every ``GKWATCH_PROGRESS_INTERVAL`` seconds and once at the
end. A pipe the parent stopped reading never stops the crawl.
"""

from __future__ import annotations

import json
import os
import time
from typing import IO, Any

from scrapy import Request, Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Response


class ProgressReporter:
    def __init__(self, out: IO[str], interval: float) -> None:
        self.out: IO[str] | None = out
        self.interval = interval
        self.pages = 0
        self.items = 0
        self.agencies: set[str] = set()
        self.total = 0
        self._last = 0.0

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ProgressReporter:
        fd = crawler.settings.getint("GKWATCH_PROGRESS_FD", -1)
        if fd < 0:
            raise NotConfigured("GKWATCH_PROGRESS_FD is not set")
        try:
            out = os.fdopen(fd, "w", buffering=1, encoding="utf-8")
        except OSError as exc:
            raise NotConfigured(f"GKWATCH_PROGRESS_FD={fd}: {exc}") from exc
        ext = cls(out, crawler.settings.getfloat("GKWATCH_PROGRESS_INTERVAL", 0.5))
        crawler.signals.connect(ext.response_received, signal=signals.response_received)
        crawler.signals.connect(ext.item_scraped, signal=signals.item_scraped)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def response_received(self, response: Response, request: Request, spider: Spider) -> None:
        self.pages += 1
        agency = request.meta.get("agency_id")
        if agency:
            self.agencies.add(str(agency))
        self._emit(spider)

    def item_scraped(self, item: Any, response: Response, spider: Spider) -> None:
        self.items += 1
        self._emit(spider)

    def spider_closed(self, spider: Spider, reason: str) -> None:
        self._emit(spider, final=True, reason=reason)
        if self.out is not None:
            self.out.close()
            self.out = None

    def _emit(self, spider: Spider, *, final: bool = False, reason: str | None = None) -> None:
        now = time.monotonic()
        if self.out is None or (not final and now - self._last < self.interval):
            return
        self._last = now
        line: dict[str, Any] = {
            "pages": self.pages,
            "items": self.items,
            "agencies_seen": len(self.agencies),
            "agencies_total": len(getattr(spider, "agencies", {}) or {}),
        }
        if final:
            line["finished"] = reason
        try:
            self.out.write(json.dumps(line) + "\n")
        except (OSError, ValueError):
            self.out = None  # the reader went away; the crawl goes on
