"""Matched rows → the three tables of the record, with cell flags and warnings.

A row's value cells fit its columns when, after dropping trailing empties (and then leading
ones), there are exactly as many cells as columns — empties inside are printed blanks — or
when its non-empty cells are exactly as many (the stray empty cells of flattened text).
Anything else goes to ``parser.resolve``; what it cannot settle stays ``null`` with a warning.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from parser import spec
from parser.cells import BLANK, EMPTY, NUMBER, Cell
from parser.record import CellFlag, Number, ParseWarning
from parser.resolve import Vector, resolve
from parser.tables import RawRow

Values = dict[str, dict[str, Number | None]]
_EPS = 1e-6


@dataclass
class Tables:
    active: Values | None = None
    applications: Values | None = None
    appeals: Values | None = None
    flags: list[CellFlag] = field(default_factory=list)
    warnings: list[ParseWarning] = field(default_factory=list)


def fit(cells: tuple[Cell, ...] | list[Cell], ncols: int) -> list[Cell] | None:
    cells = list(cells)
    while cells and cells[-1].kind is EMPTY:
        cells.pop()
    if len(cells) == ncols:
        return cells
    start = 0
    while start < len(cells) and cells[start].kind is EMPTY:
        start += 1
    if len(cells) - start == ncols:
        return cells[start:]
    solid = [c for c in cells if c.kind is not EMPTY]
    return solid if len(solid) == ncols else None


def layout(template: str) -> dict[str, dict[str, tuple[str, ...]]]:
    appeals: dict[str, tuple[str, ...]] = dict.fromkeys(spec.APPEAL_GROUPS, spec.APPEAL_COLUMNS)
    apps: dict[str, tuple[str, ...]] = dict.fromkeys(
        spec.application_rows(template), spec.APPLICATION_COLUMNS
    )
    return {"active": dict(spec.active_layout(template)), "applications": apps, "appeals": appeals}


def build(rows: tuple[RawRow, ...], template: str) -> Tables:
    out = Tables()
    if template == "legacy":
        return out
    shape = layout(template)
    by_key: dict[tuple[str, str], RawRow] = {}
    star: list[Cell] = []
    for row in rows:
        key = (row.match.table, row.match.row)
        if row.match.row == "*":
            if sum(1 for c in star if c.kind is not EMPTY) < 15:
                star.extend(_trim(row.cells))
            continue
        if key[1] not in shape[key[0]]:
            out.warnings.append(
                ParseWarning(
                    "row_not_in_template",
                    f"row '{row.label}' ({key[1]}) is not part of the {template} template",
                    table=key[0],
                    row=key[1],
                )
            )
            continue
        by_key.setdefault(key, row)
    tables: dict[str, Values] = {}
    problems: list[tuple[str, list[tuple[str, str]], list[Cell]]] = []
    found_any = {name: False for name in spec.TABLES}
    for name, rows_of in shape.items():
        values: Values = {}
        tables[name] = values
        for row_key, columns in rows_of.items():
            values[row_key] = dict.fromkeys(columns)
            raw = by_key.get((name, row_key))
            if raw is not None:
                found_any[name] = True
                _place(out, name, [(row_key, c) for c in columns], raw.cells, values, problems)
    if star and not any((("appeals", g) in by_key) for g in spec.APPEAL_GROUPS):
        found_any["appeals"] = True
        cells = [(g, c) for g in spec.APPEAL_GROUPS for c in spec.APPEAL_COLUMNS]
        _place(out, "appeals", cells, tuple(star), tables["appeals"], problems)
    for name, places, tokens in problems:
        _settle(out, name, places, tokens, tables, template)
    for name in spec.TABLES:
        if not found_any[name]:
            out.warnings.append(
                ParseWarning("table_missing", f"table {name} was not found", table=name)
            )
            continue
        for row_key in tables[name]:
            if (name, row_key) in by_key or name == "appeals":
                continue
            out.warnings.append(
                ParseWarning(
                    "row_missing",
                    f"row {row_key} of table {name} was not found",
                    table=name,
                    row=row_key,
                )
            )
        setattr(out, name, tables[name])
    return out


def _trim(cells: tuple[Cell, ...]) -> list[Cell]:
    out = list(cells)
    while out and out[-1].kind is EMPTY:
        out.pop()
    while out and out[0].kind is EMPTY:
        out.pop(0)
    return out


def _place(
    out: Tables,
    name: str,
    places: list[tuple[str, str]],
    cells: tuple[Cell, ...],
    values: Values,
    problems: list[tuple[str, list[tuple[str, str]], list[Cell]]],
) -> None:
    fitted = fit(cells, len(places))
    if fitted is None:
        problems.append((name, places, [c for c in cells if c.kind is not EMPTY]))
        return
    plain = name != "active"  # table 2 has decimal cells; tables 3 and 4 hold counts
    for (row, column), cell in zip(places, fitted, strict=True):
        value = cell.value
        # The common case inline (a call per cell was a tenth of filling the tables).
        if plain and type(value) is int and value >= 0 and cell.kind is NUMBER:
            values[row][column] = value
        else:
            values[row][column] = _value(out, name, row, column, cell)


def _value(out: Tables, table: str, row: str, column: str, cell: Cell) -> Number | None:
    value = cell.value
    if type(value) is int and value >= 0 and cell.kind is NUMBER and table != "active":
        return value
    if cell.kind in (EMPTY, BLANK):
        out.flags.append(CellFlag(table, row, column, "blank"))
        return 0
    if cell.kind is NUMBER and value is not None:
        decimal = table == "active" and (row, column) in spec.DECIMAL_CELLS
        if decimal:
            return round(value / 10000, 6) if cell.unit == "元" else value
        negative_ok = table == "active" and column == "change"
        if float(value).is_integer() and (value >= 0 or negative_ok):
            return int(value)
    out.warnings.append(
        ParseWarning(
            "unreadable_cell",
            f"cell {table}.{row}.{column} could not be read: {cell.text!r}",
            table=table,
            row=row,
            column=column,
        )
    )
    return None


def _settle(
    out: Tables,
    name: str,
    places: list[tuple[str, str]],
    tokens: list[Cell],
    tables: dict[str, Values],
    template: str,
) -> None:
    rows = sorted({r for r, _ in places})
    printed = " ".join(c.text for c in tokens)
    numeric = all(c.kind is NUMBER and c.value is not None and c.value >= 0 for c in tokens)
    vector = None
    if numeric:
        texts = [c.text.rstrip("件条个项次起人家万元").replace(",", "") for c in tokens]
        vector = resolve(texts, len(places), _checks(name, places, tables, template))
    if vector is not None:
        for (row, column), value in zip(places, vector, strict=True):
            tables[name][row][column] = value
            out.flags.append(CellFlag(name, row, column, "resolved"))
        out.warnings.append(
            ParseWarning(
                "resolved_row",
                f"{name}.{'/'.join(rows)}: {len(tokens)} numbers ({printed}) for {len(places)} "
                "cells, resolved by the identities",
                table=name,
                row=rows[0] if len(rows) == 1 else None,
            )
        )
        return
    for row, column in places:
        tables[name][row][column] = None
        out.warnings.append(
            ParseWarning(
                "unreadable_cell",
                f"cell {name}.{row}.{column} could not be read: {len(tokens)} numbers "
                f"({printed}) for {len(places)} cells and no single reading fits the identities",
                table=name,
                row=row,
                column=column,
            )
        )


Check = Callable[[Vector], bool | None]


def _checks(
    name: str, places: list[tuple[str, str]], tables: dict[str, Values], template: str
) -> list[Check]:
    if name == "appeals":
        return [_group_check(places, group) for group in {g for g, _ in places}]
    if name != "applications" or len({r for r, _ in places}) != 1:
        return []
    row = places[0][0]
    apps = tables["applications"]
    checks: list[Check] = [
        lambda v: abs(v[6] - sum(v[:6])) <= _EPS,
    ]
    outcomes = spec.outcome_rows(template)
    for index, column in enumerate(spec.APPLICATION_COLUMNS):
        if row == "total" or row in outcomes:
            checks.append(_column_check(apps, row, column, index, "total", outcomes))
        if row in ("new_received", "carried_over", "total", "carried_forward"):
            checks.append(_balance_check(apps, row, column, index))
    return checks


def _group_check(places: list[tuple[str, str]], group: str) -> Check:
    idx = {c: i for i, (g, c) in enumerate(places) if g == group}

    def check(v: Vector) -> bool:
        parts = sum(v[idx[c]] for c in ("upheld", "corrected", "other", "pending"))
        return abs(v[idx["total"]] - parts) <= _EPS

    return check


def _column_check(
    apps: Values, row: str, column: str, index: int, total: str, outcomes: tuple[str, ...]
) -> Check:
    def check(v: Vector) -> bool | None:
        known = {r: apps[r][column] for r in (*outcomes, total) if r != row}
        if any(x is None for x in known.values()):
            return None
        mine = v[index]
        if row == total:
            return abs(mine - sum(known[r] or 0 for r in outcomes)) <= _EPS
        rest = sum(known[r] or 0 for r in outcomes if r != row)
        return abs((known[total] or 0) - rest - mine) <= _EPS

    return check


def _balance_check(apps: Values, row: str, column: str, index: int) -> Check:
    sides = {"new_received": 1, "carried_over": 1, "total": -1, "carried_forward": -1}

    def check(v: Vector) -> bool | None:
        acc: Number = 0
        for r, sign in sides.items():
            value = v[index] if r == row else apps[r][column]
            if value is None:
                return None
            acc += sign * value
        return abs(acc) <= _EPS

    return check
