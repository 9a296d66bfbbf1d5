"""Dashboard at scale: overview and findings pages on an archive of 100 000 SYNTHETIC reports.

Everything in the archive is synthetic and labelled so (agencies ``合成机关web-00001`` …, one
shared synthetic document, legacy-template records with one made-up prose figure, findings
with made-up summaries): the pages under test read reports and findings, not cells, so the
records carry no tables. The archive is built through ``storage.Archive`` (batch API) and kept
at ``--db`` so later runs reuse it. Pages are requested in-process (FastAPI TestClient, no
network); each is timed cold (first request after start-up: the overview is built) and warm
(median of ``--repeat`` requests).

    .venv/bin/python benchmarks/web_scale.py                    # 100 000 reports
    .venv/bin/python benchmarks/web_scale.py --reports 20000 --db /tmp/web20k.db
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from fastapi.testclient import TestClient

from gkwatch.web.app import create_app
from parser.record import Report, Section, Source
from storage import Archive, FindingState, ReportObservation

YEARS = tuple(range(2015, 2025))
SEEN = dt.datetime(2025, 2, 1, tzinfo=dt.UTC)
KINDS = (("missing", "high"), ("late", "medium"), ("identity", "high"), ("jump", "low"))


def registry(path: Path, agencies: int) -> None:
    lines = ["agencies:"]
    for i in range(agencies):
        lines += [
            f"  - id: web-{i:05d}",
            f"    name: 合成机关web-{i:05d}",
            f"    level: {('county', 'department', 'township', 'city')[i % 4]}",
            f"    region: 合成省/合成市{i % 40:02d}/合成县{i % 400:03d}",
            f"    portal: http://127.0.0.1:9/web-{i:05d}/",
            f"    since: {YEARS[0]}",
        ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def record(agency: str, year: int) -> Report:
    return Report(
        agency=f"合成机关{agency}",
        year=year,
        signed_on=None,
        template="legacy",
        prose={"active_items": (hash((agency, year)) % 5000)},
        title=f"合成机关{agency}{year}年政府信息公开工作年度报告（合成）",
        sections=(Section("概述", (f"{year}年合成数据，仅用于基准测试。",)),),
        source=Source(format="html"),
        parser_version="bench",
    )


def build(url: str, reports: int, tmp: Path) -> None:
    agencies = reports // len(YEARS) * 105 // 100 + 1  # ~4 % of agency-years stay missing
    Archive.upgrade(url)
    started = time.perf_counter()
    with Archive.open(url) as archive:
        registry(tmp / "registry.yaml", agencies)
        archive.import_registry(tmp / "registry.yaml")
        sha = archive.put_document("合成文档（基准测试）".encode(), "text/html")
        batch: list[ReportObservation] = []
        made = 0
        for i in range(agencies):
            agency = f"web-{i:05d}"
            for year in YEARS:
                if made == reports:
                    break
                if (i + year) % 23 == 0:  # ~4 % never published: missing
                    continue
                late = (i * 7 + year) % 11 == 0
                batch.append(
                    ReportObservation(
                        agency_id=agency,
                        year=year,
                        url=f"http://127.0.0.1:9/{agency}/{year}.html",
                        title=f"合成机关{agency}{year}年度报告（合成）",
                        published_on=dt.date(year + 1, 5 if late else 1, 20),
                        list_date=None,
                        seen_at=SEEN,
                        document_sha=sha,
                        record=record(agency, year),
                    )
                )
                made += 1
                if len(batch) == 2000:
                    archive.store_reports(batch)
                    batch.clear()
                    print(f"\r  {made:,} reports", end="", flush=True)
        if batch:
            archive.store_reports(batch)
        states = [
            FindingState(
                key=f"{kind}:web-{i:05d}:{year}",
                kind=kind,
                severity=severity,
                agency_id=f"web-{i:05d}",
                year=year,
                summary=f"合成机关web-{i:05d} {year}年度：合成问题（{kind}，基准测试）",
                evidence={"synthetic": True},
            )
            for i in range(0, agencies, 3)
            for year, (kind, severity) in zip(YEARS[-4:], KINDS, strict=True)
        ]
        archive.sync_findings([k for k, _ in KINDS], states, now=SEEN)
    print(f"\r  built {made:,} reports, {len(states):,} findings in "
          f"{time.perf_counter() - started:.0f} s")  # fmt: skip


def time_page(client: TestClient, path: str, repeat: int) -> tuple[float, float]:
    start = time.perf_counter()
    response = client.get(path)
    cold = time.perf_counter() - start
    assert response.status_code == 200, (path, response.status_code)
    warm = []
    for _ in range(repeat):
        start = time.perf_counter()
        assert client.get(path).status_code == 200
        warm.append(time.perf_counter() - start)
    return cold * 1000, statistics.median(warm) * 1000


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--reports", type=int, default=100_000)
    ap.add_argument("--db", type=Path, help="archive file (built when missing; default: temp)")
    ap.add_argument("--repeat", type=int, default=10)
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="gkwatch-web-scale-"))
    db = args.db or tmp / "web-scale.db"
    url = f"sqlite:///{db}"
    if not db.exists():
        print(f"building a synthetic archive of {args.reports:,} reports at {db}")
        build(url, args.reports, tmp)
    with Archive.open(url) as archive:
        counts = archive.info()["counts"]
    print(f"archive: {counts}")
    app = create_app(lambda: Archive.open(url))
    pages = [
        "/",
        "/findings",
        "/findings?kind=missing&severity=high&page=3",
        "/findings?state=all&region=合成省/合成市07",
        "/api/overview",
        "/api/findings?open=true&limit=100",
        "/api/findings?open=true",  # every open finding as JSON: grows with the archive
        "/regions",
    ]
    print(f"{'page':48} {'cold ms':>9} {'warm ms (median)':>17}")
    with TestClient(app) as client:
        for path in pages:
            cold, warm = time_page(client, path, args.repeat)
            flag = "" if warm < 300 else "  <-- over 300 ms"
            print(f"{path:48} {cold:9.0f} {warm:17.0f}{flag}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
