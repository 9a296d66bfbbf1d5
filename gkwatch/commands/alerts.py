"""Alert commands: ``alerts test``, ``alerts pending``, ``alerts send [--dry-run]``."""

from __future__ import annotations

import json

import apprise
import click

from gkwatch.access import config_of, open_archive
from gkwatch.config import monitor_config


@click.group()
def alerts() -> None:
    """Alerts through Apprise (channels in the Apprise config file)."""


@alerts.command()
@click.option("--tag", "tags", multiple=True, help="Only channels with this tag (repeatable).")
@click.pass_context
def test(ctx: click.Context, tags: tuple[str, ...]) -> None:
    """Send a test message to every channel (or those with the given tags)."""
    from monitor.alerts import channels
    from monitor.alerts.deliver import send

    targets = channels.load(channels.config_path(monitor_config(config_of(ctx))))
    chosen = channels.matching(targets, tags) if tags else list(targets)
    if not chosen:
        raise click.ClickException(f"no channel has the tag(s) {', '.join(tags)}")
    failures = 0
    for target in chosen:
        one = apprise.Apprise()
        one.add(target)
        error = send(one, "gkwatch 测试消息", "这是一条来自 gkwatch 的测试消息。", None, "info")
        where = target.url(privacy=True)  # type: ignore[no-untyped-call]
        click.echo(f"{'ok    ' if error is None else 'FAILED'} {where}")
        if error:
            failures += 1
            click.echo(f"       {error}")
    if failures:
        raise click.ClickException(f"{failures} of {len(chosen)} channels failed")


@alerts.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def pending(ctx: click.Context, as_json: bool) -> None:
    """Alerts not delivered yet: attempts, last error, next attempt."""
    config = config_of(ctx)
    with open_archive(config) as archive:
        rows = archive.alerts(pending_only=True)
    if as_json:
        click.echo(
            json.dumps(
                [
                    {
                        "id": a.id,
                        "finding": a.finding_key,
                        "event": a.event,
                        "attempts": a.attempts,
                        "last_error": a.last_error,
                        "next_attempt_at": a.next_attempt_at.isoformat()
                        if a.next_attempt_at
                        else None,
                    }
                    for a in rows
                ],
                ensure_ascii=False,
                indent=2,
            )
        )
        return
    if not rows:
        click.echo("no pending alerts")
    for a in rows:
        nxt = a.next_attempt_at.isoformat(timespec="seconds") if a.next_attempt_at else "given up"
        click.echo(f"#{a.id:<6} {a.event:<8} {a.finding_key}  attempts {a.attempts}, next {nxt}")
        if a.last_error:
            click.echo(f"        last error: {a.last_error[:200]}")


@alerts.command(name="send")
@click.option("--dry-run", is_flag=True, help="Print what would be sent; send and change nothing.")
@click.pass_context
def send_(ctx: click.Context, dry_run: bool) -> None:
    """Deliver the due alerts now."""
    from monitor.alerts.deliver import deliver

    config = config_of(ctx)
    monitoring = monitor_config(config)
    with open_archive(config) as archive:
        report = deliver(archive, monitoring, dry_run=dry_run)
    if dry_run:
        if not report.messages:
            click.echo("nothing to send")
        for m in report.messages:
            click.echo(f"--- #{m.alert_id} {m.event} → tags {', '.join(m.tags)}")
            click.echo(m.title)
            click.echo(m.body)
        return
    click.echo(
        f"sent {report.sent}, failed {report.failed}, unrouted {report.unrouted}, "
        f"skipped {report.skipped} (held by another deliverer)"
    )
    for error in report.errors:
        click.echo(f"  {error}", err=True)
    if report.failed:
        ctx.exit(1)


COMMANDS: list[click.Command] = [alerts]
