"""A PDF page's characters and ruling-line edges, read by PDFium (pypdfium2).

pdfminer interprets content streams in pure Python (about 60 ms a page of a typical report);
PDFium does it in C++. The output mirrors what pdfplumber builds from pdfminer, so that the
geometry code (pdfplumber's table finder, ``pdf_layout``) sees the same numbers: points from
the top-left corner, a character's box from its origin, advance, font size and font descent,
and paths split into lines, rectangles and curves the way pdfminer splits them.
"""

from __future__ import annotations

import ctypes
import math
import time
from dataclasses import dataclass
from typing import Any

import pypdfium2 as pdfium  # type: ignore[import-untyped]
import pypdfium2.raw as pdfium_c  # type: ignore[import-untyped]

from parser.pdf_layout import Char
from parser.pdf_paths import Edge, Point, edges_of

Matrix = tuple[float, float, float, float, float, float]

_MAX_FORM_DEPTH = 8  # forms nested deeper than this are hostile, not layout
_CHECK_EVERY = 256  # objects or characters between two looks at the clock


class Overtime(Exception):
    """The document's time budget ran out inside a page."""


@dataclass(frozen=True)
class PageContent:
    height: float
    chars: tuple[Char, ...]
    edges: tuple[Edge, ...]
    images: int


def _then(first: Matrix, second: Matrix) -> Matrix:
    """The matrix applying ``first``, then ``second``."""
    a, b, c, d, e, f = first
    a2, b2, c2, d2, e2, f2 = second
    return (
        a * a2 + b * c2,
        a * b2 + b * d2,
        c * a2 + d * c2,
        c * b2 + d * d2,
        e * a2 + f * c2 + e2,
        e * b2 + f * d2 + f2,
    )


def _apply(m: Matrix, x: float, y: float) -> Point:
    return (m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5])


def _page_space(page: Any) -> tuple[Matrix, float]:
    """pdfminer's initial matrix for the page (media box origin, /Rotate) and the height
    from which ``top`` is measured."""
    x0, y0, x1, y1 = page.get_mediabox()
    rotation = page.get_rotation() % 360
    if rotation == 90:
        return (0, -1, 1, 0, -y0, x1), x1 - x0
    if rotation == 180:
        return (-1, 0, 0, -1, x1, y1), y1 - y0
    if rotation == 270:
        return (0, 1, -1, 0, y1, -x0), x1 - x0
    return (1, 0, 0, 1, -x0, -y0), y1 - y0


def read_page(page: Any, deadline: float) -> PageContent:
    """Characters (whitespace left out), edges and the number of images of one page."""
    ctm, height = _page_space(page)
    chars = _chars(page, ctm, height, deadline)
    edges: list[Edge] = []
    images = _walk(page, ctm, height, edges, deadline)
    return PageContent(height, tuple(chars), tuple(edges), images)


def _by_address(function: Any, *argtypes: Any) -> Any:
    """A PDFium entry point declared to return a bare address (an int, ``None`` for NULL),
    for use as a cache key without a ctypes cast per character."""
    address = ctypes.cast(function, ctypes.c_void_p).value
    assert address is not None
    return ctypes.CFUNCTYPE(ctypes.c_void_p, *argtypes)(address)


_text_object_at = _by_address(pdfium_c.FPDFText_GetTextObject, ctypes.c_void_p, ctypes.c_int)
_font_of = _by_address(pdfium_c.FPDFTextObj_GetFont, ctypes.c_void_p)


def _text(raw: Any, count: int) -> str | None:
    """The page's characters in one call, if they map one to one onto character indexes."""
    buffer = (ctypes.c_ushort * (count + 1))()
    written = pdfium_c.FPDFText_GetText(raw, 0, count, buffer)
    text = bytes(buffer)[: 2 * max(written - 1, 0)].decode("utf-16-le", "replace")
    return text if len(text) == count else None


def _descent(font: int) -> float:
    """The font's descent as a fraction of its size (negative: below the baseline)."""
    descent = ctypes.c_float()
    handle = ctypes.cast(font, pdfium_c.FPDF_FONT)
    return (
        descent.value if pdfium_c.FPDFFont_GetDescent(handle, ctypes.c_float(1.0), descent) else 0.0
    )


