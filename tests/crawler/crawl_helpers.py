"""Running the crawler in its own process, as the tests do."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
#: Politeness off for tests: the server is ours and local.
FAST = ("AUTOTHROTTLE_ENABLED=False", "DOWNLOAD_DELAY=0", "RETRY_BACKOFF_BASE=0.1")


def run_crawl(database: str, *args: str, timeout: float = 300) -> dict[str, Any]:
    """Run ``python -m crawler.run`` in its own process; returns its JSON summary."""
    command = [sys.executable, "-m", "crawler.run", "--database", database, *args]
    for setting in FAST:
        command += ["-s", setting]
    proc = subprocess.run(
        command,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    if proc.returncode != 0:
        raise AssertionError(f"crawl failed ({proc.returncode}):\n{proc.stderr[-6000:]}")
    summary: dict[str, Any] = json.loads(proc.stdout)
    return summary
