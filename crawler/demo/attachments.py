"""Reports published only as attachments: PDF (reportlab, built-in CID font, ruled tables)
and DOCX (python-docx, merged cells as in the template). Both byte-deterministic."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from functools import cache

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from crawler.demo.content import ReportContent
from crawler.demo.grid import Grid, matrix

_FONT = "STSong-Light"  # one of the Adobe CID fonts every PDF reader has: nothing to embed
_FIXED_ZIP_TIME = (2020, 1, 1, 0, 0, 0)


@cache
def _styles() -> dict[str, ParagraphStyle]:
    pdfmetrics.registerFont(UnicodeCIDFont(_FONT))
    base = {"fontName": _FONT, "wordWrap": "CJK"}
    return {
        "title": ParagraphStyle("title", fontSize=15, leading=22, alignment=1, **base),
        "heading": ParagraphStyle("heading", fontSize=11.5, leading=18, spaceBefore=6, **base),
        "para": ParagraphStyle("para", fontSize=10.5, leading=17, firstLineIndent=21, **base),
        "right": ParagraphStyle("right", fontSize=10.5, leading=17, alignment=2, **base),
        "cell": ParagraphStyle("cell", fontSize=7.5, leading=9.5, **base),
    }


def _widths(columns: int) -> list[float]:
    usable = A4[0] - 2 * 56
    if columns == 10:  # 表三: three label columns, then seven numbers
        return [58.0, 52.0, 120.0] + [(usable - 230.0) / 7] * 7
    return [usable / columns] * columns


def _pdf_table(grid: Grid) -> Table:
    style = _styles()["cell"]
    cells = matrix(grid)
    data = [[Paragraph(c[0].text, style) if c and c[1] else "" for c in row] for row in cells]
    commands: list[tuple[object, ...]] = [
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ]
    for r, row in enumerate(cells):
        for c, slot in enumerate(row):
            if slot and slot[1] and (slot[0].rowspan > 1 or slot[0].colspan > 1):
                end = (c + slot[0].colspan - 1, r + slot[0].rowspan - 1)
                commands.append(("SPAN", (c, r), end))
    table = Table(data, colWidths=_widths(len(cells[0])), repeatRows=0)
    table.setStyle(TableStyle(commands))
    return table


def pdf_bytes(content: ReportContent) -> bytes:
    styles = _styles()
    story: list[Flowable] = []
    for block in content.blocks():
        if block.kind == "table" and block.grid is not None:
            story += [_pdf_table(block.grid), Spacer(1, 8)]
        elif block.kind in ("sign", "date"):
            story.append(Paragraph(block.text, styles["right"]))
        elif block.kind in ("title", "heading"):
            story.append(Paragraph(block.text, styles[block.kind]))
        else:
            story.append(Paragraph(block.text, styles["para"]))
    buf = io.BytesIO()
    # invariant=1: no creation date or random document id, so a seed gives the same bytes.
    doc = SimpleDocTemplate(
        buf, pagesize=A4, invariant=1, title=content.title, author=content.agency,
        leftMargin=56, rightMargin=56, topMargin=60, bottomMargin=60,
    )  # fmt: skip
    doc.build(story)
    return buf.getvalue()


def _docx_table(document: docx.document.Document, grid: Grid) -> None:
    cells = matrix(grid)
    width = len(cells[0])
    table = document.add_table(rows=len(cells), cols=width)
    table.style = "Table Grid"
    # ``table.cell(r, c)`` rescans the whole table on every call; take the cells once.
    slots = table._cells
    for r, row in enumerate(cells):
        for c, slot in enumerate(row):
            if not slot or not slot[1]:
                continue
            cell, _ = slot
            target = slots[r * width + c]
            if cell.rowspan > 1 or cell.colspan > 1:
                end = slots[(r + cell.rowspan - 1) * width + c + cell.colspan - 1]
                target = target.merge(end)
            target.text = cell.text
            for run in target.paragraphs[0].runs:
                run.font.size = Pt(8)


def docx_bytes(content: ReportContent) -> bytes:
    document = docx.Document()
    props = document.core_properties
    props.title = content.title
    props.author = content.agency
    # python-docx would otherwise stamp the current time: fix it to the signing day.
    signed = dt.datetime.combine(content.signed_on, dt.time(9, 0))
    props.created = signed
    props.modified = signed
    for block in content.blocks():
        if block.kind == "table" and block.grid is not None:
            _docx_table(document, block.grid)
        elif block.kind == "title":
            document.add_heading(block.text, level=1)
        elif block.kind in ("sign", "date"):
            document.add_paragraph(block.text).alignment = WD_ALIGN_PARAGRAPH.RIGHT
        else:
            document.add_paragraph(block.text)
    buf = io.BytesIO()
    document.save(buf)
    return _fixed_zip(buf.getvalue())


def _fixed_zip(data: bytes) -> bytes:
    """Rewrite a zip with fixed entry times (python-docx stamps the current time)."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=_FIXED_ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()
