"""The shortcuts taken for speed read exactly what the ordinary path reads.

``parser.template_labels`` (readings made at import), the trie of OpenCC phrases and the
prefix test for sentences in ``labels.context_of`` only save time: with them switched off,
every record must come out the same.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import parser
from parser import cells, labels, normalize
from parser.labels import Match
from parser.template_labels import TEMPLATE_TEXTS

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
_MARKUP = {".html", ".htm", ".txt"}


def _records() -> dict[str, dict[str, object]]:
    out = {}
    for path in sorted(FIXTURES.rglob("*")):
        if path.suffix in _MARKUP and path.is_file():
            try:
                out[path.name] = parser.parse(path.read_bytes(), name=path.name).to_dict()
            except parser.ParserError as exc:
                out[path.name] = {"error": str(exc)}
    return out


def _clear() -> None:
    for cached in (labels._words, labels._group_of, labels._match_label, labels._context_of):
        cached.cache_clear()
    cells._read_cell.cache_clear()


def test_records_are_the_same_without_the_import_time_readings(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _clear()
    fast = _records()
    assert len(fast) >= 15
    for table in ("_KNOWN_WORDS", "_KNOWN_GROUPS", "_KNOWN_MATCHES", "_KNOWN_CONTEXTS"):
        monkeypatch.setattr(labels, table, {})
    monkeypatch.setattr(cells, "_KNOWN", {})
    _clear()
    try:
        assert _records() == fast
    finally:
        _clear()


@pytest.mark.parametrize(
    ("text", "row"),
    [
        ("一、本年新收政府信息公开申请数量", "new_received"),
        ("二、上年结转政府信息公开申请数量", "carried_over"),
        ("(二)部分公开(区分处理的,只计这一情形,不计其他情形)", "partially_granted"),
        ("3.危及“三安全一稳定”", "denied_security_stability"),
        ("2.没有现成信息需要另行制作", "unable_needs_creation"),
        ("5.要求行政机关确认或重新出具已获取信息", "rejected_confirmation"),
        ("2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", "other_no_fee"),  # noqa: E501
        ("(七)总计", "total"),
        ("四、结转下年度继续办理", "carried_forward"),
    ],
)  # fmt: skip
def test_template_labels_name_their_rows(text: str, row: str) -> None:
    assert text in TEMPLATE_TEXTS
    assert labels.match_label(text, context="applications", group=None) == Match(
        "applications", row
    )
    assert cells.read_cell(text).kind is cells.LABEL


def test_3_other_needs_its_group_even_when_precomputed() -> None:
    assert labels.match_label("3.其他", context="applications", group="other") == Match(
        "applications", "other_other"
    )
    assert labels.match_label("3.其他", context="applications", group=None) is None


def test_small_counts_read_as_numbers() -> None:
    for text, value in (("0", 0), ("7", 7), ("999", 999), ("1000", 1000), ("007", 7)):
        cell = cells.read_cell(text)
        assert (cell.kind, cell.value, cell.text) == (cells.NUMBER, value, text)


def test_the_phrase_trie_finds_the_longest_phrase_like_alternation() -> None:
    phrases = {"一二": "a", "一二三": "b", "一四": "c", "五": "d", "五六七": "e"}
    trie = re.compile(normalize._trie_pattern(phrases))
    longest_first = re.compile("|".join(sorted(phrases, key=len, reverse=True)))
    for text in ("一二三四", "一二四", "一四五六", "五六", "五六七八", "一", "六一二三五"):
        assert trie.findall(text) == longest_first.findall(text), text


_ANCHOR_CHARS = st.sampled_from(
    list("一二三四收到和处理申请情况行政复议诉讼第十条 ,.、()0123456789")
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_ANCHOR_CHARS, max_size=160).map("".join), st.booleans())
def test_the_sentence_shortcut_of_context_of_changes_nothing(text: str, paragraph: bool) -> None:
    assert labels.context_of(text, paragraph=paragraph) == labels._context_of.__wrapped__(
        text, paragraph
    )
