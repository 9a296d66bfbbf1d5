"""Title, agency, year, signature date and template of a report."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass

#: ``…信息公开工作年度报告``, ``…政务公开工作的年度报告``, ``…信息公开年报``.
_TITLE = re.compile(r"(?:信息|政务)公开(?:工作)?的?(?:年度)?(?:工作)?报告|信息公开年报")
_YEAR = re.compile(r"((?:19|20)\d\d)\s*年(?:度)?")
#: Where the report's own words start in a title: the agency is written before them.
_REPORT_NOUN = re.compile(r"信息公开|政务公开|政务信息")
_TITLE_YEAR = re.compile(r"[(（\[【]?\s*(?:19|20)\d\d\s*年度?\s*[)）\]】]?")
#: ``X关于…`` and ``关于印发X…的通知``: the words around the agency, not part of it.
_ABOUT = re.compile(r"关于(?:印发|公布|发布|公开)?")
_EDGES = " -—_:：,，、的"
#: What a signature line names: an organ (its name ends with the kind of organ it is).
_ORGAN = re.compile(
    r"[\u4e00-\u9fff()（）]{2,30}?(?:人民政府|政府|办事处|委员会|管委会|办公室|办公厅|局|厅|委|办|"
    r"院|所|中心|署|站|队|处|部|会|馆|社|公司|集团|街道|乡|镇)"
)
_PERIOD = re.compile(
    r"统计(?:期限|时限|时间|区间)[^。]{0,12}?((?:19|20)\d\d)\s*年\s*1\s*月\s*1\s*日"
)
_DATE = re.compile(r"((?:19|20)\d\d)\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_CN_DATE = re.compile(
    r"([〇零一二三四五六七八九○Ｏ]{4})年([一二三四五六七八九十]{1,3})月([一二三四五六七八九十]{1,3})日"
)
_CN_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0, "○": 0, "Ｏ": 0}

#: A township named inside 《》, “” or () — as in 《人和乡基层政务公开标准目录》.
_TOWNSHIP = re.compile(r"[《“\"(（]([\u4e00-\u9fff]{1,4}?(?:乡|镇|街道))(?=[\u4e00-\u9fff])")
_COUNTY = re.compile(
    r"(?:^|[《“\"(（\s,，、。])([\u4e00-\u9fff]{1,4}?(?:县|区|市))(?=政府|人民政府)"
)
_SELF_TOWNSHIP = re.compile(r"[我本全](乡|镇|街道)")


@dataclass(frozen=True)
class Metadata:
    title: str | None
    title_index: int | None
    agency: str | None
    agency_inferred: bool
    year: int | None
    year_inferred: bool


def is_title(text: str) -> bool:
    return len(text) <= 80 and bool(_TITLE.search(text)) and "。" not in text


def find_title(
    paragraphs: list[tuple[int, str]], first_heading: int | None
) -> tuple[int, str] | None:
    """The title line: the last title-like paragraph before the first section heading."""
    candidates = [
        (i, t)
        for i, t in paragraphs
        if is_title(t) and (first_heading is None or i < first_heading)
    ]
    if not candidates and first_heading is None:
        return None
    return candidates[-1] if candidates else None


def agency_from_title(title: str) -> str | None:
    """The agency a title names: the words before the report's own (year and 关于 removed).

    Handles ``X2023年度政府信息公开工作年度报告``, ``X关于2023年度政府信息公开工作的年度
    报告``, ``X政府信息公开工作年度报告（2023年度）``, ``2023年X政府信息公开工作年度报告``
    and ``关于印发X…的通知``.
    """
    title = re.sub(r"^[\s《]+|[》\s]+$", "", title)
    noun = _REPORT_NOUN.search(title)
    if noun is None:
        return None
    head = _TITLE_YEAR.sub("", _drop_report_prefix(title[: noun.start()]))
    about = _ABOUT.search(head)
    if about:
        before = head[: about.start()].strip(_EDGES)
        head = before if len(before) >= 2 else head[about.end() :]
    agency = head.strip(_EDGES)
    return agency if len(re.findall(r"[\u4e00-\u9fff]", agency)) >= 2 else None


def _drop_report_prefix(head: str) -> str:
    """``X政府`` / ``X政务`` before 信息公开 → ``X``, but ``X人民政府`` keeps its 政府.

    "X人民政府信息公开…" shares one 政府 between the agency and the report's words, so it
    stays; "X人民政府政府信息公开…" spells both, so the second goes.
    """
    shared = head.endswith("人民政府") and not head.endswith("人民政府政府")
    return head[:-2] if head.endswith(("政府", "政务")) and not shared else head


def agency_from_signature(line: str, previous: str | None) -> str | None:
    """The organ signing the report: on the date line (``X 2024年1月20日``) or the line above.

    Only a short line that is nothing but an organ's name counts (``特此报告`` does not).
    """
    for text in (_DATE.sub("", _CN_DATE.sub("", line)), previous or ""):
        text = re.sub(r"\s+", "", text)
        if _ORGAN.fullmatch(text) and not _REPORT_NOUN.search(text):
            return text
    return None


def infer_agency(text: str) -> str | None:
    """An agency named nowhere as such: a township the text speaks for, within its county."""
    kind = _SELF_TOWNSHIP.search(text)
    if not kind:
        return None
    suffix = kind.group(1)
    townships = Counter(
        m.group(1)
        for m in _TOWNSHIP.finditer(text)
        if m.group(1).endswith(suffix) and not set(m.group(1)) & set("本我全各该此其每了")
    )
    if not townships:
        return None
    township = townships.most_common(1)[0][0]
    counties = Counter(m.group(1) for m in _COUNTY.finditer(text))
    county = counties.most_common(1)[0][0] if counties else ""
    office = "办事处" if suffix == "街道" else "人民政府"
    return f"{county}{township}{office}"


def find_year(title: str | None, text: str) -> tuple[int | None, bool]:
    if title:
        found = _YEAR.search(title)
        if found:
            return int(found.group(1)), False
    period = _PERIOD.search(text)
    if period:
        return int(period.group(1)), True
    years = Counter(int(y) for y in _YEAR.findall(text[:20000]))
    if years:
        return years.most_common(1)[0][0], True
    return None, False


def parse_date(text: str) -> dt.date | None:
    found = _DATE.search(text)
    try:
        if found:
            return dt.date(int(found.group(1)), int(found.group(2)), int(found.group(3)))
        cn = _CN_DATE.search(text)
        if cn:
            year = int("".join(str(_CN_DIGITS[c]) for c in cn.group(1)))
            return dt.date(year, _cn_number(cn.group(2)), _cn_number(cn.group(3)))
    except (ValueError, KeyError):
        return None
    return None


def _cn_number(text: str) -> int:
    digits = {c: i for i, c in enumerate("零一二三四五六七八九")}
    if text == "十":
        return 10
    if text.startswith("十"):
        return 10 + digits[text[1]]
    if text.endswith("十"):
        return digits[text[0]] * 10
    if "十" in text:
        return digits[text[0]] * 10 + digits[text[2]]
    return digits[text]


def is_signature_date(text: str) -> bool:
    """A short line that is (an agency name and) a date: the date under the signature."""
    stripped = re.sub(r"\s+", "", text)
    if len(stripped) > 40:
        return False
    rest = _DATE.sub("", stripped, count=1)
    if rest == stripped:
        rest = _CN_DATE.sub("", stripped, count=1)
    return rest != stripped and (
        not rest or bool(re.fullmatch(r"[\u4e00-\u9fff()（）]{2,30}", rest))
    )


def detect_template(texts: list[str], year: int | None, has_rows: bool) -> str:
    joined = "".join(texts)
    if not has_rows:
        return "legacy"
    marks_2019 = sum(
        joined.count(k)
        for k in (
            "新制作数量",
            "新公开数量",
            "对外公开总数量",
            "对外管理服务",
            "集中采购",
            "上一年项目数量",
        )
    )
    marks_2021 = sum(
        joined.count(k)
        for k in ("本年制发件数", "本年废止件数", "现行有效件数", "不补正", "收费通知", "缴纳费用")
    )
    if marks_2019 != marks_2021:
        return "2019" if marks_2019 > marks_2021 else "2021"
    return "2019" if year is not None and year < 2021 else "2021"
