"""One ``storage.Archive`` per crawler, shared by the spider, the middleware and the pipeline.

Opened on first use from the ``GKWATCH_DATABASE_URL`` setting and closed when the engine
stops (after every ``spider_closed`` handler has written its last rows).
"""

from __future__ import annotations

from pathlib import Path
from weakref import WeakKeyDictionary

from scrapy import signals
from scrapy.crawler import Crawler

from crawler.errors import SettingError
from storage import Archive

_OPEN: WeakKeyDictionary[Crawler, Archive] = WeakKeyDictionary()


def database_url(crawler: Crawler) -> str | None:
    url = crawler.settings.get("GKWATCH_DATABASE_URL")
    return str(url) if url else None


def archive_of(crawler: Crawler) -> Archive:
    """The crawler's archive, opened on first use."""
    archive = _OPEN.get(crawler)
    if archive is not None:
        return archive
    url = database_url(crawler)
    if not url:
        raise SettingError("GKWATCH_DATABASE_URL", "not set (python -m crawler.run --database URL)")
    doc_dir = crawler.settings.get("GKWATCH_DOCUMENT_DIR")
    archive = Archive.open(url, document_dir=Path(doc_dir) if doc_dir else None)
    _OPEN[crawler] = archive

    def close() -> None:
        opened = _OPEN.pop(crawler, None)
        if opened is not None:
            opened.close()

    crawler.signals.connect(close, signal=signals.engine_stopped, weak=False)
    return archive
