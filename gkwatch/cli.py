"""The one ``gkwatch`` click group. Each command lives in ``gkwatch/commands/<topic>.py``.

Library errors become CLI errors here, at the edge, and nowhere else.
"""

from __future__ import annotations

import importlib
import sys
from typing import Any

import click

from gkwatch import __version__, config

#: Modules under gkwatch.commands; each exposes ``COMMANDS: list[click.Command]``.
COMMAND_MODULES: list[str] = [
    "parse",
    "query",
    "export",
    "web",
    "demo",
    "db",
    "crawl",
    "monitor",
    "alerts",
]


class Context:
    """Lazily resolved settings shared by every command."""

    def __init__(self, config_path: str | None, database: str | None) -> None:
        self._config_path = config_path
        self._database = database
        self._config: config.Config | None = None

    @property
    def config(self) -> config.Config:
        if self._config is None:
            self._config = config.load(self._config_path, self._database)
        return self._config


class Group(click.Group):
    """Turns library errors (ValueError/OSError subclasses of our packages) into CLI errors."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except Exception as exc:
            if _is_ours(exc):
                raise click.ClickException(str(exc)) from exc
            raise


def _is_ours(exc: BaseException) -> bool:
    module = type(exc).__module__.split(".")[0]
    return module in {"parser", "storage", "crawler", "monitor", "gkwatch"}


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="gkwatch")
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False),
    help="Config file (default $GKWATCH_CONFIG or the user config dir).",
)
@click.option(
    "--database",
    envvar="GKWATCH_DATABASE_URL",
    help="SQLAlchemy URL of the archive (default: SQLite in the user data dir).",
)
@click.pass_context
def main(ctx: click.Context, config_path: str | None, database: str | None) -> None:
    """gkwatch — watch government information-disclosure annual reports (政府信息公开年报)."""
    ctx.obj = Context(config_path, database)


for _name in COMMAND_MODULES:
    for _command in importlib.import_module(f"gkwatch.commands.{_name}").COMMANDS:
        main.add_command(_command)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
