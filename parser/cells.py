"""What one table cell holds: nothing, a blank marker, a number, a label, or junk."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum
from functools import lru_cache

from parser.record import Number

#: Printed instead of a number when there is nothing to report; recorded as 0 + ``blank``.
BLANK_MARKERS = frozenset({"/", "-", "—", "——", "–", "--", "\\", "无", "－", "─", "／", "空"})

_NUMBER = re.compile(r"[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?")
_UNIT = re.compile(r"(件|条|个|项|次|起|人次|家|万元|元)$")
_UNIT_LAST = frozenset("件条个项次起家元")  # last characters of the units: a cheap pre-check
_CJK = re.compile(r"[\u4e00-\u9fff]")
_LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
_DASHES = frozenset({"-", "—", "─", "－"})


class Kind(Enum):
    EMPTY = "empty"
    BLANK = "blank"
    NUMBER = "number"
    LABEL = "label"
    JUNK = "junk"  # digits or symbols that are not a number: an unreadable value


@dataclass(frozen=True)
class Cell:
    kind: Kind
    text: str
    value: Number | None = None
    unit: str | None = None

    @property
    def is_value(self) -> bool:
        return self.kind in (Kind.NUMBER, Kind.BLANK, Kind.JUNK)


#: Longer texts (paragraphs read as one-cell rows) are not cached: they never recur, and
#: would fill the cache with kilobytes each.
CACHED_LENGTH = 200


def read_cell(raw: str) -> Cell:
    return _read_cell(raw) if len(raw) <= CACHED_LENGTH else _read_cell.__wrapped__(raw)


@lru_cache(maxsize=8192)
def _read_cell(raw: str) -> Cell:
    if raw.isascii() and raw.isdigit():  # most cells: a plain count, read without regexes
        return Cell(Kind.NUMBER, raw, int(raw))
    text = "".join(raw.split())  # every whitespace character removed, as \s+ would
    if not text:
        return Cell(Kind.EMPTY, "")
    if text in BLANK_MARKERS or (len(text) > 1 and text[0] in _DASHES and set(text) <= _DASHES):
        return Cell(Kind.BLANK, text, 0)
    unit_match = _UNIT.search(text) if text[-1] in _UNIT_LAST else None
    unit = unit_match.group(1) if unit_match else None
    core = text[: unit_match.start()] if unit_match else text
    if _NUMBER.fullmatch(core):
        return Cell(Kind.NUMBER, text, _to_number(core), unit)
    if _CJK.search(text) or _LATIN_WORD.search(text):
        return Cell(Kind.LABEL, raw.strip())
    return Cell(Kind.JUNK, text)


def _to_number(core: str) -> Number:
    core = core.replace(",", "")
    return float(core) if "." in core else int(core)


def kind_of(raw: str) -> Kind:
    return read_cell(raw).kind
