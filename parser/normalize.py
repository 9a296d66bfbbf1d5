"""Bytes → text, and text → the one normal form every reader hands to ``parser.assemble``.

Normal form: simplified characters, half-width digits/letters/ASCII punctuation (the
full-width forms U+FF01–FF5E), ordinary spaces, no pinyin annotations (``區(qū)`` → ``区``),
no zero-width characters.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any

#: Declared charsets that are really subsets of GB18030 (pages often lie about which).
_GB_FAMILY = frozenset({"gb2312", "gbk", "gb18030", "x-gbk", "cp936", "euc-cn", "hz-gb-2312"})
#: Pages labelled Big5 are written with Microsoft's superset.
_BIG5_FAMILY = frozenset({"big5", "big5-tw", "x-x-big5", "csbig5", "cp950"})

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_:.-]+)""", re.I)
_CT_CHARSET = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9_:.-]+)", re.I)


def bom_encoding(data: bytes) -> str | None:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return encoding
    return None


def declared_charset(data: bytes, content_type: str | None = None) -> str | None:
    """The charset a Content-Type header or an HTML ``<meta>`` declares, if any."""
    if content_type:
        match = _CT_CHARSET.search(content_type)
        if match:
            return match.group(1).lower()
    found = _META_CHARSET.search(data[:8192])
    return found.group(1).decode("ascii").lower() if found else None


def _canonical(name: str) -> str | None:
    try:
        codec = codecs.lookup(name).name
    except LookupError:
        return None
    if name.lower() in _BIG5_FAMILY or codec in _BIG5_FAMILY:
        return "cp950"
    return "gb18030" if name.lower() in _GB_FAMILY or codec in _GB_FAMILY else codec


