"""Dashboard at scale: overview and findings pages on an archive of 100 000 SYNTHETIC reports.

Everything in the archive is synthetic and labelled so (agencies ``合成机关web-00001`` …, one
shared synthetic document, legacy-template records with one made-up prose figure, findings
with made-up summaries): the pages under test read reports and findings, not cells, so the
records carry no tables. On SQLite the archive is built through ``storage.Archive`` (batch API)
and kept at ``--db`` so later runs reuse it; on PostgreSQL (``--postgres URL``) it is built in a
scratch schema, dropped afterwards, through the SYNTHETIC COPY path of ``pg_bulk_fill`` (checked
on a sample against the normal path). Pages are requested in-process (FastAPI TestClient, no
network). The app keeps no cache: "cold" is the first request of a fresh app, "warm" the median
of ``--repeat`` more. After building, the report tallies the database triggers kept (migration
0005; they fire for COPY too) are compared with a recount (``Archive.tally_drift``).

    .venv/bin/python benchmarks/web_scale.py --db /tmp/web100k.db        # 100 000 reports
    .venv/bin/python benchmarks/web_scale.py --postgres postgresql+psycopg://postgres@127.0.0.1:5432/test
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
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


def observations(agencies: int, reports: int, sha: str) -> Iterator[ReportObservation]:
    made = 0
    for i in range(agencies):
        agency = f"web-{i:05d}"
        for year in YEARS:
            if made == reports:
                return
            if (i + year) % 23 == 0:  # ~4 % never published: missing
                continue
            late = (i * 7 + year) % 11 == 0
            yield ReportObservation(
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
            made += 1


def build(url: str, reports: int, tmp: Path, *, bulk: bool = False) -> None:
    """Store the archive through ``Archive.store_reports`` (batches of 2 000), or with
    ``bulk`` (PostgreSQL) through the SYNTHETIC COPY path of ``pg_bulk_fill`` after checking
    on a sample that it writes what the normal path writes."""
    agencies = reports // len(YEARS) * 105 // 100 + 1  # ~4 % of agency-years stay missing
    Archive.upgrade(url)
    started = time.perf_counter()
    with Archive.open(url) as archive:
        registry(tmp / "registry.yaml", agencies)
        archive.import_registry(tmp / "registry.yaml")
        page = "合成文档（基准测试）".encode()
        sha = archive.put_document(page, "text/html")
        stream = observations(agencies, reports, sha)
        made = 0
        if bulk:
            import pg_bulk_fill

            sample = [(page, o) for _, o in zip(range(200), stream, strict=False)]
            pg_bulk_fill.verify(url, archive, sample, print)
            made += len(sample)
            writer = pg_bulk_fill.BulkWriter(url)
            try:
                while chunk := [(page, o) for _, o in zip(range(5000), stream, strict=False)]:
                    writer.write(chunk)
                    made += len(chunk)
                    print(f"\r  {made:,} reports (SYNTHETIC bulk path)", end="", flush=True)
                writer.finish()
            finally:
                writer.close()
        while batch := list(itertools.islice(stream, 2000)):
            archive.store_reports(batch)
            made += len(batch)
            print(f"\r  {made:,} reports", end="", flush=True)
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
        if bulk:
            # fresh statistics, as autovacuum would gather within a minute or so: measured
            # right after the load, PostgreSQL plans the findings queries for ~100 rows, not
            # 140 000, and a region's findings page takes 0.36 s instead of 0.04 s at 1M
            from storage.testing import execute

            execute(url, "ANALYZE")
        drift = archive.tally_drift()
        print(f"  report tallies kept by the triggers: {drift} group(s) differ from a recount")
        if drift:
            raise SystemExit("the report tallies drifted from the reports")


def time_page(client: TestClient, path: str, repeat: int) -> tuple[float, ...]:
    """(cold wall, cold CPU, warm wall, warm CPU) in ms; warm = medians of ``repeat``. CPU is
    this process's (the app runs in it; on SQLite the database too), which the other jobs on
    a shared machine do not inflate as much as wall time."""
    times = []
    for _ in range(repeat + 1):
        wall, cpu = time.perf_counter(), time.process_time()
        response = client.get(path)
        times.append((time.perf_counter() - wall, time.process_time() - cpu))
        assert response.status_code == 200, (path, response.status_code)
    warm = times[1:]
    return (
        times[0][0] * 1000,
        times[0][1] * 1000,
        statistics.median(t[0] for t in warm) * 1000,
        statistics.median(t[1] for t in warm) * 1000,
    )


PAGES = (
    "/",
    "/findings",
    "/findings?kind=missing&severity=high&page=3",
    "/findings?state=all&region=合成省/合成市07",
    "/api/overview",
    "/api/findings?open=true&limit=100",
    "/api/findings?open=true",  # the default page (100)
    "/api/findings?open=true&limit=1000",  # the largest page
    "/regions",
    "/regions/合成省/合成市07",
    "/agencies",
    "/agencies?q=web-0999&page=2",
    "/api/agencies?limit=1000",
)


def measure(url: str, repeat: int) -> None:
    with Archive.open(url) as archive:
        counts = archive.counts()
    print(f"archive: {counts}; load average {os.getloadavg()[0]:.1f}")
    # no cache in the app: "cold" is the first request of a fresh app (nothing compiled or
    # read yet), "warm" the median of the next requests (the database's own caches warm)
    app = create_app(lambda: Archive.open(url))
    print(f"{'page':44} {'cold ms':>8} {'(CPU)':>6} {'warm ms':>8} {'(CPU)':>6}")
    with TestClient(app) as client:
        for path in PAGES:
            cold, cold_cpu, warm, warm_cpu = time_page(client, path, repeat)
            flag = "" if max(cold, warm) < 300 else "  <-- over 300 ms"
            print(
                f"{path:44} {cold:8.0f} {cold_cpu:6.0f} {warm:8.0f} {warm_cpu:6.0f}{flag}",
                flush=True,
            )


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--reports", type=int, default=100_000)
    ap.add_argument("--db", type=Path, help="archive file (built when missing; default: temp)")
    ap.add_argument(
        "--postgres", metavar="URL", help="build and measure in a scratch schema (dropped after)"
    )
    ap.add_argument("--repeat", type=int, default=10)
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="gkwatch-web-scale-"))
    if args.postgres:
        from storage.testing import isolated_postgres_schema

        with isolated_postgres_schema(args.postgres) as url:
            print(f"building a synthetic archive of {args.reports:,} reports on PostgreSQL")
            build(url, args.reports, tmp, bulk=True)
            measure(url, args.repeat)
        return 0
    db = args.db or tmp / "web-scale.db"
    url = f"sqlite:///{db}"
    if not db.exists():
        print(f"building a synthetic archive of {args.reports:,} reports at {db}")
        build(url, args.reports, tmp)
    with Archive.open(url, check_schema=False) as archive:
        behind = archive.info()["revision"] != archive.info()["head"]
    if behind:  # an archive built by an earlier version of this benchmark
        print(f"upgrading {db} to the current schema")
        Archive.upgrade(url)
    measure(url, args.repeat)
    return 0


if __name__ == "__main__":
    sys.exit(main())
