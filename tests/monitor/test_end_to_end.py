"""Demo portal → crawl (its own process) → checks → alerts to a local json:// sink.

Ground truth is the demo manifest: every planted problem produces exactly its finding, the
clean agencies none; a second run sends nothing; after ``apply_edits`` and a re-crawl the
fixed report resolves its finding with one "resolved" alert.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest

from crawler.demo import apply_edits, build_site, serve, write_registry
from crawler.demo.model import REGISTRY_NAME, DemoManifest
from monitor import deliver, run_checks
from storage import Archive
from tests.monitor.conftest import Sink, make_config

pytestmark = pytest.mark.slow


def _crawl(url: str) -> None:
    command = [sys.executable, "-m", "gkwatch.cli", "--database", url, "crawl"]
    proc = subprocess.run(command, capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stderr[-3000:]


def _expected(manifest: DemoManifest) -> set[tuple[str, str, int]]:
    out = {(p.kind, p.agency_id, p.year) for p in manifest.open_problems}
    # a cross-agency copy is told on both reports, each naming the other
    out |= {
        ("copied", str(p.detail["other_agency_id"]), int(p.detail["other_year"]))
        for p in manifest.open_problems
        if p.kind == "copied" and p.detail["other_agency_id"] != p.agency_id
    }
    return out


def _open(archive: Archive, skip: set[str]) -> set[tuple[str, str, int]]:
    return {
        (f.kind, f.agency_id or "", f.year or 0)
        for f in archive.findings(open_only=True)
        if f.agency_id not in skip
    }


def _drop(expected: set[tuple[str, str, int]], skip: set[str]) -> set[tuple[str, str, int]]:
    return {e for e in expected if e[1] not in skip}


def test_demo_portal_end_to_end(tmp_path: Path, sink: Sink) -> None:
    site = tmp_path / "demo"
    manifest = build_site(site, seed=0)
    portal = serve(site, "127.0.0.1", 0)
    try:
        manifest = write_registry(site, manifest, portal.url)
        url = f"sqlite:///{tmp_path / 'gk.db'}"
        Archive.upgrade(url)
        config = make_config(tmp_path, url, f"urls:\n  - {sink.url()}:\n    - tag: always\n")
        with Archive.open(url) as archive:
            archive.import_registry(site / REGISTRY_NAME)
        _crawl(url)
        now = dt.datetime.now(dt.UTC)
        with Archive.open(url) as archive:
            stored = {(r.agency_id, r.year) for r in archive.reports()}
            wanted = {(r.agency_id, r.year) for r in manifest.expected_reports()}
            # agencies whose reports the crawler failed to archive are judged at the very
            # end (a crawler defect); the monitor is checked on all the others first
            uncrawled = sorted(wanted - stored)
            skip = {agency for agency, _ in uncrawled}
            run_checks(archive, config, now)
            assert _open(archive, skip) == _drop(_expected(manifest), skip)
            clean = set(manifest.clean_agencies) - skip
            assert not [f.key for f in archive.findings() if f.agency_id in clean]
            first = deliver(archive, config, now)
            assert first.failed == 0
            assert first.sent == len(archive.findings(open_only=True))  # one per finding
            assert len(sink.received) == first.sent
            # a second run: nothing new
            later = now + dt.timedelta(minutes=10)
            run_checks(archive, config, later)
            assert deliver(archive, config, later).sent == 0
        edited = apply_edits(site, manifest)
        _crawl(url)
        after = now + dt.timedelta(hours=1)
        with Archive.open(url) as archive:
            result = run_checks(archive, config, after)
            assert _open(archive, skip) == _drop(_expected(edited), skip)
            fixed = {(p.kind, p.agency_id, p.year) for p in manifest.open_problems} - {
                (p.kind, p.agency_id, p.year) for p in edited.open_problems
            }
            assert result.resolved == len(fixed) == 1
            before = len(sink.received)
            report = deliver(archive, config, after)
            new = sink.received[before:]
            resolved = [m for m in new if m["title"].startswith("【已解决】")]
            assert len(resolved) == 1
            kind, agency, year = next(iter(fixed))
            assert f"{kind}:{agency}:{year}" in resolved[0]["message"]
            assert report.sent == len(new) == result.opened + result.resolved
    finally:
        portal.stop()
    assert not uncrawled, f"the crawler did not archive {uncrawled} (demo portal, seed 0)"
