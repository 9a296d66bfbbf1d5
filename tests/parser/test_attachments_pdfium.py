"""PDFium reads the same page geometry as pdfplumber/pdfminer, which the layout code was built on.

``parser.pdf_pdfium`` replaces pdfminer's pure-Python interpreter for speed; these tests hold
it to pdfplumber's own output (the reference, computed here, not stored): the same ruling
edges, the same characters at the same places and sizes, for the fixtures and for generated
pages that exercise form XObjects, transformation matrices, page rotation and path shapes.
"""

from __future__ import annotations

import io
import time
import zlib
from collections import Counter
from pathlib import Path
from typing import Any

import pdfplumber
import pytest

from parser import pdf_paths, pdf_pdfium
from parser.pdf_layout import Char

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
PDFS = [FIXTURES / "corpus/pdf/huaian-2024.pdf", FIXTURES / "attachments/jiaxing-2024.pdf"]


def _pdf(objects: list[bytes]) -> bytes:
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n%s\nendobj\n" % (number, body))
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    out.writelines(b"%010d 00000 n \n" % offset for offset in offsets)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\n" % (len(objects) + 1))
    out.write(b"startxref\n%d\n%%%%EOF\n" % xref)
    return out.getvalue()


def _stream(content: bytes, extra: bytes = b"") -> bytes:
    packed = zlib.compress(content)
    return b"<< /Length %d /Filter /FlateDecode %s>>\nstream\n%s\nendstream" % (
        len(packed),
        extra,
        packed,
    )


def _one_page(content: bytes, page_extra: bytes = b"", more: tuple[bytes, ...] = ()) -> bytes:
    """A one-page PDF with Helvetica as /F1; ``more`` become objects 5, 6, …"""
    return _pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
            b" /Resources << /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica"
            b" >> >> /XObject << /Fm1 5 0 R >> >> %s >>" % page_extra,
            _stream(content),
            *more,
        ]
    )


def _key(edge: dict[str, Any]) -> tuple[Any, ...]:
    return (
        edge["orientation"],
        round(edge["x0"], 2),
        round(edge["x1"], 2),
        round(edge["top"], 2),
        round(edge["bottom"], 2),
    )


def _mine(data: bytes) -> list[pdf_pdfium.PageContent]:
    document = pdf_pdfium.open_document(data)
    try:
        return [pdf_pdfium.read_page(page, time.monotonic() + 30) for page in document]
    finally:
        document.close()


def _assert_same_geometry(data: bytes, *, descent_slack: float = 0.5) -> None:
    reference = pdfplumber.open(io.BytesIO(data))
    pages = _mine(data)
    assert len(pages) == len(reference.pages)
    for number, (mine, theirs) in enumerate(zip(pages, reference.pages, strict=True), start=1):
        assert mine.height == pytest.approx(float(theirs.height)), number
        want_edges = Counter(_key(e) for e in theirs.edges if e["orientation"])
        assert Counter(_key(e) for e in mine.edges if e["orientation"]) == want_edges, number
        assert mine.images == len(theirs.images), number
        want = [c for c in theirs.chars if c["text"].strip()]
        assert Counter(c.text for c in mine.chars) == Counter(c["text"] for c in want), number
        for c in want:
            best = min(
                (m for m in mine.chars if m.text == c["text"]),
                key=lambda m: abs(m.x0 - c["x0"]) + abs(m.bottom - c["bottom"]),
            )
            # pdfminer takes the descent from the font descriptor (or, for the standard 14
            # fonts, its AFM files), PDFium may take it from the font program: a whole font can
            # sit a little higher or lower (left or right on a rotated page), never apart.
            sideways = theirs.rotation in (90, 270)
            slack = {"x": descent_slack if sideways else 0.01, "y": descent_slack}
            assert best.x0 == pytest.approx(c["x0"], abs=slack["x"]), (number, c["text"])
            assert best.x1 == pytest.approx(c["x1"], abs=slack["x"] + 0.2), (number, c["text"])
            assert best.top == pytest.approx(c["top"], abs=slack["y"]), (number, c["text"])
            assert best.size == pytest.approx(c["size"], abs=0.01), (number, c["text"])
            assert best.bottom - best.top == pytest.approx(c["bottom"] - c["top"], abs=0.01)


