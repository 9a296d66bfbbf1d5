"""What the spider reads from portal pages: pure functions over a parsel ``Selector``.

Kept free of Scrapy requests and responses so each rule can be tested on a string.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit

from parsel import Selector
from w3lib.html import strip_html5_whitespace
from w3lib.url import safe_url_string

from crawler.dates import labelled_date, parse_date, title_year

ATTACHMENT_EXTENSIONS = (".pdf", ".doc", ".docx", ".wps", ".xls", ".xlsx")
_REPORT_WORDS = re.compile(r"年度报告|年报")
_NOT_REPORT = re.compile(r"工作要点|要点|通知|计划|公告|征集|解读")
_NEXT = re.compile(r"^\s*(下一页|下页|后一页|>|»|›)\s*$")
_PAGED_URL = re.compile(
    r"(?:index|list|default)_\d+\.s?html?$|[?&](?:page|pageNo|pageIndex|currentPage|p)=\d+"
)
_CREATE_PAGE = re.compile(
    r"createPageHTML\(\s*['\"]?(\d+)['\"]?\s*,\s*['\"]?(\d+)['\"]?\s*,\s*['\"]([\w-]+)['\"]\s*,\s*['\"](\w+)['\"]"
)
_COLUMN_TEXT = re.compile(
    r"政府信息公开(?:工作)?年(?:度报告|报)|信息公开年报|^\s*年度报告\s*$|^\s*年报\s*$"
)
_ATTACHMENT_URL = re.compile(r"\.(?:pdf|docx?|wps|xlsx?)(?:$|[?#])", re.IGNORECASE)
_SCHEMES = {"http", "https", "ftp", "file"}
_COLUMN_URL = re.compile(r"zfxxgknb|xxgknb|gknb|ndbg", re.IGNORECASE)
_GATEWAY_TEXT = re.compile(r"信息公开|政务公开|公开目录|xxgk|zwgk", re.IGNORECASE)
_GATEWAY_URL = re.compile(r"xxgk|zwgk|gkml|openness|zfxxgk", re.IGNORECASE)


@dataclass(frozen=True)
class Anchor:
    url: str
    text: str  # the anchor's text, or its title attribute when that is longer (lists truncate)
    context: str  # the text of the enclosing list item / table row (where the date is)


@dataclass(frozen=True)
class Entry:
    """One annual-report entry of a list page."""

    url: str
    title: str
    year: int
    list_date: dt.date | None


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _text(node: Any) -> str:
    """All the text under an lxml element (works on the raw tree: parsel wrappers per text
    node cost more than the reading itself on a long page)."""
    return _clean(" ".join(node.xpath(".//text()")))


def anchors(sel: Selector, base_url: str) -> Iterator[Anchor]:
    """Every ``<a href>`` with an absolute URL (honours ``<base href>``)."""
    root = sel.root
    base = root.xpath("//base/@href")
    base_url = urljoin(base_url, str(base[0])) if base else base_url
    for a in root.xpath("//a[@href]"):
        href = (a.get("href") or "").strip()
        if not href or href.startswith(("#", "javascript:", "mailto:", "tel:")):
            continue
        text = _text(a)
        title = _clean(a.get("title") or "")
        if len(title) > len(text):
            text = title
        row = next(a.iterancestors("li", "tr", "dd", "p"), None)
        context = _text(row) if row is not None else text
        yield Anchor(url=urljoin(base_url, href), text=text, context=context)


def is_report_title(title: str) -> bool:
    """An annual report's title: a year and 年度报告/年报, and not a 工作要点 or 通知."""
    return (
        title_year(title) is not None
        and _REPORT_WORDS.search(title) is not None
        and _NOT_REPORT.search(title) is None
    )


def list_entries(sel: Selector, base_url: str) -> list[Entry]:
    """The annual-report entries of a list page, in page order, each once."""
    seen: set[str] = set()
    out: list[Entry] = []
    for a in anchors(sel, base_url):
        year = title_year(a.text)
        if a.url in seen or year is None or not is_report_title(a.text):
            continue
        seen.add(a.url)
        date_text = a.context.replace(a.text, " ", 1)
        out.append(Entry(url=a.url, title=a.text, year=year, list_date=parse_date(date_text)))
    return out


