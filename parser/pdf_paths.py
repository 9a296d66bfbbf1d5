"""Painted paths → pdfplumber's edges, split the way pdfminer splits them.

pdfplumber's table finder reads "edges": the sides of pdfminer's lines, rectangles and
curves. PDFium reports paths as bare segments, so the split is redone here: a subpath
``m l`` (or ``m l h``) is a line, a closed axis-aligned four-sided one is a rectangle, and
anything else a curve whose consecutive points make its edges.
"""

from __future__ import annotations

import itertools
from typing import Any

Point = tuple[float, float]  # pdfplumber's coordinates: x, and top growing downwards
Edge = dict[str, Any]  # pdfplumber's edge dictionaries, which its table finder consumes


def _edge(kind: str, p0: Point, p1: Point, orientation: str | None = None) -> Edge:
    x0, x1 = min(p0[0], p1[0]), max(p0[0], p1[0])
    top, bottom = min(p0[1], p1[1]), max(p0[1], p1[1])
    if kind == "line":
        orientation = "h" if top == bottom else "v"
    elif kind == "curve_edge":
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


def edges_of(shape: str, pts: list[Point]) -> list[Edge]:
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
            return [
                _edge("rect_edge", (left, top), (right, top), "h"),
                _edge("rect_edge", (left, bottom), (right, bottom), "h"),
                _edge("rect_edge", (left, top), (left, bottom), "v"),
                _edge("rect_edge", (right, top), (right, bottom), "v"),
            ]
    return [_edge("curve_edge", a, b) for a, b in itertools.pairwise(pts)]
