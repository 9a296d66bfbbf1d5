"""Crawl-to-crawl changes on the fixture portal: a removed report that comes back, and a
report list that empties (which the monitor's crawl_failing check must notice)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import crawl_fixture_site as fixture_site
import pytest
from crawl_helpers import run_crawl
from crawl_siteserver import Site

from monitor import MonitorConfig, run_checks
from storage import Archive

pytestmark = pytest.mark.slow

Fixture = tuple[Site, Path, list[fixture_site.Expected]]


def test_a_removed_report_that_answers_again_is_present_again(
    site: Fixture, sqlite_url: str
) -> None:
    server, registry, _ = site
    page = server.root / "a/nb/2017.html"
    original = page.read_bytes()
    run_crawl(sqlite_url, "--registry", str(registry))
    page.unlink()
    assert run_crawl(sqlite_url)["agencies"]["jia"]["missing"] == 2  # 2017 and the dead 2019
    with Archive.open(sqlite_url) as archive:
        assert archive.report("jia", 2017).status == "removed"

    # Back with the same bytes: the conditional request is answered 304.
    page.write_bytes(original)
    before = len(server.log)
    jia = run_crawl(sqlite_url)["agencies"]["jia"]
    assert ("/a/nb/2017.html", 304) in server.log[before:]
    assert (jia["restored"], jia["new"], jia["changed"]) == (1, 0, 0)
    with Archive.open(sqlite_url) as archive:
        info = archive.report("jia", 2017)
        assert (info.status, info.removed_at, info.versions) == ("present", None, 1)

    # Removed again, then back answering 200 (no conditional request): parsed, the same
    # content, so no new version, and present again.
    page.unlink()
    run_crawl(sqlite_url)
    page.write_bytes(original)
    before = len(server.log)
    jia = run_crawl(sqlite_url, "-s", "GKWATCH_CONDITIONAL=False")["agencies"]["jia"]
    assert ("/a/nb/2017.html", 200) in server.log[before:]
    assert (jia["new"], jia["changed"]) == (0, 0)
    with Archive.open(sqlite_url) as archive:
        info = archive.report("jia", 2017)
        assert (info.status, info.versions) == ("present", 1)
        assert [r.status for r in archive.reports()] == ["present"] * 5


def test_a_list_that_empties_makes_crawl_failing_fire(site: Fixture, sqlite_url: str) -> None:
    server, registry, _ = site
    first = run_crawl(sqlite_url, "--registry", str(registry))
    # 乙局's list shows its one report, and will go on showing it.
    assert first["agencies"]["yi"]["listed"] == 1
    # 甲局's list pages still answer, but show no report any more.
    empty = b'<html><head><meta charset="utf-8"></head><body><ul class="list"></ul></body></html>'
    for name in ("index.html", "index_1.html", "index_2.html"):
        (server.root / "a/nb" / name).write_bytes(empty)
    second = run_crawl(sqlite_url)
    assert (second["agencies"]["jia"]["listed"], second["agencies"]["yi"]["listed"]) == (0, 1)

    config = MonitorConfig(database_url=sqlite_url, section={"kinds": ["crawl_failing"]})
    with Archive.open(sqlite_url) as archive:
        runs = archive.crawl_runs(2)
        assert [r.stats["agencies"]["jia"]["listed"] for r in runs] == [0, 7]
        run_checks(archive, config, dt.datetime.now(dt.UTC))
        found = archive.findings(kind="crawl_failing", open_only=True)
    assert [(f.agency_id, f.evidence["previously_listed"]) for f in found] == [("jia", 7)]
    assert found[0].evidence["run"] == runs[0].id
