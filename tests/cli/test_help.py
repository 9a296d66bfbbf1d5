"""Every command of the whole ``gkwatch`` group has help text and answers ``--help``
(walks the click group recursively, as sqlite-utils' test does)."""

from __future__ import annotations

from collections.abc import Iterator

import click
import pytest
from click.testing import CliRunner

from gkwatch.cli import main


def walk(
    group: click.Group, path: tuple[str, ...] = ()
) -> Iterator[tuple[tuple[str, ...], click.Command]]:
    for name, command in sorted(group.commands.items()):
        yield (*path, name), command
        if isinstance(command, click.Group):
            yield from walk(command, (*path, name))


COMMANDS = list(walk(main))


def test_the_group_has_commands() -> None:
    names = {path[0] for path, _ in COMMANDS}
    assert {"agencies", "reports", "findings", "show", "diff", "export", "web", "demo"} <= names


@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=[" ".join(p) for p, _ in COMMANDS])
def test_every_command_has_help(path: tuple[str, ...], command: click.Command) -> None:
    assert (command.help or "").strip(), f"gkwatch {' '.join(path)} has no help text"
    result = CliRunner().invoke(main, [*path, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage: " in result.output
    if path[0] not in QUERY_COMMANDS:
        return
    for param in command.params:  # the query commands also document every option
        if isinstance(param, click.Option) and not param.hidden:
            assert (param.help or "").strip() or param.name in {"help"}, (
                f"gkwatch {' '.join(path)}: option {param.opts[0]} has no help"
            )


QUERY_COMMANDS = ["agencies", "reports", "findings", "show", "diff", "export", "web", "demo"]


@pytest.mark.parametrize("name", QUERY_COMMANDS)
def test_query_commands_offer_json(name: str) -> None:
    command = main.commands[name]
    assert any("--json" in p.opts for p in command.params if isinstance(p, click.Option))
