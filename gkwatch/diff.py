"""What changed between two versions of a report: metadata, cells, prose figures and text."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Any

from parser.record import Number, Report


@dataclass(frozen=True)
class CellChange:
    table: str
    row: str
    column: str
    old: Number | None
    new: Number | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "table": self.table,
            "row": self.row,
            "column": self.column,
            "old": self.old,
            "new": self.new,
        }


@dataclass(frozen=True)
class VersionDiff:
    old: int
    new: int
    fields: tuple[tuple[str, Any, Any], ...]  # (name, old, new) of metadata and prose figures
    cells: tuple[CellChange, ...]
    text: tuple[str, ...]  # unified diff lines of the narrative, without the file header

    @property
    def empty(self) -> bool:
        return not (self.fields or self.cells or self.text)

    def to_dict(self) -> dict[str, Any]:
        return {
            "old": self.old,
            "new": self.new,
            "fields": [{"field": n, "old": o, "new": v} for n, o, v in self.fields],
            "cells": [c.to_dict() for c in self.cells],
            "text": list(self.text),
        }


def _cells(report: Report) -> dict[tuple[str, str, str], Number | None]:
    return {(t, r, c): v for t, r, c, v in report.iter_cells()}


def _fields(old: Report, new: Report) -> list[tuple[str, Any, Any]]:
    out: list[tuple[str, Any, Any]] = []
    for name in ("agency", "year", "signed_on", "template", "title"):
        a, b = getattr(old, name), getattr(new, name)
        if a != b:
            out.append((name, str(a) if a is not None else None, str(b) if b is not None else None))
    for key in sorted(set(old.prose) | set(new.prose)):
        if old.prose.get(key) != new.prose.get(key):
            out.append((f"prose.{key}", old.prose.get(key), new.prose.get(key)))
    return out


def compare(old: Report, new: Report, old_number: int, new_number: int) -> VersionDiff:
    a, b = _cells(old), _cells(new)
    order = list(a) + [k for k in b if k not in a]
    cells = tuple(
        CellChange(*key, a.get(key), b.get(key)) for key in order if a.get(key) != b.get(key)
    )
    lines = difflib.unified_diff(
        old.narrative.splitlines(), new.narrative.splitlines(), lineterm="", n=1
    )
    text = tuple(line for line in lines if not line.startswith(("---", "+++")))
    return VersionDiff(old_number, new_number, tuple(_fields(old, new)), cells, text)
