"""Run ``python -m crawler.run`` as a child process, with a progress bar on a terminal.

The child reports progress as JSON lines on an inherited pipe (``GKWATCH_PROGRESS_FD``, see
``crawler/extensions/progress.py``); its log lines are passed through above the bar, and its JSON
summary comes back on stdout.
"""

from __future__ import annotations

import json
import os
import subprocess
import threading
from dataclasses import dataclass
from typing import IO, Any

from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn


@dataclass(frozen=True)
class CrawlOutput:
    returncode: int
    stdout: str
    progress: tuple[dict[str, Any], ...]  # every progress line the child sent


def run(
    command: list[str], *, console: Console | None = None, bar: bool | None = None
) -> CrawlOutput:
    """Run the crawl; draw a bar when ``bar`` (default: when stderr is a terminal)."""
    console = console or Console(stderr=True)
    if bar is None:
        bar = console.is_terminal
    read_fd, write_fd = os.pipe()
    lines: list[dict[str, Any]] = []
    with Progress(
        SpinnerColumn(),
        TextColumn("抓取 {task.completed}/{task.total} 个机关"),
        BarColumn(),
        TextColumn("{task.fields[detail]}"),
        TimeElapsedColumn(),
        console=console,
        transient=True,
        disable=not bar,
    ) as progress:
        task = progress.add_task("crawl", total=None, detail="")
        proc = subprocess.Popen(
            [*command, "-s", f"GKWATCH_PROGRESS_FD={write_fd}"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            pass_fds=(write_fd,),
        )
        os.close(write_fd)

        def read_progress() -> None:
            with os.fdopen(read_fd, encoding="utf-8") as pipe:
                for raw in pipe:
                    try:
                        line = json.loads(raw)
                    except ValueError:
                        continue
                    lines.append(line)
                    progress.update(
                        task,
                        total=line.get("agencies_total") or None,
                        completed=line.get("agencies_seen", 0),
                        detail=f"页面 {line.get('pages', 0)} · 条目 {line.get('items', 0)}",
                    )

        def pass_log(stream: IO[str]) -> None:
            for raw in stream:
                progress.console.print(raw.rstrip("\n"), markup=False, highlight=False)

        assert proc.stdout is not None and proc.stderr is not None
        threads = [
            threading.Thread(target=read_progress, daemon=True),
            threading.Thread(target=pass_log, args=(proc.stderr,), daemon=True),
        ]
        for thread in threads:
            thread.start()
        stdout = proc.stdout.read()
        proc.wait()
        for thread in threads:
            thread.join(timeout=10)
    return CrawlOutput(proc.returncode, stdout, tuple(lines))
