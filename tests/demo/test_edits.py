from __future__ import annotations

from pathlib import Path

from demo_tables import read_tables

from crawler.demo import DemoManifest, apply_edits, build_site, load, serve
from crawler.demo.server import DemoServer
from parser import identities


def _snapshot(root: Path) -> dict[str, tuple[bytes, float]]:
    return {
        p.relative_to(root).as_posix(): (p.read_bytes(), p.stat().st_mtime)
        for p in root.rglob("*")
        if p.is_file()
    }


def test_apply_edits_changes_exactly_the_planned_files(tmp_path: Path) -> None:
    before_manifest = build_site(tmp_path, seed=0)
    before = _snapshot(tmp_path / "site")
    after_manifest = apply_edits(tmp_path, before_manifest)
    after = _snapshot(tmp_path / "site")
    assert after_manifest.state == "edited" and load(tmp_path) == after_manifest

    changed = {p for p in before.keys() & after.keys() if before[p][0] != after[p][0]}
    removed = before.keys() - after.keys()
    edited = {k.kind: k for k in after_manifest.problems if "edited" in k.present_in}
    expect_changed = {
        after_manifest.report(p.agency_id, p.year).document.lstrip("/")
        for p in after_manifest.problems_of("changed")
    }
    (gone,) = after_manifest.problems_of("removed")
    assert changed == expect_changed and len(changed) == 2
    assert removed == {after_manifest.report(gone.agency_id, gone.year).path.lstrip("/")}
    assert after.keys() <= before.keys()
    for path in after.keys() - changed:
        assert after[path] == before[path]  # bytes and mtime: conditional requests get 304
    assert "removed" in edited and "changed" in edited

    # the identity that failed is fixed; the report's version moved on
    (fixed,) = before_manifest.problems_of("identity")
    assert after_manifest.open_problems.count(fixed) == 0
    report = after_manifest.report(fixed.agency_id, fixed.year)
    assert report.version == 2
    read = read_tables(tmp_path / "site" / report.path.lstrip("/"), "utf-8", report.template)
    assert all(i.ok for i in identities.t3_balance(read["applications"]))
    assert after_manifest.report(gone.agency_id, gone.year).status == "removed"

    # the edited report: cells and a paragraph differ, and its identities still hold
    (ch,) = [p for p in after_manifest.problems_of("changed") if p.agency_id != fixed.agency_id]
    old = before_manifest.report(ch.agency_id, ch.year)
    new = after_manifest.report(ch.agency_id, ch.year)
    assert old.tables["applications"]["granted"] != new.tables["applications"]["granted"]
    old_text = (tmp_path / "site" / new.path.lstrip("/")).read_text(encoding="utf-8")
    assert "发现差错及时更正" in old_text
    assert all(i.ok for i in identities.evaluate_tables(
        new.tables["applications"], new.tables["appeals"], new.template))  # fmt: skip

    # applying twice changes nothing more
    apply_edits(tmp_path, after_manifest)
    assert _snapshot(tmp_path / "site") == after


def test_second_crawl_gets_304_for_untouched_pages(tmp_path: Path) -> None:
    import http.client

    manifest = build_site(tmp_path, seed=0)
    with serve(tmp_path) as server:
        etags = {r.path: _etag(server, r.path) for r in manifest.reports}
        edited = apply_edits(tmp_path, manifest)
        statuses = {}
        for path, etag in etags.items():
            conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
            conn.request("GET", path, headers={"If-None-Match": etag})
            statuses[path] = conn.getresponse().status
            conn.close()
    (gone,) = edited.problems_of("removed")
    changed = {edited.report(p.agency_id, p.year).path for p in edited.problems_of("changed")}
    assert statuses[edited.report(gone.agency_id, gone.year).path] == 404
    assert {p for p, s in statuses.items() if s == 200} == changed
    assert sum(1 for s in statuses.values() if s == 304) == len(statuses) - 3


def _etag(server: DemoServer, path: str) -> str:
    import http.client

    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
    conn.request("GET", path)
    response = conn.getresponse()
    response.read()
    conn.close()
    return response.getheader("ETag") or ""


def test_manifest_problems_state_split(built: tuple[Path, DemoManifest]) -> None:
    _, manifest = built
    kinds = {p.kind for p in manifest.open_problems}
    assert kinds == {"missing", "late", "identity", "jump", "carryover", "copied", "prose_mismatch"}
