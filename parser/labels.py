"""Row labels of the template tables → canonical keys, by meaning rather than position.

Reports renumber (``1.``/``1、``/``（一）``), re-punctuate, abbreviate (``规范性文件``), split
labels over cells or page breaks, and print group labels (``（三）不予公开``) only in the
first row of a group. So a label is reduced to its words and matched on short distinctive
keywords; the few ambiguous ones (``3.其他``, ``总计``) use the group/table context.

Every function here is pure and cached by its arguments: the same few hundred labels recur in
every report, so after the first reports a label costs one dictionary lookup.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Final, Literal

from parser.template_labels import TEMPLATE_TEXTS

_STRIP = re.compile(r"[\s()（）\[\]【】、.．,，:：;；“”\"'《》<>〈〉·\-—_*#|/]+")
_DIGIT = re.compile(r"\d")
_NUMBERING = re.compile(r"^(?:[一二三四五六七八九十]+|\d+)")

ACTIVE_PATTERNS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("normative_documents", ("规范性文件",)),
    ("regulations", ("规章",)),
    ("other_services", ("对外管理服务", "其他对外管理")),
    ("licensing", ("行政许可",)),
    ("punishment", ("行政处罚",)),
    ("coercion", ("行政强制",)),
    ("fees", ("事业性收费",)),
    ("procurement", ("集中采购", "政府采购")),
)

APPLICATION_PATTERNS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("new_received", ("本年新收", "新收政府信息公开申请", "本年度新收")),
    ("carried_over", ("上年结转", "上年度结转", "上一年度结转")),
    ("carried_forward", ("结转下年", "下年度继续", "转下年度")),
    ("partially_granted", ("部分公开",)),
    ("granted", ("予以公开",)),
    ("denied_state_secret", ("国家秘密",)),
    ("denied_law_prohibited", ("禁止公开", "法律行政法规")),
    ("denied_security_stability", ("三安全一稳定", "危及")),
    ("denied_third_party", ("第三方",)),
    ("denied_internal_affairs", ("内部事务",)),
    ("denied_process_info", ("过程性",)),
    ("denied_enforcement_file", ("执法案卷",)),
    ("denied_query_matter", ("查询事项",)),
    ("unable_not_held", ("不掌握",)),
    ("unable_needs_creation", ("另行制作", "现成信息")),
    ("unable_still_unclear", ("仍不明确", "补正后申请")),
    ("other_no_correction", ("不补正",)),
    ("other_no_fee", ("缴纳费用", "收费通知", "未按收费")),
    ("rejected_petition", ("信访", "举报投诉")),
    ("rejected_duplicate", ("重复申请",)),
    ("rejected_publication", ("出版物",)),
    ("rejected_mass_repetitive", ("大量反复", "反复申请")),
    ("rejected_confirmation", ("重新出具", "确认或")),
)

APPEAL_GROUP_PATTERNS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("litigation_after_review", ("复议后起诉",)),
    ("litigation_direct", ("未经复议", "直接起诉")),
    ("review", ("行政复议",)),
)

#: Header words of table 4; a row made only of these (or nothing) carries table-4 numbers.
APPEAL_HEADER_WORDS = (
    "行政复议", "行政诉讼", "结果维持", "结果纠正", "其他结果", "尚未审结", "总计", "维持",
    "纠正", "未经复议直接起诉", "复议后起诉", "数量", "情况", "申请", "类型", "合计",
)  # fmt: skip

#: Group labels of table 3 and the group they open.
_GROUPS = (
    ("办理结果", "results"),
    ("不予公开", "denied"),
    ("无法提供", "unable"),
    ("不予处理", "rejected"),
    ("其他处理", "other"),
)


#: Texts longer than this (paragraphs) are not cached: they never recur.
_CACHED_LENGTH = 200
#: An anchor (heading, header cell) has at most this many words; ``_HEAD`` characters of a
#: longer text are enough to tell (a sentence holds few characters ``words`` drops).
_ANCHOR_WORDS = 60
_HEAD = 90


def words(label: str) -> str:
    """A label reduced to its words: no spaces, punctuation or brackets."""
    known = _KNOWN_WORDS.get(label)
    if known is not None:
        return known
    return _words(label) if len(label) <= _CACHED_LENGTH else _STRIP.sub("", label)


@lru_cache(maxsize=16384)
def _words(label: str) -> str:
    return _STRIP.sub("", label)


def bare(label: str) -> str:
    """``words`` without a leading item number (``三`` of 三、, ``3`` of 3.)."""
    return _NUMBERING.sub("", words(label), count=1)


def group_of(label: str) -> str | None:
    """The group of table 3 a label opens (``（三）不予公开`` → ``denied``), if any."""
    if label in _KNOWN_GROUPS:
        return _KNOWN_GROUPS[label]
    return _group_of(label)


@lru_cache(maxsize=8192)
def _group_of(label: str) -> str | None:
    w = words(label)
    found = None
    for keyword, group in _GROUPS:
        if keyword in w:
            found = group
    return found


Patterns = tuple[tuple[str, tuple[str, ...]], ...]


def _compiled(
    patterns: Patterns,
) -> tuple[re.Pattern[str], tuple[tuple[str, re.Pattern[str]], ...]]:
    def alternation(keywords: tuple[str, ...] | list[str]) -> re.Pattern[str]:
        return re.compile("|".join(map(re.escape, keywords)))

    every = [k for _, keywords in patterns for k in keywords]
    return alternation(every), tuple((key, alternation(kws)) for key, kws in patterns)


#: Per table: one search for "any keyword at all" (most labels a report prints name no row),
#: then one search per key in order — C searches instead of Python loops over keywords.
_COMPILED = {
    id(patterns): _compiled(patterns)
    for patterns in (ACTIVE_PATTERNS, APPLICATION_PATTERNS, APPEAL_GROUP_PATTERNS)
}


def _first(patterns: Patterns, w: str) -> str | None:
    every, keys = _COMPILED[id(patterns)]
    if not every.search(w):
        return None
    for key, pattern in keys:
        if pattern.search(w):
            return key
    return None


@dataclass(frozen=True)
class Match:
    table: str  # "active" | "applications" | "appeals"
    row: str  # a row key, or "*" for the table-4 number row(s)


def match_label(label: str, *, context: str | None, group: str | None) -> Match | None:
    """The table row one label names (one cell's text, or several cells joined)."""
    key = (label, context, group)
    if key in _KNOWN_MATCHES:
        return _KNOWN_MATCHES[key]
    return _match_label(label, context, group)


@lru_cache(maxsize=16384)
def _match_label(label: str, context: str | None, group: str | None) -> Match | None:
    w = words(label)
    if not w:
        return None
    if context == "appeals":
        appeal = _appeal(w)
        if appeal:
            return appeal
    key = _first(APPLICATION_PATTERNS, w)
    if key:
        return Match("applications", key)
    b = bare(label)
    if b == "其他" and group == "other":
        return Match("applications", "other_other")
    if "其他处理" in w and not _first(APPLICATION_PATTERNS, w):
        return Match("applications", "other_handling")
    if b.endswith("总计") and len(b) <= 4 and context != "appeals":
        return Match("applications", "total")
    key = _first(ACTIVE_PATTERNS, w)
    if key:
        return Match("active", key)
    return None


def _appeal(w: str) -> Match | None:
    rest = w
    for word in sorted(APPEAL_HEADER_WORDS, key=len, reverse=True):
        rest = rest.replace(word, "")
    if rest:
        return None
    group = _first(APPEAL_GROUP_PATTERNS, w)
    only_group = (
        group is not None
        and all(k not in w for k in ("结果", "尚未", "总计", "行政诉讼"))
        and w.count("复议") + w.count("起诉") <= 2
    )
    return Match("appeals", group if only_group and group else "*")


def context_of(text: str, *, paragraph: bool) -> str | Literal[False] | None:
    """The table an anchor opens: a table name, ``None`` (tables are over), ``False`` (no change).

    Anchors are headings and header cells; a sentence with figures in it never is one.
    """
    key = (text, paragraph)
    if key in _KNOWN_CONTEXTS:
        return _KNOWN_CONTEXTS[key]
    if len(text) > _ANCHOR_WORDS and len(_STRIP.sub("", text[:_HEAD])) > _ANCHOR_WORDS:
        # A sentence: its first characters already hold more words than an anchor has
        # (``words`` drops characters one by one, so a prefix's words start the text's).
        return False
    if len(text) > _CACHED_LENGTH:
        return _context_of.__wrapped__(text, paragraph)
    return _context_of(text, paragraph)


@lru_cache(maxsize=16384)
def _context_of(text: str, paragraph: bool) -> str | Literal[False] | None:
    w = words(text)
    if len(w) > _ANCHOR_WORDS or (len(w) > 24 and _DIGIT.search(w, 2)):
        return False
    if "行政复议" in w and ("行政诉讼" in w or w.endswith("情况")):
        return "appeals"
    if "收到和处理" in w or "申请人情况" in w or "勾稽关系" in w:
        return "applications"
    if "第二十条" in w or ("主动公开" in w and w.startswith("二")):
        return "active"
    if paragraph and (w.startswith(("五", "六")) or "存在的主要问题" in w) and len(w) <= 30:
        return None
    return False


# -- the template's own texts, read once at import ---------------------------------------
# Module constants, not caches: the texts every report of a template prints (see
# ``parser.template_labels``), read by the functions above, so that the first report of a
# process does not pay for them. Every (context, group) the interpreter can pass is covered.
_CONTEXTS: Final = (None, "active", "applications", "appeals")
_MATCH_GROUPS: Final = (None, *(group for _, group in _GROUPS))
_KNOWN_WORDS: Final[dict[str, str]] = {t: _STRIP.sub("", t) for t in TEMPLATE_TEXTS}
_KNOWN_GROUPS: Final[dict[str, str | None]] = {t: _group_of.__wrapped__(t) for t in TEMPLATE_TEXTS}
_KNOWN_MATCHES: Final[dict[tuple[str, str | None, str | None], Match | None]] = {
    (t, c, g): _match_label.__wrapped__(t, c, g)
    for t in TEMPLATE_TEXTS
    for c in _CONTEXTS
    for g in _MATCH_GROUPS
}
_KNOWN_CONTEXTS: Final[dict[tuple[str, bool], str | Literal[False] | None]] = {
    (t, p): _context_of.__wrapped__(t, p) for t in TEMPLATE_TEXTS for p in (False, True)
}
