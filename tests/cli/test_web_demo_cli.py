"""``gkwatch web`` serves the dashboard on 127.0.0.1; ``gkwatch demo --no-web --json`` runs the
whole job on the demo portal (slow: it builds, serves and crawls the portal twice)."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner

from gkwatch.cli import main


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def test_web_serves_the_dashboard(seeded_url: str) -> None:
    port = free_port()
    command = [sys.executable, "-m", "gkwatch.cli", "--database", seeded_url, "web",
               "--port", str(port), "--json"]  # fmt: skip
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                response = httpx.get(base + "/api/overview", timeout=2)
                break
            except httpx.TransportError:
                assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
                assert time.monotonic() < deadline, "gkwatch web did not answer within 30 s"
                time.sleep(0.2)
        assert response.json()["agencies"] == 6
        assert "嘉兴市人民政府办公室" in httpx.get(base + "/reports/jx-gov/2024").text
    finally:
        proc.terminate()
        out, _ = proc.communicate(timeout=10)
    assert json.loads(out)["url"] == base + "/"


def test_web_refuses_a_bad_archive(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'empty.db'}"
    result = CliRunner().invoke(main, ["--database", url, "web", "--port", str(free_port())])
    assert result.exit_code == 1
    assert "gkwatch db upgrade" in result.output


@pytest.mark.slow
def test_demo_runs_the_whole_job(tmp_path: Path) -> None:
    command = [sys.executable, "-m", "gkwatch.cli", "demo", "--no-web", "--json",
               "--workdir", str(tmp_path / "demo")]  # fmt: skip
    started = time.monotonic()
    done = subprocess.run(
        command, capture_output=True, text=True, timeout=300, env={**os.environ, "COLUMNS": "100"}
    )
    took = time.monotonic() - started
    assert done.returncode == 0, done.stderr[-3000:]
    summary = json.loads(done.stdout)
    assert took < 120, f"the demo took {took:.0f} s"
    assert summary["dashboard"] is None
    assert summary["agencies"] > 0 and summary["expected_reports"] > 0
    assert summary["alerts"]["failed"] == 0 and summary["alerts"]["sent"] > 0
    # every problem planted in the portal (the manifest's ground truth) is found
    for row in summary["findings"]:
        assert row["planted_found"] == row["planted"], row
    assert Path(summary["workdir"], "archive.db").is_file()
    assert "控制台" in done.stderr or "5/5" in done.stderr  # the steps went to the console
