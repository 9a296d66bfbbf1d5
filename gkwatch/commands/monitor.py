"""Monitor commands: ``check`` (the checks, once, now), ``status`` (the service's jobs),
``serve`` (the scheduled service)."""

from __future__ import annotations

import datetime as dt
import json

import click

from gkwatch.access import config_of, open_archive
from gkwatch.config import MONITOR_LOADER, monitor_config


@click.command()
@click.option(
    "--kind", "kinds", multiple=True, help="Only these finding kinds (repeatable); default all."
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def check(ctx: click.Context, kinds: tuple[str, ...], as_json: bool) -> None:
    """Run the checks once, now, and record the findings (alerts go out with `alerts send`)."""
    from monitor.job import run_checks
    from monitor.settings import ALL_KINDS

    unknown = sorted(set(kinds) - set(ALL_KINDS))
    if unknown:
        raise click.BadParameter(
            f"unknown kind {', '.join(unknown)}; known: {', '.join(ALL_KINDS)}"
        )
    config = config_of(ctx)
    monitoring = monitor_config(config)
    started = dt.datetime.now(dt.UTC)
    with open_archive(config) as archive:
        result = run_checks(archive, monitoring, started, kinds=kinds or None)
        detail = {"opened": result.opened, "updated": result.updated, "resolved": result.resolved}
        archive.record_job_run("check", started, dt.datetime.now(dt.UTC), "ok", detail)
        open_now = archive.findings(open_only=True)
    if as_json:
        click.echo(json.dumps({**detail, "open": len(open_now)}, ensure_ascii=False))
        return
    click.echo(
        f"opened {result.opened}, still open {result.updated}, resolved {result.resolved}; "
        f"{len(open_now)} open findings in all"
    )


def _when(value: dt.datetime | None) -> str:
    return value.astimezone().strftime("%Y-%m-%d %H:%M:%S %Z") if value else "—"


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def status(ctx: click.Context, as_json: bool) -> None:
    """The scheduled jobs: next run, last run and its outcome; who holds the scheduler lock."""
    from monitor.service.status import status as service_status

    config = config_of(ctx)
    with open_archive(config) as archive:
        report = service_status(archive, config.database_url)
    if as_json:
        data = {
            "running": report.running,
            "holder": report.lock.holder if report.lock else None,
            "jobs": [
                {
                    "id": j.id,
                    "name": j.name,
                    "next_run": j.next_run.isoformat() if j.next_run else None,
                    "last_run": j.last.started_at.isoformat() if j.last else None,
                    "last_status": j.last.status if j.last else None,
                    "last_detail": j.last.detail if j.last else None,
                }
                for j in report.jobs
            ],
        }
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    if report.running and report.lock:
        click.echo(
            f"scheduler: running ({report.lock.holder}, lease until {_when(report.lock.until)})"
        )
    else:
        click.echo("scheduler: not running")
    if not report.jobs:
        click.echo("no jobs yet (start the service with `gkwatch serve`)")
    for job in report.jobs:
        last = job.last
        outcome = f"{last.status} at {_when(last.started_at)}" if last else "never ran"
        click.echo(f"{job.id:<8} next {_when(job.next_run):<26} last {outcome}")
        if last and last.status != "ok" and last.detail:
            click.echo(f"         {json.dumps(last.detail, ensure_ascii=False)[:300]}")


@click.command()
@click.option(
    "--lock-ttl",
    default=60,
    show_default=True,
    help="Seconds the scheduler lock lives without renewal.",
)
@click.pass_context
def serve(ctx: click.Context, lock_ttl: int) -> None:
    """Run the scheduled service: crawls (each in its own process) followed by the checks, a
    daily deadline sweep, alert delivery every few minutes. Stops cleanly on SIGTERM."""
    import logging

    from monitor.service.scheduler import serve as run

    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    config = config_of(ctx)
    run(
        monitor_config(config),
        loader=MONITOR_LOADER,
        config_path=str(config.config_path) if config.config_path else None,
        lock_ttl=lock_ttl,
    )


COMMANDS: list[click.Command] = [check, status, serve]
