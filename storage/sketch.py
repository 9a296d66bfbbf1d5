"""Narrative text as the copy check sees it, and its compact MinHash signature.

The signature is derived once, when a version is stored (``storage.facts``), so that a check
pass over a million reports reads 132 bytes per report instead of re-shingling every
narrative. The hash must therefore be stable across processes and machines (Python's ``hash``
of a string is salted per process): CRC-32 of the UTF-8 shingle, which is fast (C) and spreads
distinct short strings evenly enough for an LSH *filter* — every candidate it yields is
verified on the exact shingle sets.
"""

from __future__ import annotations

import re
import sys
import zlib
from array import array
from bisect import bisect_left
from dataclasses import dataclass

from parser.record import Report

SHINGLE = 5  # characters per shingle
BIN_BITS = 5  # 2**5 = 32 bins of a one-permutation MinHash
BINS = 1 << BIN_BITS
EMPTY = 0xFFFFFFFF  # a bin no shingle hashed into
_SHIFT = 32 - BIN_BITS

_NUMBER = re.compile(r"\d+")
_NOT_TEXT = re.compile(r"[\W_]+")


def narrative_text(report: Report) -> str:
    """The narrative sections (those under a heading); the untitled lead-in holds the title,
    the date and the source line, which differ between any two reports."""
    headed = [p for s in report.sections if s.heading.strip() for p in s.paragraphs]
    return "\n".join(headed) if headed else report.narrative


def normalise(text: str) -> str:
    """Letters and CJK characters only; every number becomes one "0" (126 and 7 alike)."""
    return _NOT_TEXT.sub("", _NUMBER.sub("0", text))


def shingles(text: str, size: int = SHINGLE) -> set[str]:
    norm = normalise(text)
    return {norm[i : i + size] for i in range(len(norm) - size + 1)}


@dataclass(frozen=True)
class Signature:
    """``count`` distinct shingles; ``mins[b]``: the least hash falling in bin ``b``."""

    count: int
    mins: tuple[int, ...]

    def to_bytes(self) -> bytes:
        data = array("I", self.mins)
        if sys.byteorder != "little":
            data.byteswap()
        return data.tobytes()

    @classmethod
    def from_bytes(cls, count: int, blob: bytes) -> Signature:
        data = array("I")
        data.frombytes(blob)
        if sys.byteorder != "little":
            data.byteswap()
        return cls(count, tuple(data))


def signature_of(grams: set[str]) -> Signature:
    hashes = sorted({zlib.crc32(g.encode("utf-8")) for g in grams})
    mins = []
    for b in range(BINS):
        i = bisect_left(hashes, b << _SHIFT)
        mins.append(hashes[i] if i < len(hashes) and hashes[i] >> _SHIFT == b else EMPTY)
    return Signature(len(hashes), tuple(mins))


def signature(text: str, size: int = SHINGLE) -> Signature:
    return signature_of(shingles(text, size))


def estimate(a: Signature, b: Signature) -> float:
    """Jaccard estimate: the share of bins, filled on either side, whose minimums agree."""
    filled = same = 0
    for x, y in zip(a.mins, b.mins, strict=True):
        if x == EMPTY and y == EMPTY:
            continue
        filled += 1
        same += x == y
    return same / filled if filled else 0.0
