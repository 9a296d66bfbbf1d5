"""Distributed crawl: two local Scrapyd nodes, one PostgreSQL archive, one node killed.

Each node is a real ``scrapyd`` (from .venv) with its own config and directories on a free
127.0.0.1 port. ``gkwatch crawl --scrapyd`` deploys the egg to both, spreads the demo's
agencies over them and must re-dispatch the agencies of the node we kill mid-crawl.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from crawl_helpers import FAST, ROOT

from crawler.demo import build_site, serve, write_registry
from storage import Archive
from storage.testing import isolated_postgres_schema

pytestmark = [pytest.mark.slow, pytest.mark.postgres]
PG_ENV = "GKWATCH_TEST_DATABASE_URL"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@pytest.fixture
def pg_url() -> Iterator[str]:
    base = os.environ.get(PG_ENV)
    if not base:
        pytest.skip(f"the Scrapyd test needs PostgreSQL: set {PG_ENV}")
    with isolated_postgres_schema(base) as url:
        Archive.upgrade(url)
        yield url


def _start_node(directory: Path) -> tuple[subprocess.Popen[bytes], str]:
    directory.mkdir(parents=True)
    port = _free_port()
    (directory / "scrapyd.conf").write_text(
        "[scrapyd]\n"
        f"bind_address = 127.0.0.1\nhttp_port = {port}\n"
        "eggs_dir = eggs\nlogs_dir = logs\ndbs_dir = dbs\n"
        "poll_interval = 0.5\nmax_proc = 2\n"
    )
    log = (directory / "scrapyd.out").open("wb")
    proc = subprocess.Popen(
        [str(Path(sys.executable).parent / "scrapyd")],
        cwd=directory, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            if httpx.get(f"{url}/daemonstatus.json", timeout=1).json()["status"] == "ok":
                return proc, url
        except (httpx.HTTPError, ValueError):
            time.sleep(0.2)
    proc.kill()
    raise AssertionError(f"scrapyd did not start: {(directory / 'scrapyd.out').read_text()}")


def _kill(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGKILL)  # the node and its running crawl
        proc.wait()


def _wait_for_crawl_run(pg_url: str, node_url: str) -> None:
    """Block until the node's spider has opened its crawl run in the archive."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        with Archive.open(pg_url) as archive:
            runs = archive.crawl_runs(limit=100)
        if any(run.node and run.node.split("#")[0] == node_url for run in runs):
            return
        time.sleep(0.2)
    raise AssertionError(f"{node_url} never started a crawl run")


def test_two_nodes_one_killed_every_report_stored_once(pg_url: str, tmp_path: Path) -> None:
    out = tmp_path / "demo"
    manifest = build_site(out, seed=0)
    nodes = [_start_node(tmp_path / f"node{i}") for i in (1, 2)]
    try:
        # A slow server, so the crawl is still running when the node dies.
        with serve(out, delay=0.05) as server:
            manifest = write_registry(out, manifest, server.url)
            command = [
                sys.executable, "-m", "gkwatch.cli", "--database", pg_url, "crawl",
                "--registry", str(out / "registry.yaml"), "--json",
                "--scrapyd", ",".join(url for _, url in nodes),
            ]  # fmt: skip
            for setting in FAST:
                command += ["-s", setting]
            crawl = subprocess.Popen(
                command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE
            )
            victim, victim_url = nodes[1]
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline and crawl.poll() is None:
                try:
                    jobs = httpx.get(f"{victim_url}/listjobs.json", timeout=30).json()
                except httpx.HTTPError:
                    continue  # a loaded machine; ask again
                if jobs.get("running"):
                    break
                time.sleep(0.2)
            else:
                crawl.kill()
                _, err = crawl.communicate()
                raise AssertionError(f"node 2 never ran a job:\n{err.decode()[-4000:]}")
            _wait_for_crawl_run(pg_url, victim_url)  # mid-crawl: it has started writing
            _kill(victim)
            stdout, stderr = crawl.communicate(timeout=600)
        assert crawl.returncode == 0, stderr.decode()[-4000:]
        result = json.loads(stdout)
        assert result["dead_nodes"] == [victim_url]
        assert result["redispatched"] >= 1
        with Archive.open(pg_url) as archive:
            stored = [(r.agency_id, r.year) for r in archive.reports()]
            runs = archive.crawl_runs(limit=100)
        expected = {(r.agency_id, r.year) for r in manifest.expected_reports()}
        assert len(stored) == len(set(stored))  # once each
        assert set(stored) == expected  # nothing missing
        nodes_used = {run.node.split("#")[0] for run in runs if run.node}
        assert nodes_used == {url for _, url in nodes}
    finally:
        for proc, _ in nodes:
            _kill(proc)