def _try(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def decode(data: bytes, declared: str | None = None) -> tuple[str, str]:
    """Decode report bytes; returns ``(text, encoding used)``.

    Order: a BOM; strict UTF-8 (a page whose ``<meta>`` says GBK but whose bytes are valid
    UTF-8 is UTF-8: multi-byte Chinese text is practically never valid UTF-8 by accident);
    the declared charset if the bytes decode under it; GB18030 (undeclared GBK pages); then
    charset-normalizer's guess; finally GB18030 with replacement characters. A GB reading
    (declared or not) that is not plausible Chinese is compared with Big5 (``parser.charset``).
    """
    bom = bom_encoding(data)
    if bom:
        text = _try(data, bom)
        if text is not None:
            return text, bom
    text = _try(data, "utf-8")
    if text is not None:
        return text, "utf-8"
    if declared:
        encoding = _canonical(declared)
        if encoding and encoding != "utf-8":
            text = _try(data, encoding)
            if text is None and encoding == "cp950":
                encoding = "big5hkscs"
                text = _try(data, encoding)
            if text is not None:
                return _or_big5(data, text, encoding)
    text = _try(data, "gb18030")
    if text is not None:
        return _or_big5(data, text, "gb18030")
    from charset_normalizer import from_bytes

    best = from_bytes(data[:200_000]).best()
    if best is not None and best.encoding:
        text = _try(data, best.encoding)
        if text is not None:
            return text, best.encoding
    return data.decode("gb18030", errors="replace"), "gb18030"


def _or_big5(data: bytes, text: str, encoding: str) -> tuple[str, str]:
    if encoding != "gb18030":
        return text, encoding
    from parser.charset import prefer_big5

    return prefer_big5(data, text) or (text, encoding)


# -- text normal form ------------------------------------------------------------------
_FULLWIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_SPACES = dict.fromkeys(map(ord, "\u3000\xa0\u2002\u2003\u2009\u202f\u205f"), " ")
_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_TRANSLATE: dict[str, str] = {
    chr(code): chr(target) if isinstance(target, int) else (target or "")
    for code, target in {**_FULLWIDTH, **_SPACES, **_ZERO_WIDTH}.items()
}
#: ``str.translate`` looks every non-ASCII character up in a dict (~100 µs per 1,000 CJK
#: characters); finding which mapped characters occur and replacing just those is ~20× faster.
_TRANSLATABLE = re.compile("[" + re.escape("".join(_TRANSLATE)) + "]")


def _replace_chars(text: str, table: dict[str, str], pattern: re.Pattern[str]) -> str:
    for char in set(pattern.findall(text)):
        text = text.replace(char, table[char])
    return text


_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ"
#: A CJK character followed by a parenthesised pinyin syllable carrying a tone mark.
# The literal "(" comes first so the regex engine can skip to candidates instead of trying
# the look-behind at every character.
_PINYIN = re.compile(
    rf"\((?<=[\u4e00-\u9fff]\()(?=[a-zü{_TONED}]*[{_TONED}])[a-zü{_TONED}]{{1,7}}\)"
)

# Characters that exist only in traditional script, and their simplified counterparts.
# Counting both keeps a simplified report quoting one traditional name from being converted.
_TRADITIONAL_ONLY = frozenset(
    "與為會個們來說時國開門關於動對發報處導專業規條務應據網資頁點質體區書從產東當幾歲總華"
    "縣鄉鎮聯辦機構結決計設請訴議讀變賣買標準項類數號費場義達過還進運違際陽隊電靜題顯風飛"
    "條務劃執訊該護辦員問間間隻際歷廣廳張強當彙態惡戶擴據擊數斷於時書條來東極樣檢權歡歲"
    "氣決沒測濟災為無爭狀獨現產畫當異療發監盡硃確禮種稱積穩競節範簡糧緊紀約紅級紙細終組"
    "經結給統絲經維綜網總線練縣織聞聯職腦興舉艱藝藥蘇處號補製複規視覽觀計訂認討記許論設證"
    "評試詢該詳語誤說請諸諾課調談論謝證識議譯護讓財責貨質購費資賬贊趕車軍轉輕輸辦農邊這連"
    "週進過運遞遠適選遺還郵鄉醫釋針鐵銀錄鎮長門開間閱隊階際陳陸險隨隱難雙雜雞離電須頒預領頻題額顧風飛"
)
_SIMPLIFIED_ONLY = frozenset(
    "与为会个们来说时国开门关于动对发报处导专业规条务应据网资页点质体区书从产东当几岁总华"
    "县乡镇联办机构结决计设请诉议读变卖买标准项类数号费场义达过还进运违际阳队电静题显风飞"
)


#: A long text is judged on three stretches (start, middle, end): the script is plain from
#: a few thousand characters, and counting costs ~40 ns a character.
_SAMPLE_CHARS = 2_000
_TRADITIONAL_RE = re.compile("[" + "".join(sorted(_TRADITIONAL_ONLY)) + "]")
_SIMPLIFIED_RE = re.compile("[" + "".join(sorted(_SIMPLIFIED_ONLY)) + "]")


def is_traditional(text: str) -> bool:
    """True when the text is written in traditional characters (worth an OpenCC pass)."""
    if len(text) > 3 * _SAMPLE_CHARS:
        middle = (len(text) - _SAMPLE_CHARS) // 2
        text = text[:_SAMPLE_CHARS] + text[middle : middle + _SAMPLE_CHARS] + text[-_SAMPLE_CHARS:]
    trad = len(_TRADITIONAL_RE.findall(text))
    return trad >= 3 and trad > len(_SIMPLIFIED_RE.findall(text))


@lru_cache(maxsize=1)
def _t2s() -> tuple[dict[int, str], re.Pattern[str], dict[str, str]]:
    """OpenCC's traditional→simplified dictionaries as a phrase pass plus a translate map.

    The same dictionaries as opencc-python-reimplemented (TSCharacters, TSPhrases), applied
    as one regex pass for the ~280 phrases and one ``str.translate`` for characters: the
    library's own segmentation costs ~50 ms per report, this ~0.2 ms per 1,000 characters.
    """
    import opencc

    folder = Path(opencc.__file__).parent / "dictionary"
    chars = {ord(s): t for s, t in _entries(folder / "TSCharacters.txt") if len(s) == 1}
    phrases = dict(_entries(folder / "TSPhrases.txt"))
    return chars, re.compile(_trie_pattern(phrases)), phrases


def _trie_pattern(keys: Iterable[str]) -> str:
    """A regex matching the longest of ``keys`` at a position, written as a trie.

    ``(?:一(?:二|三四?)|五)`` rather than ``一二|一三四|一三|五``: the engine follows one
    branch per character instead of trying every phrase in turn (~3× faster on a report).
    Greedy optional tails give the longest key, as longest-first alternation does.
    """
    trie: dict[str, Any] = {}
    for key in keys:
        node = trie
        for ch in key:
            node = node.setdefault(ch, {})
        node[""] = {}  # a key ends here

    def emit(node: dict[str, Any]) -> str:
        branches = [re.escape(ch) + emit(sub) for ch, sub in sorted(node.items()) if ch]
        if not branches:
            return ""
        ends = "" in node
        if len(branches) == 1 and not ends:
            return branches[0]
        group = "(?:" + "|".join(branches) + ")"
        return group + "?" if ends else group

    return emit(trie)


def _entries(path: Path) -> list[tuple[str, str]]:
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        source, _, targets = line.partition("\t")
        target = targets.split(" ")[0]
        if source and target:
            out.append((source, target))
    return out


def t2s_characters() -> dict[int, str]:
    """OpenCC's traditional → simplified character map (code point → replacement)."""
    return _t2s()[0]


def to_simplified(text: str) -> str:
    chars, phrase_re, phrases = _t2s()
    text = phrase_re.sub(lambda m: phrases[m.group(0)], text)
    return text.translate(chars)


def normalize_text(text: str, *, traditional: bool | None = None) -> str:
    """Half-width forms, no pinyin annotations, simplified script (when ``traditional``).

    ``traditional=None`` detects it from ``text``; readers that normalise many small pieces
    detect once on the whole document and pass the answer.
    """
    text = _replace_chars(text, _TRANSLATE, _TRANSLATABLE)
    if "(" in text:
        text = _PINYIN.sub("", text)
    if traditional is None:
        traditional = is_traditional(text)
    if traditional:
        text = to_simplified(text)
    return text
