"""``gkwatch parse PATH...``: one JSON object per report (JSON Lines), or ``--pretty`` tables."""

from __future__ import annotations

import json
import mimetypes
import sys
from pathlib import Path
from typing import Any

import click

from parser import parse as parse_report
from parser import spec
from parser.errors import ParserError
from parser.record import Report

_KEYS = ("agency", "year", "signed_on", "template", "active", "applications", "appeals", "prose")


def record_json(report: Report, path: str) -> dict[str, Any]:
    data = report.to_dict()
    out: dict[str, Any] = {key: data[key] for key in _KEYS}
    out["prose_sources"] = data["prose_sources"]
    out["cell_flags"] = data["cell_flags"]
    out["source"] = {"path": path, **data["source"]}
    out["warnings"] = data["warnings"]
    out["identities"] = [
        {k: i[k] for k in ("rule", "scope", "left", "right", "ok")} for i in data["identities"]
    ]
    return out


@click.command("parse")
@click.argument("paths", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option(
    "--pretty", is_flag=True, help="Render the three tables for reading, failing cells marked."
)
def parse_command(paths: tuple[str, ...], pretty: bool) -> None:
    """Parse annual reports (HTML, text, PDF, Word) and print one JSON object per file."""
    failed = 0
    for path in paths:
        try:
            data = Path(path).read_bytes()
            content_type = mimetypes.guess_type(path)[0]
            report = parse_report(data, name=path, content_type=content_type)
        except (OSError, ParserError) as exc:
            failed += 1
            message = str(exc) if path in str(exc) else f"{path}: {exc}"
            click.echo(f"error: {message}", err=True)
            continue
        if pretty:
            from gkwatch.commands.parse_pretty import render

            render(report, path)
        else:
            sys.stdout.write(json.dumps(record_json(report, path), ensure_ascii=False) + "\n")
    if failed:
        raise click.exceptions.Exit(1)


COMMANDS: list[click.Command] = [parse_command]

__all__ = ["COMMANDS", "record_json", "spec"]
