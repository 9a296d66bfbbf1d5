"""What makes two observations of a report "the same content", and the cells of a record.

Portals put visitor counters, clocks and share widgets into their pages, so raw bytes change on
every fetch; a version changes only when what the report *says* changes: its table cells (with
their blank/resolved flags), its prose figures and its normalised narrative, agency, year and
signing date.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass

from parser.record import Number, Report

_SPACE = re.compile(r"\s+")


def normalise_text(text: str) -> str:
    """NFKC (full-width digits and punctuation become ASCII) with whitespace removed: Chinese
    text has no meaningful spaces and portals re-wrap lines freely."""
    return _SPACE.sub("", unicodedata.normalize("NFKC", text))


def _number(value: Number | None) -> str | None:
    if value is None:
        return None
    as_float = float(value)
    return str(int(as_float)) if as_float.is_integer() else repr(as_float)


@dataclass(frozen=True)
class Cell:
    table_name: str
    row_key: str
    column_key: str
    value: float | None
    blank: bool
    resolved: bool


def cells_of(record: Report) -> list[Cell]:
    flags: dict[tuple[str, str, str], set[str]] = {}
    for f in record.cell_flags:
        flags.setdefault((f.table, f.row, f.column), set()).add(f.flag)
    none: set[str] = set()
    out = []
    for table, row, column, value in record.iter_cells():
        marks = flags.get((table, row, column), none)
        out.append(
            Cell(
                table_name=table,
                row_key=row,
                column_key=column,
                value=None if value is None else float(value),
                blank="blank" in marks,
                resolved="resolved" in marks,
            )
        )
    return out


def content_hash(record: Report, cells: list[Cell] | None = None) -> str:
    """sha256 over the canonical JSON of the report's content (see the module docstring);
    ``cells`` saves recomputing ``cells_of(record)``."""
    # Cell values are floats already (5 and 5.0 are one value); tuples sort fast.
    rows = sorted(
        (c.table_name, c.row_key, c.column_key, c.value, c.blank, c.resolved)
        for c in (cells if cells is not None else cells_of(record))
    )
    sections = [
        [normalise_text(s.heading), [t for p in s.paragraphs if (t := normalise_text(p))]]
        for s in record.sections
    ]
    payload = {
        "agency": normalise_text(record.agency or ""),
        "year": record.year,
        "signed_on": record.signed_on.isoformat() if record.signed_on else None,
        "template": record.template,
        "cells": rows,
        "prose": sorted((k, _number(v)) for k, v in record.prose.items()),
        "sections": sections,
    }
    blob = json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()
