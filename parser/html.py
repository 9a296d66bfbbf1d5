"""HTML report pages → blocks (paragraphs and table rows), with lxml.

Data tables (no table inside them) become rows, one entry per physical ``<td>/<th>``;
tables that hold other tables are layout and are walked like ``<div>``s. Labels split over
``<span>``s are joined; scripts, styles, forms controls, ``<nav>``/``<footer>`` and hidden
elements are dropped. Telling the report from the rest of the page (site chrome, the
索引号 box, "related links") is ``parser.assemble``'s job, for every format alike.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import lxml.html
from lxml import etree

from parser.document import Block, Document
from parser.errors import DocumentTooLarge
from parser.normalize import declared_charset, decode, is_traditional, normalize_text
from parser.record import ParseWarning
from parser.text import blocks_of

#: Real report pages are well under 5 MB; a bigger page is not a report (or is hostile).
MAX_BYTES = 16 * 1024 * 1024

_SKIP = frozenset(
    [
        "script",
        "style",
        "noscript",
        "template",
        "head",
        "title",
        "iframe",
        "object",
        "embed",
        "svg",
        "select",
        "option",
        "button",
        "input",
        "textarea",
        "nav",
        "footer",
        "canvas",
        "map",
        "audio",
        "video",
        "math",
    ]
)
_BLOCK = frozenset(
    [
        "p",
        "div",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "li",
        "ul",
        "ol",
        "dl",
        "dt",
        "dd",
        "section",
        "article",
        "blockquote",
        "pre",
        "center",
        "main",
        "aside",
        "form",
        "fieldset",
        "address",
        "figure",
        "figcaption",
        "caption",
        "header",
        "table",
        "tbody",
        "thead",
        "tfoot",
        "tr",
        "td",
        "th",
        "hr",
        "ucapcontent",
        "body",
        "html",
    ]
)
_HIDDEN = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_WS = re.compile(r"\s+")


def read(data: bytes, name: str | None = None) -> Document:
    if len(data) > MAX_BYTES:
        raise DocumentTooLarge(name, len(data), MAX_BYTES)
    text, encoding = decode(data, declared_charset(data))
    parser = lxml.html.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True)
    warnings: list[ParseWarning] = []
    try:
        root = lxml.html.document_fromstring(text.encode("utf-8", "replace"), parser=parser)
    except (etree.ParserError, ValueError):
        return Document(blocks=(), format="html", encoding=encoding, warnings=_empty(name))
    title_el = root.find(".//title")
    raw_title = _collapse(title_el.text_content()) if title_el is not None else ""
    pieces: list[tuple[str, tuple[str, ...] | None, int | None]] = list(_walk(root))
    flat = [raw_title] + [p for text_, cells, _ in pieces for p in (cells or (text_,))]
    traditional = is_traditional("".join(flat[:4000]))
    normal = normalize_text("\n".join(flat), traditional=traditional).split("\n")
    if len(normal) != len(flat):  # defensive: never misalign text and cells
        normal = [normalize_text(p, traditional=traditional) for p in flat]
    title = normal[0] or None
    blocks: list[Block] = []
    i = 1
    for _text, cells, table in pieces:
        if cells is None:
            # Pages that paste a flattened table into <p>s: read those lines as text rows.
            if "|" in normal[i]:
                blocks.extend(blocks_of(normal[i]))
            else:
                blocks.append(Block(normal[i]))
            i += 1
        else:
            row = tuple(normal[i : i + len(cells)])
            i += len(cells)
            blocks.append(Block(" ".join(c for c in row if c), row, table))
    return Document(
        blocks=tuple(blocks),
        format="html",
        encoding=encoding,
        title=title,
        warnings=tuple(warnings),
    )


def _empty(name: str | None) -> tuple[ParseWarning, ...]:
    return (ParseWarning("empty_html", f"{name or 'input'}: no HTML content could be read"),)


def _collapse(text: str) -> str:
    return _WS.sub(" ", text).strip()


def _skipped(el: etree._Element) -> bool:
    tag = el.tag
    if not isinstance(tag, str):
        return True
    if tag.lower() in _SKIP:
        return True
    style = el.get("style")
    return bool(style and _HIDDEN.search(style)) or el.get("hidden") is not None


def _walk(root: etree._Element) -> Iterator[tuple[str, tuple[str, ...] | None, int | None]]:
    """Paragraphs ``(text, None, None)`` and rows ``(text, cells, table)`` in document order.

    Iterative (an explicit stack), so pathological nesting cannot exhaust the C stack.
    """
    buffer: list[str] = []
    tables = 0
    body = root.find("body")
    start = body if body is not None else root
    # Stack items: (element, entering) — on leaving, the element's tail joins the text flow.
    stack: list[tuple[etree._Element, bool]] = [(start, True)]
    while stack:
        el, entering = stack.pop()
        tag = el.tag.lower() if isinstance(el.tag, str) else ""
        if not entering:
            if tag in _BLOCK:
                yield from _flush(buffer)
            if el.tail and el is not start:
                buffer.append(el.tail)
            continue
        if _skipped(el):
            if el.tail:
                buffer.append(el.tail)
            continue
        if tag == "br":
            yield from _flush(buffer)
            if el.tail:
                buffer.append(el.tail)
            continue
        if tag == "table" and _is_data_table(el):
            yield from _flush(buffer)
            tables += 1
            for cells in _rows(el):
                yield " ".join(c for c in cells if c), cells, tables
            if el.tail:
                buffer.append(el.tail)
            continue
        if tag in _BLOCK:
            yield from _flush(buffer)
        if el.text:
            buffer.append(el.text)
        stack.append((el, False))
        stack.extend((child, True) for child in reversed(el))
    yield from _flush(buffer)


def _flush(buffer: list[str]) -> Iterator[tuple[str, None, None]]:
    if buffer:
        text = _collapse("".join(buffer))
        buffer.clear()
        if text:
            yield text, None, None


def _is_data_table(table: etree._Element) -> bool:
    if table.find(".//table") is not None:
        return False
    rows = [tr for tr in table.iter("tr")]
    return len(rows) >= 2 and any(len(_cells_of(tr)) >= 2 for tr in rows)


def _cells_of(tr: etree._Element) -> list[etree._Element]:
    return [c for c in tr if isinstance(c.tag, str) and c.tag.lower() in ("td", "th")]


def _rows(table: etree._Element) -> Iterator[tuple[str, ...]]:
    for tr in table.iter("tr"):
        cells = tuple(_cell_text(c) for c in _cells_of(tr))
        if cells:
            yield cells


def _cell_text(cell: etree._Element) -> str:
    """The text of a cell; inline pieces (spans) join without a gap, blocks with a space."""
    if len(cell) == 0:
        return _collapse(cell.text or "")
    parts: list[str] = []
    stack: list[tuple[etree._Element, bool]] = [(cell, True)]
    while stack:
        el, entering = stack.pop()
        tag = el.tag.lower() if isinstance(el.tag, str) else ""
        if not entering:
            if tag in _BLOCK and el is not cell:
                parts.append(" ")
            if el.tail and el is not cell:
                parts.append(el.tail)
            continue
        if _skipped(el):
            if el.tail:
                parts.append(el.tail)
            continue
        if tag == "br":
            parts.append(" ")
            if el.tail:
                parts.append(el.tail)
            continue
        if el.text:
            parts.append(el.text)
        stack.append((el, False))
        stack.extend((child, True) for child in reversed(el))
    return _collapse("".join(parts))
