"""``gkwatch crawl`` spawns the crawl, prints a summary per agency, never imports Scrapy."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import crawl_fixture_site as fixture_site
import pytest
from crawl_helpers import FAST, ROOT
from crawl_siteserver import Site, serve

from storage import Archive


def _gkwatch(database: str, *args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "gkwatch.cli", "--database", database, "crawl", *args]
    for setting in (*FAST, "LOG_LEVEL=WARNING"):
        command += ["-s", setting]
    env = {k: v for k, v in os.environ.items() if not k.startswith("GKWATCH_")}
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300, env=env)


@pytest.fixture
def registry(tmp_path: Path) -> Iterator[Path]:
    root = tmp_path / "site"
    with serve(Site(root=root, content_types=dict(fixture_site.CONTENT_TYPES))) as site:
        path, _ = fixture_site.build(root, site.url)
        yield path


@pytest.mark.slow
def test_gkwatch_crawl_json_then_table(registry: Path, sqlite_url: str) -> None:
    proc = _gkwatch(sqlite_url, "--registry", str(registry), "--agency", "yi", "--json")
    assert proc.returncode == 0, proc.stderr[-3000:]
    summary = json.loads(proc.stdout)
    assert list(summary["agencies"]) == ["yi"]
    assert summary["agencies"]["yi"]["new"] == 1
    assert "registry" in proc.stderr and "2 added" in proc.stderr
    with Archive.open(sqlite_url) as archive:
        assert [r.agency_id for r in archive.reports()] == ["yi"]
        assert archive.crawl_runs(limit=1)[0].status == "ok"

    proc = _gkwatch(sqlite_url)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "jia" in proc.stdout and "yi" in proc.stdout and "找到报告" in proc.stdout


def test_unknown_agency_is_a_clear_error(sqlite_url: str, tmp_path: Path) -> None:
    proc = _gkwatch(sqlite_url, "--agency", "nobody")
    assert proc.returncode != 0
    assert "not in the registry: nobody" in proc.stderr


def test_the_front_never_imports_scrapy() -> None:
    code = (
        "import sys, gkwatch.cli, gkwatch.commands.crawl, crawler.scrapyd, crawler.egg;"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('scrapy', 'twisted')))"
    )
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "[]"
