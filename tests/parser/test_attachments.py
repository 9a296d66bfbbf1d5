"""Attachments (PDF, DOCX, DOC) reach the same canonical record as HTML, through ``parse``.

Golden values: ``corpus/pdf/huaian-2024.json`` (hand-checked against the PDF) and, for the
fixtures built by ``scripts/make_attachment_fixtures.py`` from seeds 004 and 000, those seeds'
hand-written expected JSON.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import docx as python_docx
import pytest

import parser
from parser import office
from parser import pdf as pdf_reader
from parser.docx import read as read_docx
from parser.docx_numbering import chinese, format_number
from parser.errors import MissingProgram
from parser.pdf_layout import Char, Line, furniture
from parser.pdf_tables import grid_of

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
ATTACHMENTS = FIXTURES / "attachments"
HUAIAN = FIXTURES / "corpus/pdf/huaian-2024.pdf"
needs_soffice = pytest.mark.skipif(
    office.soffice() is None,
    reason="LibreOffice (soffice) is not installed: .doc/.wps conversion cannot be tested "
    "(make system-deps installs it)",
)


def _expected(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    data.pop("notes", None)
    return data


def _assert_golden(document: Path, expected: Path) -> None:
    record = parser.parse(document.read_bytes(), name=document.name).to_dict()
    want = _expected(expected)
    assert want, "golden file is empty"
    for key, value in want.items():
        assert record[key] == value, f"{document.name}: {key}"


def test_huaian_pdf_parses_to_its_golden_record() -> None:
    _assert_golden(HUAIAN, HUAIAN.with_suffix(".json"))


def test_huaian_tables_are_joined_across_page_breaks() -> None:
    document = pdf_reader.read(HUAIAN.read_bytes(), HUAIAN.name)
    rows = [b for b in document.blocks if b.cells is not None]
    assert sorted({b.table for b in rows if b.table is not None}) == [0, 1, 2]
    assert {b.page for b in rows if b.table == 0} == {3, 4}  # 表二 over pp. 3–4
    assert {b.page for b in rows if b.table == 1} == {4, 5}  # 表三 over pp. 4–5
    cut = [b.cells for b in rows if b.cells and "(四)无法提供" in b.cells]
    assert cut == [
        ("(四)无法提供", "1.本机关不掌握相关政府信息", "746", "12", "0", "0", "10", "1", "769")
    ]
    assert not any(c == "法提供" for b in rows for c in b.cells or ())
    following = rows[[b.cells for b in rows].index(cut[0]) + 1]
    assert following.cells == ("2.没有现成信息需要另行制作", "11", "0", "0", "0", "0", "0", "11")
    assert ("商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他") in [
        b.cells for b in rows
    ]


def test_huaian_page_numbers_are_kept_out_and_paragraphs_joined() -> None:
    document = pdf_reader.read(HUAIAN.read_bytes(), HUAIAN.name)
    texts = [b.text for b in document.blocks]
    assert not [t for t in texts if re.fullmatch(r"-?\s*\d+\s*-?", t)]
    assert document.title == "淮安市人民政府2024年政府信息公开工作年度报告"
    # a paragraph that runs over the p.1/p.2 break is one block
    assert any("“建设‘四最’一流营商环境高质量推进产业发展”" in t for t in texts)
    assert "六、其他需要报告的事项" in texts


def test_docx_golden_from_seed_004() -> None:
    _assert_golden(ATTACHMENTS / "jiaxing-2024.docx", ATTACHMENTS / "jiaxing-2024.json")


def test_pdf_with_merged_header_cells_golden() -> None:
    _assert_golden(ATTACHMENTS / "jiaxing-2024.pdf", ATTACHMENTS / "jiaxing-2024.json")


@needs_soffice
def test_doc_golden_from_seed_000() -> None:
    _assert_golden(ATTACHMENTS / "xinrong-2022.doc", ATTACHMENTS / "xinrong-2022.json")


def test_docx_merged_cells_appear_once() -> None:
    path = ATTACHMENTS / "jiaxing-2024.docx"
    document = read_docx(path.read_bytes(), path.name)
    table3 = [b.cells for b in document.blocks if b.table == 1 and b.cells]
    assert table3[0] == (
        "(本列数据的勾稽关系为:第一项加第二项之和,等于第三项加第四项之和)",
        "申请人情况",
    )
    assert table3[1] == ("自然人", "法人或其他组织", "总计")
    flat = [c for cells in table3 for c in cells]
    assert flat.count("三、本年度办理结果") == 1
    assert flat.count("(三)不予公开") == 1
    # python-docx itself repeats the merged cells: the dedupe is what makes them appear once
    raw = python_docx.Document(str(path)).tables[1].rows[0].cells
    assert len(raw) == 10 and raw[0]._tc is raw[2]._tc


def test_docx_numbering_and_text_boxes_are_read() -> None:
    path = ATTACHMENTS / "jiaxing-2024.docx"
    raw = [p.text for p in python_docx.Document(str(path)).paragraphs]
    assert "总体情况" in raw and "一、总体情况" not in raw  # the number is Word's, not text
    texts = [b.text for b in read_docx(path.read_bytes(), path.name).blocks]
    for heading in ("一、总体情况", "二、主动公开政府信息情况", "六、其他需要报告的事项"):
        assert heading in texts
    boxed = [t for t in texts if t.startswith("市政府办公室高度重视政务公开")]
    assert len(boxed) == 1  # in a text box, read once
    assert texts.index(boxed[0]) == texts.index("(五)监督保障情况。") + 1


def test_scanned_pdf_is_kept_with_a_needs_ocr_warning() -> None:
    record = parser.parse((ATTACHMENTS / "scan.pdf").read_bytes(), name="scan.pdf")
    codes = [w.code for w in record.warnings]
    assert "needs_ocr" in codes
    assert list(record.iter_cells()) == []  # nothing invented
    assert record.source.format == "pdf"


def test_numbers_grouped_in_one_cell_are_one_number() -> None:
    def chars(text: str, x: float) -> list[Char]:
        return [Char(ch, x + 6 * i, x + 6 * i + 5, 10, 20, 10) for i, ch in enumerate(text)]

    boxes = [[(0.0, 0.0, 100.0, 30.0), (100.0, 0.0, 200.0, 30.0), (200.0, 0.0, 300.0, 30.0)]]
    grid = grid_of(boxes, chars("3,985,758", 105) + chars("行政", 5) + chars("96171.6", 205), 1)
    assert [c.text for c in grid.rows[0]] == ["行政", "3985758", "96171.6"]
    # "3 985 758" with the groups set apart by a gap (no space glyph), as typeset PDFs do
    spaced = chars("3", 105) + chars("985", 116) + chars("758", 139)
    grid = grid_of(boxes, spaced, 1)
    assert grid.rows[0][1].text == "3985758"


def test_page_furniture_is_found() -> None:
    heights = {1: 842.0, 2: 842.0, 3: 842.0}
    lines = [Line(f"- {n} -", 290, 310, 800, 812, 12, n) for n in heights]
    lines += [Line("淮安市人民政府办公室文件", 200, 400, 30, 42, 10, n) for n in heights]
    lines += [Line("正文第一行", 74, 518, 400, 416, 16, 1), Line("- 9 -", 74, 100, 400, 416, 16, 2)]
    dropped = furniture(lines, heights)
    assert len(dropped) == 6
    assert all(line.top > 700 or line.top < 60 for line in dropped)


def test_chinese_list_numbers() -> None:
    assert [chinese(n) for n in (1, 10, 11, 20, 21, 99)] == [
        "一",
        "十",
        "十一",
        "二十",
        "二十一",
        "九十九",
    ]
    assert format_number(3, "decimalEnclosedCircle") == "③"
    assert format_number(2, "chineseLegalSimplified") == "贰"
    assert format_number(4, "upperRoman") == "IV"


def test_doc_without_libreoffice_names_the_program(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("parser.office.shutil.which", lambda _name: None)
    with pytest.raises(MissingProgram, match="soffice"):
        parser.parse((ATTACHMENTS / "xinrong-2022.doc").read_bytes(), name="xinrong.doc")


@pytest.mark.parametrize(
    ("fixture", "lie", "fmt"),
    [("jiaxing-2024.docx", "report.pdf", "docx"), ("jiaxing-2024.pdf", "report.docx", "pdf")],
)
def test_format_comes_from_the_bytes_not_the_extension(fixture: str, lie: str, fmt: str) -> None:
    record = parser.parse((ATTACHMENTS / fixture).read_bytes(), name=lie)
    assert record.source.format == fmt
    assert record.agency == "嘉兴市人民政府办公室"
