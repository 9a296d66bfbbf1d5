"""``gkwatch demo``: the whole job on the demo portal, offline, in about a minute."""

from __future__ import annotations

import dataclasses
import datetime as dt
import socket
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.panel import Panel
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)

from gkwatch import demo as steps
from gkwatch import labels, output
from gkwatch.access import config_of
from gkwatch.config import Config

_STEP_NAMES = {
    "build": "生成门户",
    "crawl": "抓取",
    "recrawl": "再次抓取",
    "checks": "检查",
    "alerts": "提醒",
}


def _free_port(preferred: int) -> int:
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", preferred))
        except OSError:
            s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@click.command()
@click.option(
    "--no-web", is_flag=True, help="Exit after the summary instead of serving the dashboard."
)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535),
              help="Dashboard port on 127.0.0.1 (another free port when taken).")  # fmt: skip
@click.option("--apprise", "urls", multiple=True, metavar="URL",
              help="Also send the alerts to this Apprise URL (repeatable).")  # fmt: skip
@click.option("--workdir", type=click.Path(file_okay=False, path_type=Path),
              help="Where the portal and the archive go (default: the user data dir's demo/; "
                   "wiped at each run).")  # fmt: skip
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@click.pass_context
def demo(
    ctx: click.Context,
    no_web: bool,
    port: int,
    urls: tuple[str, ...],
    workdir: Path | None,
    as_json: bool,
) -> None:
    """Build the demo portal, serve it on 127.0.0.1, crawl it into a fresh SQLite archive,
    run the checks, send the alerts and leave the dashboard running."""
    console = Console(stderr=as_json, highlight=False)
    steps.check_apprise_urls(urls)
    user = config_of(ctx)
    run = steps.DemoRun(steps.fresh_workdir(workdir or steps.default_workdir()))
    web_port = _free_port(port) if not no_web else port
    config = Config(
        database_url=run.database_url,
        base_url=f"http://127.0.0.1:{web_port}",
        sections={k: v for k, v in user.sections.items() if k != "monitor"},
    )
    try:
        summary = _pipeline(run, config, urls, console)
    finally:
        if no_web and run.portal is not None:
            run.portal.stop()
    summary["dashboard"] = None if no_web else config.base_url + "/"
    if as_json:
        output.emit_json(summary)
    if no_web:
        return
    _serve(run, config, web_port, console)


def _advance(bar: Progress, task: TaskID) -> Callable[[int], None]:
    return lambda n: bar.update(task, completed=n)


def _pipeline(
    run: steps.DemoRun, config: Config, urls: tuple[str, ...], console: Console
) -> dict[str, Any]:
    manifest = steps.build_and_serve(run)
    console.print(
        f"[bold]1/5[/] 演示门户：{len(manifest.agencies)} 个机关、{len(manifest.reports)} 份报告，"
        f"运行于 {run.portal.url if run.portal else ''}/"
    )
    agencies = steps.create_archive(run)
    console.print(f"[bold]2/5[/] 新建档案库 {run.database_url}，导入 {agencies} 个机关")
    expected = len(manifest.expected_reports())
    crawls = []
    for label, title in (("crawl", "抓取"), ("recrawl", "门户更新后再次抓取")):
        if label == "recrawl":
            manifest = steps.apply_edits(run)
        with Progress(
            TextColumn(f"[bold]3/5[/] {title}"), BarColumn(), MofNCompleteColumn(),
            TextColumn("份报告"), TimeElapsedColumn(), console=console, transient=False,
        ) as bar:  # fmt: skip
            task = bar.add_task(title, total=expected)
            crawls.append(steps.crawl(run, label, _advance(bar, task)))
    now = dt.datetime.now(dt.UTC)
    result = steps.check(run, config, now)
    console.print(f"[bold]4/5[/] 检查：新发现 {result.opened} 项问题，解决 {result.resolved} 项")
    sent: list[str] = []

    def show(title: str, body: str, kind: str) -> None:
        sent.append(title)
        style = {"failure": "red", "warning": "yellow", "success": "green"}.get(kind, "cyan")
        console.print(Panel(body.strip(), title=title, border_style=style, title_align="left"))

    delivery = steps.alert(run, config, now, urls, show)
    extra = f"及 {len(urls)} 个 Apprise 地址" if urls else ""
    console.print(
        f"[bold]5/5[/] 提醒：发送 {delivery.sent} 条（控制台{extra}），失败 {delivery.failed} 条"
    )
    for error in delivery.errors:
        console.print(f"[red]  {error}[/]")
    rows = steps.planted_vs_found(manifest, run.database_url)
    table = output.table(
        "问题汇总（演示门户中预置的问题 / 检查发现的问题）",
        ("类型", "说明", "预置", "发现", "预置且发现"),
        [
            (r["kind"], labels.kind(r["kind"]), r["planted"], r["found"], r["planted_found"])
            for r in rows
        ],
    )
    console.print(table)
    absent = steps.not_archived(manifest, run.database_url)
    if absent:
        listed = "、".join(f"{a} {y}" for a, y in absent)
        console.print(f"[yellow]门户上有但未抓取到的报告（{len(absent)} 份）：{listed}[/]")
    spent = "，".join(f"{_STEP_NAMES.get(k, k)} {v:.1f} 秒" for k, v in run.timings.items())
    console.print(f"用时：{spent}；抓取日志：{run.crawl_log}")
    return {
        "workdir": str(run.workdir),
        "database_url": run.database_url,
        "portal": run.portal.url if run.portal else None,
        "agencies": agencies,
        "expected_reports": expected,
        "crawls": crawls,
        "checks": dataclasses.asdict(result),
        "alerts": {
            "sent": delivery.sent,
            "failed": delivery.failed,
            "errors": list(delivery.errors),
        },
        "findings": rows,
        "not_archived": [{"agency_id": a, "year": y} for a, y in absent],
        "timings": run.timings,
    }


def _serve(run: steps.DemoRun, config: Config, port: int, console: Console) -> None:
    from gkwatch.access import first_year, open_archive
    from gkwatch.commands.web import serve

    console.print(
        Panel(
            f"仪表盘：[bold link={config.base_url}/]{config.base_url}/[/]\n"
            f"演示门户：{run.portal.url if run.portal else ''}/\n"
            f"档案库：{run.database_url}\n按 Ctrl-C 结束。",
            title="gkwatch demo 已就绪",
            border_style="green",
        )
    )
    try:
        serve(lambda: open_archive(config), "127.0.0.1", port, first_year(config), quiet=True)
    finally:
        if run.portal is not None:
            threading.Thread(target=run.portal.stop, daemon=True).start()


COMMANDS: list[click.Command] = [demo]
