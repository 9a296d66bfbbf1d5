"""A table cut by a page break: a row cut in two is mended, a row that begins the new page
is kept whole (its label must not be glued onto the one above).

The regression: 表二 breaking between ``行政处罚`` and ``行政强制`` (or after the header row of
``第二十条第（八）项``) lost the first row of the new page — ``行政强制`` was read as the rest
of ``行政处罚`` and the coercion count came out null with ``row_missing``.
"""

from __future__ import annotations

import io

import pytest
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

import parser
from parser import pdf as pdf_reader
from parser.pdf_tables import Cell, Grid, join

_FONT = "STSong-Light"
_ROW = 18.0  # points: every row of the test table is this tall
_MARGIN = 60.0


def _grid(page: int, rows: list[list[tuple[str, float, float]]], top: float) -> Grid:
    """Rows of (text, x0, x1), each row ``_ROW`` tall, starting at ``top``."""
    cells = [
        [Cell(text, (x0, top + i * _ROW, x1, top + (i + 1) * _ROW), page) for text, x0, x1 in row]
        for i, row in enumerate(rows)
    ]
    bottom = top + len(rows) * _ROW
    return Grid(page, (56.0, top, 539.0, bottom), cells)


def _two(label: str, value: str) -> list[tuple[str, float, float]]:
    return [(label, 56.0, 177.0), (value, 177.0, 539.0)]


Rows = list[list[tuple[str, float, float]]]


def _joined(above: Rows, below: Rows) -> list[list[str]]:
    first = _grid(1, above, 700.0 - len(above) * _ROW)
    join(first, _grid(2, below, 66.0))
    return [[c.text for c in row] for row in first.rows]


@pytest.mark.parametrize(
    ("above", "below"),
    [
        (_two("行政处罚", "146"), _two("行政强制", "8")),  # demo qh-wjw 2023
        (_two("信息内容", "本年收费金额（单位：万元）"), _two("行政事业性收费", "0")),  # 2022
        (_two("信息内容", "本年收费金额（单位：万元）"), _two("行政事业性收费", "")),
        (_two("行政处罚", ""), _two("行政强制", "")),
        (_two("行政处罚", "/"), _two("行政强制", "无")),
    ],
)
def test_a_row_that_begins_the_new_page_is_kept_whole(
    above: list[tuple[str, float, float]], below: list[tuple[str, float, float]]
) -> None:
    rows = _joined([above], [below])
    assert rows == [[c[0] for c in above], [c[0] for c in below]]


