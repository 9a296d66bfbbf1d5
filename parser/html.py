"""HTML report pages → blocks (paragraphs and table rows), with lxml.

Data tables (no table inside them) become rows, one entry per physical ``<td>/<th>``;
tables that hold other tables are layout and are walked like ``<div>``s. Labels split over
``<span>``s are joined; scripts, styles, forms controls, ``<nav>``/``<footer>`` and hidden
elements are dropped. Telling the report from the rest of the page (site chrome, the
索引号 box, "related links") is ``parser.assemble``'s job, for every format alike.

Speed: the page is walked once with ``etree.iterwalk`` (C-driven, no recursion) on plain
``etree`` elements (``lxml.html``'s element classes cost a Python lookup per element);
reading attributes is skipped when a scan of the source shows nothing can be hidden; cells
are serialised by libxml2 rather than walked in Python.

libxml2 stops building the tree at a nesting depth of 256 and silently drops everything
deeper (and after); such a page is read a second time as flat text, with a warning.
"""

from __future__ import annotations

import re

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
_CELLS = ("td", "th")
#: Between words of a style: whitespace (any non-ASCII byte may be Unicode whitespace in
#: UTF-8) or a named entity that may decode to some; the colon may be ``&colon;``.
_GAP = rb"(?:[\s\x1c-\x1f\x80-\xff]|&[a-z]+;)*"
_COLON = rb"(?::|&colon;)"
# Separate patterns: each starts with a literal, which the engine finds at memchr speed.
_HIDDEN_SOURCE = (
    re.compile(rb"display" + _GAP + _COLON + _GAP + rb"none"),
    re.compile(rb"visibility" + _GAP + _COLON + _GAP + rb"hidden"),
    # The boolean attribute (also right after a quoted value); not the value "hidden".
    re.compile(rb"hidden(?<=[\s/\"']hidden)(?=[\s/>=])"),
    # Characters spelled as ASCII character references can spell any of the above.
    re.compile(rb"&#(?:x0*[0-7][0-9a-f]|0*(?:\d{1,2}|1[01]\d|12[0-7]));"),
)

_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9:-]*)[^>]*>|<!--.*?-->|<!\[CDATA\[.*?\]\]>", re.S)

_TITLE = re.compile(r"<title\b[^>]*>(.*?)</title\s*>", re.S | re.I)

Piece = tuple[str, tuple[str, ...] | None, int | None]
#: The ``table`` of a piece that is a ``<pre>``'s lines (data tables count from 1).
PRE = 0


def read(data: bytes, name: str | None = None) -> Document:
    if len(data) > MAX_BYTES:
        raise DocumentTooLarge(name, len(data), MAX_BYTES)
    text, encoding = decode(data, declared_charset(data))
    parser = etree.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True)
    warnings: list[ParseWarning] = []
    # UTF-8 bytes (no BOM) are handed to libxml2 as they are: re-encoding the decoded text
    # would give the same bytes back.
    source = data if encoding == "utf-8" else text.encode("utf-8", "replace")
    try:
        root = etree.fromstring(source, parser)
    except (etree.ParserError, ValueError):
        root = None
    limit = _resource_limit(parser)
    if limit is not None:
        warnings.append(_limit_warning(name, limit))
        return _flat(text, encoding, warnings)
    if root is None:
        return Document(blocks=(), format="html", encoding=encoding, warnings=_empty(name))
    title_el = root.find(".//title")
    raw_title = _collapse("".join(title_el.itertext())) if title_el is not None else ""
    body = root.find("body")
    pieces = _walk(body if body is not None else root, may_hide(source))
    flat = [raw_title] + [p for text_, cells, _ in pieces for p in (cells or (text_,))]
    joined = "\n".join(flat)
    traditional = is_traditional(joined)
    normal = normalize_text(joined, traditional=traditional).split("\n")
    if len(normal) != len(flat):  # defensive: never misalign text and cells
        normal = [normalize_text(p, traditional=traditional) for p in flat]
    title = normal[0] or None
    blocks: list[Block] = []
    i = 1
    for _text, cells, table in pieces:
        if table == PRE and cells is not None:
            # Preformatted text reads exactly as a text report does.
            blocks.extend(blocks_of("\n".join(normal[i : i + len(cells)])))
            i += len(cells)
        elif cells is None:
            # Pages that paste a flattened table into <p>s: read those lines as text rows.
            if "|" in normal[i]:
                blocks.extend(blocks_of(normal[i]))
            else:
                blocks.append(Block(normal[i]))
            i += 1
        else:
            row = tuple(normal[i : i + len(cells)])
            i += len(cells)
            blocks.append(Block(" ".join(filter(None, row)), row, table))
    return Document(
        blocks=tuple(blocks),
        format="html",
        encoding=encoding,
        title=title,
        warnings=tuple(warnings),
    )


