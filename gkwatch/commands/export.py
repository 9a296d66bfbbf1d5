"""``gkwatch export cells|reports|findings``: the archive as files for your own analysis."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from gkwatch import exporting, output, queries
from gkwatch.access import config_of, first_year, open_archive, today


def _progress() -> Progress:
    return Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=True,
    )


@click.command("export")
@click.argument("what", type=click.Choice(["cells", "reports", "findings"]))
@click.option(
    "--format", "fmt", type=click.Choice(exporting.FORMATS), default="csv", show_default=True,
    help="csv (UTF-8 with BOM, opens in Excel), json (an array of objects) or parquet.",
)  # fmt: skip
@click.option(
    "-o", "--output", "target", type=click.Path(dir_okay=False, path_type=Path),
    help="Write to this file (default: stdout; parquet needs a file).",
)  # fmt: skip
@click.option("--agency", "agency_id", help="Only this agency.")
@click.option("--year", "years", type=int, multiple=True, help="Only this year (repeatable).")
@click.option("--region", help="Only agencies of this region.")
@click.option("--level", help="Only agencies of this level.")
@click.option("--status", type=click.Choice(queries.STATUS_FILTERS), help="reports: timeliness.")
@click.option("--kind", help="findings: only this kind.")
@click.option("--severity", type=click.Choice(["high", "medium", "low"]), help="findings only.")
@click.option("--open", "open_only", is_flag=True, help="findings: only open ones.")
@click.option("--since", help="findings: since a date or a span (7d).")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON summary of the export.")
@click.pass_context
def export(
    ctx: click.Context,
    what: str,
    fmt: str,
    target: Path | None,
    agency_id: str | None,
    years: tuple[int, ...],
    region: str | None,
    level: str | None,
    status: str | None,
    kind: str | None,
    severity: str | None,
    open_only: bool,
    since: str | None,
    as_json: bool,
) -> None:
    """Export cells, reports (with timeliness) or findings as CSV, JSON or Parquet."""
    year_list = list(years) or None
    config = config_of(ctx)
    with open_archive(config) as archive:
        if agency_id:
            agencies = [archive.agency(agency_id)]
        else:
            agencies = archive.agencies(region=region, level=level)
        if what == "cells":
            total = len(archive.reports(agency_id=agency_id, region=region))
            with _progress() as bar:
                task = bar.add_task("导出单元格", total=total)
                rows = exporting.cell_rows(archive, agencies, year_list, lambda: bar.advance(task))
                count = exporting.write(rows, exporting.CELL_COLUMNS, fmt, target)
        elif what == "reports":
            grid = queries.timeliness_grid(
                archive, today=today(), agencies=agencies, agency_id=agency_id,
                region=region, years=year_list, first_year=first_year(config),
            )  # fmt: skip
            rows = exporting.report_rows(queries.filter_status(grid, status))
            count = exporting.write(rows, exporting.REPORT_COLUMNS, fmt, target)
        else:
            found = queries.findings(
                archive, kind=kind, severity=severity, open_only=open_only,
                since=queries.parse_since(since), agency_id=agency_id,
                year=year_list[0] if year_list and len(year_list) == 1 else None, region=region,
            )  # fmt: skip
            if year_list:
                found = [f for f in found if f.year in year_list]
            rows = exporting.finding_rows(found)
            count = exporting.write(rows, exporting.FINDING_COLUMNS, fmt, target)
    summary = {"what": what, "format": fmt, "rows": count, "output": str(target or "-")}
    if as_json and target is not None:
        output.emit_json(summary)
    elif target is not None:
        click.echo(f"{count} rows of {what} written to {target} ({fmt})", err=True)
    elif as_json:
        click.echo(f"{count} rows", err=True)
    sys.stdout.flush()


COMMANDS: list[click.Command] = [export]
