"""Lay the planned reports out as a web site: paths, pages, encodings, content types,
modification times, robots.txt and its trap, broken links."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from html import escape

from crawler.demo import cast, pages
from crawler.demo.cast import AgencySpec
from crawler.demo.content import ReportContent
from crawler.demo.pages import Entry
from crawler.demo.plan import Planned
from crawler.demo.render import body_html

_CHINA = dt.timezone(dt.timedelta(hours=8))
#: When the portal's navigation pages were last regenerated (before the first crawl).
_SITE_TIME = dt.datetime(2026, 11, 20, 8, 0, tzinfo=_CHINA)
_TYPES = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".css": "text/css; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
}
ROBOTS = "User-agent: *\nDisallow: /trap/\n"


@dataclass(frozen=True)
class Placement:
    page: str
    attachment: str | None
    encoding: str
    declared: str | None


@dataclass
class Portal:
    reports: list[Planned]
    files: dict[str, bytes] = field(default_factory=dict)
    mtimes: dict[str, dt.datetime] = field(default_factory=dict)
    content_types: dict[str, str] = field(default_factory=dict)
    encodings: dict[str, str] = field(default_factory=dict)
    placement: dict[tuple[str, int], Placement] = field(default_factory=dict)
    registry_list: dict[str, str] = field(default_factory=dict)
    list_urls: dict[str, tuple[str, ...]] = field(default_factory=dict)
    disallow: tuple[str, ...] = ("/trap/",)
    trap_paths: tuple[str, ...] = ("/trap/index.html", "/trap/preview-2025.html")
    broken_links: tuple[str, ...] = ()

    def add_html(
        self,
        path: str,
        text: str,
        *,
        encoding: str = "utf-8",
        declared: str | None = "utf-8",
        mtime: dt.datetime = _SITE_TIME,
    ) -> None:
        self.files[path] = text.encode(encoding)
        self.encodings[path] = encoding
        # The server says what the page says, except a GBK page declares nothing anywhere.
        charset = "; charset=utf-8" if (encoding, declared) == ("utf-8", "utf-8") else ""
        self.content_types[path] = "text/html" + charset
        self.mtimes[path] = mtime

    def add_file(self, path: str, data: bytes, mtime: dt.datetime = _SITE_TIME) -> None:
        self.files[path] = data
        self.mtimes[path] = mtime
        suffix = path[path.rfind(".") :]
        self.content_types[path] = _TYPES.get(suffix, "application/octet-stream")


def _declared(spec: AgencySpec) -> str | None:
    return "utf-8" if spec.encoding == "utf-8" else None


def _head(spec: AgencySpec, declared: str | None) -> str:
    return pages.charset_head(declared, len(spec.name))


def _published_at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(9, 30), tzinfo=_CHINA)


def _place(p: Planned) -> Placement:
    spec, day = p.spec, p.published_on
    folder = f"{spec.slug}{spec.list_dir}{day:%Y%m}/"
    fmt = spec.fmt(p.year)[0]
    attachment = f"{folder}P0{day:%Y%m%d}{p.number}.{fmt}" if fmt in ("pdf", "docx") else None
    encoding, declared = spec.encoding, _declared(spec)
    if (spec.id, p.year) == cast.WRONG_META:
        encoding, declared = "gbk", "utf-8"
    return Placement(f"{folder}t{day:%Y%m%d}_{p.number}.html", attachment, encoding, declared)


def _report_page(p: Planned, placed: Placement, attachment_bytes: bytes | None) -> str:
    spec, content = p.spec, p.content
    info = pages.date_line(len(spec.id), p.published_on.isoformat())
    if placed.attachment:
        label = f"{content.title}.{spec.fmt(p.year)[0]}"
        body = f'<p>附件：<a href="{placed.attachment}">{escape(label)}</a></p>'
    else:
        body = body_html(content, spec.fmt(p.year)[1])
    return pages.page(
        f"{content.title}_{spec.name}",
        pages.article(spec, content.title, info, body),
        head=_head(spec, placed.declared),
    )


def _list_title(p: Planned) -> str:
    # Department sites often drop their own name from list titles.
    if p.spec.level == "department" and p.year % 2 == 0:
        return f"{p.year}年政府信息公开工作年度报告"
    return p.content.title


def _other_entries(spec: AgencySpec, index: int) -> tuple[list[Entry], list[tuple[str, str]]]:
    """Non-report lines of the column (工作要点, 通知, 指南); returns entries and pages."""
    base = spec.slug + spec.list_dir
    items = [
        (
            f"{spec.short}2025年政务公开工作要点",
            f"{base}202503/t20250312_{index}01.html",
            "2025-03-12",
        ),
        (
            "关于做好2024年度政府信息公开工作年度报告编制和发布工作的通知",
            f"{base}202412/t20241206_{index}02.html",
            "2024-12-06",
        ),
        (
            f"{spec.name}政府信息公开指南（2023年修订）",
            f"{base}202306/t20230619_{index}03.html",
            "2023-06-19",
        ),
    ]
    entries = [Entry(t, h, d) for t, h, d in items]
    written = [(h, t) for t, h, _ in items]
    if index % 3 == 0:  # this agency's 通知 link is dead
        written = [w for w in written if "t20241206" not in w[0]]
    return entries, written


def render_portal(
    planned: list[Planned],
    *,
    pdf: Callable[[ReportContent], bytes],
    docx: Callable[[ReportContent], bytes],
) -> Portal:
    portal = Portal(reports=planned)
    by_agency: dict[str, list[Planned]] = defaultdict(list)
    for p in planned:
        by_agency[p.spec.id].append(p)
    broken: list[str] = []
    for index, spec in enumerate(cast.AGENCIES):
        entries: list[Entry] = []
        for p in by_agency[spec.id]:
            placed = _place(p)
            portal.placement[(spec.id, p.year)] = placed
            entries.append(Entry(_list_title(p), placed.page, p.published_on.isoformat()))
            if p.removed:
                continue
            at = _published_at(p.published_on)
            data = None
            if placed.attachment:
                maker = pdf if spec.fmt(p.year)[0] == "pdf" else docx
                data = maker(p.content)
                portal.add_file(placed.attachment, data, at)
            html = _report_page(p, placed, data)
            portal.add_html(
                placed.page, html, encoding=placed.encoding, declared=placed.declared, mtime=at
            )
        others, written = _other_entries(spec, index)
        entries += others
        for href, title in written:
            body = pages.article(
                spec,
                title,
                pages.date_line(len(spec.id), href[-20:-12][:4] + "-01-01"),
                f"<p>{escape(title)}。</p>",
            )
            portal.add_html(
                href,
                pages.page(title, body, head=_head(spec, _declared(spec))),
                encoding=spec.encoding,
                declared=_declared(spec),
            )
        broken += [e.href for e in others if e.href not in dict(written)]
        entries.sort(key=lambda e: (e.date, e.href), reverse=True)
        urls = []
        for file, url, body in pages.list_pages(spec, entries):
            portal.add_html(
                file,
                pages.page(
                    f"政府信息公开年报_{spec.name}", body, head=_head(spec, _declared(spec))
                ),
                encoding=spec.encoding,
                declared=_declared(spec),
            )
            urls.append(url)
        portal.list_urls[spec.id] = tuple(urls)
        first = pages.list_url(spec, 0)
        portal.registry_list[spec.id] = (
            spec.slug + spec.list_dir if first.endswith("/index.html") and index % 2 else first
        )
        _small_pages(portal, spec, index)
    portal.broken_links = (*broken, "/shimen/xxgk/old-link.html")
    _site_pages(portal)
    return portal


def _small_pages(portal: Portal, spec: AgencySpec, index: int) -> None:
    children = [c for c in cast.AGENCIES if c.parent == spec.id]
    extra = ""
    if spec.id == "sfs-gov":
        extra = '<div class="tools"><a href="/trap/index.html">信息公开预览（内部）</a></div>\n'
    if spec.id == "sm-gov":
        extra = (
            '<div class="tools"><a href="/shimen/xxgk/old-link.html">原政府信息公开专栏</a></div>\n'
        )
    head = _head(spec, _declared(spec))
    enc, dec = spec.encoding, _declared(spec)
    portal.add_html(
        spec.slug + "index.html",
        pages.page(spec.name, pages.home(spec, children, extra), head=head),
        encoding=enc,
        declared=dec,
    )
    news = f"<h2>政务动态</h2><ul><li>{escape(spec.short)}召开政务公开工作推进会</li></ul>"
    portal.add_html(
        spec.slug + "zwdt/index.html",
        pages.page(f"政务动态_{spec.name}", news, head=head),
        encoding=enc,
        declared=dec,
    )
    guide = (
        f"<h2>{escape(spec.name)}政府信息公开指南</h2>"
        "<p>申请人可通过网上申请、信函申请等方式提出政府信息公开申请。</p>"
    )
    portal.add_html(
        spec.slug + "xxgk/zn.html",
        pages.page(f"政府信息公开指南_{spec.name}", guide, head=head),
        encoding=enc,
        declared=dec,
    )


def _site_pages(portal: Portal) -> None:
    portals = "".join(
        f'<li><a href="{s.slug}index.html">{escape(s.name)}</a></li>' for s in cast.AGENCIES
    )
    head = pages.charset_head("utf-8", 0)
    portal.add_html(
        "/index.html",
        pages.page(pages.SITE_NAME, f"<h1>{pages.SITE_NAME}</h1><ul>{portals}</ul>", head=head),
    )
    portal.add_html(
        "/sitemap.html", pages.page("网站地图", f"<h2>网站地图</h2><ul>{portals}</ul>", head=head)
    )
    portal.add_file("/robots.txt", ROBOTS.encode())
    portal.add_file(
        "/static/site.css",
        b"body{font-family:sans-serif;margin:0 auto;max-width:960px}\n"
        b"table{border-collapse:collapse}td{border:1px solid #333;padding:2px 4px}\n",
    )
    trap = (
        "<h2>内部预览（请勿抓取）</h2><ul>"
        '<li><a href="/trap/preview-2025.html">'
        "示范省人民政府2025年政府信息公开工作年度报告（预览稿）</a></li></ul>"
    )
    portal.add_html("/trap/index.html", pages.page("内部预览", trap, head=head))
    preview = (
        "<h1>示范省人民政府2025年政府信息公开工作年度报告（预览稿）</h1>"
        "<p>本页面仅供内部预览，数据未经审核。</p>"
    )
    portal.add_html("/trap/preview-2025.html", pages.page("预览稿", preview, head=head))
