"""``gkwatch web``: the read-only dashboard and JSON API."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from storage import Archive

from gkwatch.access import config_of, first_year, open_archive


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to bind; the default keeps the dashboard on this machine.")  # fmt: skip
@click.option(
    "--port",
    default=8000,
    show_default=True,
    type=click.IntRange(1, 65535),
    help="Port to listen on.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the URLs as JSON before serving.")
@click.pass_context
def web(ctx: click.Context, host: str, port: int, as_json: bool) -> None:
    """Serve the dashboard (overview, agencies, reports, findings, regions) and /api."""
    config = config_of(ctx)
    open_archive(config).close()  # fail here, with the archive's message, not in a worker
    serve(lambda: open_archive(config), host, port, first_year(config), as_json=as_json)


def serve(
    opener: Callable[[], Archive],
    host: str,
    port: int,
    first: int,
    *,
    as_json: bool = False,
    quiet: bool = False,
) -> None:
    import uvicorn

    from gkwatch import output
    from gkwatch.web.app import create_app

    url = f"http://{host}:{port}/"
    if as_json:
        output.emit_json({"url": url, "api": f"{url}api/docs", "openapi": f"{url}openapi.json"})
    elif not quiet:
        click.echo(f"gkwatch dashboard: {url}  (API: {url}api/docs) — Ctrl-C to stop")
    app = create_app(opener, first_year=first)
    uvicorn.run(app, host=host, port=port, log_level="warning")


COMMANDS: list[click.Command] = [web]