def _resource_limit(parser: etree.HTMLParser) -> str | None:
    """libxml2's message when it gave up at a limit (it logs this; lxml raises nothing)."""
    for error in parser.error_log:
        if error.type_name == "ERR_RESOURCE_LIMIT" or "Excessive depth" in error.message:
            return str(error.message)
    return None


def _limit_warning(name: str | None, message: str) -> ParseWarning:
    label = name or "input"
    if "depth" in message.lower():
        return ParseWarning(
            "html_too_deep",
            f"{label}: elements are nested deeper than the HTML parser's limit of 256 levels, "
            "and lxml drops what lies deeper; the page was read as flat text instead "
            "(table rows from their cells, without row or column spans)",
        )
    return ParseWarning(
        "html_truncated",
        f"{label}: the HTML parser stopped at a resource limit ({message.strip()}); the page "
        "was read as flat text instead (table rows from their cells, without spans)",
    )


def _flat(text: str, encoding: str, warnings: list[ParseWarning]) -> Document:
    """A page lxml cannot build: tags dropped, text kept, table rows as ``a | b`` lines."""
    import html

    def tag(m: re.Match[str]) -> str:
        closing, name = m.group(1), (m.group(2) or "").lower()
        if name in _CELLS:
            return " | " if closing else ""
        return "\n" if name in _BLOCK or name == "br" else ""

    # Skipped elements (scripts, styles…) would leak their content into the text.
    skipped = "|".join(sorted(_SKIP - {"head"}))
    title_match = _TITLE.search(text)
    text = re.sub(rf"<({skipped})\b[^>]*>.*?</\1\s*>", "", text, flags=re.S | re.I)
    plain = html.unescape(_TAG.sub(tag, text))
    lines = [_collapse(line) for line in normalize_text(plain).split("\n")]
    blocks = blocks_of("\n".join(line for line in lines if line))
    title = None
    if title_match:
        title = _collapse(normalize_text(html.unescape(_TAG.sub("", title_match.group(1)))))
    return Document(
        blocks=tuple(blocks),
        format="html",
        encoding=encoding,
        title=title or None,
        warnings=tuple(warnings),
    )


def _empty(name: str | None) -> tuple[ParseWarning, ...]:
    return (ParseWarning("empty_html", f"{name or 'input'}: no HTML content could be read"),)


def _collapse(text: str) -> str:
    # Same as re.sub(r"\s+", " ", text).strip() (both use str.isspace), at a third the cost.
    return " ".join(text.split())


def may_hide(source: bytes) -> bool:
    """Whether any element of the page can be hidden (a cheap scan of the source).

    Reading two attributes costs ~0.5 µs per element, the most expensive part of the walk;
    most pages hide nothing, and this scan proves it. Entities are accounted for: a style
    spelled with ASCII character references could hide text without the words showing.
    """
    low = source.lower()  # bytes: ASCII-only, ~20× faster than str.lower
    return any(pattern.search(low) for pattern in _HIDDEN_SOURCE)


def _skipped(el: etree._Element, hide: bool) -> bool:
    tag = el.tag
    if tag in _SKIP or not isinstance(tag, str):
        return True
    return hide and _hidden(el)


def _hidden(el: etree._Element) -> bool:
    style = el.get("style")
    if style and _HIDDEN.search(style):
        return True
    return el.get("hidden") is not None


