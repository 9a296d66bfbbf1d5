"""HTML of the portal's pages: chrome, home pages, list pages (five pagination schemes),
report pages, and the small pages around them."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from crawler.demo.cast import AgencySpec

SITE_NAME = "示范省政府网站群"


@dataclass(frozen=True)
class Entry:
    """One line of a list page."""

    title: str
    href: str
    date: str  # ISO date


def page(title: str, body: str, *, head: str = "") -> str:
    """A full page; ``head`` carries the charset declaration (or nothing)."""
    return (
        "<!DOCTYPE html>\n<html>\n<head>\n"
        + head
        + f"<title>{escape(title)}</title>\n"
        + '<link rel="stylesheet" href="/static/site.css">\n</head>\n<body>\n'
        + f'<div class="top"><a href="/">{SITE_NAME}</a></div>\n'
        + body
        + '\n<div class="footer">主办：示范省人民政府办公厅（示例站点，虚构数据）'
        + ' <a href="/sitemap.html">网站地图</a></div>\n</body>\n</html>\n'
    )


def charset_head(declared: str | None, style: int) -> str:
    if declared is None:
        return ""
    if style % 2:
        return f'<meta http-equiv="Content-Type" content="text/html; charset={declared}">\n'
    return f'<meta charset="{declared}">\n'


def list_file(spec: AgencySpec, n: int) -> str:
    """The static file holding page ``n`` (0-based) of an agency's list."""
    base = spec.slug + spec.list_dir
    if spec.pagination == "query":
        return base + ("list.html" if n == 0 else f"list__page{n + 1}.html")
    if spec.pagination == "next":
        return base + ("index.html" if n == 0 else f"index_p{n + 1}.html")
    return base + ("index.html" if n == 0 else f"index_{n}.html")


def list_url(spec: AgencySpec, n: int) -> str:
    """How page ``n`` is linked (the ``?page=N`` scheme has no file name of its own)."""
    if spec.pagination == "query" and n > 0:
        return spec.slug + spec.list_dir + f"list.html?page={n + 1}"
    return list_file(spec, n)


def list_pages(spec: AgencySpec, entries: Sequence[Entry]) -> list[tuple[str, str, str]]:
    """``(file, url, html body)`` for every page of the list."""
    count = max(1, math.ceil(len(entries) / spec.page_size))
    out = []
    for n in range(count):
        chunk = entries[n * spec.page_size : (n + 1) * spec.page_size]
        items = []
        for e in chunk:
            date = f"<span>{e.date}</span>" if spec.list_dates else ""
            items.append(
                f'<li><a href="{e.href}" title="{escape(e.title)}">{escape(e.title)}</a>{date}</li>'
            )
        body = (
            f'<div class="crumb"><a href="{spec.slug}index.html">首页</a> &gt; 政府信息公开'
            f" &gt; 政府信息公开年报</div>\n<h2>政府信息公开年报</h2>\n"
            f'<ul class="list">\n' + "\n".join(items) + "\n</ul>\n" + _pager(spec, n, count)
        )
        out.append((list_file(spec, n), list_url(spec, n), body))
    return out


def _pager(spec: AgencySpec, n: int, count: int) -> str:
    if count == 1 or spec.pagination == "single":
        return ""
    if spec.pagination == "create":
        # TRS-style: the page links are written by a script at view time, no <a> in the HTML.
        return (
            '<div class="page"><script type="text/javascript">\n'
            f'createPageHTML({count}, {n}, "index", "html");\n</script></div>'
        )
    links = []
    if spec.pagination == "index":
        links.append(f'<a href="{list_url(spec, 0)}">首页</a>')
        if n > 0:
            links.append(f'<a href="{list_url(spec, n - 1)}">上一页</a>')
        for i in range(count):
            links.append(
                f"<span>{i + 1}</span>" if i == n else f'<a href="{list_url(spec, i)}">{i + 1}</a>'
            )
    if n + 1 < count:
        links.append(f'<a href="{list_url(spec, n + 1)}">下一页</a>')
    if spec.pagination == "index":
        links.append(f'<a href="{list_url(spec, count - 1)}">尾页</a>')
    return f'<div class="page">共{count}页 ' + " ".join(links) + "</div>"


def date_line(style: int, iso: str) -> str:
    y, m, d = iso.split("-")
    if style % 3 == 0:
        return f"发布时间：{iso}"
    if style % 3 == 1:
        return f"发布日期：{y}年{m}月{d}日"
    return f"时间：{iso} 09:30:00"


def article(spec: AgencySpec, title: str, info: str, body: str) -> str:
    return (
        f'<div class="crumb"><a href="{spec.slug}index.html">首页</a> &gt; '
        f'<a href="{spec.slug}{spec.list_dir}">政府信息公开年报</a></div>\n'
        f'<div class="article">\n<h1>{escape(title)}</h1>\n'
        f'<div class="info">{escape(info)} 来源：{escape(spec.name)}</div>\n'
        f'<div class="content">\n{body}\n</div>\n</div>'
    )


def column_url(spec: AgencySpec) -> str:
    """The 年报 column as the portal links it: the folder when it has an index page."""
    first = list_url(spec, 0)
    return spec.slug + spec.list_dir if first.endswith("/index.html") else first


def home(spec: AgencySpec, children: Sequence[AgencySpec], extra: str = "") -> str:
    column = column_url(spec)
    label = ("政府信息公开年报", "政府信息公开工作年度报告", "年度报告")[len(spec.id) % 3]
    if not spec.in_registry:
        label = "政府信息公开年报"
    kids = "".join(f'<li><a href="{c.slug}index.html">{escape(c.name)}</a></li>' for c in children)
    return (
        f"<h1>{escape(spec.name)}</h1>\n"
        f'<div class="nav"><a href="{spec.slug}index.html">首页</a> '
        f'<a href="{spec.slug}zwdt/index.html">政务动态</a> '
        f'<a href="{spec.slug}xxgk/zn.html">政府信息公开指南</a> '
        f'<a href="{column}">{label}</a></div>\n'
        '<div class="news"><h3>政务动态</h3>'
        f"<ul><li>{escape(spec.short)}召开政务公开工作推进会</li>"
        f"<li>{escape(spec.short)}开展“政府开放日”活动</li></ul></div>\n"
        + (f'<div class="links"><h3>下级单位</h3><ul>{kids}</ul></div>\n' if kids else "")
        + extra
    )
