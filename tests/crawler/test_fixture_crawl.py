"""The real spider, in its own process, against the fixture portal on 127.0.0.1."""

from __future__ import annotations

import hashlib
from pathlib import Path

import crawl_fixture_site as fixture_site
import pytest
from crawl_helpers import run_crawl
from crawl_siteserver import Site

from storage import Archive

pytestmark = pytest.mark.slow


def test_crawl_finds_every_report_then_only_revalidates(
    site: tuple[Site, Path, list[fixture_site.Expected]], sqlite_url: str, tmp_path: Path
) -> None:
    server, registry, expected = site
    summary = run_crawl(sqlite_url, "--registry", str(registry))
    assert summary["finish_reason"] == "finished"
    jia, yi = summary["agencies"]["jia"], summary["agencies"]["yi"]
    assert (jia["new"], yi["new"]) == (4, 1)
    # 甲局's three list pages show 7 report entries (2023, 2022, the off-host 2020, 2021,
    # 2019, the robots-forbidden 2020 and 2017; not the 工作要点 or the 通知); 乙局's one.
    assert (jia["listed"], yi["listed"]) == (7, 1)

    with Archive.open(sqlite_url) as archive:
        stored = {(r.agency_id, r.year): r for r in archive.reports()}
        assert set(stored) == {(e.agency, e.year) for e in expected}
        for e in expected:
            info = stored[(e.agency, e.year)]
            assert info.url == server.url + e.path
            assert info.title == e.title
            assert (info.published_on, info.list_date) == (e.published_on, e.list_date), e
            version = archive.version(info.id, info.latest_version)
            if e.document is not None:  # published only as an attachment
                assert version.document_sha == hashlib.sha256(e.document.read_bytes()).hexdigest()
                assert version.record.source.format == "pdf"
        # The GBK page with a lying <meta> was read as Chinese, not mojibake.
        gbk = archive.version(stored[("jia", 2022)].id, 1).record
        assert "政府信息公开" in gbk.narrative
        assert gbk.applications is not None
        # A dead report link is in the fetch log as a 404.
        dead = archive.fetches(url=server.url + "/a/nb/2019.html")
        assert [f.status for f in dead] == [404]
        # Discovery found 乙局's column and recorded it for the next crawl.
        assert archive.agency("yi").discovered_lists == (server.url + "/b/xxgk/nb/index.html",)

    never = {"/private/2020.html", "/a/nb/plan2024.html", "/a/nb/notice.html", "/b/news.html"}
    assert not never & server.paths(), "robots.txt, non-reports and off-topic links are skipped"
    assert server.fetched("/robots.txt") >= 1
    assert "/a/nb/off.html" not in server.paths()  # localhost is not a registry host
    assert server.fetched("/a/nb/index_2.html") == 1  # pagination: counter and 下一页

    # Second crawl: the 2017 report is taken down; everything else answers 304.
    (server.root / "a/nb/2017.html").unlink()
    before = len(server.log)
    summary = run_crawl(sqlite_url)
    jia = summary["agencies"]["jia"]
    assert (jia["new"], jia["changed"], jia["missing"]) == (0, 0, 2)  # 2019 and 2017
    assert jia["listed"] == 7  # the lists did not change (and answered 304)
    second = server.log[before:]
    assert [p for p, status in second if status == 200 and p != "/robots.txt"] == []
    revalidated = {p for p, status in second if status == 304}
    assert revalidated == {
        "/a/nb/index.html",
        "/a/nb/index_1.html",
        "/a/nb/index_2.html",
        "/a/nb/2023.html",
        "/a/nb/2022.html",
        "/a/nb/2021.html",
        "/a/files/nb2021.pdf",
        "/b/xxgk/nb/index.html",
        "/b/xxgk/nb/2023.html",
    }  # 乙局 starts from its discovered list: its home page is not visited again
    with Archive.open(sqlite_url) as archive:
        assert archive.report("jia", 2017).status == "removed"
        assert archive.report("jia", 2023).status == "present"
        assert [r.versions for r in archive.reports()] == [1] * 5
