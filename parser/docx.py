"""DOCX reader (python-docx): body paragraphs, tables, numbering and text boxes → blocks.

Merged cells appear once: python-docx repeats a merged cell in ``row.cells`` (once per grid
column it spans, and again in every row of a vertical merge), so cells are deduplicated by
their underlying ``<w:tc>`` element. The ZIP is checked before anything is inflated.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from typing import Any

from parser.document import Block, Document
from parser.docx_numbering import Numbering, W
from parser.errors import CorruptDocument, DocumentTooLarge, ParserError
from parser.normalize import is_traditional, normalize_text
from parser.pdf_layout import join_fragments

MAX_BYTES = 64 * 1024 * 1024
MAX_MEMBERS = 2000
MAX_INFLATED = 256 * 1024 * 1024  # all members together, as declared in the ZIP directory
MAX_RATIO = 100  # inflated/compressed, for members over 1 MiB: XML compresses ~10×, bombs ~1000×

_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_SKIP = {f"{W}pPr", f"{W}rPr", f"{W}del", f"{W}txbxContent", f"{W}instrText", _MC_FALLBACK}
_BREAKS = {f"{W}br", f"{W}cr"}

Piece = tuple[str, tuple[str, ...] | None, int | None]  # text, cells, table


def read(data: bytes, name: str | None, *, fmt: str = "docx") -> Document:
    """Read a DOCX. Raises ``CorruptDocument`` for a broken, truncated or hostile package."""
    check_package(data, name)
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
        part = document.part
        numbering = _part_element(part, "numbering_part")
        styles = _part_element(part, "styles_part")
        pieces = list(_walk(document.element.body, Numbering(numbering, styles), [0]))
    except ParserError:
        raise
    except Exception as exc:  # python-docx/lxml raise many kinds on malformed packages
        raise CorruptDocument(
            name, f"malformed Word document ({type(exc).__name__}: {exc})"
        ) from exc
    traditional = is_traditional("".join(text for text, _, _ in pieces[:400]))

    def clean(text: str) -> str:
        return normalize_text(text, traditional=traditional)

    blocks = tuple(
        Block(clean(text), None if cells is None else tuple(clean(c) for c in cells), table)
        for text, cells, table in pieces
    )
    return Document(blocks, fmt)


def check_package(data: bytes, name: str | None) -> None:
    """Refuse a ZIP that is not a Word document or would inflate beyond the limits (a bomb)."""
    if len(data) > MAX_BYTES:
        raise DocumentTooLarge(name, len(data), MAX_BYTES)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            members = package.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise CorruptDocument(name, f"not a readable ZIP package ({exc})") from exc
    if len(members) > MAX_MEMBERS:
        raise CorruptDocument(name, f"{len(members)} ZIP members, over the limit of {MAX_MEMBERS}")
    if not any(m.filename == "word/document.xml" for m in members):
        raise CorruptDocument(name, "a ZIP package without word/document.xml")
    total = sum(m.file_size for m in members)
    if total > MAX_INFLATED:
        raise CorruptDocument(
            name, f"inflates to {total} bytes, over the limit of {MAX_INFLATED} (a zip bomb?)"
        )
    for m in members:
        if m.file_size > 1 << 20 and m.file_size > MAX_RATIO * max(m.compress_size, 1):
            raise CorruptDocument(
                name,
                f"member {m.filename} inflates {m.file_size // max(m.compress_size, 1)}× "
                f"(over {MAX_RATIO}×; a zip bomb?)",
            )


def _part_element(part: Any, attribute: str) -> Any | None:
    try:
        return getattr(part, attribute).element
    except (KeyError, NotImplementedError, AttributeError):
        return None  # python-docx creates default parts on access; a missing part is fine


def _walk(container: Any, numbering: Numbering, tables: list[int]) -> Iterator[Piece]:
    """Blocks of a body, cell or text box, in reading order."""
    for child in container.iterchildren():
        if child.tag == f"{W}p":
            text = numbering.label(child) + _text(child)
            if text.strip():
                yield text, None, None
            for box in _text_boxes(child):
                yield from _walk(box, numbering, tables)
        elif child.tag == f"{W}tbl":
            yield from _table(child, numbering, tables)
        elif child.tag in (f"{W}sdt", f"{W}customXml", f"{W}sdtContent", f"{W}smartTag"):
            content = child.find(f"{W}sdtContent")
            yield from _walk(content if content is not None else child, numbering, tables)


def _text(element: Any) -> str:
    """The text of a paragraph's runs (not its text boxes, deletions or field codes)."""
    parts: list[str] = [""]
    for child in element.iterchildren():
        tag = child.tag
        if tag in _SKIP or not isinstance(tag, str):
            continue
        if tag == f"{W}t":
            parts[-1] += child.text or ""
        elif tag == f"{W}tab":
            parts[-1] += " "
        elif tag in _BREAKS:
            parts.append("")
        else:
            inner = _text(child)
            parts[-1] += inner
    return join_fragments(parts)


def _text_boxes(p: Any) -> Iterator[Any]:
    """Text boxes anchored in a paragraph, each once (mc:Fallback repeats them as VML)."""
    stack = list(p.iterchildren())
    while stack:
        node = stack.pop(0)
        if node.tag == _MC_FALLBACK:
            continue
        if node.tag == f"{W}txbxContent":
            yield node
            continue
        stack[:0] = list(node.iterchildren())


def _table(tbl: Any, numbering: Numbering, tables: list[int]) -> Iterator[Piece]:
    from docx.table import Table

    table = Table(tbl, None)  # type: ignore[arg-type]
    grid = [_row_cells(row) for row in table.rows]
    if max((len({id(tc) for tc in row}) for row in grid), default=0) <= 1:
        # A one-column table is a frame around ordinary text (often the whole report).
        for row in grid:
            for tc in dict.fromkeys(row):
                yield from _walk(tc, numbering, tables)
        return
    index = tables[0]
    tables[0] += 1
    seen: dict[int, Any] = {}  # id -> element, kept alive so that ids stay unique
    nested: list[Any] = []
    for row in grid:
        cells: list[str] = []
        for tc in row:
            if id(tc) in seen:
                continue
            seen[id(tc)] = tc
            texts = []
            for child in tc.iterchildren():
                if child.tag == f"{W}p":
                    texts.append(numbering.label(child) + _text(child))
                elif child.tag == f"{W}tbl":
                    nested.append(child)
            cells.append(join_fragments(texts))
        if any(cells):
            yield " ".join(c for c in cells if c), tuple(cells), index
    for inner in nested:
        yield from _table(inner, numbering, tables)


def _row_cells(row: Any) -> list[Any]:
    """The ``<w:tc>`` under each grid column of a row (merged cells repeated, as python-docx
    gives them); a vertical merge python-docx cannot resolve falls back to the row's own."""
    try:
        return [cell._tc for cell in row.cells]
    except (ValueError, IndexError, AttributeError):
        return [tc for tc in row._tr.tc_lst if tc.vMerge != "continue"]
