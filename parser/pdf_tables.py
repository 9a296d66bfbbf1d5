"""Tables of a PDF read by their geometry: cell boxes → cell text, and tables joined across pages.

pdfplumber finds the cell boxes from the ruling lines; here the characters inside each box
become the cell's text, and a table cut by a page break is stitched back together (the
spanning cells cut at the break, a label split in two, a repeated header).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from parser.cells import BLANK_MARKERS
from parser.labels import Match, match_label
from parser.pdf_layout import Char, cell_text, is_wide

Box = tuple[float, float, float, float]  # x0, top, x1, bottom


@dataclass
class Cell:
    text: str
    box: Box
    page: int
    #: Where the cell ends: a cell spanning a page break goes on in the next part.
    last: tuple[int, Box] | None = None

    @property
    def end(self) -> tuple[int, Box]:
        return self.last or (self.page, self.box)


@dataclass
class Grid:
    """One table on one page (later: one table across pages), physical cells only."""

    page: int
    box: Box
    rows: list[list[Cell]] = field(default_factory=list)
    end_page: int = 0  # the page of the last part, once joined
    end_box: Box = (0.0, 0.0, 0.0, 0.0)

    def __post_init__(self) -> None:
        self.end_page = self.end_page or self.page
        if self.end_box == (0.0, 0.0, 0.0, 0.0):
            self.end_box = self.box

    @property
    def columns(self) -> int:
        return max((len(row) for row in self.rows), default=0)


_GROUPED = re.compile(r"\d{1,3}(?:[ ,，]\d{3})+(?:\.\d+)?")
_MARKER = re.compile(
    r"[（(][一二三四五六七八九十\d]+[）)]|[一二三四五六七八九十]+[、.．]|\d+[、.．]"
)
_EDGE = 6.0  # points: how far the outer edges of two parts of one table may differ


def _clean(text: str) -> str:
    # A cell box holds one value, so "3 985 758" or "3,985,758" is one number, not three.
    if _GROUPED.fullmatch(text):
        return re.sub(r"[ ,，]", "", text)
    return text


def grid_of(boxes: Sequence[Sequence[Box | None]], chars: Sequence[Char], page: int) -> Grid:
    """Cell boxes (rows of boxes, ``None`` where a spanning cell covers the slot) → a Grid."""
    by_top = sorted(chars, key=lambda c: (c.top + c.bottom) / 2)
    middles = [(c.top + c.bottom) / 2 for c in by_top]
    rows: list[list[Cell]] = []
    for row in boxes:
        cells = []
        for box in row:
            if box is None:
                continue
            x0, top, x1, bottom = box
            lo, hi = bisect.bisect_left(middles, top), bisect.bisect_right(middles, bottom)
            inside = [c for c in by_top[lo:hi] if x0 <= (c.x0 + c.x1) / 2 <= x1]
            cells.append(Cell(_clean(cell_text(inside)), box, page))
        if any(cell.text for cell in cells):
            rows.append(cells)
    all_boxes = [b for row in boxes for b in row if b is not None]
    outline = (
        min(b[0] for b in all_boxes),
        min(b[1] for b in all_boxes),
        max(b[2] for b in all_boxes),
        max(b[3] for b in all_boxes),
    )
    return Grid(page, outline, rows)


def continues(first: Grid, second: Grid) -> bool:
    """Whether ``second`` (at the top of the next page) is the rest of ``first``."""
    return (
        second.page == first.end_page + 1
        and abs(first.end_box[0] - second.box[0]) <= _EDGE
        and abs(first.end_box[2] - second.box[2]) <= _EDGE
    )


def _is_label(text: str) -> bool:
    return text not in BLANK_MARKERS and any(is_wide(ch) for ch in text)


def _names_row(text: str) -> Match | None:
    return match_label(text, context=None, group=None)


def _spans(cell: Cell, row: Sequence[Cell]) -> bool:
    """Whether the cell reaches below the shortest cell of its row: a spanning cell."""
    return cell.box[3] > min(c.box[3] for c in row) + 1.0


def _tail(cell: Cell, above: Cell, header: bool) -> bool:
    """Whether a label cell's text can be the rest of the label above it, cut by the break.

    Never when it opens an item of its own (``2.``), nor when it names a template row and
    the cell above names another one (``行政强制`` under ``行政处罚`` is the next row) or is
    a header (``行政事业性收费`` under ``信息内容``). A tail may name the row on its own:
    ``2.其他法律行政法`` + ``规禁止公开``.
    """
    if not (_is_label(cell.text) and _is_label(above.text)) or _MARKER.match(cell.text):
        return False
    own = _names_row(cell.text)
    if own is None:
        return True
    named = _names_row(above.text)
    return named == own or (named is None and not header)


def _mend(row: list[Cell], open_cells: list[Cell]) -> list[Cell]:
    """The first row of a table's next part, with what continues the cells cut by the break
    merged into them; returns the cells that are new.

    A page break falls either inside a row (the row's label goes on below, its values are
    on one side only) or between rows (the row below is complete: label and values). Only
    the first is mended; the second must be kept whole, or its label is lost into the one
    above. A spanning cell (``（四）无法提供`` over its sub-rows) can be cut while its
    sub-rows break cleanly, so it is judged by itself.
    """
    pairs = [(cell, _aligned(cell, open_cells)) for cell in row]
    # A value under a filled cell (or a label under a value): two rows, not one cut in two.
    collision = any(
        above is not None
        and above.text
        and cell.text
        and not (_is_label(cell.text) and _is_label(above.text))
        for cell, above in pairs
    )
    # Open cells without a single value: the break follows a header row.
    header = not any(c.text and not _is_label(c.text) for c in open_cells)
    merged: set[int] = set()
    for i, (cell, above) in enumerate(pairs):
        if (
            above is not None
            and _tail(cell, above, header)
            and (_spans(cell, row) or not collision)
        ):
            merged.add(i)
    # The row goes on from the one above when no label of its own starts in it.
    continued = not collision and all(
        i in merged for i, (cell, _) in enumerate(pairs) if _is_label(cell.text)
    )
    kept = []
    for i, (cell, above) in enumerate(pairs):
        if above is not None and i in merged:
            above.text += cell.text  # a label cut at the break: "（四）无" + "法提供"
            above.last = (cell.page, cell.box)
        elif above is not None and not cell.text and (continued or _spans(cell, row)):
            above.last = (cell.page, cell.box)  # the rest of a cell spanning the break
        else:
            kept.append(cell)
    return kept


def _aligned(cell: Cell, open_cells: list[Cell]) -> Cell | None:
    return next(
        (
            c
            for c in open_cells
            if abs(c.end[1][0] - cell.box[0]) <= _EDGE and abs(c.end[1][2] - cell.box[2]) <= _EDGE
        ),
        None,
    )


def join(first: Grid, second: Grid) -> None:
    """Append ``second`` to ``first`` in place, mending what the page break cut."""
    rows = second.rows
    header = [[c.text for c in row] for row in first.rows]
    while rows and len(header) > 0 and [c.text for c in rows[0]] == header[0]:
        rows, header = rows[1:], header[1:]  # a header repeated on the new page
    if rows and first.rows:
        bottom = first.end_box[3]
        # Cells of the first part that reach its bottom edge are the ones the break cut.
        open_cells = [
            c
            for row in first.rows
            for c in row
            if c.end[0] == first.end_page and abs(c.end[1][3] - bottom) < 1.5
        ]
        kept = _mend(rows[0], open_cells)
        rows = ([kept] if any(c.text for c in kept) else []) + rows[1:]
    first.rows.extend(rows)
    first.end_page, first.end_box = second.page, second.box
