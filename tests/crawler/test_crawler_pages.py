"""The page-reading rules, on small hand-written pages (what portals actually serve)."""

from __future__ import annotations

import datetime as dt

from parsel import Selector

from crawler import pages
from crawler.dates import labelled_date, parse_date, title_year

BASE = "http://www.example.gov.cn/xxgk/nb/index.html"


def sel(body: str) -> Selector:
    return Selector(text=f"<html><body>{body}</body></html>")


def test_list_entries_keep_reports_only_with_full_title_and_date() -> None:
    page = sel(
        '<ul><li><a href="202401/t1.html" title="某县2023年政府信息公开工作年度报告">'
        "某县2023年政府信息公开工作...</a><span>2024-01-18</span></li>"
        '<li><a href="t2.html">某县2024年政务公开工作要点</a><span>2024-03-01</span></li>'
        '<li><a href="t3.html">关于做好2023年度报告工作的通知</a></li>'
        '<li><a href="t4.html">某县2022年度政府信息公开年报</a> 2023年1月20日</li>'
        '<li><a href="t5.html">政府信息公开指南</a></li></ul>'
    )
    entries = pages.list_entries(page, BASE)
    assert [(e.url, e.title, e.year, e.list_date) for e in entries] == [
        (
            "http://www.example.gov.cn/xxgk/nb/202401/t1.html",
            "某县2023年政府信息公开工作年度报告",
            2023,
            dt.date(2024, 1, 18),
        ),
        ("http://www.example.gov.cn/xxgk/nb/t4.html", "某县2022年度政府信息公开年报", 2022,
         dt.date(2023, 1, 20)),
    ]  # fmt: skip


def test_pagination_next_link_numbered_pages_and_script_counter() -> None:
    page = sel(
        '<div><a href="index_1.html">2</a><a href="?page=3">3</a><a href="more.html">下一页</a>'
        '<a href="/other/index_5.html">elsewhere</a></div>'
        '<script>createPageHTML(4, 0, "index", "html");</script>'
    )
    assert pages.next_pages(page, BASE) == [
        "http://www.example.gov.cn/xxgk/nb/index_1.html",
        "http://www.example.gov.cn/xxgk/nb/index.html?page=3",
        "http://www.example.gov.cn/xxgk/nb/more.html",
        "http://www.example.gov.cn/xxgk/nb/index_2.html",
        "http://www.example.gov.cn/xxgk/nb/index_3.html",
    ]


def test_publication_date_prefers_the_publication_label() -> None:
    page = sel("<p>采集时间：2025-12-30</p><p>来源：本局 发布时间：2024-01-19 09:30</p>")
    assert pages.publication_date(page) == dt.date(2024, 1, 19)
    assert labelled_date("日期：2023/2/1 浏览次数：12") == dt.date(2023, 2, 1)
    assert labelled_date("更新时间：2023-02-01") is None
    assert parse_date("2024年13月1日 2024年2月30日 2024.02.29") == dt.date(2024, 2, 29)
    assert title_year("关于2023年度工作") == 2023


def test_discovery_tells_columns_from_single_reports_and_gateways() -> None:
    page = sel(
        '<a href="/xxgk/">政府信息公开</a><a href="/col/zfxxgknb/">年报</a>'
        '<a href="/a/2023.html">2023年政府信息公开工作年度报告</a>'
        '<a href="/nb/">政府信息公开工作年度报告</a><a href="/news/">新闻</a>'
    )
    columns, gateways = pages.column_links(page, "http://www.example.gov.cn/")
    assert columns == ["http://www.example.gov.cn/col/zfxxgknb/", "http://www.example.gov.cn/nb/"]
    assert gateways == ["http://www.example.gov.cn/xxgk/"]


def test_attachments_by_extension_and_report_titles() -> None:
    assert pages.is_attachment("http://x.gov.cn/files/2023年报.PDF")
    assert pages.is_attachment("http://x.gov.cn/files/a.wps")
    assert not pages.is_attachment("http://x.gov.cn/files/a.html")
    assert pages.page_title(sel("<h1>某局2023年政府信息公开工作年度报告</h1>")) == (
        "某局2023年政府信息公开工作年度报告"
    )


def test_attachment_links_in_every_tag_resolved_and_escaped_like_scrapy() -> None:
    from scrapy.http import HtmlResponse
    from scrapy.linkextractors import LinkExtractor

    html = (
        '<html><head><base href="http://files.example.gov.cn/nb/"></head><body>'
        '<a href=" 2023年报.pdf?f=年报 ">附件</a><a href="2023年报.pdf?f=年报">again</a>'
        '<area href="/m/t.docx"><iframe src="view.wps?id=3"></iframe><embed src="s.xls#p1">'
        '<a href="page.html">正文</a><a href="javascript:open(\'x.pdf\')">js</a>'
        '<a href="mailto:x@example.gov.cn?subject=a.pdf">mail</a><a href="B.PDF">大写</a>'
        "</body></html>"
    )
    response = HtmlResponse(BASE, body=html.encode("gb18030"), encoding="gb18030")
    found = pages.attachment_links(response.selector, response.url, response.encoding)
    assert found == [
        # the path escaped as UTF-8, the query in the page's encoding (GBK), as browsers do
        "http://files.example.gov.cn/nb/2023%E5%B9%B4%E6%8A%A5.pdf?f=%C4%EA%B1%A8",
        "http://files.example.gov.cn/m/t.docx",
        "http://files.example.gov.cn/nb/view.wps?id=3",
        "http://files.example.gov.cn/nb/s.xls#p1",
        "http://files.example.gov.cn/nb/B.PDF",
    ]
    # What Scrapy's LinkExtractor finds, which only misses the upper-case extension.
    scrapy_links = LinkExtractor(
        allow=(r"\.(?:pdf|docx?|wps|xlsx?)(?:$|[?#])",),
        deny_extensions=(),
        tags=("a", "area", "iframe", "embed"),
        attrs=("href", "src"),
    ).extract_links(response)
    assert list(dict.fromkeys(link.url for link in scrapy_links)) == found[:-1]
