"""Where the report starts and ends inside its page, and its narrative sections.

The report starts at its title (or, without one, at its first section) and ends at the date
under the signature or at the first piece of page furniture after it (``扫一扫…``,
``相关词条``, print/close links, ``上一篇``…). Sections are the headings and paragraphs in
between, without the tables, their captions and the signature — and without the furniture
of encyclopedia-style mirrors (a ``基本介绍`` info box of ``中文名:…`` lines, ``报告内容``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from parser.document import Block
from parser.metadata import find_title, is_signature_date
from parser.record import Section

_HEADING = re.compile(
    r"^(?:[一二三四五六七八九十]{1,3}[、.．]|[(（][一二三四五六七八九十]{1,3}[)）]|第[一二三四五六七八九十]{1,3}部分)"
)
_LEGACY_HEADINGS = (
    "概述",
    "基本情况",
    "总体情况",
    "主动公开政府信息的情况",
    "依申请公开",
    "改进措施",
)
_FURNITURE = re.compile(
    r"^(?:扫一扫在手机上查看当前页面|相关词条|热门词条|相关链接|相关文章|相关信息|相关文件|打印本页|"
    r"【?打印】?|【?关闭】?|关闭窗口|上一篇|下一篇|分享到|网站地图|版权所有|主办单位|联系我们|联络我们|"
    r"返回顶部|【字体|字号[:：]|扫一扫)"
)
#: Encyclopedia mirrors (baike-style pages) wrap a report in an info box and headings of
#: their own; none of it is the agency's text.
_INFOBOX_HEAD = re.compile(r"^(?:基本介绍|基本信息|基本资料|百科名片|词条信息)$")
_INFOBOX_LINE = re.compile(r"^[•·●▪*-]?\s*[\u4e00-\u9fffA-Za-z]{1,6}\s*:\s*\S")
_MIRROR_LINE = re.compile(r"^(?:报告内容|目录|编辑|展开|收起|展开全部|词条标签|参考资料)$")
_BULLET = re.compile(r"^[•·●▪]\s*")
#: The longest line ``_MIRROR_LINE`` or ``_INFOBOX_HEAD`` can match.
_MIRROR_WORD = 4
_BULLETS = "•·●▪"


def _unbullet(text: str) -> str:
    return (_BULLET.sub("", text) if text[:1] in _BULLETS else text).strip()


_FIRST_SECTION = re.compile(r"^(?:一[、.．]|[(（]一[)）]|概述)")


@dataclass(frozen=True)
class Scope:
    start: int
    end: int
    title_index: int | None
    title: str | None
    signature_index: int | None


def is_heading(text: str) -> bool:
    if len(text) > 40:
        return False
    if _HEADING.match(text):
        return "。" not in text[:-1]
    return text in _LEGACY_HEADINGS or (len(text) <= 16 and text.endswith(_LEGACY_HEADINGS))


def scope(blocks: tuple[Block, ...], html: bool) -> Scope:
    paragraphs = [(i, b.text) for i, b in enumerate(blocks) if b.cells is None]
    first_heading = next(
        (i for i, t in paragraphs if _FIRST_SECTION.match(t) and is_heading(t)), None
    )
    title = find_title(paragraphs, first_heading)
    if title is not None:
        start = title[0]
    elif html:
        intro = next((i for i, t in paragraphs if "信息公开条例" in t), None)
        options = [i for i in (intro, first_heading) if i is not None]
        start = min(options) if options else 0
    else:
        start = 0
    end = len(blocks)
    for i, text in paragraphs:
        if i > start and _FURNITURE.match(text):
            end = i
            break
    last_row = max(
        (i for i, b in enumerate(blocks[:end]) if b.cells is not None and i >= start), default=start
    )
    signature = None
    for i, text in paragraphs:
        if last_row <= i < end and i > start and is_signature_date(text):
            signature = i
    if signature is not None:
        end = signature + 1
    return Scope(start, end, title[0] if title else None, title[1] if title else None, signature)


def build_sections(
    blocks: tuple[Block, ...], where: Scope, table_blocks: frozenset[int]
) -> tuple[Section, ...]:
    out: list[Section] = []
    heading = ""
    paragraphs: list[str] = []
    skip: set[int | None] = {where.title_index, where.signature_index}
    skip.update(mirror_furniture(blocks, where.start, where.end))
    if where.signature_index is not None:
        before = where.signature_index - 1
        text = blocks[before].text if before >= 0 else ""
        if (
            blocks[before].cells is None
            and len(text) <= 30
            and not is_heading(text)
            and "。" not in text
        ):
            skip.add(before)
    for i in range(where.start, where.end):
        block = blocks[i]
        if block.cells is not None or i in skip:
            continue
        text = _unbullet(block.text)
        if not text:
            continue
        if is_heading(text):
            if heading or paragraphs:
                out.append(Section(heading, tuple(paragraphs)))
            heading, paragraphs = text, []
            continue
        if i in table_blocks:
            continue
        paragraphs.append(text)
    if heading or paragraphs:
        out.append(Section(heading, tuple(paragraphs)))
    return tuple(s for s in out if s.paragraphs or not _is_table_heading(s.heading))


def mirror_furniture(blocks: tuple[Block, ...], start: int, end: int) -> set[int]:
    """Indices of an encyclopedia mirror's info box and headings between ``start`` and ``end``.

    The info box is its heading and the short ``key: value`` lines right after it (readers
    give them as paragraphs or, for a bulleted text, as rows).
    """
    out: set[int] = set()
    i = start
    while i < end:
        text = _unbullet(blocks[i].text)
        if len(text) > _MIRROR_WORD:
            pass  # longer than any mirror heading: the common case, without two regexes
        elif _MIRROR_LINE.match(text):
            out.add(i)
        elif _INFOBOX_HEAD.match(text):
            out.add(i)
            while i + 1 < end and _is_infobox_line(blocks[i + 1].text):
                i += 1
                out.add(i)
        i += 1
    return out


def _is_infobox_line(text: str) -> bool:
    return len(text) <= 60 and "。" not in text and bool(_INFOBOX_LINE.match(text.strip()))


def _is_table_heading(heading: str) -> bool:
    return heading.startswith(("二、", "三、", "四、")) and len(heading) <= 30
