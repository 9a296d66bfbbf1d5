"""A report pasted into ``<pre>``: its lines are the report's lines, read as a text report."""

from __future__ import annotations

from parser import parse
from parser.html import read as read_html


def _page(pre: str, before: str = "", after: str = "") -> bytes:
    return (
        f"<html><head><title>t</title></head><body>{before}<pre>{pre}</pre>{after}</body></html>"
    ).encode()


def test_lines_rows_and_paragraphs_of_a_pre() -> None:
    document = read_html(
        _page(
            "一、总体情况\n全年主动公开政府信息12条。\n"
            "信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |\n"
            "行政规范性文件\t2\t0\t9\n"
            "             某县教育局\n             2024年1月20日\n",
            before="<p>页面前言</p>",
            after="<p>页面之后</p>",
        )
    )
    got = [(b.text, b.cells) for b in document.blocks]
    assert got == [
        ("页面前言", None),
        ("一、总体情况", None),
        ("全年主动公开政府信息12条。", None),
        (
            "信息内容 本年制发件数 本年废止件数 现行有效件数",
            ("信息内容", "本年制发件数", "本年废止件数", "现行有效件数"),
        ),
        ("行政规范性文件 2 0 9", ("行政规范性文件", "2", "0", "9")),
        ("某县教育局", None),
        ("2024年1月20日", None),
        ("页面之后", None),
    ]


def test_inline_markup_joins_and_br_and_blocks_break_lines_inside_a_pre() -> None:
    document = read_html(
        _page(
            "<b>一、</b><span>总体情况</span><br>全年主动公开政府信息<span>12</span>条。"
            "<div>某县教育局</div>2024年1月20日"
        )
    )
    assert [b.text for b in document.blocks] == [
        "一、总体情况",
        "全年主动公开政府信息12条。",
        "某县教育局",
        "2024年1月20日",
    ]


def test_hidden_text_inside_a_pre_stays_out() -> None:
    document = read_html(
        _page('全年主动公开政府信息<span style="display:none">999</span>12条。\n第二行')
    )
    assert [b.text for b in document.blocks] == ["全年主动公开政府信息12条。", "第二行"]


def test_a_pre_report_has_its_signature_date_and_prose() -> None:
    body = (
        "某县教育局2023年政府信息公开工作年度报告\n"
        "一、总体情况\n"
        "全年主动公开政府信息881条。本年度共收到政府信息公开申请58件。\n"
        "因政府信息公开工作被申请行政复议2件、行政诉讼1件。\n"
        "五、存在的主要问题及改进情况\n"
        "公开深度仍需拓展。\n"
        "                        某县教育局\n"
        "                        2024年1月20日"
    )
    report = parse(_page(body), name="pre.html")
    assert report.agency == "某县教育局"
    assert report.signed_on is not None and report.signed_on.isoformat() == "2024-01-20"
    assert report.prose == {
        "active_items": 881,
        "applications_received": 58,
        "review_total": 2,
        "litigation_total": 1,
    }
    assert report.prose_sources["applications_received"] == "本年度共收到政府信息公开申请58件。"
