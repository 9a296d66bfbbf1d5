"""Progress of a crawl: the extension's JSON lines and the bar ``gkwatch crawl`` draws from them."""

from __future__ import annotations

import io
import sys
from pathlib import Path
from typing import Any

import pytest
from crawl_helpers import FAST
from rich.console import Console

from gkwatch import crawlrun
from storage import Archive


@pytest.mark.slow
def test_real_crawl_reports_progress_then_its_summary(
    site: tuple[Any, Path, list[Any]], sqlite_url: str
) -> None:
    _, registry, _ = site
    with Archive.open(sqlite_url) as archive:
        archive.import_registry(registry)
    command = [sys.executable, "-m", "crawler.run", "--database", sqlite_url]
    for setting in (*FAST, "LOG_LEVEL=WARNING", "GKWATCH_PROGRESS_INTERVAL=0"):
        command += ["-s", setting]
    screen = io.StringIO()
    done = crawlrun.run(command, console=Console(file=screen, width=120), bar=False)

    assert done.returncode == 0, screen.getvalue()[-3000:]
    assert '"agencies"' in done.stdout  # the JSON summary still arrives on stdout
    lines = done.progress
    assert lines, "no progress line arrived"
    pages = [line["pages"] for line in lines]
    assert pages == sorted(pages) and pages[-1] > 0
    final = lines[-1]
    assert final["finished"] == "finished"
    assert final["agencies_total"] == 2 and final["agencies_seen"] == 2
    assert final["items"] > 0


def test_runner_draws_a_bar_and_passes_log_lines_through(tmp_path: Path) -> None:
    # A stand-in child that speaks the same protocol: progress on the inherited fd, a log line on
    # stderr, the summary on stdout.
    child = tmp_path / "child.py"
    child.write_text(
        "import json, os, sys\n"
        "fd = int(sys.argv[-1].split('=')[1])\n"
        "with os.fdopen(fd, 'w') as out:\n"
        "    for n in (1, 2, 3):\n"
        "        out.write(json.dumps({'pages': n, 'items': n, 'agencies_seen': n,"
        " 'agencies_total': 3}) + '\\n')\n"
        "print('a log line', file=sys.stderr)\n"
        "print(json.dumps({'agencies': {}}))\n",
        encoding="utf-8",
    )
    screen = io.StringIO()
    console = Console(file=screen, force_terminal=True, width=100)
    done = crawlrun.run([sys.executable, str(child), "-s", "X=1"], console=console, bar=True)
    assert done.returncode == 0
    assert done.stdout.strip() == '{"agencies": {}}'
    assert [line["agencies_seen"] for line in done.progress] == [1, 2, 3]
    assert "a log line" in screen.getvalue()
