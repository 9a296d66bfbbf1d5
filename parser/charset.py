"""Telling Big5 from GBK/GB18030: both decode the same bytes, only one reads as Chinese.

Almost every Big5 byte pair is also a valid GBK pair, so a traditional page in Big5 without
a declared charset decodes "successfully" as GB18030 — into nonsense: about half its
characters land on common simplified ideographs, the rest on rare ideographs, kana, Greek,
box drawing or private-use code points. A real report is written almost entirely in common
characters, so the share of common characters separates the two readings sharply (real text
scores above 0.9, the wrong codec around 0.5).

"Common" is the 3,755 first-level characters of GB2312 (the frequency-chosen core of
modern Chinese) plus their traditional forms (from OpenCC's dictionary).
"""

from __future__ import annotations

import re
from functools import lru_cache

#: Ideographs, kana, hangul and private-use characters: where a wrong codec lands.
_SCRIPT = re.compile(
    r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\ue000-\uf8ff\uf900-\ufaff]"
)
_SAMPLE = 20_000
#: Below this many characters a score says nothing either way.
_MIN_CHARS = 20
#: A GB reading scoring below this is worth comparing with Big5 …
SUSPICIOUS = 0.8
#: … and Big5 wins only when it reads clearly better.
MARGIN = 0.15

BIG5_CODECS = ("cp950", "big5hkscs")


@lru_cache(maxsize=1)
def common_characters() -> frozenset[str]:
    level1 = set()
    for lead in range(0xB0, 0xD8):
        for trail in range(0xA1, 0xFF):
            try:
                level1.add(bytes((lead, trail)).decode("gb2312"))
            except UnicodeDecodeError:
                continue  # the five unassigned places at the end of row 0xD7
    from parser.normalize import t2s_characters

    traditional = {chr(code) for code, simple in t2s_characters().items() if simple in level1}
    return frozenset(level1 | traditional)


def plausibility(text: str) -> float:
    """Share of common Chinese characters among the ideographs (and look-alikes) of a text."""
    chars = _SCRIPT.findall(text[:_SAMPLE])
    if len(chars) < _MIN_CHARS:
        return 1.0
    common = common_characters()
    return sum(map(common.__contains__, chars)) / len(chars)


def prefer_big5(data: bytes, gb_text: str) -> tuple[str, str] | None:
    """``(text, codec)`` when the bytes read as Big5 far better than ``gb_text`` does."""
    gb_score = plausibility(gb_text)
    if gb_score >= SUSPICIOUS:
        return None
    for codec in BIG5_CODECS:
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        if plausibility(text) >= gb_score + MARGIN:
            return text, codec
    return None
