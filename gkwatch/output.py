"""Terminal output shared by the commands: JSON to stdout, rich tables for people."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import click
from rich.console import Console
from rich.table import Table

SEVERITY_STYLE = {"high": "bold red", "medium": "yellow", "low": "cyan"}
STATUS_STYLE = {"on_time": "green", "late": "yellow", "missing": "bold red", "not_due": "dim"}


def console() -> Console:
    # soft_wrap keeps long Chinese lines intact when output is piped
    return Console(highlight=False, soft_wrap=False)


def emit_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def table(
    title: str | None,
    headers: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    nowrap: Sequence[str] = (),
) -> Table:
    """A rich table; long text folds onto more lines, the ``nowrap`` columns never do."""
    out = Table(title=title, header_style="bold", title_justify="left")
    for header in headers:
        if header in nowrap:
            out.add_column(header, no_wrap=True)
        else:
            out.add_column(header, overflow="fold")
    for row in rows:
        out.add_row(*("" if v is None else str(v) for v in row))
    return out
