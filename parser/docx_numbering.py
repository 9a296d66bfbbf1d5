"""Word's automatic numbering, rendered: the ``一、`` / ``（一）`` / ``1.`` that Word draws but
does not store in the paragraph text.

Headings and table labels of annual reports are often auto-numbered; without their numbers
the interpreter would see ``总体情况`` instead of ``一、总体情况``.
"""

from __future__ import annotations

from typing import Any

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_DIGITS = "零一二三四五六七八九"
_LEGAL = "零壹贰叁肆伍陆柒捌玖"
_STEMS = "甲乙丙丁戊己庚辛壬癸"


def chinese(n: int, digits: str = _DIGITS, ten: str = "十") -> str:
    if n <= 0 or n >= 100:
        return str(n)
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else (ten if tens == 1 else digits[tens] + ten)
    return head + (digits[ones] if ones else "")


def _roman(n: int) -> str:
    out = ""
    for value, sym in (
        (1000, "m"),
        (900, "cm"),
        (500, "d"),
        (400, "cd"),
        (100, "c"),
        (90, "xc"),
        (50, "l"),
        (40, "xl"),
        (10, "x"),
        (9, "ix"),
        (5, "v"),
        (4, "iv"),
        (1, "i"),
    ):
        while n >= value:
            out, n = out + sym, n - value
    return out


def _letter(n: int) -> str:
    return chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1) if n > 0 else str(n)


def format_number(n: int, fmt: str) -> str:
    """One counter in one of Word's ``w:numFmt`` formats (unknown formats: decimal)."""
    if fmt in (
        "chineseCounting",
        "chineseCountingThousand",
        "japaneseCounting",
        "taiwaneseCounting",
    ):
        return chinese(n)
    if fmt in ("chineseLegalSimplified", "ideographLegalTraditional"):
        return chinese(n, _LEGAL, "拾")
    if fmt in ("ideographTraditional",):
        return _STEMS[(n - 1) % 10] if n > 0 else str(n)
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese") and 1 <= n <= 20:
        return chr(0x2460 + n - 1)
    if fmt == "lowerRoman":
        return _roman(n)
    if fmt == "upperRoman":
        return _roman(n).upper()
    if fmt == "lowerLetter":
        return _letter(n)
    if fmt == "upperLetter":
        return _letter(n).upper()
    if fmt in ("bullet", "none"):
        return ""
    return str(n)


def _val(element: Any, path: str) -> str | None:
    found = element.find(path)
    return None if found is None else found.get(f"{W}val")


class Numbering:
    """Counters of one document's lists; ``label(p)`` returns the number drawn before ``p``."""

    def __init__(self, numbering: Any | None, styles: Any | None) -> None:
        self._levels: dict[str, dict[int, tuple[int, str, str]]] = {}
        self._counters: dict[str, dict[int, int]] = {}
        self._style_num: dict[str, tuple[str | None, int | None]] = {}
        self._based_on: dict[str, str] = {}
        if numbering is not None:
            self._read_numbering(numbering)
        if styles is not None:
            for style in styles.iterfind(f"{W}style"):
                sid = style.get(f"{W}styleId") or ""
                base = _val(style, f"{W}basedOn")
                if base:
                    self._based_on[sid] = base
                num_pr = style.find(f"{W}pPr/{W}numPr")
                if num_pr is not None:
                    ilvl = _val(num_pr, f"{W}ilvl")
                    self._style_num[sid] = (_val(num_pr, f"{W}numId"), int(ilvl) if ilvl else None)

    def _read_numbering(self, root: Any) -> None:
        abstract: dict[str, dict[int, tuple[int, str, str]]] = {}
        for node in root.iterfind(f"{W}abstractNum"):
            levels = {}
            for lvl in node.iterfind(f"{W}lvl"):
                start = _val(lvl, f"{W}start")
                levels[int(lvl.get(f"{W}ilvl") or 0)] = (
                    int(start) if start and start.lstrip("-").isdigit() else 1,
                    _val(lvl, f"{W}numFmt") or "decimal",
                    _val(lvl, f"{W}lvlText") or "",
                )
            abstract[node.get(f"{W}abstractNumId") or ""] = levels
        for num in root.iterfind(f"{W}num"):
            levels = dict(abstract.get(_val(num, f"{W}abstractNumId") or "", {}))
            for override in num.iterfind(f"{W}lvlOverride"):
                ilvl = int(override.get(f"{W}ilvl") or 0)
                start = _val(override, f"{W}startOverride")
                if ilvl in levels and start and start.isdigit():
                    levels[ilvl] = (int(start), *levels[ilvl][1:])
            self._levels[num.get(f"{W}numId") or ""] = levels

    def _style_numbering(self, style: str | None) -> tuple[str | None, int | None]:
        for _ in range(20):  # basedOn chains are short; a cycle must not loop forever
            if style is None:
                break
            if style in self._style_num:
                return self._style_num[style]
            style = self._based_on.get(style)
        return None, None

    def label(self, p: Any) -> str:
        p_pr = p.find(f"{W}pPr")
        num_id, ilvl = self._style_numbering(None if p_pr is None else _val(p_pr, f"{W}pStyle"))
        num_pr = None if p_pr is None else p_pr.find(f"{W}numPr")
        if num_pr is not None:
            num_id = _val(num_pr, f"{W}numId") or num_id
            level = _val(num_pr, f"{W}ilvl")
            ilvl = int(level) if level and level.isdigit() else ilvl
        levels = self._levels.get(num_id or "")
        if not levels or num_id in (None, "0"):
            return ""
        ilvl = ilvl or 0
        if ilvl not in levels or levels[ilvl][1] in ("bullet", "none"):
            return ""
        assert num_id is not None
        counters = self._counters.setdefault(num_id, {})
        counters[ilvl] = counters.get(ilvl, levels[ilvl][0] - 1) + 1
        for deeper in [k for k in counters if k > ilvl]:
            del counters[deeper]
        text = levels[ilvl][2]
        for k in range(ilvl, -1, -1):
            if k in levels:
                value = counters.get(k, levels[k][0])
                text = text.replace(f"%{k + 1}", format_number(value, levels[k][1]))
        return text
