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
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pypdfium2 as pdfium  # type: ignore[import-untyped]
import pypdfium2.raw as pdfium_c  # type: ignore[import-untyped]

from parser.pdf_layout import Char

Matrix = tuple[float, float, float, float, float, float]
Point = tuple[float, float]
Edge = dict[str, Any]  # pdfplumber's edge dictionaries, which its table finder consumes

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


def _chars(page: Any, ctm: Matrix, height: float, deadline: float) -> list[Char]:
    textpage = page.get_textpage()
    try:
        raw = textpage.raw
        ox, oy = ctypes.c_double(), ctypes.c_double()
        box, matrix, descent = pdfium_c.FS_RECTF(), pdfium_c.FS_MATRIX(), ctypes.c_float()
        descents: dict[int | None, float] = {}
        chars = []
        for k in range(pdfium_c.FPDFText_CountChars(raw)):
            if k % _CHECK_EVERY == 0 and time.monotonic() > deadline:
                raise Overtime
            code = pdfium_c.FPDFText_GetUnicode(raw, k)
            # Generated characters are PDFium's guessed spaces and line breaks, not the page's.
            if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF or pdfium_c.FPDFText_IsGenerated(raw, k):
                continue
            text = chr(code)
            if not text.strip():
                continue
            pdfium_c.FPDFText_GetMatrix(raw, k, matrix)
            size = pdfium_c.FPDFText_GetFontSize(raw, k) * math.hypot(matrix.c, matrix.d)
            font = pdfium_c.FPDFTextObj_GetFont(pdfium_c.FPDFText_GetTextObject(raw, k))
            key = ctypes.cast(font, ctypes.c_void_p).value
            if key not in descents:
                ok = pdfium_c.FPDFFont_GetDescent(font, ctypes.c_float(1.0), descent)
                descents[key] = descent.value if ok else 0.0
            pdfium_c.FPDFText_GetCharOrigin(raw, k, ox, oy)
            pdfium_c.FPDFText_GetLooseCharBox(raw, k, box)
            # pdfminer's box: from the origin across the advance, the font size tall, resting
            # on the font's descent; the loose box's horizontal extent is exactly that.
            y0 = oy.value + descents[key] * size
            (ax, ay), (bx, by) = _apply(ctm, ox.value, y0), _apply(ctm, box.right, y0 + size)
            chars.append(
                Char(text, min(ax, bx), max(ax, bx), height - max(ay, by), height - min(ay, by), size)
            )
        return chars
    finally:
        textpage.close()


def _walk(page: Any, ctm: Matrix, height: float, edges: list[Edge], deadline: float) -> int:
    """Collect the edges of every path (forms included); return the number of images."""
    images = 0
    matrix = pdfium_c.FS_MATRIX()
    stack: list[tuple[Callable[[int], Any], int, Matrix, int]] = [
        (lambda i: pdfium_c.FPDFPage_GetObject(page.raw, i), pdfium_c.FPDFPage_CountObjects(page.raw), ctm, 0)
    ]
    seen = 0
    while stack:
        get, count, outer, depth = stack.pop()
        for i in range(count):
            seen += 1
            if seen % _CHECK_EVERY == 0 and time.monotonic() > deadline:
                raise Overtime
            obj = get(i)
            kind = pdfium_c.FPDFPageObj_GetType(obj)
            if kind == pdfium_c.FPDF_PAGEOBJ_IMAGE:
                images += 1
                continue
            if kind not in (pdfium_c.FPDF_PAGEOBJ_PATH, pdfium_c.FPDF_PAGEOBJ_FORM):
                continue
            pdfium_c.FPDFPageObj_GetMatrix(obj, matrix)
            own = _then(
                (matrix.a, matrix.b, matrix.c, matrix.d, matrix.e, matrix.f), outer
            )
            if kind == pdfium_c.FPDF_PAGEOBJ_PATH:
                for shape, points in _subpaths(obj, own):
                    edges.extend(_edges(shape, [(x, height - y) for x, y in points]))
            elif depth < _MAX_FORM_DEPTH:
                stack.append(
                    (
                        lambda i, form=obj: pdfium_c.FPDFFormObj_GetObject(form, i),
                        pdfium_c.FPDFFormObj_CountObjects(form := obj),
                        own,
                        depth + 1,
                    )
                )
    return images


def _subpaths(obj: Any, m: Matrix) -> list[tuple[str, list[Point]]]:
    """The path's subpaths in page space, each as pdfminer's shape string (``m``, ``l``,
    ``c``, ``h``) and its points: one per operator, the start point again for ``h``."""
    x, y = ctypes.c_float(), ctypes.c_float()
    out: list[tuple[str, list[Point]]] = []
    shape, points = "", []
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


def _edge(kind: str, p0: Point, p1: Point) -> Edge:
    x0, x1 = min(p0[0], p1[0]), max(p0[0], p1[0])
    top, bottom = min(p0[1], p1[1]), max(p0[1], p1[1])
    if kind == "line":
        orientation: str | None = "h" if top == bottom else "v"
    else:
        orientation = "v" if p0[0] == p1[0] else ("h" if p0[1] == p1[1] else None)
    return {
        "object_type": kind,
        "x0": x0,
        "x1": x1,
        "top": top,
        "bottom": bottom,
        "doctop": top,
        "width": x1 - x0,
        "height": bottom - top,
        "orientation": orientation,
    }


def _edges(shape: str, pts: list[Point]) -> list[Edge]:
    """pdfplumber's edges of one subpath: pdfminer's line / rectangle / curve split."""
    if len(shape) < 2:
        return []
    if shape in ("ml", "mlh"):
        return [_edge("line", pts[0], pts[1])]
    if shape in ("mlllh", "mllll") and pts[0] == pts[4]:
        (x0, y0), (x1, y1), (x2, y2), (x3, y3) = pts[:4]
        if (x0 == x1 and y1 == y2 and x2 == x3 and y3 == y0) or (
            y0 == y1 and x1 == x2 and y2 == y3 and x3 == x0
        ):
            left, right = min(x0, x2), max(x0, x2)
            top, bottom = min(y0, y2), max(y0, y2)
            corners = [(left, top), (right, top), (right, bottom), (left, bottom)]
            return [_edge("rect_edge", a, b) for a, b in zip(corners, corners[1:] + corners[:1])]
    return [_edge("curve_edge", a, b) for a, b in zip(pts, pts[1:])]


def open_document(data: bytes) -> Any:
    """The PDFium document; raises ``pdfium.PdfiumError`` (``err_code``: why) if unreadable."""
    return pdfium.PdfDocument(data)


PdfiumError = pdfium.PdfiumError
PASSWORD = pdfium_c.FPDF_ERR_PASSWORD
