"""Decode HTML with the encoding ``crawler.encoding.detect`` picks from the raw bytes.

Runs after the conditional middleware (lower order: its ``process_response`` comes later), so
a page restored from the archive on a 304 is decoded the same way. Only the text view changes;
``response.body`` stays the raw bytes the parser and the archive receive.
"""

from __future__ import annotations

from scrapy import Spider
from scrapy.http import Request, Response, TextResponse

from crawler.encoding import canonical, detect


class EncodingMiddleware:
    def process_response(
        self, request: Request, response: Response, spider: Spider | None = None
    ) -> Response:
        if not isinstance(response, TextResponse) or not response.body:
            return response
        content_type = (response.headers.get(b"Content-Type") or b"").decode("latin-1")
        header = None
        if "charset=" in content_type:
            header = content_type.split("charset=", 1)[1].split(";")[0]
        encoding = detect(response.body, header)
        if canonical(header) == encoding:
            return response  # Scrapy decodes by the header first: already right
        # Not ``response.encoding`` nor ``response.replace()`` (which reads every attribute):
        # for a page without a header charset that runs Scrapy's own detection
        # (charset-normalizer over the whole body), the slowest step of handling a page, only
        # for the answer to be overridden here.
        kept = {name: getattr(response, name) for name in response.attributes if name != "encoding"}
        return type(response)(**kept, encoding=encoding)
