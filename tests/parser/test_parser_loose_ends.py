"""Follow-ups of the parser core: nesting beyond lxml's limit, mirror furniture, Big5, speed-ups
that must not change what is read (hidden text, OpenCC conversion)."""

from __future__ import annotations

import json
import time
from pathlib import Path

import opencc
import pytest

from parser import parse
from parser.charset import plausibility
from parser.html import read as read_html
from parser.normalize import decode, to_simplified

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
SPANS = FIXTURES / "parser" / "html_spans_rowspan.html"
BIG5 = FIXTURES / "parser" / "big5_no_charset.html"


def _nested(depth: int) -> bytes:
    return (
        "<html><body><p>某某县人民政府2022年政府信息公开工作年度报告</p>"
        + "<div>" * depth
        + "全年主动公开政府信息58条。"
        + "</div>" * depth
        + "<p>全年共收到政府信息公开申请4件。</p><script>var x = '<p>';</script></body></html>"
    ).encode()


@pytest.mark.parametrize("depth", [300, 100_000])
def test_nesting_beyond_the_limit_is_warned_and_the_text_kept(depth: int) -> None:
    start = time.monotonic()
    report = parse(_nested(depth), name="deep.html")
    assert time.monotonic() - start < 10
    warning = next(w for w in report.warnings if w.code == "html_too_deep")
    assert "deep.html" in warning.message and "256" in warning.message
    # Both the text inside the deep nest and the text after it survive.
    assert report.prose == {"active_items": 58, "applications_received": 4}
    assert "var x" not in report.narrative


def test_nesting_within_the_limit_has_no_warning() -> None:
    report = parse(_nested(200), name="ok.html")
    assert not any(w.code == "html_too_deep" for w in report.warnings)
    assert report.prose == {"active_items": 58, "applications_received": 4}


def test_a_too_deep_page_still_yields_its_tables() -> None:
    page = SPANS.read_text(encoding="utf-8")
    cut = page.index("<body>") + len("<body>")
    data = (page[:cut] + "<div>" * 300 + page[cut:]).encode()
    expected = json.loads(SPANS.with_suffix(".json").read_text(encoding="utf-8"))
    report = parse(data, name="deep.html")
    assert any(w.code == "html_too_deep" for w in report.warnings)
    assert report.agency == expected["agency"]
    assert report.active == expected["active"]


def test_seed_001_info_box_stays_out_of_the_sections() -> None:
    seed = next((FIXTURES / "seeds").glob("001_*.txt"))
    report = parse(seed.read_bytes(), name=seed.name)
    narrative = report.narrative
    for furniture in ("基本介绍", "中文名", "地点:清新区", "性质:年度报告", "报告内容"):
        assert furniture not in narrative, furniture
    # The report's own first paragraphs are still there.
    assert "2012年,清新区深入贯彻《条例》" in narrative
    assert "现公布清新区2012年政府信息公开工作年度报告" in narrative


def test_html_info_box_stays_out_of_the_sections() -> None:
    page = (
        "<html><body><h1>某某县人民政府2022年政府信息公开工作年度报告</h1>"
        "<p>基本信息</p><ul><li>中文名：某某县年报</li><li>性质：年度报告</li></ul>"
        "<p>一、总体情况</p><p>全年主动公开政府信息58条。</p>"
        "<p>地点：本段是正文，不在信息框之后。</p></body></html>"
    )
    report = parse(page.encode(), name="mirror.html")
    assert "中文名" not in report.narrative and "基本信息" not in report.narrative
    assert "地点:本段是正文" in report.narrative  # key: value text elsewhere is kept


def test_big5_without_charset_is_not_read_as_gb18030() -> None:
    data = BIG5.read_bytes()
    text, encoding = decode(data)
    assert encoding == "cp950"
    assert "清遠市清新區人民政府辦公室" in text
    # The trap: the same bytes are valid GB18030 — nonsense, scored as such.
    assert plausibility(data.decode("gb18030")) < 0.6 < 0.95 < plausibility(text)


def test_declared_big5_is_read_with_the_big5_superset() -> None:
    body = "<html><head><meta charset='big5'></head><body><p>清遠市政府信息公開</p></body></html>"
    text, encoding = decode(body.encode("cp950"), "big5")
    assert encoding == "cp950" and "清遠市政府信息公開" in text


@pytest.mark.parametrize(
    "name", ["gbk_no_charset.html", "wrong_meta.html", "traditional_pinyin.txt"]
)
def test_gb_pages_stay_gb18030(name: str) -> None:
    # Simplified GBK pages, and traditional text in GB18030, are not mistaken for Big5.
    raw = (FIXTURES / "parser" / name).read_bytes()
    try:
        source = raw.decode("utf-8")
    except UnicodeDecodeError:
        source = raw.decode("gb18030")
    text, encoding = decode(source.encode("gb18030"))
    assert encoding == "gb18030" and text == source


@pytest.mark.parametrize(
    "hidden",
    [
        '<p style="display:none">',
        '<p style="display&#58;none">',  # a character reference for the colon
        '<p style="display&colon;none">',
        '<p style="&#100;isplay: none">',
        '<p style="VISIBILITY : Hidden">',
        "<p hidden>",
        '<p class="x"hidden>',  # the attribute right after a quoted value
        "<P HIDDEN=''>",
    ],
)
def test_hidden_text_stays_hidden(hidden: str) -> None:
    # Each page hides in one way only: the source scan that skips attribute reads on pages
    # that hide nothing must notice every one of them.
    page = (
        "<html><body><p>某某县人民政府2022年政府信息公开工作年度报告</p>"
        f"{hidden}全年共收到政府信息公开申请777件。</p>"
        "<p>全年共收到政府信息公开申请4件。</p>"
        "<table><tr><td>规章</td><td>1</td></tr>"
        f"<tr><td>行政许可</td><td>2{hidden.replace('<p', '<span')}9</span></td></tr></table>"
        "</body></html>"
    )
    assert parse(page.encode(), name="hidden.html").prose == {"applications_received": 4}
    rows = [b.cells for b in read_html(page.encode()).blocks if b.cells is not None]
    assert rows == [("规章", "1"), ("行政许可", "2")]


def test_fast_traditional_conversion_equals_opencc() -> None:
    text = (FIXTURES / "parser" / "traditional_pinyin.txt").read_text(encoding="utf-8")
    text += (FIXTURES / "seeds" / "001_0bd952d63030d8bd.txt").read_text(encoding="utf-8")
    assert to_simplified(text) == opencc.OpenCC("t2s").convert(text)
