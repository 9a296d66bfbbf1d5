"""Conditional requests from the fetch log, and the archived bytes back on a 304.

``process_request`` adds ``If-None-Match``/``If-Modified-Since`` from the fetch log (read
once per agency, see ``crawler.fetchlog``). On ``304 Not Modified`` the page is rebuilt from
the archived document and flagged ``not_modified``, so the spider can still follow a list's
entries (and see a report that now answers 404) while the pipeline records a fetch and parses
nothing. A request marked ``restore_body: False`` (an attachment: nothing reads its bytes on a
304) gets an empty body instead of a read of the archived file.
"""

from __future__ import annotations

from typing import Self

from scrapy import Spider
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Headers, Request, Response
from scrapy.responsetypes import responsetypes

from crawler.archive_access import archive_of, database_url
from crawler.fetchlog import LastFetches

NOT_MODIFIED = "not_modified"


class ConditionalRequestMiddleware:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self._last: LastFetches | None = None

    @property
    def last_fetches(self) -> LastFetches:
        if self._last is None:
            self._last = LastFetches(archive_of(self.crawler))
        return self._last

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        if not crawler.settings.getbool("GKWATCH_CONDITIONAL", True):
            raise NotConfigured("GKWATCH_CONDITIONAL is off")
        if not database_url(crawler):
            raise NotConfigured("no GKWATCH_DATABASE_URL: no fetch log to be conditional on")
        return cls(crawler)

    def process_request(self, request: Request, spider: Spider | None = None) -> None:
        if "agency_id" not in request.meta or request.meta.get("unconditional"):
            return
        last = self.last_fetches.get(request.url, request.meta["agency_id"])
        if last is None or last.document_sha is None:
            return
        if last.etag:
            request.headers[b"If-None-Match"] = last.etag.encode("latin-1")
        if last.last_modified:
            request.headers[b"If-Modified-Since"] = last.last_modified.encode("latin-1")
        if last.etag or last.last_modified:
            request.meta["prior_document"] = last.document_sha
            request.meta["prior_content_type"] = last.content_type

    def process_response(
        self, request: Request, response: Response, spider: Spider | None = None
    ) -> Response:
        sha = request.meta.get("prior_document")
        if response.status != 304 or not sha:
            return response
        content_type = request.meta.get("prior_content_type")
        body = b""
        if request.meta.get("restore_body", True):
            stored = archive_of(self.crawler).document(sha)
            body = stored.data
            content_type = content_type or stored.content_type
        headers = Headers(response.headers)
        if content_type:
            headers[b"Content-Type"] = content_type.encode("latin-1")
        cls = responsetypes.from_args(headers=headers, url=request.url, body=body)
        return cls(
            url=request.url,
            status=304,
            headers=headers,
            body=body,
            flags=[*response.flags, NOT_MODIFIED],
            request=request,
        )
