"""The storage side of the pipeline without Scrapy: batches, the recorder, the fetch cache."""

from __future__ import annotations

import asyncio
import datetime as dt
from pathlib import Path

import pytest

import parser
from crawler.batching import Batcher
from crawler.fetchlog import LastFetches
from crawler.items import PageItem
from crawler.recorder import Recorder
from storage import Archive, FetchRecord

REPORT = (
    Path(__file__).resolve().parents[1] / "fixtures" / "corpus" / "html" / "shuyang-fgj-2023.html"
)
NOW = dt.datetime(2024, 3, 1, 8, 0, tzinfo=dt.UTC)


def test_batches_fill_up_to_size_then_go_after_the_interval_in_order() -> None:
    written: list[list[int]] = []

    async def crawl() -> None:
        batcher: Batcher[int] = Batcher(written.append, size=3, interval=0.05)
        await asyncio.gather(*(batcher.submit(n) for n in range(5)))
        batcher.close()

    asyncio.run(crawl())
    assert written == [[0, 1, 2], [3, 4]]


def test_a_failed_write_fails_every_item_of_its_batch() -> None:
    def write(batch: list[int]) -> None:
        raise OSError(f"disk full writing {batch}")

    async def crawl() -> list[BaseException | None]:
        batcher: Batcher[int] = Batcher(write, size=2, interval=0.01)
        results = await asyncio.gather(batcher.submit(1), batcher.submit(2), return_exceptions=True)
        batcher.close()
        return list(results)  # type: ignore[arg-type]

    results = asyncio.run(crawl())
    assert [str(r) for r in results] == ["disk full writing [1, 2]"] * 2


@pytest.fixture
def archive(sqlite_url: str, tmp_path: Path) -> Archive:
    registry = tmp_path / "registry.yaml"
    registry.write_text(
        "agencies:\n"
        "  - {id: jia, name: 甲局, level: department, region: 测试市,"
        " portal: 'http://127.0.0.1/a/'}\n",
        encoding="utf-8",
    )
    opened = Archive.open(sqlite_url)
    opened.import_registry(registry)
    return opened


def _report(agency_id: str, url: str, year: int) -> tuple[PageItem, tuple[parser.Report, None]]:
    body = REPORT.read_bytes()
    record = parser.parse(body, url=url, content_type="text/html")
    item = PageItem(
        agency_id, url, "report", 200, body, NOW, "text/html", title="年度报告", year=year
    )
    return item, (record, None)


def test_one_bad_row_does_not_sink_its_batch(archive: Archive) -> None:
    recorder = Recorder(archive, run_id=None)
    good = _report("jia", "http://127.0.0.1/a/2023.html", 2023)
    # An agency that left the registry mid-crawl: its report cannot be stored.
    stray = _report("gone", "http://127.0.0.1/x/2023.html", 2023)
    recorder.record([good, stray])
    assert [(r.agency_id, r.year) for r in archive.reports()] == [("jia", 2023)]
    assert (recorder.tally["jia"].new, recorder.tally["jia"].errors) == (1, 0)
    assert recorder.tally["gone"].errors == 1
    assert [f.url for f in archive.fetches(agency_id="jia")] == ["http://127.0.0.1/a/2023.html"]
    archive.close()


def test_last_fetches_reads_an_agency_once_and_keeps_the_latest_200(archive: Archive) -> None:
    url = "http://127.0.0.1/a/index.html"
    sha = archive.put_document(b"<html></html>", "text/html")
    archive.record_fetches(
        [
            FetchRecord(url, "jia", NOW, 200, etag='"old"', document_sha=sha),
            FetchRecord(
                url, "jia", NOW + dt.timedelta(days=1), 200, etag='"new"', document_sha=sha
            ),
            FetchRecord(url, "jia", NOW + dt.timedelta(days=2), 503, error="busy"),
        ]
    )
    cache = LastFetches(archive)
    found = cache.get(url, "jia")
    assert found is not None and found.etag == '"new"'
    assert found == archive.last_fetch(url)
    assert cache.get("http://127.0.0.1/a/never.html", "jia") is None
    # A truncated log falls back to the per-URL query for what it did not hold.
    partial = LastFetches(archive, limit=1)
    assert partial.get(url, "jia") == found
    archive.close()
