"""Crash safety of delivery: SIGKILL a real `gkwatch alerts send` while it delivers, start it
again after the lease: every alert arrives. The guarantee is at-least-once (README): only an
alert in flight at the kill may arrive twice — here at most one, never more than twice."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from monitor.findings import finding
from storage import Archive
from tests.monitor.conftest import Sink

pytestmark = pytest.mark.slow
ALERTS = 30


def _send(config: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "gkwatch.cli", "--config", str(config), "alerts", "send"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={k: v for k, v in os.environ.items() if not k.startswith("GKWATCH_")},
    )


def test_kill_while_delivering_then_restart(
    tmp_path: Path, db_url: str, archive: Archive, sink: Sink
) -> None:
    import datetime as dt

    now = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)
    states = [finding("jump", "sy-gov", 2023, f"第{i}号", {}, f"f{i}") for i in range(ALERTS)]
    archive.sync_findings(["jump"], states, now=now)
    (tmp_path / "apprise.yaml").write_text(f"urls:\n  - {sink.url()}:\n    - tag: always\n")
    config = tmp_path / "gkwatch.yaml"
    config.write_text(
        f"database_url: {db_url}\napprise_config: apprise.yaml\n"
        "monitor:\n  alerts:\n    lease_seconds: 2\n    batch: 1000\n",
        encoding="utf-8",
    )
    sink.delay = 0.1
    proc = _send(config)
    deadline = time.monotonic() + 60
    while len(sink.received) < 8 and time.monotonic() < deadline:
        time.sleep(0.02)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL
    at_kill = len(sink.received)
    assert 8 <= at_kill < ALERTS, "the deliverer was not caught mid-flight"
    time.sleep(2.5)  # the killed deliverer's lease expires
    sink.delay = 0
    again = _send(config)
    _, err = again.communicate(timeout=120)
    assert again.returncode == 0, err
    ids = Counter(int(m) for r in sink.received for m in re.findall(r"提醒 #(\d+)", r["message"]))
    assert set(ids) == {a.id for a in archive.alerts()}  # every alert arrived
    repeats = [i for i, n in ids.items() if n > 1]
    assert len(repeats) <= 1 and max(ids.values()) <= 2
    assert archive.alerts(pending_only=True) == []
