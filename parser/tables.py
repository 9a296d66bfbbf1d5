"""Blocks → the rows of 表二/表三/表四: segments of label cells followed by value cells.

Works on rows from any reader. A row is cut into segments (labels, then values); a label
after values starts a new segment, so flattened streams and merged header rows split
correctly. Each segment's label is matched by meaning (``parser.labels``) in the context of
the table being read; label cells of a segment without values (a label cut by a page break,
a group label alone in its row) are carried to the next segment.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from parser.cells import EMPTY, LABEL, NUMBER, Cell, read_cell
from parser.document import Block
from parser.labels import Match, context_of, group_of, match_label


@dataclass
class Segment:
    labels: list[str] = field(default_factory=list)
    values: list[Cell] = field(default_factory=list)

    @property
    def has_values(self) -> bool:
        return any(c.kind is not EMPTY for c in self.values)


@dataclass(frozen=True, init=False)
class RawRow:
    match: Match
    cells: tuple[Cell, ...]
    label: str
    block: int

    def __init__(self, match: Match, cells: tuple[Cell, ...], label: str, block: int) -> None:
        # One dict update instead of a frozen dataclass's setattr per field (see record.py).
        self.__dict__.update(match=match, cells=cells, label=label, block=block)


@dataclass(frozen=True)
class Collected:
    rows: tuple[RawRow, ...]
    table_blocks: frozenset[int]  # blocks that belong to the tables (kept out of sections)
    unmatched: tuple[str, ...]  # labels of rows with numbers that named no template row


def split_row(cells: tuple[str, ...]) -> list[Segment]:
    segments: list[Segment] = []
    seg = Segment()
    filled = False  # seg has a non-empty value cell (Segment.has_values, kept up to date)
    for raw in cells:
        cell = read_cell(raw)
        kind = cell.kind
        if kind is LABEL:
            if filled:
                segments.append(seg)
                seg = Segment()
                filled = False
            elif seg.values:
                seg.values.clear()  # empties between labels are merged-cell placeholders
            seg.labels.append(cell.text)
        elif kind is not EMPTY:
            seg.values.append(cell)
            filled = True
        elif seg.labels or seg.values:
            seg.values.append(cell)
    segments.append(seg)
    return [s for s in segments if s.labels or s.has_values]


def collect(blocks: tuple[Block, ...]) -> Collected:
    context: str | None = None
    group: str | None = None
    pending: list[str] = []
    rows: list[RawRow] = []
    used: set[int] = set()
    unmatched: list[str] = []
    for index, block in enumerate(blocks):
        if block.cells is None:
            found = context_of(block.text, paragraph=True)
            if found is not False:
                context, group, pending = found, None, []
                if found is not None:
                    used.add(index)
            continue
        for seg in split_row(block.cells):
            for label in seg.labels:
                found = context_of(label, paragraph=False)
                if found:
                    context = found
                group = group_of(label) or group
            if context is not None:
                used.add(index)
            if not seg.has_values:
                pending = (pending + seg.labels)[-4:]
                continue
            match = _match(seg.labels, pending, context, group)
            pending = []
            if match is None:
                if any(c.kind is NUMBER for c in seg.values) and seg.labels:
                    unmatched.append(" ".join(seg.labels))
                continue
            if match.table != "appeals":
                context = match.table
            used.add(index)
            rows.append(RawRow(match, tuple(seg.values), " ".join(seg.labels), index))
    return Collected(tuple(rows), frozenset(used), tuple(unmatched))


def _match(
    labels: list[str], pending: list[str], context: str | None, group: str | None
) -> Match | None:
    if not labels:
        return Match("appeals", "*") if context == "appeals" else None
    for label in reversed(labels):
        found = match_label(label, context=context, group=group)
        if found:
            return found
    joined = "".join(labels)
    found = match_label(joined, context=context, group=group)
    if found is None and pending:
        found = match_label("".join(pending) + joined, context=context, group=group)
    return found
