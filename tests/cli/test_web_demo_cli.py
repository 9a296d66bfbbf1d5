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


def test_demo_refuses_a_bad_apprise_url_before_starting(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main, ["demo", "--no-web", "--apprise", "nonsense-url", "--workdir", str(tmp_path / "d")]
    )
    assert result.exit_code == 1
    assert "Apprise does not understand the URL 'nonsense-url'" in result.output
    assert not (tmp_path / "d").exists()


def test_demo_never_wipes_a_directory_it_did_not_make(tmp_path: Path) -> None:
    (tmp_path / "precious.txt").write_text("keep me", encoding="utf-8")
    result = CliRunner().invoke(main, ["demo", "--no-web", "--workdir", str(tmp_path)])
    assert result.exit_code == 1
    assert "was not made by gkwatch demo" in result.output
    assert (tmp_path / "precious.txt").read_text(encoding="utf-8") == "keep me"