def _chars(page: Any, ctm: Matrix, height: float, deadline: float) -> list[Char]:
    textpage = page.get_textpage()
    try:
        raw = textpage.raw
        count = pdfium_c.FPDFText_CountChars(raw)
        text = _text(raw, count)
        ox, oy, box = ctypes.c_double(), ctypes.c_double(), pdfium_c.FS_RECTF()
        matrix = pdfium_c.FS_MATRIX()
        origin, loose = pdfium_c.FPDFText_GetCharOrigin, pdfium_c.FPDFText_GetLooseCharBox
        get_matrix, font_size = pdfium_c.FPDFText_GetMatrix, pdfium_c.FPDFText_GetFontSize
        descents: dict[int | None, float] = {None: 0.0}
        chars = []
        for k in range(count):
            if k % _CHECK_EVERY == 0 and time.monotonic() > deadline:
                raise Overtime
            if text is not None:
                ch = text[k]
            else:
                code = pdfium_c.FPDFText_GetUnicode(raw, k)
                ch = chr(code) if code < 0xD800 or 0xE000 <= code <= 0x10FFFF else "\ufffd"
            obj = _text_object_at(raw, k)
            # No text object: a space or line break PDFium generated, not the page's text.
            if obj is None or not ch.strip():
                continue
            font = _font_of(obj)
            descent = descents.get(font)
            if descent is None:
                descent = descents[font] = _descent(font)
            get_matrix(raw, k, matrix)
            size = font_size(raw, k) * math.hypot(matrix.c, matrix.d)
            origin(raw, k, ox, oy)
            loose(raw, k, box)
            # pdfminer's box: from the origin across the advance (the loose box's right edge),
            # the font size tall, resting on the font's descent; its "size" is the box's
            # height on the (possibly rotated) page.
            y0 = oy.value + descent * size
            (ax, ay), (bx, by) = _apply(ctm, ox.value, y0), _apply(ctm, box.right, y0 + size)
            top, bottom = height - max(ay, by), height - min(ay, by)
            chars.append(Char(ch, min(ax, bx), max(ax, bx), top, bottom, bottom - top))
        return chars
    finally:
        textpage.close()


def _walk(page: Any, ctm: Matrix, height: float, edges: list[Edge], deadline: float) -> int:
    """Collect the edges of every path (forms included); return the number of images."""
    images = seen = 0
    matrix = pdfium_c.FS_MATRIX()
    page_objects = (pdfium_c.FPDFPage_GetObject, page.raw, pdfium_c.FPDFPage_CountObjects(page.raw))
    stack = [(page_objects, ctm, 0)]
    while stack:
        (get, owner, count), outer, depth = stack.pop()
        for i in range(count):
            seen += 1
            if seen % _CHECK_EVERY == 0 and time.monotonic() > deadline:
                raise Overtime
            obj = get(owner, i)
            kind = pdfium_c.FPDFPageObj_GetType(obj)
            if kind == pdfium_c.FPDF_PAGEOBJ_IMAGE:
                images += 1
            elif kind in (pdfium_c.FPDF_PAGEOBJ_PATH, pdfium_c.FPDF_PAGEOBJ_FORM):
                pdfium_c.FPDFPageObj_GetMatrix(obj, matrix)
                own = _then((matrix.a, matrix.b, matrix.c, matrix.d, matrix.e, matrix.f), outer)
                if kind == pdfium_c.FPDF_PAGEOBJ_PATH:
                    for shape, points in _subpaths(obj, own):
                        edges.extend(edges_of(shape, [(x, height - y) for x, y in points]))
                elif depth < _MAX_FORM_DEPTH:
                    form = (
                        pdfium_c.FPDFFormObj_GetObject,
                        obj,
                        pdfium_c.FPDFFormObj_CountObjects(obj),
                    )
                    stack.append((form, own, depth + 1))
    return images


def _subpaths(obj: Any, m: Matrix) -> list[tuple[str, list[Point]]]:
    """The path's subpaths in page space, each as pdfminer's shape string (``m``, ``l``,
    ``c``, ``h``) and its points: one per operator, the start point again for ``h``."""
    x, y = ctypes.c_float(), ctypes.c_float()
    out: list[tuple[str, list[Point]]] = []
    shape, points = "", list[Point]()
    bezier = 0
    for s in range(pdfium_c.FPDFPath_CountSegments(obj)):
        segment = pdfium_c.FPDFPath_GetPathSegment(obj, s)
        pdfium_c.FPDFPathSegment_GetPoint(segment, x, y)
        px, py = _apply(m, x.value, y.value)
        # PDFium stores float32; pdfminer's numbers are the content stream's decimals.
        point = (round(px, 3), round(py, 3))
        kind = pdfium_c.FPDFPathSegment_GetType(segment)
        if kind == pdfium_c.FPDF_SEGMENT_MOVETO:
            if shape:
                out.append((shape, points))
            shape, points, bezier = "m", [point], 0
        elif kind == pdfium_c.FPDF_SEGMENT_BEZIERTO:
            bezier += 1
            if bezier % 3 == 0:  # two control points, then the end point
                shape += "c"
                points.append(point)
        elif shape:
            shape += "l"
            points.append(point)
        if shape and pdfium_c.FPDFPathSegment_GetClose(segment):
            if points[-1] == points[0] and shape[-1] == "l" and len(shape) > 2:
                shape, points = shape[:-1], points[:-1]
            shape += "h"
            points.append(points[0])
    if shape:
        out.append((shape, points))
    return out


def open_document(data: bytes) -> Any:
    """The PDFium document; raises ``pdfium.PdfiumError`` (``err_code``: why) if unreadable."""
    return pdfium.PdfDocument(data)


PdfiumError = pdfium.PdfiumError
PASSWORD = pdfium_c.FPDF_ERR_PASSWORD
