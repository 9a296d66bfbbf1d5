"""Parsing beside the crawl: ``parse_bytes`` (never raises) and the pool of parse processes.

The pool is started and warmed when the spider opens, so the first report pages do not wait
for worker processes to start and import the parser while the list pages are being fetched.
"""

from __future__ import annotations

import logging
import multiprocessing
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any

import parser
from crawler.items import PageItem

log = logging.getLogger(__name__)

Parsed = tuple[parser.Report | None, str | None]


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


def needs_parse(item: Any) -> bool:
    """Report pages and attachments that came with new bytes (a 304 has nothing new)."""
    return (
        isinstance(item, PageItem)
        and item.kind in ("report", "attachment")
        and not item.not_modified
    )


def substantive(record: parser.Report) -> bool:
    """Whether a record has report content (a table or prose figures), not just a title."""
    tables = (record.active, record.applications, record.appeals)
    return any(t is not None for t in tables) or bool(record.prose)


def _warm() -> None:
    """Import every reader now (PDFium, python-docx …), not on the first attachment."""
    import parser.docx
    import parser.html
    import parser.pdf  # noqa: F401


def start_pool(processes: int) -> ProcessPoolExecutor | None:
    """``processes`` parse workers, started and warming up; ``None`` for 0 (parse in-thread)."""
    if processes <= 0:
        return None
    spawn = multiprocessing.get_context("spawn")  # never fork a running reactor
    pool = ProcessPoolExecutor(processes, mp_context=spawn)
    warming: list[Future[None]] = [pool.submit(_warm) for _ in range(processes)]
    for future in warming:
        future.add_done_callback(_report_warm_failure)
    return pool


def _report_warm_failure(future: Future[None]) -> None:
    if not future.cancelled() and future.exception() is not None:
        log.warning("parse worker warm-up failed: %s", future.exception())
