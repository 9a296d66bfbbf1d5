"""Opening the archive the configuration names, for commands and the web app."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from gkwatch.config import Config
    from storage import Archive


def open_archive(config: Config) -> Archive:
    from storage import Archive

    return Archive.open(config.database_url, document_dir=config.document_dir)


def config_of(ctx: click.Context) -> Config:
    """The ``Config`` of the root ``gkwatch`` context."""
    obj = ctx.find_root().obj
    if obj is None:  # a command invoked on its own (tests of one command)
        from gkwatch import config

        return config.load()
    result: Config = obj.config
    return result


def today() -> dt.date:
    """Today in China, where the deadlines are counted."""
    return dt.datetime.now(dt.timezone(dt.timedelta(hours=8))).date()


def first_year(config: Config) -> int:
    """The first report year expected of an agency without ``since``: the monitor's setting,
    so that the timeliness grid and the ``missing`` findings agree."""
    from monitor.settings import load

    return load(config.section("monitor")).first_year
