"""End to end: the real spider, in its own process, against the demo portal on 127.0.0.1.

The demo manifest is the ground truth: every agency and year, the dates printed on pages and
lists, the attachment that holds a report, the pages robots.txt forbids, the dead links.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from crawl_helpers import run_crawl

from crawler.demo import DemoManifest, DemoServer, apply_edits, build_site, serve, write_registry
from storage import Archive

pytestmark = pytest.mark.slow


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[tuple[Path, DemoManifest, DemoServer]]:
    out = tmp_path / "demo"
    manifest = build_site(out, seed=0)
    with serve(out) as server:
        yield out, write_registry(out, manifest, server.url), server


def _page_fetches(server: DemoServer, status: int) -> list[str]:
    return [r.path for r in server.requests if r.status == status and r.path != "/robots.txt"]


def test_demo_portal_crawled_completely_then_incrementally(
    demo: tuple[Path, DemoManifest, DemoServer], sqlite_url: str
) -> None:
    out, manifest, server = demo
    base = server.url.rstrip("/")
    summary = run_crawl(sqlite_url, "--registry", str(out / "registry.yaml"))
    assert summary["finish_reason"] == "finished"

    with Archive.open(sqlite_url) as archive:
        stored = {(r.agency_id, r.year): r for r in archive.reports()}
        expected = {(r.agency_id, r.year): r for r in manifest.expected_reports()}
        assert sorted(set(expected) - set(stored)) == [], "reports not found"
        assert sorted(set(stored) - set(expected)) == [], "reports that are not in the demo"
        for key, want in expected.items():
            got = stored[key]
            assert got.url == base + want.path
            assert str(got.published_on) == want.published_on, key
            assert (str(got.list_date) if got.list_date else None) == want.list_date, key
            version = archive.version(got.id, got.latest_version)
            document = (out / "site" / want.document.lstrip("/")).read_bytes()
            assert version.document_sha == hashlib.sha256(document).hexdigest(), key
            assert version.record.source.format == want.format, key
            if want.encoding == "gbk" and want.format == "html":
                # decoded right: the figures come out of the GBK bytes
                cell = version.record.cell("applications", "new_received", "total")
                assert cell == want.figures["new_received"], key
        for agency in manifest.agencies:
            if not agency.report_lists:
                assert base + agency.list_path in archive.agency(agency.id).discovered_lists
        # Every dead link the crawl followed is in the fetch log as a 404 (the demo's dead
        # links sit behind 通知 entries, which are not reports and are not followed).
        dead = {r.path for r in server.requests if r.status == 404}
        for path in dead:
            assert [f.status for f in archive.fetches(url=base + path)] == [404], path
        assert not dead & set(manifest.broken_links)

    requested = {r.path.split("?")[0] for r in server.requests}
    assert not requested & set(manifest.trap_paths), "robots.txt was not honoured"

    # Nothing changed: a second crawl only revalidates (304) and fetches no page again.
    server.clear_log()
    summary = run_crawl(sqlite_url)
    assert _page_fetches(server, 200) == []
    assert len(_page_fetches(server, 304)) >= len(expected)
    assert all(c["new"] == 0 and c["changed"] == 0 for c in summary["agencies"].values())

    # The portal moves on: a report edited after publication, one taken down.
    edited = apply_edits(out, manifest)
    run_crawl(sqlite_url)
    with Archive.open(sqlite_url) as archive:
        for report in edited.reports:
            info = archive.report(report.agency_id, report.year)
            assert info.status == report.status, (report.agency_id, report.year)
            if report.status == "present":
                assert info.versions == report.version, (report.agency_id, report.year)
