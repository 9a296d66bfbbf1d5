from __future__ import annotations

import http.client
import time
from pathlib import Path

import pytest

from crawler.demo import DemoManifest, NotADemoSite, serve


def _get(port: int, path: str, method: str = "GET", **headers: str) -> http.client.HTTPResponse:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    conn.request(method, path, headers=headers)
    response = conn.getresponse()
    response.body = response.read()  # type: ignore[attr-defined]
    conn.close()
    return response


@pytest.fixture(scope="module")
def server(built: tuple[Path, DemoManifest]):  # type: ignore[no-untyped-def]
    with serve(built[0]) as running:
        yield running


def test_serves_pages_with_validators_and_304(server, manifest: DemoManifest, site: Path) -> None:  # type: ignore[no-untyped-def]
    r = manifest.reports[0]
    first = _get(server.port, r.path)
    assert first.status == 200
    assert first.body == (site / r.path.lstrip("/")).read_bytes()  # type: ignore[attr-defined]
    etag, modified = first.getheader("ETag"), first.getheader("Last-Modified")
    assert etag and modified
    assert _get(server.port, r.path, **{"If-None-Match": etag}).status == 304
    assert _get(server.port, r.path, **{"If-Modified-Since": modified}).status == 304
    assert _get(server.port, r.path, **{"If-None-Match": '"other"'}).status == 200
    old = "Mon, 01 Jan 2001 00:00:00 GMT"
    assert _get(server.port, r.path, **{"If-Modified-Since": old}).status == 200


def test_404_for_missing_broken_and_escaping_paths(server, manifest: DemoManifest) -> None:  # type: ignore[no-untyped-def]
    assert _get(server.port, "/no/such/page.html").status == 404
    assert _get(server.port, manifest.broken_links[0]).status == 404
    assert _get(server.port, "/../manifest.json").status == 404
    assert _get(server.port, "/%2e%2e/manifest.json").status == 404


def test_head_has_headers_and_no_body(server, manifest: DemoManifest) -> None:  # type: ignore[no-untyped-def]
    r = next(r for r in manifest.reports if r.format == "pdf")
    assert r.attachment is not None
    head = _get(server.port, r.attachment, "HEAD")
    assert head.status == 200 and head.body == b""  # type: ignore[attr-defined]
    assert head.getheader("Content-Type") == "application/pdf"
    assert int(head.getheader("Content-Length") or 0) > 1000


def test_query_pages_map_to_their_files(server, manifest: DemoManifest, site: Path) -> None:  # type: ignore[no-untyped-def]
    agency = next(a for a in manifest.agencies if a.pagination == "query" and len(a.list_pages) > 1)
    second = _get(server.port, agency.list_pages[1])
    first = _get(server.port, agency.list_pages[0])
    assert second.status == first.status == 200
    assert second.body != first.body  # type: ignore[attr-defined]
    assert _get(server.port, agency.list_pages[0] + "?page=1").body == first.body  # type: ignore[attr-defined]
    assert _get(server.port, agency.list_pages[0] + "?page=99").status == 404
    folder = _get(server.port, manifest.agencies[0].list_path)
    assert folder.status == 200


def test_content_types_follow_the_page_encoding(server, manifest: DemoManifest) -> None:  # type: ignore[no-untyped-def]
    gbk = next(r for r in manifest.reports if r.encoding == "gbk" and r.declared_charset is None)
    assert _get(server.port, gbk.path).getheader("Content-Type") == "text/html"
    utf8 = next(r for r in manifest.reports if r.encoding == "utf-8" and r.format == "html")
    assert _get(server.port, utf8.path).getheader("Content-Type") == "text/html; charset=utf-8"
    robots = _get(server.port, "/robots.txt")
    assert robots.status == 200 and b"Disallow: /trap/" in robots.body  # type: ignore[attr-defined]


def test_request_log_counts_fetches(built: tuple[Path, DemoManifest]) -> None:
    out, manifest = built
    with serve(out) as running:
        path = manifest.reports[1].path
        _get(running.port, path)
        _get(running.port, path)
        etag = _get(running.port, "/robots.txt").getheader("ETag") or ""
        _get(running.port, "/robots.txt", **{"If-None-Match": etag})
        assert running.count(path) == 2
        assert running.repeated() == {path: 2}
        assert running.count("/robots.txt", status=304) == 1
        assert [r.conditional for r in running.requests] == [False, False, False, True]
        running.clear_log()
        assert running.requests == []
        running.delay = 0.2
        started = time.monotonic()
        _get(running.port, path)
        assert time.monotonic() - started >= 0.2


def test_refuses_a_directory_that_is_not_a_demo(tmp_path: Path) -> None:
    with pytest.raises(NotADemoSite, match="run build first"):
        serve(tmp_path)
