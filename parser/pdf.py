"""PDF reader: the text layer and the ruled tables of a PDF → ``Document`` blocks.

PDFium reads each page's characters and ruling lines (``pdf_pdfium``); tables are read from
that geometry (pdfplumber's table finder on the ruling lines), never from the text stream,
and stitched across page breaks; the remaining text becomes paragraphs, without page
numbers and running headers. A PDF without a text layer (a scan)
gives a document with a ``needs_ocr`` warning and no invented text.
"""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from pdfplumber.table import TableFinder

from parser.document import Block, Document
from parser.errors import CorruptDocument, DocumentTooLarge, ParserError
from parser.normalize import is_traditional, normalize_text
from parser.pdf_layout import (
    Char,
    Line,
    furniture,
    join_fragments,
    lines_of,
    margins,
    right_edges,
    starts_paragraph,
)
from parser.pdf_paths import Edge
from parser.pdf_pdfium import (
    PASSWORD,
    Overtime,
    PageContent,
    PdfiumError,
    open_document,
    read_page,
)
from parser.pdf_streams import check_inflation
from parser.pdf_tables import Grid, continues, grid_of, join
from parser.record import ParseWarning

MAX_BYTES = 64 * 1024 * 1024
MAX_PAGES = 300  # annual reports run to a few dozen pages; a huge page tree is hostile
TIME_LIMIT = 60.0  # seconds for the whole document, checked between pages
_SCAN_CHARS = 10  # a page with fewer printable characters than this has no text layer

_PDFIUM = threading.Lock()  # PDFium is not thread-safe: one document at a time per process


@dataclass(frozen=True)
class _Page:
    number: int
    height: float
    lines: tuple[Line, ...]
    grids: tuple[Grid, ...]
    chars: int
    images: int


def read(data: bytes, name: str | None) -> Document:
    """Read a PDF. Raises ``CorruptDocument`` for an encrypted, truncated or hostile file."""
    if len(data) > MAX_BYTES:
        raise DocumentTooLarge(name, len(data), MAX_BYTES)
    if b"%PDF-" not in data[:1024]:
        raise CorruptDocument(name, "not a PDF: no %PDF- header")
    check_inflation(data, name)
    try:
        with _PDFIUM:
            pages = list(_pages(data, name))
    except ParserError:
        raise
    except Exception as exc:  # the last line of defence: whatever malformed input provokes
        raise CorruptDocument(name, _describe(exc)) from exc
    return _document(pages, name)


def _describe(exc: BaseException) -> str:
    if isinstance(exc, RecursionError):
        return "the PDF's object structure is nested too deeply"
    return f"malformed PDF ({type(exc).__name__}: {str(exc)[:200] or 'no detail'})"


def _pages(data: bytes, name: str | None) -> Iterator[_Page]:
    try:
        pdf = open_document(data)
    except PdfiumError as exc:
        if getattr(exc, "err_code", None) == PASSWORD:
            raise CorruptDocument(name, "the PDF is encrypted with a password") from exc
        raise CorruptDocument(name, f"malformed PDF ({exc})") from exc
    try:
        count = len(pdf)
        if count > MAX_PAGES:
            raise CorruptDocument(name, f"more than {MAX_PAGES} pages")
        if count == 0:
            raise CorruptDocument(name, "the PDF has no pages")
        deadline = time.monotonic() + TIME_LIMIT
        for number in range(1, count + 1):
            try:
                page = pdf[number - 1]
            except PdfiumError:
                # PDFium trusts /Count; a page tree that loops or lies has no page to load.
                if number == 1:
                    raise CorruptDocument(name, "the PDF has no pages that can be loaded") from None
                raise CorruptDocument(name, f"page {number} of {count} cannot be loaded") from None
            try:
                content = read_page(page, deadline)
            except Overtime:
                raise CorruptDocument(name, f"reading took more than {TIME_LIMIT:.0f} s") from None
            finally:
                page.close()
            yield _read_page(content, number)
    finally:
        pdf.close()