def next_pages(sel: Selector, base_url: str) -> list[str]:
    """Other pages of the same list: 下一页 links, ``index_N.html``/``page=N`` links and the
    pages a ``createPageHTML(total, current, "index", "html")`` script would draw."""
    found: list[str] = []
    here = urlsplit(base_url)
    for a in anchors(sel, base_url):
        target = urlsplit(a.url)
        same_dir = (
            target.netloc == here.netloc
            and target.path.rsplit("/", 1)[0] == here.path.rsplit("/", 1)[0]
        )
        if _NEXT.match(a.text) or (same_dir and _PAGED_URL.search(a.url)):
            found.append(a.url)
    for script in sel.xpath("//script/text()").getall():
        for match in _CREATE_PAGE.finditer(script):
            total, stem, ext = int(match.group(1)), match.group(3), match.group(4)
            found.extend(urljoin(base_url, f"{stem}_{n}.{ext}") for n in range(1, total))
    return list(dict.fromkeys(u for u in found if u != base_url))


def publication_date(sel: Selector) -> dt.date | None:
    """The page's own 发布时间/发布日期/时间, if it shows one."""
    text = _clean(" ".join(sel.root.xpath("//body//text()[not(ancestor::script)]")))
    return labelled_date(text)


def page_title(sel: Selector) -> str | None:
    """The report's title: the heading that reads like a report title, else ``<title>``."""
    for xpath in ("//h1", "//h2", "//h3", "//*[contains(@class, 'title')]", "//title"):
        for node in sel.root.xpath(xpath):
            text = _text(node)
            if text and is_report_title(text):
                return text
    title = sel.root.xpath("//title/text()")
    return _clean(str(title[0])) if title else None


def attachment_links(sel: Selector, base_url: str, encoding: str = "utf-8") -> list[str]:
    """Links to report files (``.pdf``, ``.doc(x)``, ``.wps``, ``.xls(x)``) in ``<a>``,
    ``<area>``, ``<iframe>`` and ``<embed>``, absolute, each once, in page order.

    What ``LinkExtractor(allow=..., deny_extensions=())`` finds, without visiting every
    element and attribute of the page; the URL is escaped in the page's encoding as Scrapy
    does (a GBK page's Chinese file names are GBK-escaped, as its server expects)."""
    root = sel.root
    base = root.xpath("//base/@href")
    base_url = urljoin(base_url, str(base[0])) if base else base_url
    found: list[str] = []
    for value in root.xpath("//a/@href | //area/@href | //iframe/@src | //embed/@src"):
        try:
            url = safe_url_string(urljoin(base_url, strip_html5_whitespace(value)), encoding)
        except ValueError:
            continue  # a bogus link
        if url.split("://", 1)[0] in _SCHEMES and _ATTACHMENT_URL.search(url):
            found.append(url)
    return list(dict.fromkeys(found))


def is_attachment(url: str) -> bool:
    path = urlsplit(url).path.lower()
    return path.endswith(ATTACHMENT_EXTENSIONS)


def column_links(sel: Selector, base_url: str) -> tuple[list[str], list[str]]:
    """Discovery on a portal page: ``(report columns, gateways to follow)``.

    A column is a link whose text says 政府信息公开年报/年度报告 (without a year — a year means
    a single report) or whose URL says ``xxgknb``/``zfxxgknb``; a gateway is a link into the
    信息公开 section, where the column usually lives.
    """
    columns: list[str] = []
    gateways: list[str] = []
    for a in anchors(sel, base_url):
        if is_attachment(a.url):
            continue
        has_year = title_year(a.text) is not None
        if not has_year and (_COLUMN_TEXT.search(a.text) or _COLUMN_URL.search(a.url)):
            columns.append(a.url)
        elif not has_year and (
            _GATEWAY_TEXT.search(a.text) or _GATEWAY_URL.search(urlsplit(a.url).path)
        ):
            gateways.append(a.url)
    return list(dict.fromkeys(columns)), list(dict.fromkeys(gateways))
