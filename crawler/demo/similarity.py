"""Shingle similarity, as the monitor's copy check measures it (5-character shingles,
Jaccard), used to prove the demo's narratives are apart except where a copy is planted."""

from __future__ import annotations

import re

_NOISE = re.compile(r"[\s\d，。、；：“”（）《》！？,.;:()\-%|]+")


def shingles(text: str, size: int = 5) -> frozenset[str]:
    clean = _NOISE.sub("", text)
    return frozenset(clean[i : i + size] for i in range(max(0, len(clean) - size + 1)))


def similarity(a: str, b: str, size: int = 5) -> float:
    sa, sb = shingles(a, size), shingles(b, size)
    if not sa or not sb:
        return 0.0
    return len(sa & sb) / len(sa | sb)