@dataclass(frozen=True)
class _EdgePage:
    """What pdfplumber's table finder reads from a page under its "lines" strategies."""

    edges: tuple[Edge, ...]
    bbox: tuple[float, float, float, float]


def _read_page(content: PageContent, number: int) -> _Page:
    chars = content.chars
    grids: list[Grid] = []
    if any(e["orientation"] for e in content.edges):
        # Duck-typed: the finder reads only ``edges`` and ``bbox`` of its ``Page``.
        page: Any = _EdgePage(content.edges, (0.0, 0.0, 0.0, content.height))
        for table in TableFinder(page).tables:
            grid = grid_of([row.cells for row in table.rows], chars, number)
            # A one-column "table" is a bordered text box: its text is ordinary paragraphs.
            if grid.columns >= 2 and grid.rows:
                grids.append(grid)
    free = [c for c in chars if not any(_inside(c, g) for g in grids)]
    return _Page(
        number,
        content.height,
        tuple(lines_of(free, number)),
        tuple(grids),
        len(chars),
        content.images,
    )


def _inside(c: Char, grid: Grid) -> bool:
    x0, top, x1, bottom = grid.box
    return x0 <= (c.x0 + c.x1) / 2 <= x1 and top <= (c.top + c.bottom) / 2 <= bottom


def _document(pages: list[_Page], name: str | None) -> Document:
    warnings = []
    scanned = [p.number for p in pages if p.chars < _SCAN_CHARS and p.images]
    if scanned:
        which = "every page" if len(scanned) == len(pages) else f"pages {_ranges(scanned)}"
        warnings.append(
            ParseWarning(
                "needs_ocr",
                f"{name or 'PDF'}: {which} of {len(pages)} has no text layer (a scanned image);"
                " OCR is needed to read it, nothing was read from it",
            )
        )
    heights = {p.number: p.height for p in pages}
    lines = [line for p in pages for line in p.lines]
    drop = furniture(lines, heights)
    body = margins([line for line in lines if line not in drop])
    items: list[Line | Grid] = [line for line in lines if line not in drop]
    edges = right_edges([line for line in lines if line not in drop])
    items += [g for p in pages for g in p.grids]
    items.sort(key=lambda it: (it.page, it.top if isinstance(it, Line) else it.box[1]))

    pieces: list[list[Line] | Grid] = []
    for item in items:
        last = pieces[-1] if pieces else None
        if isinstance(item, Grid):
            if isinstance(last, Grid) and continues(last, item):
                join(last, item)
            else:
                pieces.append(item)
        elif isinstance(last, list) and not starts_paragraph(last[-1], item, body, edges[last[-1]]):
            last.append(item)
        else:
            pieces.append([item])

    return _blocks(pieces, body[2], tuple(warnings))


def _blocks(
    pieces: list[list[Line] | Grid], size: float, warnings: tuple[ParseWarning, ...]
) -> Document:
    traditional = is_traditional(
        "".join(line.text for p in pieces if isinstance(p, list) for line in p)
    )

    def clean(text: str) -> str:
        return normalize_text(text, traditional=traditional)

    blocks: list[Block] = []
    title = None
    table = 0
    for piece in pieces:
        if isinstance(piece, Grid):
            for row in piece.rows:
                cells = tuple(clean(c.text) for c in row)
                blocks.append(Block(" ".join(c for c in cells if c), cells, table, row[0].page))
            table += 1
            continue
        text = clean(join_fragments(line.text for line in piece))
        if not blocks and title is None and piece[0].size >= 1.2 * size:
            title = text
        blocks.append(Block(text, None, None, piece[0].page))
    return Document(tuple(blocks), "pdf", None, title, warnings)


def _ranges(numbers: list[int]) -> str:
    groups = []
    for _, run in itertools.groupby(enumerate(numbers), lambda t: t[1] - t[0]):
        seq = [n for _, n in run]
        groups.append(str(seq[0]) if len(seq) == 1 else f"{seq[0]}–{seq[-1]}")
    return ", ".join(groups)
