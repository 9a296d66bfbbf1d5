"""Figures stated in the narrative, each with the sentence it came from.

The patterns are deliberately narrow: a figure is taken only when the words around it name
the quantity of the spec. ``全年共审核发布各类公开政府信息249条`` (everything the site
published) is not ``active_items``; ``政务信息2万余条`` is approximate and never a figure.
The first sentence that states a quantity wins.
"""

from __future__ import annotations

import re

from parser.record import Number

_N = r"(\d+(?:\.\d+)?)"
_TOTAL = r"(?:共计|总计|合计|共|累计)?"

#: A paragraph can state a figure only if it holds a digit and one of these words: checked
#: before it is cut into sentences, since most paragraphs of a report state none.
_ANCHORS = re.compile(r"公开|申请|复议|诉讼|处理费")
_DIGIT = re.compile(r"\d")
#: The word each key's patterns need, so a sentence is tried only against patterns it can match.
_KEY_WORDS = {
    "active_items": "公开",
    "applications_received": "申请",
    "appeals_total": "行政复议",
    "review_total": "行政复议",
    "litigation_total": "行政诉讼",
    "fees_amount": "处理费",
}

PATTERNS: tuple[tuple[str, re.Pattern[str], float], ...] = (
    ("active_items", re.compile(rf"主动公开(?:各类)?(?:政府)?信息{_TOTAL}{_N}条"), 1),
    ("active_items", re.compile(rf"发布公开信息{_TOTAL}{_N}条"), 1),
    (
        "applications_received",
        re.compile(
            rf"(?:收到|受理了?|接收)(?:政府)?信息公开申请(?:数量)?{_TOTAL}{_N}(?:件|起|个|份)"
        ),
        1,
    ),
    (
        "applications_received",
        re.compile(
            rf"(?:收到|受理了?|接收)依申请(?:公开)?(?:政府)?信息(?:公开)?(?:申请)?{_TOTAL}{_N}(?:件|起|个|份)"
        ),
        1,
    ),
    (
        "applications_received",
        re.compile(rf"(?:收到|受理了?|接收){_TOTAL}{_N}(?:件|起|个|份)(?:政府)?信息公开申请"),
        1,
    ),
    ("applications_received", re.compile(rf"受理申请{_TOTAL}{_N}件"), 1),
    (
        "appeals_total",
        re.compile(rf"行政复议[、和及与或]行政诉讼的?(?:案件)?(?:为|有)?{_TOTAL}{_N}(?:件|起)"),
        1,
    ),
    ("review_total", re.compile(rf"行政复议(?:案件)?{_TOTAL}{_N}(?:件|起)"), 1),
    ("litigation_total", re.compile(rf"行政诉讼(?:案件)?{_TOTAL}{_N}(?:件|起)"), 1),
    (
        "fees_amount",
        re.compile(rf"收取(?:政府)?信息(?:公开)?(?:信息)?处理费{_TOTAL}{_N}(万)?元"),
        1,
    ),
)

_SENTENCE = re.compile(r"[^。；;！!？?\n]+[。；;！!？?]?")


def sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE.findall(text) if s.strip()]


def extract(paragraphs: list[str]) -> tuple[dict[str, Number], dict[str, str]]:
    figures: dict[str, Number] = {}
    sources: dict[str, str] = {}
    for paragraph in paragraphs:
        if not (_DIGIT.search(paragraph) and _ANCHORS.search(paragraph)):
            continue
        for sentence in sentences(paragraph):
            for key, pattern, _ in PATTERNS:
                if key in figures or _KEY_WORDS[key] not in sentence:
                    continue
                found = pattern.search(sentence)
                if not found:
                    continue
                number = found.group(1)
                value: Number = float(number) if "." in number else int(number)
                if (
                    key == "fees_amount"
                    and found.lastindex
                    and found.group(found.lastindex) == "万"
                ):
                    value = round(float(value) * 10000, 2)
                figures[key] = value
                sources[key] = sentence
    return figures, sources
