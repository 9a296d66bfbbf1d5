"""``changed``: a published report whose content changed later — which cells and paragraphs.

One finding per new version (``changed:agency:year:vN``), so every later edit is told once.
"""

from __future__ import annotations

import difflib

from monitor.findings import finding
from parser.record import Report
from storage.types import FindingState


def cell_changes(old: Report, new: Report) -> list[dict[str, object]]:
    before = {(t, r, c): v for t, r, c, v in old.iter_cells()}
    after = {(t, r, c): v for t, r, c, v in new.iter_cells()}
    out: list[dict[str, object]] = []
    for ref in sorted(before.keys() | after.keys()):
        if before.get(ref) != after.get(ref):
            out.append({"cell": ".".join(ref), "old": before.get(ref), "new": after.get(ref)})
    return out


def paragraph_changes(old: Report, new: Report) -> dict[str, list[str]]:
    a = [p for s in old.sections for p in s.paragraphs]
    b = [p for s in new.sections for p in s.paragraphs]
    removed: list[str] = []
    added: list[str] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op in ("replace", "delete"):
            removed += a[i1:i2]
        if op in ("replace", "insert"):
            added += b[j1:j2]
    return {"removed": removed, "added": added}


def check(
    agency_id: str, year: int, number: int, old: Report, new: Report, name: str | None = None
) -> list[FindingState]:
    """``old`` is version ``number - 1``, ``new`` version ``number``."""
    cells = cell_changes(old, new)
    paragraphs = paragraph_changes(old, new)
    if not cells and not paragraphs["removed"] and not paragraphs["added"]:
        return []
    evidence = {"version": number, "cells": cells, "paragraphs": paragraphs}
    n_paragraphs = len(paragraphs["removed"]) + len(paragraphs["added"])
    summary = (
        f"{name or new.agency or agency_id} {year}年度报告发布后被修改（第{number}版）："
        f"{len(cells)}个表格数字、{n_paragraphs}段文字有变化"
    )
    return [finding("changed", agency_id, year, summary, evidence, f"v{number}")]