def _walk(start: etree._Element, hide: bool = True) -> list[Piece]:
    """Paragraphs ``(text, None, None)`` and rows ``(text, cells, table)`` in document order.

    A ``<pre>`` is one piece ``(text, lines, PRE)``: its line breaks are the report's
    (a flattened table, a signature indented with spaces), so they are kept.
    """
    out: list[Piece] = []
    buffer: list[str] = []
    tables = 0
    closed: etree._Element | None = None  # an element whose subtree was skipped
    pre: etree._Element | None = None  # the <pre> being read
    walker = etree.iterwalk(start, events=("start", "end"))
    for event, el in walker:
        tag = el.tag
        if event == "start":
            if tag in _SKIP or not isinstance(tag, str) or (hide and _hidden(el)):
                walker.skip_subtree()
                closed = el
                continue
            if tag == "br":
                if pre is None:
                    _flush(buffer, out)
                else:
                    buffer.append("\n")
                walker.skip_subtree()
                closed = el
                continue
            if tag == "table" and _is_data_table(el):
                if pre is None:
                    _flush(buffer, out)
                else:
                    _flush_pre(buffer, out)
                tables += 1
                for cells in _rows(el, hide):
                    out.append((" ".join(filter(None, cells)), cells, tables))
                walker.skip_subtree()
                closed = el
                continue
            if tag in _BLOCK:
                if pre is None:
                    _flush(buffer, out)
                    if tag == "pre":
                        pre = el
                else:
                    buffer.append("\n")
            if el.text:
                buffer.append(el.text)
            continue
        if el is closed:
            closed = None
        elif tag in _BLOCK:
            if pre is None:
                _flush(buffer, out)
            elif el is pre:
                _flush_pre(buffer, out)
                pre = None
            else:
                buffer.append("\n")
        if el.tail and el is not start:
            buffer.append(el.tail)
    if pre is None:
        _flush(buffer, out)
    else:
        _flush_pre(buffer, out)
    return out


def _flush(buffer: list[str], out: list[Piece]) -> None:
    if buffer:
        text = _collapse("".join(buffer))
        buffer.clear()
        if text:
            out.append((text, None, None))


def _flush_pre(buffer: list[str], out: list[Piece]) -> None:
    # Lines keep their inner spacing: tabs and runs of spaces separate the cells of a row.
    lines = tuple(line.strip() for line in "".join(buffer).splitlines() if line.strip())
    buffer.clear()
    if lines:
        out.append(("\n".join(lines), lines, PRE))


def _is_data_table(table: etree._Element) -> bool:
    if table.find(".//table") is not None:
        return False
    wide = False
    for rows, tr in enumerate(table.iter("tr"), start=1):
        wide = wide or sum(1 for c in tr if c.tag in _CELLS) >= 2
        if rows >= 2 and wide:
            return True
    return False


def _rows(table: etree._Element, hide: bool) -> list[tuple[str, ...]]:
    """Each ``<tr>``'s cells (its ``<td>/<th>`` children).

    Inside a cell, inline pieces (spans) join without a gap; blocks and ``<br>`` give a
    space. Text between cells is not part of any cell and is dropped.
    """
    if hide or next(table.iter(*_SKIP), None) is not None:
        return _rows_walked(table)
    return _rows_serialised(table)


#: Elements after which a cell's text gets a space: blocks (nested rows and cells included:
#: malformed pages nest them) and <br>.
_BREAKS = (*sorted(_BLOCK), "br")


def _rows_serialised(table: etree._Element) -> list[tuple[str, ...]]:
    """The fast way, for tables with nothing to skip or hide: edit, then serialise in C.

    A space is put after every block and ``<br>`` of the table, so serialising a cell as
    text gives exactly what ``_cell_text`` collects, at a third of the cost (text outside
    the cells is never read, and each cell's own tail is left out). The table is not read
    again.
    """
    for el in table.iter(*_BREAKS):
        tail = el.tail
        # A tail that starts with whitespace already separates (collapsing makes it one space).
        if el is not table and not (tail and tail[0].isspace()):
            el.tail = " " + tail if tail else " "
    rows: list[tuple[str, ...]] = []
    for tr in table.iter("tr"):
        cells = tuple(
            _collapse(etree.tostring(c, method="text", encoding=str, with_tail=False))
            if len(c)
            else _collapse(c.text or "")
            for c in tr
            if c.tag in _CELLS
        )
        if cells:
            rows.append(cells)
    return rows


def _rows_walked(table: etree._Element) -> list[tuple[str, ...]]:
    """The general way, for pages that may hide elements: every element is checked."""
    rows: list[tuple[str, ...]] = []
    for tr in table.iter("tr"):
        cells = tuple(_cell_text(c) for c in tr if c.tag in _CELLS)
        if cells:
            rows.append(cells)
    return rows


def _cell_text(cell: etree._Element) -> str:
    parts: list[str] = []
    stack: list[tuple[etree._Element, bool]] = [(cell, True)]
    while stack:
        el, entering = stack.pop()
        tag = el.tag
        if not entering:
            if tag in _BLOCK and el is not cell:
                parts.append(" ")
            if el.tail and el is not cell:
                parts.append(el.tail)
            continue
        if _skipped(el, True):
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