def test_a_row_cut_by_the_break_is_mended() -> None:
    three = [(56.0, 177.0), (177.0, 358.0), (358.0, 539.0)]

    def row(*texts: str) -> list[tuple[str, float, float]]:
        return [(t, x0, x1) for t, (x0, x1) in zip(texts, three, strict=True)]

    cut = "（二）部分公开（区分处理的，只计这一情形，"
    rows = _joined(
        [row("（一）予以公开", "16", "21"), row(cut, "8", "10")],
        [row("不计其他情形）", "", ""), row("（三）不予公开", "1", "1")],
    )
    assert rows == [
        ["（一）予以公开", "16", "21"],
        ["（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "8", "10"],
        ["（三）不予公开", "1", "1"],
    ]


def test_a_cut_label_whose_tail_names_the_row_is_mended() -> None:
    # jiaxing-2024.pdf: "2.其他法律行政法" + "规禁止公开" (the tail alone says 禁止公开)
    rows = _joined([_two("1.属于国家秘密", "0"), _two("2.其他法律行政法", "0")],
                   [_two("规禁止公开", ""), _two("3.危及“三安全一稳定”", "0")])  # fmt: skip
    assert rows == [["1.属于国家秘密", "0"], ["2.其他法律行政法规禁止公开", "0"],
                    ["3.危及“三安全一稳定”", "0"]]  # fmt: skip


# --- end to end: a reportlab PDF whose 表二 breaks at a chosen row -------------------------

_ACTIVE = [  # 表二 of the 2021 template, as printed; (row, spans the four columns)
    (["第二十条第（一）项", "", "", ""], True),
    (["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"], False),
    (["规章", "0", "0", "2"], False),
    (["行政规范性文件", "3", "1", "101"], False),
    (["第二十条第（五）项", "", "", ""], True),
    (["信息内容", "本年处理决定数量", "", ""], False),
    (["行政许可", "332", "", ""], False),
    (["第二十条第（六）项", "", "", ""], True),
    (["信息内容", "本年处理决定数量", "", ""], False),
    (["行政处罚", "149", "", ""], False),
    (["行政强制", "5", "", ""], False),
    (["第二十条第（八）项", "", "", ""], True),
    (["信息内容", "本年收费金额（单位：万元）", "", ""], False),
    (["行政事业性收费", "{fee}", "", ""], False),
]


def _pdf(rows_on_first_page: int, fee: str) -> bytes:
    pdfmetrics.registerFont(UnicodeCIDFont(_FONT))
    style = ParagraphStyle("cell", fontName=_FONT, fontSize=8, leading=10, wordWrap="CJK")
    head = ParagraphStyle("head", fontName=_FONT, fontSize=11, leading=16)
    data = [
        [Paragraph(t.format(fee=fee), style) if t else "" for t in cells] for cells, _ in _ACTIVE
    ]
    commands: list[tuple[object, ...]] = [("GRID", (0, 0), (-1, -1), 0.5, colors.black)]
    for r, (cells, full) in enumerate(_ACTIVE):
        if full:
            commands.append(("SPAN", (0, r), (3, r)))
        elif cells[2] == "":
            commands.append(("SPAN", (1, r), (3, r)))
    table = Table(data, colWidths=[121.0] * 4, rowHeights=[_ROW] * len(_ACTIVE))
    table.setStyle(TableStyle(commands))
    frame = A4[1] - 2 * _MARGIN - 12  # the frame's own padding: 6 points top and bottom
    heading = Paragraph("二、主动公开政府信息情况", head)
    used = heading.wrap(A4[0] - 2 * 56, frame)[1]
    # Push the table down so that exactly ``rows_on_first_page`` rows fit on page 1.
    gap = frame - used - rows_on_first_page * _ROW - _ROW / 2
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=A4, invariant=1, leftMargin=56, rightMargin=56,
                            topMargin=_MARGIN, bottomMargin=_MARGIN)  # fmt: skip
    doc.build([heading, Spacer(1, gap), table])
    return buf.getvalue()


@pytest.mark.parametrize(
    ("first_page", "fee", "fees"),
    [
        (10, "0", 0),  # break between 行政处罚 and 行政强制
        (13, "0", 0),  # break between the 收费 header row and 行政事业性收费
        (13, "/", 0),  # the same, with the fee left blank
        (13, "12.5", 12.5),
        (12, "7", 7),  # break between 第二十条第（八）项 and its header row
    ],
)
def test_table_2_broken_across_pages_reads_every_row(
    first_page: int, fee: str, fees: float
) -> None:
    data = _pdf(first_page, fee)
    document = pdf_reader.read(data, "break.pdf")
    pages = {b.page for b in document.blocks if b.cells is not None}
    assert pages == {1, 2}, "the table must break across the two pages"
    first = [b.cells for b in document.blocks if b.cells is not None and b.page == 1]
    assert len(first) == first_page
    record = parser.parse(data, name="break.pdf")
    assert record.to_dict()["active"] == {
        "regulations": {"issued": 0, "repealed": 0, "in_force": 2},
        "normative_documents": {"issued": 3, "repealed": 1, "in_force": 101},
        "licensing": {"decisions": 332},
        "punishment": {"decisions": 149},
        "coercion": {"decisions": 5},
        "fees": {"amount": fees},
    }
    assert not [w for w in record.warnings if w.code == "row_missing" and w.table == "active"]
