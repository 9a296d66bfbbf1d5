"""The identities (勾稽关系) of the spec, as pure functions over records.

The parser records them on every report; the monitor reuses them (and the cross-year ones)
to open findings. An identity whose cells are unreadable is reported with ``ok=None``:
it could not be checked, which is not the same as failing.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from parser import spec
from parser.record import Identity, Number, Report, Table

#: Decimal cells are compared with this tolerance (万元 printed with 4 decimals).
_EPSILON = 1e-6


def _ref(table: str, row: str, column: str) -> str:
    return f"{table}.{row}.{column}"


@lru_cache(maxsize=1024)
def _refs(table: str, rows: tuple[str, ...], columns: tuple[str, ...]) -> tuple[str, ...]:
    """Cell references (``table.row.column``); the same few hundred on every record."""
    return tuple(f"{table}.{r}.{c}" for r in rows for c in columns)


def _sum(values: Iterable[Number | None]) -> Number | None:
    # A plain left fold, not sum(): Python 3.12's sum() compensates float rounding, and the
    # record must not depend on the Python version.
    total: Number = 0
    for value in values:
        if value is None:
            return None
        total += value
    return total


def _identity(
    rule: str,
    scope: str,
    left: Number | None,
    right: Number | None,
    left_cells: tuple[str, ...],
    right_cells: tuple[str, ...],
) -> Identity:
    ok = None if left is None or right is None else abs(left - right) <= _EPSILON
    return Identity(rule, scope, left, right, ok, left_cells, right_cells)


_NO_ROW: dict[str, Number | None] = {}


def _get(table: Table, row: str, column: str) -> Number | None:
    return table.get(row, _NO_ROW).get(column)


def t3_balance(applications: Table) -> list[Identity]:
    """new_received + carried_over = total + carried_forward, for every column."""
    out = []
    for c in spec.APPLICATION_COLUMNS:
        lrows, rrows = ("new_received", "carried_over"), ("total", "carried_forward")
        out.append(
            _identity(
                "T3.balance",
                c,
                _sum(_get(applications, r, c) for r in lrows),
                _sum(_get(applications, r, c) for r in rrows),
                _refs("applications", lrows, (c,)),
                _refs("applications", rrows, (c,)),
            )
        )
    return out


def _row_refs(row: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    return (
        _refs("applications", (row,), ("total",)),
        _refs("applications", (row,), spec.APPLICANT_COLUMNS),
    )


#: The references of T3.rows for every row of either template, made once.
_ROW_REFS = {
    row: _row_refs(row) for row in (*spec.APPLICATION_ROWS_2021, *spec.APPLICATION_ROWS_2019)
}


def t3_rows(applications: Table) -> list[Identity]:
    """Each row's total equals the sum of its six applicant columns."""
    out = []
    for row, cells in applications.items():
        total_ref, part_refs = _ROW_REFS.get(row) or _row_refs(row)
        parts = _sum([cells.get(c) for c in spec.APPLICANT_COLUMNS])
        out.append(_identity("T3.rows", row, cells.get("total"), parts, total_ref, part_refs))
    return out


def t3_results(applications: Table, template: str) -> list[Identity]:
    """The total row equals the sum of the outcome rows, for every column."""
    outcomes = spec.outcome_rows(template)
    out = []
    for c in spec.APPLICATION_COLUMNS:
        out.append(
            _identity(
                "T3.results",
                c,
                _get(applications, "total", c),
                _sum(_get(applications, r, c) for r in outcomes),
                _refs("applications", ("total",), (c,)),
                _refs("applications", outcomes, (c,)),
            )
        )
    return out


def t4_groups(appeals: Table) -> list[Identity]:
    """In each group of table 4: total = upheld + corrected + other + pending."""
    parts = ("upheld", "corrected", "other", "pending")
    out = []
    for group in spec.APPEAL_GROUPS:
        out.append(
            _identity(
                "T4.groups",
                group,
                _get(appeals, group, "total"),
                _sum(_get(appeals, group, c) for c in parts),
                _refs("appeals", (group,), ("total",)),
                _refs("appeals", (group,), parts),
            )
        )
    return out


def evaluate_tables(
    applications: Table | None, appeals: Table | None, template: str
) -> tuple[Identity, ...]:
    """Every within-report identity that the tables present allow."""
    out: list[Identity] = []
    if applications:
        out += t3_balance(applications)
        out += t3_rows(applications)
        out += t3_results(applications, template)
    if appeals:
        out += t4_groups(appeals)
    return tuple(out)


def evaluate(report: Report) -> tuple[Identity, ...]:
    return evaluate_tables(report.applications, report.appeals, report.template)


def carry(previous: Report, current: Report) -> list[Identity]:
    """X.carry: carried_over(Y) equals carried_forward(Y-1), column by column."""
    if not previous.applications or not current.applications:
        return []
    out = []
    for c in spec.APPLICATION_COLUMNS:
        out.append(
            _identity(
                "X.carry",
                c,
                _get(current.applications, "carried_over", c),
                _get(previous.applications, "carried_forward", c),
                (f"{current.year}:" + _ref("applications", "carried_over", c),),
                (f"{previous.year}:" + _ref("applications", "carried_forward", c),),
            )
        )
    return out


def in_force(previous: Report, current: Report) -> list[Identity]:
    """X.in_force (soft): in_force(Y) = in_force(Y-1) + issued(Y) - repealed(Y).

    Only the 2021 template has these columns; a 2019 report on either side gives nothing.
    """
    if previous.template != "2021" or current.template != "2021":
        return []
    if not previous.active or not current.active:
        return []
    out = []
    for row in ("regulations", "normative_documents"):
        prior = _get(previous.active, row, "in_force")
        issued = _get(current.active, row, "issued")
        repealed = _get(current.active, row, "repealed")
        expected = (
            None
            if prior is None or issued is None or repealed is None
            else prior + issued - repealed
        )
        out.append(
            _identity(
                "X.in_force",
                row,
                _get(current.active, row, "in_force"),
                expected,
                (f"{current.year}:" + _ref("active", row, "in_force"),),
                (
                    f"{previous.year}:" + _ref("active", row, "in_force"),
                    f"{current.year}:" + _ref("active", row, "issued"),
                    f"{current.year}:" + _ref("active", row, "repealed"),
                ),
            )
        )
    return out
