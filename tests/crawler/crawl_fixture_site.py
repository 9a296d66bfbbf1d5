"""A two-agency fixture portal built from the real corpus reports (until/besides the demo).

甲局 (``jia``) has its report list in the registry: three list pages (a ``createPageHTML``
counter and a 下一页 link), a UTF-8 report, a GBK report whose ``<meta>`` lies, a report only
published as a PDF attachment, a dead link, a robots.txt-forbidden report, a 工作要点 and a
通知 that are not reports, and a link off the registry's hosts. 乙局 (``yi``) has none: its
年报 column must be discovered from the portal's home page.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "corpus"
HTML_REPORT = FIXTURES / "html" / "shuyang-fgj-2023.html"
PDF_REPORT = FIXTURES / "pdf" / "huaian-2024.pdf"


@dataclass(frozen=True)
class Expected:
    agency: str
    year: int
    path: str
    title: str
    published_on: dt.date | None
    list_date: dt.date | None
    document: Path | None = None  # the file whose bytes are the report's document


def _report_page(title: str, info: str) -> str:
    page = HTML_REPORT.read_text(encoding="utf-8")
    return page.replace("<body>", f"<body>\n<h1>{title}</h1>\n<div class='info'>{info}</div>", 1)


def _list(items: list[tuple[str, str, str]], extra: str = "") -> str:
    rows = "\n".join(
        f'<li><a href="{href}" title="{title}">{title[:14]}…</a><span>{date}</span></li>'
        for href, title, date in items
    )
    return (
        '<html><head><meta charset="utf-8"><title>政府信息公开年报</title></head>'
        f"<body><ul class='list'>\n{rows}\n</ul>{extra}</body></html>"
    )


def build(root: Path, base_url: str) -> tuple[Path, list[Expected]]:
    """Write the site under ``root``; returns the registry file and the expected reports."""
    files: dict[str, bytes] = {}
    t = {y: f"甲局{y}年政府信息公开工作年度报告" for y in (2017, 2019, 2020, 2021, 2022, 2023)}
    files["robots.txt"] = b"User-agent: *\nDisallow: /private/\n"
    files["a/index.html"] = '<html><body><a href="nb/">年报</a></body></html>'.encode()
    files["a/nb/index.html"] = _list(
        [
            ("2023.html", t[2023], "2024-01-21"),
            ("2022.html", t[2022], "2023/01/30"),
            ("plan2024.html", "甲局2024年政务公开工作要点", "2024-03-01"),
            ("notice.html", "关于报送2023年政府信息公开工作年度报告的通知", "2023-12-01"),
            (base_url.replace("127.0.0.1", "localhost") + "/a/nb/off.html", t[2020], "2024-01-02"),
        ],
        '<script>createPageHTML(3, 0, "index", "html");</script>',
    ).encode()
    files["a/nb/index_1.html"] = _list(
        [("2021.html", t[2021], "2022-01-26"), ("2019.html", t[2019], "2020-01-15")],
        '<div class="page"><a href="index_2.html">下一页</a></div>',
    ).encode()
    files["a/nb/index_2.html"] = _list(
        [("/private/2020.html", t[2020], "2021-01-20"), ("2017.html", t[2017], "2018-01-31")]
    ).encode()
    files["a/nb/2023.html"] = _report_page(t[2023], "发布时间：2024-01-20 来源：甲局").encode()
    # GBK bytes, a <meta> that says UTF-8 and no charset in the header.
    files["a/nb/2022.html"] = _report_page(t[2022], "来源：甲局").encode("gb18030")
    files["a/nb/2017.html"] = _report_page(t[2017], "发布日期：2018年1月31日").encode()
    files["a/nb/2021.html"] = (
        f"<html><head><meta charset='utf-8'><title>{t[2021]}</title></head><body>"
        f"<h1>{t[2021]}</h1><p>来源：甲局</p>"
        '<p>附件：<a href="../files/nb2021.pdf">nb2021.pdf</a></p></body></html>'
    ).encode()
    files["a/files/nb2021.pdf"] = PDF_REPORT.read_bytes()
    files["private/2020.html"] = _report_page(t[2020], "发布时间：2021-01-20").encode()
    files["a/nb/plan2024.html"] = b"<html><body>plan</body></html>"
    files["a/nb/notice.html"] = b"<html><body>notice</body></html>"
    files["b/index.html"] = (
        '<html><body><a href="/b/news.html">新闻动态</a>'
        '<a href="/b/xxgk/index.html">政府信息公开</a></body></html>'
    ).encode()
    files["b/news.html"] = b"<html><body>news</body></html>"
    files["b/xxgk/index.html"] = (
        '<html><body><a href="nb/index.html">政府信息公开年报</a></body></html>'.encode()
    )
    files["b/xxgk/nb/index.html"] = _list(
        [("2023.html", "乙局2023年政府信息公开工作年度报告", "2024-01-10")]
    ).encode()
    files["b/xxgk/nb/2023.html"] = _report_page(
        "乙局2023年政府信息公开工作年度报告", "发布时间：2024-01-09"
    ).encode()
    for rel, data in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    registry = root.parent / "registry.yaml"
    registry.write_text(
        "agencies:\n"
        f"  - {{id: jia, name: 甲局, level: department, region: 测试市,"
        f" portal: '{base_url}/a/index.html', report_lists: ['{base_url}/a/nb/index.html']}}\n"
        f"  - {{id: yi, name: 乙局, level: department, region: 测试市,"
        f" portal: '{base_url}/b/index.html'}}\n",
        encoding="utf-8",
    )
    d = dt.date
    expected = [
        Expected("jia", 2023, "/a/nb/2023.html", t[2023], d(2024, 1, 20), d(2024, 1, 21)),
        # The corpus page itself says 公开日期 2024-01-17.
        Expected("jia", 2022, "/a/nb/2022.html", t[2022], d(2024, 1, 17), d(2023, 1, 30)),
        # No date on the page: the list's date stands in.
        Expected(
            "jia", 2021, "/a/nb/2021.html", t[2021], d(2022, 1, 26), d(2022, 1, 26), PDF_REPORT
        ),
        Expected("jia", 2017, "/a/nb/2017.html", t[2017], d(2018, 1, 31), d(2018, 1, 31)),
        Expected(
            "yi",
            2023,
            "/b/xxgk/nb/2023.html",
            "乙局2023年政府信息公开工作年度报告",
            d(2024, 1, 9),
            d(2024, 1, 10),
        ),
    ]
    return registry, expected


#: Content-Type headers that carry no charset (the GBK page must be sniffed).
CONTENT_TYPES = {"/a/nb/2022.html": "text/html"}
