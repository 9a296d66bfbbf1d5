"""Build the attachment golden fixtures under tests/fixtures/attachments/ from the seeds.

    .venv/bin/python scripts/make_attachment_fixtures.py

- ``jiaxing-2024.docx``: seed 004 as a Word document: its paragraphs, the section headings
  auto-numbered (Word numbering, ``一、``), one paragraph in a text box, and the three tables
  laid out as the 2021 template prints them, with merged cells; the numbers are the seed's own
  table numbers in the order the seed prints them.
- ``jiaxing-2024.pdf``: that DOCX exported to PDF by LibreOffice (ruled tables, merged header
  cells).
- ``xinrong-2022.doc``: seed 000 (traditional characters, pinyin annotations) the same way,
  saved as Word 97 by LibreOffice.
- ``scan.pdf``: an image-only PDF (a picture of a table, no text layer).

Expected JSON for the first three is the seed's hand-written expected JSON (the documents
carry the seed's text and numbers), never the parser's output.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import docx
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx.table import Table
from PIL import Image, ImageDraw

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "tests/fixtures/seeds"
OUT = ROOT / "tests/fixtures/attachments"
NUMBER = re.compile(r"-?\d+(?:\.\d+)?")
HEADING = re.compile(r"^([一二三四五六])、")

T3_ROWS = [
    ("一、本年新收政府信息公开申请数量", None, None),
    ("二、上年结转政府信息公开申请数量", None, None),
    ("三、本年度办理结果", "（一）予以公开", None),
    ("三、本年度办理结果", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", None),
    *[
        ("三、本年度办理结果", "（三）不予公开", label)
        for label in (
            "1.属于国家秘密",
            "2.其他法律行政法规禁止公开",
            "3.危及“三安全一稳定”",
            "4.保护第三方合法权益",
            "5.属于三类内部事务信息",
            "6.属于四类过程性信息",
            "7.属于行政执法案卷",
            "8.属于行政查询事项",
        )
    ],
    *[
        ("三、本年度办理结果", "（四）无法提供", label)
        for label in (
            "1.本机关不掌握相关政府信息",
            "2.没有现成信息需要另行制作",
            "3.补正后申请内容仍不明确",
        )
    ],
    *[
        ("三、本年度办理结果", "（五）不予处理", label)
        for label in (
            "1.信访举报投诉类申请",
            "2.重复申请",
            "3.要求提供公开出版物",
            "4.无正当理由大量反复申请",
            "5.要求行政机关确认或重新出具已获取信息",
        )
    ],
    *[
        ("三、本年度办理结果", "（六）其他处理", label)
        for label in (
            "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
            "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
            "3.其他",
        )
    ],
    ("三、本年度办理结果", "（七）总计", None),
    ("四、结转下年度继续办理", None, None),
]


def seed_parts(path: Path) -> tuple[list[list[str]], list[list[str]]]:
    """The seed's text as runs of paragraphs between its three tables, and each table's numbers
    in printed order (table lines are the ones with ``|`` cell separators)."""
    runs: list[list[str]] = [[]]
    tables: list[list[str]] = []
    in_table = False
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if "|" in line:
            if not in_table:
                tables.append([])
                runs.append([])
                in_table = True
            for cell in line.split("|"):
                if NUMBER.fullmatch(cell.strip()):
                    tables[-1].append(cell.strip())
        elif line:
            in_table = False
            runs[-1].append(line.lstrip("#").strip())
    assert len(tables) == 3, f"{path.name}: expected 3 tables, found {len(tables)}"
    sizes = [len(t) for t in tables]
    assert sizes == [10, 175, 15], f"{path.name}: table sizes {sizes}"
    return runs, tables


def merge(table: Table, r0: int, c0: int, r1: int, c1: int, text: str) -> None:
    cell = (
        table.cell(r0, c0).merge(table.cell(r1, c1)) if (r0, c0) != (r1, c1) else table.cell(r0, c0)
    )
    cell.text = text


def table2(document: docx.document.Document, n: list[str]) -> None:
    t = document.add_table(rows=14, cols=4, style="Table Grid")
    for r, text in (
        (0, "第二十条第（一）项"),
        (4, "第二十条第（五）项"),
        (7, "第二十条第（六）项"),
        (11, "第二十条第（八）项"),
    ):
        merge(t, r, 0, r, 3, text)
    for c, text in enumerate(("信息内容", "本年制发件数", "本年废止件数", "现行有效件数")):
        t.cell(1, c).text = text
    for r, label, values in ((2, "规章", n[0:3]), (3, "行政规范性文件", n[3:6])):
        t.cell(r, 0).text = label
        for c, v in enumerate(values, start=1):
            t.cell(r, c).text = v
    for head, rows, unit in (
        (5, [(6, "行政许可", n[6])], "本年处理决定数量"),
        (8, [(9, "行政处罚", n[7]), (10, "行政强制", n[8])], "本年处理决定数量"),
        (12, [(13, "行政事业性收费", n[9])], "本年收费金额（单位：万元）"),
    ):
        t.cell(head, 0).text = "信息内容"
        merge(t, head, 1, head, 3, unit)
        for r, label, v in rows:
            t.cell(r, 0).text = label
            merge(t, r, 1, r, 3, v)


def table3(document: docx.document.Document, n: list[str]) -> None:
    t = document.add_table(rows=28, cols=10, style="Table Grid")
    merge(t, 0, 0, 2, 2, "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）")
    merge(t, 0, 3, 0, 9, "申请人情况")
    merge(t, 1, 3, 2, 3, "自然人")
    merge(t, 1, 4, 1, 8, "法人或其他组织")
    merge(t, 1, 9, 2, 9, "总计")
    for c, text in enumerate(("商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"), 4):
        t.cell(2, c).text = text
    for i, (first, second, third) in enumerate(T3_ROWS):
        r = 3 + i
        for c in range(7):
            t.cell(r, 3 + c).text = n[7 * i + c]
        if second is None:
            merge(t, r, 0, r, 2, first)
        elif third is None:
            merge(t, r, 1, r, 2, second)
        else:
            t.cell(r, 2).text = third
    merge(t, 5, 0, 26, 0, "三、本年度办理结果")
    spans: dict[str, list[int]] = {}
    for i, (_, second, third) in enumerate(T3_ROWS):
        if second and third:
            spans.setdefault(second, []).append(3 + i)
    for label, rows in spans.items():
        merge(t, rows[0], 1, rows[-1], 1, label)


def table4(document: docx.document.Document, n: list[str]) -> None:
    t = document.add_table(rows=4, cols=15, style="Table Grid")
    merge(t, 0, 0, 0, 4, "行政复议")
    merge(t, 0, 5, 0, 14, "行政诉讼")
    results = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")
    for c, text in enumerate(results):
        merge(t, 1, c, 2, c, text)
    merge(t, 1, 5, 1, 9, "未经复议直接起诉")
    merge(t, 1, 10, 1, 14, "复议后起诉")
    for c in range(10):
        t.cell(2, 5 + c).text = results[c % 5]
    for c in range(15):
        t.cell(3, c).text = n[c]


def heading_numbering(document: docx.document.Document) -> str:
    """Add a Chinese-counting list (``一、``) to the numbering part; returns its numId."""
    numbering = document.part.numbering_part.element
    numbering.insert(
        0,
        parse_xml(
            f'<w:abstractNum {nsdecls("w")} w:abstractNumId="90"><w:lvl w:ilvl="0">'
            '<w:start w:val="1"/><w:numFmt w:val="chineseCounting"/>'
            '<w:lvlText w:val="%1、"/></w:lvl></w:abstractNum>'
        ),
    )
    numbering.append(
        parse_xml(f'<w:num {nsdecls("w")} w:numId="90"><w:abstractNumId w:val="90"/></w:num>')
    )
    return "90"


def numbered(paragraph: docx.text.paragraph.Paragraph, num_id: str) -> None:
    paragraph._p.get_or_add_pPr().append(
        parse_xml(
            f'<w:numPr {nsdecls("w")}><w:ilvl w:val="0"/><w:numId w:val="{num_id}"/></w:numPr>'
        )
    )


def text_box(paragraph: docx.text.paragraph.Paragraph, text: str) -> None:
    """Put ``text`` in a VML text box anchored in ``paragraph`` (as older Word/WPS save them)."""
    body = text.replace("&", "&amp;").replace("<", "&lt;")
    paragraph._p.append(
        parse_xml(
            f'<w:r {nsdecls("w")} xmlns:v="urn:schemas-microsoft-com:vml"><w:pict>'
            '<v:shape style="width:400pt;height:80pt">'
            f"<v:textbox><w:txbxContent><w:p><w:r><w:t>{body}</w:t></w:r></w:p>"
            "</w:txbxContent></v:textbox></v:shape></w:pict></w:r>"
        )
    )


def build_docx(seed: Path, target: Path, *, boxed: str | None) -> None:
    runs, tables = seed_parts(seed)
    document = docx.Document()
    num_id = heading_numbering(document)
    builders = (table2, table3, table4)
    for i, run in enumerate(runs):
        for line in run:
            match = HEADING.match(line)
            if match and len(line) < 40:
                numbered(document.add_paragraph(line[match.end() :]), num_id)
            elif boxed is not None and line.startswith(boxed):
                text_box(document.add_paragraph(), line)
            else:
                document.add_paragraph(line)
        if i < len(builders):
            builders[i](document, tables[i])
    document.save(str(target))


def soffice(source: Path, fmt: str, outdir: Path) -> Path:
    program = shutil.which("soffice") or shutil.which("libreoffice")
    if program is None:
        sys.exit("LibreOffice (soffice) is needed to build the .doc and .pdf fixtures")
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [program, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
             "--convert-to", fmt, "--outdir", str(outdir), str(source)],
            check=True, capture_output=True, timeout=180,
        )  # fmt: skip
    return outdir / f"{source.stem}.{fmt.split(':')[0]}"


def build_scan(target: Path) -> None:
    """A picture of a ruled table with no text layer, saved as a one-page PDF."""
    image = Image.new("L", (1240, 1754), 255)
    draw = ImageDraw.Draw(image)
    for i in range(9):
        draw.line((150, 400 + 60 * i, 1090, 400 + 60 * i), fill=0, width=3)
    for x in (150, 500, 700, 900, 1090):
        draw.line((x, 400, x, 880), fill=0, width=3)
    draw.text((150, 300), "scanned page: table image only", fill=0)
    image.save(target, "PDF", resolution=150.0)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        jiaxing = OUT / "jiaxing-2024.docx"
        build_docx(
            SEEDS / "004_91b38fa976f5289e.txt", jiaxing, boxed="市政府办公室高度重视政务公开"
        )
        shutil.copy(soffice(jiaxing, "pdf", work), OUT / "jiaxing-2024.pdf")
        xinrong = work / "xinrong-2022.docx"
        build_docx(SEEDS / "000_16f65f36c03f968e.txt", xinrong, boxed=None)
        shutil.copy(soffice(xinrong, "doc", work), OUT / "xinrong-2022.doc")
    build_scan(OUT / "scan.pdf")
    for seed, stem in (
        ("004_91b38fa976f5289e", "jiaxing-2024"),
        ("000_16f65f36c03f968e", "xinrong-2022"),
    ):
        expected = json.loads((SEEDS / "expected" / f"{seed}.json").read_text(encoding="utf-8"))
        expected["notes"] = (
            f"Seed {seed}'s expected values: the document carries that seed's text"
            " and table numbers."
        )
        (OUT / f"{stem}.json").write_text(
            json.dumps(expected, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
        )


if __name__ == "__main__":
    main()
