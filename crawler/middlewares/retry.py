"""Retries with exponential backoff: Scrapy's RetryMiddleware retries at once, which hammers a
portal that is already struggling; this one waits ``base * 2**(n-1)`` seconds first."""

from __future__ import annotations

import asyncio

from scrapy import Spider
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.http import Request, Response
from scrapy.settings import BaseSettings


class BackoffRetryMiddleware(RetryMiddleware):
    def __init__(self, settings: BaseSettings) -> None:
        super().__init__(settings)
        self.backoff_base = settings.getfloat("RETRY_BACKOFF_BASE", 1.0)
        self.backoff_max = settings.getfloat("RETRY_BACKOFF_MAX", 60.0)

    def delay(self, retry: Request) -> float:
        attempt = int(retry.meta.get("retry_times", 1))
        return float(min(self.backoff_max, self.backoff_base * 2 ** (attempt - 1)))

    async def _wait(self, result: Request | Response | None) -> Request | Response | None:
        if isinstance(result, Request):
            wait = self.delay(result)
            if wait > 0:
                await asyncio.sleep(wait)
        return result

    async def process_response(  # type: ignore[override]
        self, request: Request, response: Response, spider: Spider | None = None
    ) -> Request | Response:
        result = await self._wait(super().process_response(request, response))
        assert result is not None
        return result

    async def process_exception(  # type: ignore[override]
        self, request: Request, exception: Exception, spider: Spider | None = None
    ) -> Request | Response | None:
        return await self._wait(super().process_exception(request, exception))
