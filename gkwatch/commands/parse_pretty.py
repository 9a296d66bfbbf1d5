"""``gkwatch parse --pretty``: the three tables as a person reads them, failing cells marked."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table as RichTable

from parser.record import Number, Report

_MARK = "[bold red]✗ {}[/]"


def _failing_cells(report: Report) -> set[str]:
    cells: set[str] = set()
    for identity in report.failing_identities:
        cells.update(identity.left_cells)
        cells.update(identity.right_cells)
    return cells


def _show(
    report: Report, table: str, row: str, column: str, value: Number | None, bad: set[str]
) -> str:
    if value is None:
        return "[bold red]?[/]"
    text = f"{value:g}" if isinstance(value, float) else str(value)
    flags = report.flags_of(table, row, column)
    if "blank" in flags:
        text = f"[dim]{text}·[/]"
    if "resolved" in flags:
        text = f"[yellow]{text}*[/]"
    return _MARK.format(text) if f"{table}.{row}.{column}" in bad else text


def render(report: Report, path: str, console: Console | None = None) -> None:
    console = console or Console()
    bad = _failing_cells(report)
    console.rule(f"[bold]{path}")
    console.print(
        f"agency: {report.agency}   year: {report.year}   signed: {report.signed_on}   "
        f"template: {report.template}"
    )
    for name, title in (
        ("active", "表二 主动公开"),
        ("applications", "表三 申请"),
        ("appeals", "表四 复议诉讼"),
    ):
        rows = report.table(name)
        if not rows:
            continue
        columns: list[str] = []
        for cols in rows.values():
            columns += [c for c in cols if c not in columns]
        grid = RichTable(title=title, show_lines=False)
        grid.add_column("row", no_wrap=True)
        for column in columns:
            grid.add_column(column, justify="right")
        for row, cols in rows.items():
            grid.add_row(
                row,
                *(_show(report, name, row, c, cols[c], bad) if c in cols else "" for c in columns),
            )
        console.print(grid)
    if report.prose:
        console.print("prose: " + ", ".join(f"{k}={v}" for k, v in report.prose.items()))
    failing = report.failing_identities
    console.print(
        f"identities: {sum(1 for i in report.identities if i.ok)} hold, {len(failing)} fail"
        + "".join(f"\n  [red]✗ {i.rule} {i.scope}: {i.left} ≠ {i.right}[/]" for i in failing)
    )
    for warning in report.warnings:
        console.print(f"[yellow]warning[/] {warning.code}: {warning.message}")
    console.print(
        "[dim]· printed blank   * resolved by identities   ? unreadable   ✗ fails an identity[/]"
    )
