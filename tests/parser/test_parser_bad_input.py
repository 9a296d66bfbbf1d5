"""Bad input: a clear ParserError or a record with warnings — never a crash or a hang."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parser import parse
from parser.detect import detect_format
from parser.errors import (
    DocumentTooLarge,
    EmptyDocument,
    NotAReport,
    ParserError,
    UnsupportedFormat,
)

SEED = next((Path(__file__).resolve().parents[1] / "fixtures" / "seeds").glob("004_*.txt"))


@pytest.mark.parametrize(
    "data", [b"", b"   \n\t ", b"\xef\xbb\xbf"], ids=["empty", "whitespace", "bom-only"]
)
def test_empty(data: bytes) -> None:
    with pytest.raises(EmptyDocument, match=r"x\.html: the document is empty"):
        parse(data, name="x.html")


def test_binary_garbage() -> None:
    data = bytes(range(256)) * 100
    with pytest.raises(UnsupportedFormat, match=r"junk\.bin: unsupported format"):
        parse(data, name="junk.bin")


def test_zip_that_is_not_word() -> None:
    with pytest.raises(UnsupportedFormat, match="ZIP"):
        detect_format(b"PK\x03\x04" + b"\x00" * 100, name="a.zip")


def test_huge_html_page_is_refused_quickly() -> None:
    data = (
        b"<html><body>"
        + b"<p>\xe6\x94\xbf\xe5\xba\x9c</p>" * (50 * 1024 * 1024 // 13)
        + b"</body></html>"
    )
    assert len(data) >= 50 * 1024 * 1024
    start = time.monotonic()
    with pytest.raises(DocumentTooLarge, match="over the limit"):
        parse(data, name="big.html")
    assert time.monotonic() - start < 5


def test_deeply_nested_html() -> None:
    depth = 100_000
    data = (
        "<html><body>"
        + "<div>" * depth
        + "政府信息公开工作年度报告"
        + "</div>" * depth
        + "</body></html>"
    ).encode()
    start = time.monotonic()
    try:
        report = parse(data, name="deep.html")
    except ParserError:
        pass
    else:
        assert report.template == "legacy"
    assert time.monotonic() - start < 10


def test_table_with_ten_thousand_columns() -> None:
    row = "<tr>" + "<td>1</td>" * 10_000 + "</tr>"
    page = f"<html><body><p>政府信息公开工作年度报告</p><table>{row}{row}</table></body></html>"
    data = page.encode()
    start = time.monotonic()
    report = parse(data, name="wide.html")
    assert report.template == "legacy"
    assert time.monotonic() - start < 10


def test_report_in_the_wrong_language() -> None:
    text = ("Annual report on government information disclosure. " * 50).encode()
    with pytest.raises(NotAReport, match=r"en\.txt: not an annual report"):
        parse(text, name="en.txt")


def test_unreadable_cell_is_null_with_a_warning_naming_it() -> None:
    text = SEED.read_text(encoding="utf-8").replace("行政许可 | 4 |", "行政许可 | 4?7 |")
    report = parse(text.encode(), name="x.txt")
    assert report.active is not None and report.active["licensing"]["decisions"] is None
    warning = next(w for w in report.warnings if w.code == "unreadable_cell")
    assert (warning.table, warning.row, warning.column) == ("active", "licensing", "decisions")


def test_unresolvable_row_stays_null() -> None:
    # Table 2 has no identities: a run-together row there can never be resolved.
    text = SEED.read_text(encoding="utf-8").replace(
        "行政规范性文件 | 24 | 67 | 380 |", "行政规范性文件 | 2467380 |"
    )
    report = parse(text.encode(), name="x.txt")
    assert report.active is not None
    assert report.active["normative_documents"] == {
        "issued": None,
        "repealed": None,
        "in_force": None,
    }
    assert {w.column for w in report.warnings if w.row == "normative_documents"} == {
        "issued",
        "repealed",
        "in_force",
    }


_cjk = st.characters(min_codepoint=0x4E00, max_codepoint=0x4E80)
_pieces = st.one_of(
    st.text(alphabet=_cjk, max_size=8),
    st.integers(min_value=-5, max_value=10**12).map(str),
    st.sampled_from(
        [
            "|",
            "\t",
            " ",
            "\n",
            "/",
            "-",
            "—",
            "无",
            "（七）总计",
            "一、本年新收政府信息公开申请数量",
            "行政复议",
            "规章",
            "四、政府信息公开行政复议、行政诉讼情况",
            "2023年1月1日",
            "(qū)",
        ]
    ),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_pieces, max_size=120))
def test_fuzz_text(parts: list[str]) -> None:
    data = ("政府信息公开工作年度报告\n" + "".join(parts)).encode()
    report = parse(data, name="fuzz.txt")
    for _, _, _, value in report.iter_cells():
        assert value is None or isinstance(value, int | float)


_tags = st.sampled_from(
    [
        "<table>",
        "</table>",
        "<tr>",
        "</tr>",
        "<td>",
        "</td>",
        '<td rowspan="3">',
        '<td colspan="99999">',
        "<p>",
        "</p>",
        "<span>",
        "</span>",
        "<br>",
        "<div>",
        "<script>",
        "</div>",
        "<!--",
        "-->",
        "&nbsp;",
        "&#0;",
        "<meta charset=big5>",
    ]
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(_tags, _pieces), max_size=150))
def test_fuzz_html(parts: list[str]) -> None:
    data = ("<html><body><p>政府信息公开工作年度报告</p>" + "".join(parts)).encode()
    try:
        report = parse(data, name="fuzz.html")
    except ParserError:
        return
    assert report.template in ("2021", "2019", "legacy")
