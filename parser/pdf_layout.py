"""Geometry of a PDF page's text: characters → lines → paragraphs, and page furniture.

Pure functions over plain tuples so that they can be tested without a PDF. Coordinates are
pdfplumber's: points from the top-left corner of the page, ``top`` growing downwards.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Char:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float


@dataclass(frozen=True)
class Line:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    page: int


def is_wide(ch: str) -> bool:
    """CJK ideographs and full-width punctuation: text that is written without spaces."""
    return ord(ch) >= 0x2E80


def join_fragments(parts: Iterable[str]) -> str:
    """Join wrapped pieces of one text: no space where either side is CJK, one space otherwise."""
    out = ""
    for part in parts:
        part = part.strip()
        if not part:
            continue
        if out and not is_wide(out[-1]) and not is_wide(part[0]):
            out += " "
        out += part
    return out


def _line_text(chars: Sequence[Char]) -> str:
    """Characters of one line in reading order; a space only for a real gap between Latin text.

    Word and WPS justify Chinese lines by spreading the characters, so a gap next to an
    ideograph is layout, not a space (``2024 年`` is ``2024年`` in the HTML version).
    """
    out: list[str] = []
    prev: Char | None = None
    for ch in chars:
        if prev is not None:
            if ch.text == prev.text and abs(ch.x0 - prev.x0) < 0.3 * ch.size:
                continue  # fake bold: the same glyph drawn twice, slightly offset
            gap = ch.x0 - prev.x1
            if gap > 0.2 * ch.size and not is_wide(ch.text[0]) and not is_wide(prev.text[-1]):
                out.append(" ")
        if not ch.text.isspace() or (out and not out[-1].isspace()):
            out.append(" " if ch.text.isspace() else ch.text)
        prev = ch
    return "".join(out).strip()


def _clusters(chars: Iterable[Char]) -> list[list[Char]]:
    rows: list[list[Char]] = []
    for ch in sorted(chars, key=lambda c: (c.top, c.x0)):
        if rows and abs(ch.top - rows[-1][0].top) <= 0.45 * max(ch.size, 1.0):
            rows[-1].append(ch)
        else:
            rows.append([ch])
    return [sorted(row, key=lambda c: c.x0) for row in rows]


def lines_of(chars: Iterable[Char], page: int) -> list[Line]:
    lines = []
    for row in _clusters(chars):
        text = _line_text(row)
        if text:
            size = Counter(round(c.size, 1) for c in row).most_common(1)[0][0]
            lines.append(
                Line(
                    text,
                    min(c.x0 for c in row),
                    max(c.x1 for c in row),
                    min(c.top for c in row),
                    max(c.bottom for c in row),
                    size,
                    page,
                )
            )
    return lines


def cell_text(chars: Iterable[Char]) -> str:
    """The text of one table cell: its wrapped lines joined (``商业企`` + ``业``)."""
    return join_fragments(_line_text(row) for row in _clusters(chars))


_PAGE_NUMBER = re.compile(
    r"^(?:[-—–_·\s]*\d{1,4}[-—–_·\s]*|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?"
    r"|\d{1,4}\s*/\s*\d{1,4}|[Pp]age\s*\d{1,4}(?:\s*of\s*\d{1,4})?)$"
)
_MARGIN = 0.09  # share of the page height at top and bottom where furniture lives


def furniture(lines: Sequence[Line], heights: dict[int, float]) -> set[Line]:
    """Page numbers and running headers/footers: in the top or bottom margin, and either a
    page-number pattern or the same text on at least half of the pages (and two or more)."""
    in_margin = [
        line
        for line in lines
        if line.bottom < heights[line.page] * _MARGIN
        or line.top > heights[line.page] * (1 - _MARGIN)
    ]
    pages_of: dict[str, set[int]] = {}
    for line in in_margin:
        pages_of.setdefault(re.sub(r"\d+", "#", line.text), set()).add(line.page)
    repeated = max(2, (len(heights) + 1) // 2)
    return {
        line
        for line in in_margin
        if _PAGE_NUMBER.match(line.text)
        or len(pages_of[re.sub(r"\d+", "#", line.text)]) >= repeated
    }


def margins(lines: Sequence[Line]) -> tuple[float, float, float]:
    """The body's left and right edges and its text size (the most common of each)."""
    if not lines:
        return 0.0, 0.0, 0.0
    left = Counter(round(line.x0) for line in lines).most_common(1)[0][0]
    right = Counter(round(line.x1) for line in lines).most_common(1)[0][0]
    size = Counter(round(line.size) for line in lines).most_common(1)[0][0]
    return float(left), float(right), float(size)


def right_edges(lines: Sequence[Line]) -> dict[Line, float]:
    """For each line, the right edge of its text column: the widest line that starts where it
    starts (a text box is narrower than the page body)."""
    widest: dict[tuple[int, int], float] = {}
    for line in lines:
        key = (line.page, round(line.x0 / 3))
        widest[key] = max(widest.get(key, 0.0), line.x1)
    return {line: widest[(line.page, round(line.x0 / 3))] for line in lines}


def starts_paragraph(
    prev: Line | None, line: Line, body: tuple[float, float, float], prev_right: float
) -> bool:
    """Whether ``line`` opens a new paragraph after ``prev`` (``None``: after a table or start).

    Chinese paragraphs open with a two-character indent and wrap at the right margin, so a
    line continues the previous one when that one ran to the margin (``prev_right``: the edge
    of its own column, see ``right_edges``) and this one is not indented. Big type (a title)
    continues big type.
    """
    if prev is None:
        return True
    left, right, size = body
    big = 1.2 * size
    if prev.size >= big and line.size >= big:
        return False
    if (prev.size >= big) != (line.size >= big):
        return True
    indented = line.x0 > left + 1.0 * line.size and line.x0 > prev.x0 + 0.5 * line.size
    ended_short = prev.x1 < min(right, prev_right) - 1.5 * prev.size
    return indented or ended_short
