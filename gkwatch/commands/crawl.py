"""``gkwatch crawl``: one crawl in its own process (or spread over Scrapyd nodes).

The Scrapy reactor cannot be restarted, so a crawl never runs in this process: it spawns
``python -m crawler.run`` (or dispatches jobs to Scrapyd) and prints the per-agency summary.
Scrapy itself is only imported inside ``crawler/``.
"""

from __future__ import annotations

import json
from typing import Any

import click

from gkwatch import crawlrun, output
from gkwatch.access import config_of, open_archive
from gkwatch.config import Config, crawl_command


def _settings(values: tuple[str, ...]) -> dict[str, str]:
    out: dict[str, str] = {}
    for value in values:
        name, sep, setting = value.partition("=")
        if not sep or not name.strip():
            raise click.BadParameter(f"expected NAME=VALUE, got {value!r}", param_hint="-s")
        out[name.strip()] = setting
    return out


def _local(
    config: Config, agencies: tuple[str, ...], settings: dict[str, str], *, show_progress: bool
) -> dict[str, Any]:
    # the registry is imported by ``crawl`` itself, before this (it may be --registry's)
    command = crawl_command(config, agencies=agencies, settings=settings, with_registry=False)
    # Logs stream to our stderr as they come (above a progress bar on a terminal); the JSON
    # summary comes on stdout at the end.
    done = crawlrun.run(command, bar=None if show_progress else False)
    if not done.stdout.strip():
        raise click.ClickException(f"the crawl failed (exit status {done.returncode})")
    summary: dict[str, Any] = json.loads(done.stdout)
    summary["exit_status"] = done.returncode
    return summary


def _distributed(
    config: Config, nodes: list[str], agencies: tuple[str, ...], settings: dict[str, str]
) -> dict[str, Any]:
    from crawler.scrapyd import Dispatcher

    with open_archive(config) as archive:
        ids = [a.id for a in archive.agencies(ids=list(agencies) or None)]
    missing = sorted(set(agencies) - set(ids))
    if missing:
        raise click.BadParameter(
            f"not in the registry: {', '.join(missing)}", param_hint="--agency"
        )
    dispatcher = Dispatcher(
        nodes, config.database_url, settings=settings, log=lambda m: click.echo(m, err=True)
    )
    result = dispatcher.run(ids)
    return {
        "agencies": result.summary,
        "jobs": [
            {"id": j.id, "node": j.node.url, "agencies": list(j.agencies), "state": j.state}
            for j in result.jobs
        ],
        "dead_nodes": result.dead_nodes,
        "redispatched": result.redispatched,
        "exit_status": 0 if all(j.state != "failed" for j in result.jobs) else 1,
    }


def _table(summary: dict[str, Any]) -> None:
    headers = (
        "机关",
        "列表条目",
        "找到报告",
        "新增",
        "变更",
        "未变",
        "失效",
        "恢复",
        "错误",
        "页面",
    )
    rows = [
        (
            agency,
            c.get("listed", 0),
            c.get("reports_found", 0),
            c.get("new", 0),
            c.get("changed", 0),
            c.get("not_modified", 0),
            c.get("missing", 0),
            c.get("restored", 0),
            c.get("errors", 0),
            c.get("pages", 0),
        )
        for agency, c in sorted(summary.get("agencies", {}).items())
    ]
    output.console().print(output.table(f"抓取结果：{len(rows)} 个机关", headers, rows))


@click.command()
@click.option(
    "--registry",
    type=click.Path(exists=True, dir_okay=False),
    help="Import this registry YAML first (default: the config's registry, if any).",
)
@click.option("--agency", "agencies", multiple=True, help="Crawl only this agency (repeatable).")
@click.option(
    "-s",
    "--set",
    "settings",
    multiple=True,
    metavar="NAME=VALUE",
    help="Override a Scrapy setting (repeatable), e.g. -s DOWNLOAD_DELAY=2.",
)
@click.option("--scrapyd", help="Spread the crawl over these Scrapyd nodes (URL[,URL...]).")
@click.option("--json", "as_json", is_flag=True, help="Print the JSON summary instead of a table.")
@click.pass_context
def crawl(
    ctx: click.Context,
    registry: str | None,
    agencies: tuple[str, ...],
    settings: tuple[str, ...],
    scrapyd: str | None,
    as_json: bool,
) -> None:
    """Crawl the agencies' portals for annual reports and archive what is new or changed."""
    config = config_of(ctx)
    overrides = _settings(settings)
    registry_file = registry or (str(config.registry) if config.registry else None)
    if registry_file:
        with open_archive(config) as archive:
            imported = archive.import_registry(registry_file)
        click.echo(
            f"registry {registry_file}: {imported.added} added, {imported.updated} updated, "
            f"{imported.unchanged} unchanged",
            err=True,
        )
    if scrapyd:
        nodes = [u.strip() for u in scrapyd.split(",") if u.strip()]
        summary = _distributed(config, nodes, agencies, overrides)
    else:
        summary = _local(config, agencies, overrides, show_progress=not as_json)
    if as_json:
        output.emit_json(summary)
    else:
        _table(summary)
    if summary["exit_status"]:
        ctx.exit(int(summary["exit_status"]))


COMMANDS: list[click.Command] = [crawl]
