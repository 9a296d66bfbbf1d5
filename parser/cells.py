"""What one table cell holds: nothing, a blank marker, a number, a label, or junk."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum
from functools import lru_cache
from typing import Final

from parser.record import Number
from parser.template_labels import TEMPLATE_TEXTS

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


# Members as plain module constants: ``Kind.LABEL`` goes through the enum's descriptor
# (~90 ns), and the readers test a kind for every cell of every report.
EMPTY: Final = Kind.EMPTY
BLANK: Final = Kind.BLANK
NUMBER: Final = Kind.NUMBER
LABEL: Final = Kind.LABEL
JUNK: Final = Kind.JUNK


@dataclass(frozen=True, init=False)
class Cell:
    kind: Kind
    text: str
    value: Number | None = None
    unit: str | None = None

    def __init__(
        self, kind: Kind, text: str, value: Number | None = None, unit: str | None = None
    ) -> None:
        # One dict update instead of a frozen dataclass's setattr per field (see record.py).
        self.__dict__.update(kind=kind, text=text, value=value, unit=unit)

    @property
    def is_value(self) -> bool:
        return self.kind in (NUMBER, BLANK, JUNK)


#: Longer texts (paragraphs read as one-cell rows) are not cached: they never recur, and
#: would fill the cache with kilobytes each.
CACHED_LENGTH = 200


def read_cell(raw: str) -> Cell:
    known = _KNOWN.get(raw)
    if known is not None:
        return known
    return _read_cell(raw) if len(raw) <= CACHED_LENGTH else _read_cell.__wrapped__(raw)


@lru_cache(maxsize=8192)
def _read_cell(raw: str) -> Cell:
    if raw.isascii() and raw.isdigit():  # most cells: a plain count, read without regexes
        return Cell(NUMBER, raw, int(raw))
    text = "".join(raw.split())  # every whitespace character removed, as \s+ would
    if not text:
        return Cell(EMPTY, "")
    if text in BLANK_MARKERS or (len(text) > 1 and text[0] in _DASHES and set(text) <= _DASHES):
        return Cell(BLANK, text, 0)
    unit_match = _UNIT.search(text) if text[-1] in _UNIT_LAST else None
    unit = unit_match.group(1) if unit_match else None
    core = text[: unit_match.start()] if unit_match else text
    if _NUMBER.fullmatch(core):
        return Cell(NUMBER, text, _to_number(core), unit)
    if _CJK.search(text) or _LATIN_WORD.search(text):
        return Cell(LABEL, raw.strip())
    return Cell(JUNK, text)


def _to_number(core: str) -> Number:
    core = core.replace(",", "")
    return float(core) if "." in core else int(core)


#: Most cells of every report are small plain counts or the template's own labels: their
#: readings are made once, at import (module constants, not caches; see template_labels).
_KNOWN: dict[str, Cell] = {
    **{str(n): Cell(NUMBER, str(n), n) for n in range(1000)},
    **{text: _read_cell.__wrapped__(text) for text in TEMPLATE_TEXTS},
}


def kind_of(raw: str) -> Kind:
    return read_cell(raw).kind
