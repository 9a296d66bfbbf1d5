"""The canonical record of one annual report: frozen dataclasses and their JSON form.

The JSON form is the contract of ``shared/spec/report-format.md``: ``to_dict`` writes it and
``from_dict`` reads it back, so storage can keep records as JSON and the monitor can compare
them years later without re-parsing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from parser import spec

Number = int | float
#: ``table -> row -> column -> value`` (``None``: the cell could not be read).
Table = Mapping[str, Mapping[str, Number | None]]


# The classes made by the hundred per report (identities, flags, cells, blocks) fill their
# instance dict in one call: a frozen dataclass's generated ``__init__`` goes through
# ``object.__setattr__`` once per field, which made up ~10% of parsing an HTML/text report.
# Instances stay frozen (assignment still raises) and compare and hash as before.


@dataclass(frozen=True, init=False)
class CellFlag:
    table: str
    row: str
    column: str
    flag: str  # one of spec.CELL_FLAGS

    def __init__(self, table: str, row: str, column: str, flag: str) -> None:
        self.__dict__.update(table=table, row=row, column=column, flag=flag)

    def to_dict(self) -> dict[str, str]:
        return {"table": self.table, "row": self.row, "column": self.column, "flag": self.flag}


@dataclass(frozen=True)
class ParseWarning:
    """Something the reader of the record must know; names the place when there is one."""

    code: str
    message: str
    table: str | None = None
    row: str | None = None
    column: str | None = None
    field: str | None = None

    def to_dict(self) -> dict[str, str]:
        out = {"code": self.code, "message": self.message}
        for key in ("table", "row", "column", "field"):
            value = getattr(self, key)
            if value is not None:
                out[key] = value
        return out


@dataclass(frozen=True, init=False)
class Identity:
    """One evaluated identity (勾稽关系): ``left == right`` over the named cells."""

    rule: str  # T3.balance, T3.rows, T3.results, T4.groups, X.carry, X.in_force
    scope: str  # the column, row or group the rule was applied to
    left: Number | None
    right: Number | None
    ok: bool | None  # None: a cell it needs is unreadable
    left_cells: tuple[str, ...] = ()
    right_cells: tuple[str, ...] = ()

    def __init__(
        self,
        rule: str,
        scope: str,
        left: Number | None,
        right: Number | None,
        ok: bool | None,
        left_cells: tuple[str, ...] = (),
        right_cells: tuple[str, ...] = (),
    ) -> None:
        self.__dict__.update(
            rule=rule,
            scope=scope,
            left=left,
            right=right,
            ok=ok,
            left_cells=left_cells,
            right_cells=right_cells,
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "scope": self.scope,
            "left": self.left,
            "right": self.right,
            "ok": self.ok,
            "left_cells": list(self.left_cells),
            "right_cells": list(self.right_cells),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Identity:
        return cls(
            rule=data["rule"],
            scope=data["scope"],
            left=data.get("left"),
            right=data.get("right"),
            ok=data.get("ok"),
            left_cells=tuple(data.get("left_cells") or ()),
            right_cells=tuple(data.get("right_cells") or ()),
        )


@dataclass(frozen=True)
class Section:
    """A narrative section: its heading and paragraphs (used for copy detection and diffs)."""

    heading: str
    paragraphs: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"heading": self.heading, "paragraphs": list(self.paragraphs)}


@dataclass(frozen=True)
class Source:
    """Where the bytes came from and how they were read."""

    format: str  # html, text, pdf, docx, doc
    encoding: str | None = None
    url: str | None = None
    content_type: str | None = None
    sha256: str | None = None
    size: int | None = None
    title: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": self.format,
            "encoding": self.encoding,
            "url": self.url,
            "content_type": self.content_type,
            "sha256": self.sha256,
            "size": self.size,
            "title": self.title,
        }


@dataclass(frozen=True)
class Report:
    """One annual report in canonical form."""

    agency: str | None
    year: int | None
    signed_on: dt.date | None
    template: str  # spec.TEMPLATES
    active: Table | None = None
    applications: Table | None = None
    appeals: Table | None = None
    prose: Mapping[str, Number] = field(default_factory=dict)
    prose_sources: Mapping[str, str] = field(default_factory=dict)
    cell_flags: tuple[CellFlag, ...] = ()
    warnings: tuple[ParseWarning, ...] = ()
    identities: tuple[Identity, ...] = ()
    title: str | None = None
    sections: tuple[Section, ...] = ()
    source: Source = field(default_factory=lambda: Source(format="text"))
    parser_version: str = ""

    # -- access ------------------------------------------------------------------------
    def table(self, name: str) -> Table | None:
        if name not in spec.TABLES:
            raise KeyError(name)
        value: Table | None = getattr(self, name)
        return value

    def cell(self, table: str, row: str, column: str) -> Number | None:
        """The value of one cell; ``None`` when unreadable or absent."""
        rows = self.table(table)
        if rows is None or row not in rows:
            return None
        return rows[row].get(column)

    def flags_of(self, table: str, row: str, column: str) -> frozenset[str]:
        return frozenset(
            f.flag for f in self.cell_flags if (f.table, f.row, f.column) == (table, row, column)
        )

    def iter_cells(self) -> Iterator[tuple[str, str, str, Number | None]]:
        """Every cell as ``(table, row, column, value)`` in template order."""
        for name in spec.TABLES:
            rows = self.table(name)
            if rows is None:
                continue
            for row, columns in rows.items():
                for column, value in columns.items():
                    yield name, row, column, value

    @property
    def failing_identities(self) -> tuple[Identity, ...]:
        return tuple(i for i in self.identities if i.ok is False)

    @property
    def narrative(self) -> str:
        """The narrative text (all section paragraphs), for copy detection and diffs."""
        return "\n".join(p for s in self.sections for p in s.paragraphs)

    # -- JSON ----------------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        return {
            "agency": self.agency,
            "year": self.year,
            "signed_on": self.signed_on.isoformat() if self.signed_on else None,
            "template": self.template,
            "title": self.title,
            "active": _plain(self.active),
            "applications": _plain(self.applications),
            "appeals": _plain(self.appeals),
            "prose": dict(self.prose),
            "prose_sources": dict(self.prose_sources),
            "cell_flags": [f.to_dict() for f in self.cell_flags],
            "warnings": [w.to_dict() for w in self.warnings],
            "identities": [i.to_dict() for i in self.identities],
            "sections": [s.to_dict() for s in self.sections],
            "source": self.source.to_dict(),
            "parser_version": self.parser_version,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Report:
        signed = data.get("signed_on")
        return cls(
            agency=data.get("agency"),
            year=data.get("year"),
            signed_on=dt.date.fromisoformat(signed) if signed else None,
            template=data.get("template") or "legacy",
            title=data.get("title"),
            active=data.get("active"),
            applications=data.get("applications"),
            appeals=data.get("appeals"),
            prose=dict(data.get("prose") or {}),
            prose_sources=dict(data.get("prose_sources") or {}),
            cell_flags=tuple(CellFlag(**f) for f in data.get("cell_flags") or ()),
            warnings=tuple(ParseWarning(**w) for w in data.get("warnings") or ()),
            identities=tuple(Identity.from_dict(i) for i in data.get("identities") or ()),
            sections=tuple(
                Section(heading=s["heading"], paragraphs=tuple(s["paragraphs"]))
                for s in data.get("sections") or ()
            ),
            source=Source(**(data.get("source") or {"format": "text"})),
            parser_version=data.get("parser_version") or "",
        )


def _plain(table: Table | None) -> dict[str, dict[str, Number | None]] | None:
    if table is None:
        return None
    return {row: dict(columns) for row, columns in table.items()}
