"""Query commands: agencies, reports, findings, show, diff (tables for people, ``--json``)."""

from __future__ import annotations

import click

from gkwatch import labels, output, queries, render, terminal
from gkwatch.access import config_of, first_year, open_archive, today
from gkwatch.diff import compare
from gkwatch.errors import QueryError

json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")


@click.command()
@click.option("--region", help="Only agencies of this region (e.g. 大同市).")
@click.option(
    "--level", type=click.Choice(list(labels.LEVELS)), help="Only agencies of this level."
)
@click.option("--search", help="Only agencies whose id or name contains this text.")
@json_option
@click.pass_context
def agencies(
    ctx: click.Context, region: str | None, level: str | None, search: str | None, as_json: bool
) -> None:
    """List the agencies of the registry."""
    with open_archive(config_of(ctx)) as archive:
        found = archive.agencies_page(region=region, level=level, search=search).agencies
    if as_json:
        output.emit_json([render.agency_json(a) for a in found])
        return
    rows = [
        (a.id, a.name, a.region, labels.LEVELS.get(a.level, a.level), a.deadline or "", a.portal)
        for a in found
    ]
    headers = ("ID", "名称", "地区", "层级", "截止日", "门户")
    output.console().print(output.table(f"{len(found)} 个机关", headers, rows))


@click.command()
@click.option("--agency", "agency_id", help="Only this agency (its registry id).")
@click.option("--year", type=int, help="Only reports on this year.")
@click.option("--region", help="Only agencies of this region.")
@click.option(
    "--status",
    type=click.Choice(queries.STATUS_FILTERS),
    help="published: in the archive (on time or late); missing: overdue and not found.",
)
@json_option
@click.pass_context
def reports(
    ctx: click.Context,
    agency_id: str | None,
    year: int | None,
    region: str | None,
    status: str | None,
    as_json: bool,
) -> None:
    """List reports per agency and year with their timeliness (on time, late, missing, not due)."""
    config = config_of(ctx)
    with open_archive(config) as archive:
        grid = queries.timeliness_grid(
            archive,
            today=today(),
            first_year=first_year(config),
            agency_id=agency_id,
            region=region,
            years=[year] if year is not None else None,
        )
    rows = queries.filter_status(grid, status)
    if as_json:
        output.emit_json([render.timeliness_json(r) for r in rows])
        return
    table = output.table(
        f"{len(rows)} 条",
        ("机关", "名称", "年度", "及时性", "截止", "发布", "版本", "标题"),
        [],
        nowrap=("机关", "年度", "及时性", "截止", "发布", "版本"),
    )
    for r in rows:
        style = output.STATUS_STYLE[r.status]
        table.add_row(
            r.agency.id,
            r.agency.name,
            str(r.year),
            f"[{style}]{labels.STATUSES[r.status]}[/]",
            str(r.due),
            str(r.published or ""),
            str(r.report.versions) if r.report else "",
            (r.report.title or "") if r.report else "",
        )
    output.console().print(table)


@click.command()
@click.option("--kind", help="Only findings of this kind (e.g. late, identity, copied).")
@click.option(
    "--severity",
    type=click.Choice(["high", "medium", "low"]),
    help="Only findings of this severity.",
)
@click.option("--open", "open_only", is_flag=True, help="Only findings still open.")
@click.option("--since", help="Opened or seen since: a date (2025-01-31) or a span (7d, 12h).")
@click.option("--agency", "agency_id", help="Only findings about this agency.")
@click.option("--year", type=int, help="Only findings about reports on this year.")
@json_option
@click.pass_context
def findings(
    ctx: click.Context,
    kind: str | None,
    severity: str | None,
    open_only: bool,
    since: str | None,
    agency_id: str | None,
    year: int | None,
    as_json: bool,
) -> None:
    """List the findings of the checks (what does not add up, what is late or missing)."""
    with open_archive(config_of(ctx)) as archive:
        found = queries.findings(
            archive,
            kind=kind,
            severity=severity,
            open_only=open_only,
            since=queries.parse_since(since),
            agency_id=agency_id,
            year=year,
        )
    if as_json:
        output.emit_json([render.finding_json(f) for f in found])
        return
    table = output.table(
        f"{len(found)} 项发现",
        ("ID", "严重度", "类型", "机关", "年度", "状态", "摘要"),
        [],
        nowrap=("ID", "严重度", "机关", "年度", "状态"),
    )
    for f in found:
        style = output.SEVERITY_STYLE.get(f.severity, "")
        table.add_row(
            str(f.id),
            f"[{style}]{labels.SEVERITIES.get(f.severity, f.severity)}[/]",
            labels.kind(f.kind),
            f.agency_id or "",
            str(f.year or ""),
            "未解决" if f.state == "open" else "已解决",
            f.summary,
        )
    output.console().print(table)


@click.command()
@click.argument("agency")
@click.argument("year", type=int)
@click.option("--version", "version", type=int, help="Show this version (default: the latest).")
@json_option
@click.pass_context
def show(ctx: click.Context, agency: str, year: int, version: int | None, as_json: bool) -> None:
    """Show one report as a person reads it: metadata, dates, the three tables with failing
    cells marked, prose figures, versions."""
    with open_archive(config_of(ctx)) as archive:
        view = queries.report_view(archive, agency, year, version=version, today=today())
    if as_json:
        output.emit_json(render.report_view_json(view))
        return
    terminal.show(output.console(), view)


@click.command()
@click.argument("agency")
@click.argument("year", type=int)
@click.option(
    "--from", "old", type=int, help="Older version (default: each version against the next)."
)
@click.option("--to", "new", type=int, help="Newer version (default: the latest).")
@json_option
@click.pass_context
def diff(
    ctx: click.Context, agency: str, year: int, old: int | None, new: int | None, as_json: bool
) -> None:
    """Show what changed between the versions of a report: metadata, cells and text."""
    with open_archive(config_of(ctx)) as archive:
        view = queries.report_view(archive, agency, year, today=today())
    by_number = {v.number: v for v in view.versions}
    if old is None and new is None:
        pairs = list(zip(view.versions, view.versions[1:], strict=False))
    else:
        first = old if old is not None else min(by_number)
        last = new if new is not None else max(by_number)
        for number in (first, last):
            if number not in by_number:
                known = ", ".join(map(str, by_number))
                raise QueryError(f"{agency} {year} has no version {number} (versions: {known})")
        pairs = [(by_number[first], by_number[last])]
    diffs = [compare(a.record, b.record, a.number, b.number) for a, b in pairs]
    if as_json:
        output.emit_json(
            {
                "agency_id": agency,
                "year": year,
                "versions": len(by_number),
                "diffs": [d.to_dict() for d in diffs],
            }
        )
        return
    console = output.console()
    if not diffs:
        console.print(f"{agency} {year} 只有一个版本，没有可比较的内容。")
    for d in diffs:
        terminal.diff(console, d)


COMMANDS: list[click.Command] = [agencies, reports, findings, show, diff]