def test_huaian_geometry_is_pdfplumbers() -> None:
    _assert_same_geometry(PDFS[0].read_bytes(), descent_slack=0.01)


def test_libreoffice_export_geometry_is_pdfplumbers() -> None:
    _assert_same_geometry(PDFS[1].read_bytes(), descent_slack=2.0)


_TABLE = (
    b"0.5 w 50 700 m 300 700 l S 50 650 m 300 650 l S 50 600 m 300 600 l S"
    b" 50 600 m 50 700 l S 175 600 m 175 700 l S 300 600 m 300 700 l S"
)


def test_form_xobjects_matrices_and_text_scaling() -> None:
    # A table drawn inside a form XObject with its own /Matrix, placed with a cm; text set
    # with a scaled text matrix (size from Tf times Tm) and horizontal scaling (Tz).
    form = _stream(
        _TABLE + b" BT /F1 1 Tf 12 0 0 12 60 670 Tm (Cell) Tj ET",
        b"/Type /XObject /Subtype /Form /BBox [0 0 600 800] /Matrix [1 0 0 1 10 -20]"
        b" /Resources << /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica"
        b" >> >> >> ",
    )
    content = (
        b"q 0.8 0 0 0.8 20 30 cm /Fm1 Do Q"
        b" BT /F1 20 Tf 0.5 0 0 0.5 100 780 Tm 80 Tz (Title) Tj ET"
        b" 10 10 100 50 re f 200 10 m 260 10 l 260 60 l 230 80 l h S"
    )
    _assert_same_geometry(_one_page(content, more=(form,)))


@pytest.mark.parametrize("rotation", [90, 180, 270])
def test_rotated_pages(rotation: int) -> None:
    content = _TABLE + b" BT /F1 10 Tf 60 670 Td (Cell) Tj ET"
    form = _stream(b"", b"/Type /XObject /Subtype /Form /BBox [0 0 1 1] ")
    _assert_same_geometry(_one_page(content, b"/Rotate %d" % rotation, (form,)))


def test_path_shapes_split_like_pdfminer() -> None:
    line = pdf_paths.edges_of("ml", [(0.0, 0.0), (10.0, 0.0)])
    assert [(e["object_type"], e["orientation"]) for e in line] == [("line", "h")]
    rect = pdf_paths.edges_of("mlllh", [(0, 0), (10, 0), (10, 5), (0, 5), (0, 0)])
    assert sorted(e["orientation"] for e in rect) == ["h", "h", "v", "v"]
    assert {(e["x0"], e["x1"], e["top"], e["bottom"]) for e in rect} == {
        (0, 10, 0, 0),
        (0, 10, 5, 5),
        (0, 0, 0, 5),
        (10, 10, 0, 5),
    }
    # Closed but not axis-aligned: a curve, whose slanted side has no orientation.
    kite = pdf_paths.edges_of("mlllh", [(0, 0), (10, 0), (12, 5), (0, 5), (0, 0)])
    assert [e["orientation"] for e in kite] == ["h", None, "h", "v"]
    assert pdf_paths.edges_of("m", [(1, 1)]) == []


def test_chars_are_plain_values() -> None:
    page = _mine(_one_page(b"BT /F1 10 Tf 60 670 Td (A b) Tj ET", more=(_stream(b""),)))[0]
    assert [c.text for c in page.chars] == ["A", "b"]  # the space is not a character here
    assert all(isinstance(c, Char) and c.size == pytest.approx(10.0) for c in page.chars)
