"""Storage at scale: build an archive of SYNTHETIC reports and time ingest and common queries.

Every record here is synthetic (made-up agencies ``bench-00001`` …, random but balanced
table 3 numbers, template narrative); nothing is real data. Usage:

    .venv/bin/python benchmarks/storage_scale.py                      # SQLite, 20 000 reports
    .venv/bin/python benchmarks/storage_scale.py --reports 100000     # the README's figures
    .venv/bin/python benchmarks/storage_scale.py --postgres postgresql+psycopg://…/test
                                                  # PostgreSQL, 1 000 000 reports by default
    .venv/bin/python -u benchmarks/storage_scale.py --normal 10000 --postgres …
                # the README's 1 000 000: 10 000 through the normal path, the rest SYNTHETIC
                # bulk (COPY, benchmarks/pg_bulk_fill.py; checked against the normal path)

Reports are spread over agencies × 10 years (2014–2023). The first ``--single`` reports go
through the one-call-per-report API (``put_document`` + ``store_report``, one transaction each:
the crawler's path); the rest through the batch API (``put_documents`` + ``store_reports``,
``--batch`` reports per transaction: bulk imports). PostgreSQL runs in a scratch schema that is
dropped at the end.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from parser import spec
from parser.record import Report, Section, Source
from storage import Archive, FindingState, ReportObservation
from storage.testing import isolated_postgres_schema

YEARS = tuple(range(2014, 2024))
T0 = dt.datetime(2024, 3, 1, tzinfo=dt.UTC)
#: The SYNTHETIC bulk fill draws its tables from this many random table sets.
BULK_POOL = 1000


Tables = tuple[dict[str, dict[str, int | float | None]], ...]


def synthetic_tables(rng: random.Random) -> Tables:
    """Tables 2, 3 and 4 with random numbers; table 3 balances."""
    apps: dict[str, dict[str, int | float | None]] = {
        row: dict.fromkeys(spec.APPLICATION_COLUMNS, 0) for row in spec.APPLICATION_ROWS_2021
    }
    for col in spec.APPLICANT_COLUMNS[:3]:
        received, carried = rng.randint(0, 60), rng.randint(0, 5)
        granted = rng.randint(0, received)
        denied = received - granted
        forward = carried
        for row, value in (
            ("new_received", received),
            ("carried_over", carried),
            ("granted", granted),
            ("denied_state_secret", denied),
            ("total", received),
            ("carried_forward", forward),
        ):
            apps[row][col] = value
    for cells in apps.values():
        cells["total"] = sum(v or 0 for k, v in cells.items() if k != "total")
    active: dict[str, dict[str, int | float | None]] = {
        r: {c: rng.randint(0, 300) for c in cols} for r, cols in spec.ACTIVE_2021.items()
    }
    active["fees"]["amount"] = round(rng.random(), 2)
    appeals: dict[str, dict[str, int | float | None]] = {
        g: dict.fromkeys(spec.APPEAL_COLUMNS, 0) for g in spec.APPEAL_GROUPS
    }
    return active, apps, appeals


def synthetic_record(
    agency: str, year: int, rng: random.Random, tables: Tables | None = None
) -> Report:
    active, apps, appeals = tables or synthetic_tables(rng)
    received_total = apps["new_received"]["total"]
    text = f"{year}年，{agency}（合成数据）认真贯彻落实《条例》，共收到申请{received_total}件。"
    return Report(
        agency=f"合成机关{agency}",
        year=year,
        signed_on=dt.date(year + 1, 1, 15),
        template="2021",
        active=active,
        applications=apps,
        appeals=appeals,
        prose={"applications_received": apps["new_received"]["total"] or 0},
        title=f"合成机关{agency}{year}年政府信息公开工作年度报告（合成）",
        sections=(Section("一、总体情况", (text, "本报告为基准测试生成的合成数据。")),),
        source=Source(format="html"),
        parser_version="bench",
    )


def synthetic_page(record: Report, rows: str | None = None) -> bytes:
    if rows is None:
        rows = table_html(record)
    return (
        f"<html><head><title>{record.title}</title></head><body><p>{record.narrative}</p>"
        f"<table>{rows}</table><p>访问量：{random.randint(0, 10**6)}</p></body></html>"
    ).encode()


def table_html(record: Report) -> str:
    return "".join(
        f"<tr><td>{t}/{r}/{c}</td><td>{v}</td></tr>" for t, r, c, v in record.iter_cells()
    )


def registry_yaml(path: Path, agencies: list[str]) -> None:
    lines = ["agencies:"]
    for i, a in enumerate(agencies):
        lines += [
            f"  - id: {a}",
            f"    name: 合成机关{a}",
            f"    level: {'county' if i % 5 else 'city'}",
            f"    region: 合成省/合成市{i % 50:02d}",
            f"    portal: http://127.0.0.1:9/{a}/",
        ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def observations(
    agencies: list[str], n: int, seed: int, *, start: int = 0, pool: int | None = None
) -> Iterator[tuple[bytes, ReportObservation]]:
    """The ``start``-th to ``n``-th reports (years × agencies). With ``pool``, their tables
    are drawn in turn from ``pool`` random table sets instead of being drawn each time (the
    bulk fill: the cost of a report is then mostly what storing it costs)."""
    rng = random.Random(seed if pool is None else seed + 1)
    sets = [synthetic_tables(rng) for _ in range(pool or 0)]
    html: dict[int, str] = {}
    made = 0
    for year in YEARS:
        for agency in agencies:
            if made == n:
                return
            if made < start:
                made += 1
                continue
            tables = sets[made % len(sets)] if sets else None
            record = synthetic_record(agency, year, rng, tables)
            if sets:
                rows = html.get(made % len(sets)) or html.setdefault(
                    made % len(sets), table_html(record)
                )
                page = synthetic_page(record, rows)
            else:
                page = synthetic_page(record)
            obs = ReportObservation(
                agency_id=agency,
                year=year,
                url=f"http://127.0.0.1:9/{agency}/{year}.html",
                title=record.title,
                published_on=dt.date(year + 1, 1, 20),
                list_date=None,
                seen_at=T0,
                document_sha="",
                record=record,
            )
            made += 1
            yield page, obs


def timed(label: str, results: dict[str, float], fn: Callable[[], Any], repeat: int = 3) -> Any:
    best = float("inf")
    out = None
    for _ in range(repeat):
        start = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - start)
    results[label] = best
    print(f"  {label:<58} {best * 1000:9.1f} ms")
    return out


def run(
    url: str,
    n: int,
    single: int,
    batch: int,
    seed: int,
    size: Callable[[Archive], int],
    normal: int | None = None,
) -> None:
    """``normal`` (PostgreSQL only): reports stored through the normal path before the
    SYNTHETIC bulk path (``pg_bulk_fill``) fills the rest up to ``n``; None = all of them."""
    from dataclasses import replace

    n_agencies = max(1, -(-n // len(YEARS)))
    agencies = [f"bench-{i:06d}" for i in range(n_agencies)]
    Archive.upgrade(url)
    with tempfile.TemporaryDirectory() as tmp, Archive.open(url) as archive:
        reg = Path(tmp) / "registry.yaml"
        registry_yaml(reg, agencies)
        start = time.perf_counter()
        archive.import_registry(reg)
        print(f"registry: {n_agencies} agencies imported in {time.perf_counter() - start:.1f} s")
        stream = observations(agencies, n, seed)
        start, cpu = time.perf_counter(), time.process_time()
        done = 0
        for _, item in zip(range(single), stream, strict=False):
            sha = archive.put_document(item[0], "text/html")
            archive.store_report(replace(item[1], document_sha=sha))
            done += 1
        single_s, single_cpu = time.perf_counter() - start, time.process_time() - cpu
        if done:
            print(
                f"ingest, one call per report: {done} reports, {done / single_s:,.0f} reports/s "
                f"({done / single_cpu:,.0f} per CPU-s of this process)"
            )
        start, cpu = time.perf_counter(), time.process_time()
        bulk = 0
        limit = n if normal is None else normal
        while done + bulk < limit:
            chunk = [
                x for _, x in zip(range(min(batch, limit - done - bulk)), stream, strict=False)
            ]
            if not chunk:
                break
            shas = archive.put_documents((page, "text/html") for page, _ in chunk)
            archive.store_reports(
                replace(o, document_sha=s) for (_, o), s in zip(chunk, shas, strict=True)
            )
            bulk += len(chunk)
            if bulk % (batch * 50) == 0:
                rate = bulk / (time.perf_counter() - start)
                print(f"  … {done + bulk:,} reports ({rate:,.0f}/s)", flush=True)
        bulk_s, bulk_cpu = time.perf_counter() - start, time.process_time() - cpu
        if bulk:
            print(
                f"ingest, batches of {batch}: {bulk} reports, {bulk / bulk_s:,.0f} reports/s "
                f"({bulk / bulk_cpu:,.0f} per CPU-s of this process)"
            )
        total = done + bulk
        if normal is not None and total < n:
            pooled = observations(agencies, n, seed, start=total, pool=BULK_POOL)
            total += bulk_fill(url, archive, pooled, n - total)
        # Re-observing the same content (the daily crawl's common case) must not add versions.
        start = time.perf_counter()
        again = 0
        for page, obs in observations(agencies, min(total, 500), seed):
            sha = archive.put_document(page, "text/html")
            again += archive.store_report(
                replace(obs, document_sha=sha, seen_at=T0 + dt.timedelta(days=1))
            ).changed
        print(
            f"re-observe 500 unchanged reports: "
            f"{500 / (time.perf_counter() - start):,.0f} reports/s, {again} new versions"
        )
        # counted here, not with info(): that needs the schema at the tree's head revision
        counts = {
            t: archive.query(f"SELECT count(*) AS n FROM {t}")[0]["n"]
            for t in ("reports", "versions", "cell_values", "documents")
        }
        bytes_total = size(archive)
        print(
            f"archive: {counts['reports']:,} reports, {counts['versions']:,} versions, "
            f"{counts['cell_values']:,} cells, {counts['documents']:,} documents"
        )
        print(
            f"size: {bytes_total / 2**20:,.1f} MiB, "
            f"{bytes_total / total / 1024:,.1f} KiB per report"
        )
        print("queries (best of 3):")
        r: dict[str, float] = {}
        a0, y0 = agencies[len(agencies) // 2], YEARS[0]
        timed(
            "report(agency, year) + versions()",
            r,
            lambda: archive.versions(archive.report(a0, y0).id),
        )
        timed("reports(agency_id=…) (10 years)", r, lambda: archive.reports(agency_id=a0))
        timed(
            f"reports(region=…, year={y0})",
            r,
            lambda: archive.reports(region="合成省/合成市07", year=y0),
        )
        timed(
            f"cells(applications/new_received/total, years=[{y0}])",
            r,
            lambda: archive.cells(
                table="applications", row="new_received", column="total", years=[y0]
            ),
        )
        timed(
            f"SELECT … FROM t3_totals WHERE year = {y0}",
            r,
            lambda: archive.query("SELECT * FROM t3_totals WHERE year = :y", y=y0),
        )
        timed(
            "SELECT … FROM t3_totals WHERE agency_id = … (10 years)",
            r,
            lambda: archive.query("SELECT * FROM t3_totals WHERE agency_id = :a", a=a0),
        )
        timed(
            "SELECT … FROM t3_totals WHERE agency_id = … AND year = …",
            r,
            lambda: archive.query(
                "SELECT * FROM t3_totals WHERE agency_id = :a AND year = :y", a=a0, y=y0
            ),
        )
        timed(
            "cells(applications/new_received/total, agency_ids=[…]) (10 years)",
            r,
            lambda: archive.cells(
                table="applications", row="new_received", column="total", agency_ids=[a0]
            ),
        )
        timed(
            "SELECT count(*) FROM latest_versions",
            r,
            lambda: archive.query("SELECT count(*) AS n FROM latest_versions"),
            repeat=1,
        )
        timed(
            f"latest_records(years=[{y0}]) streamed, 1 000 records",
            r,
            lambda: sum(
                1 for _ in zip(range(1000), archive.latest_records(years=[y0]), strict=False)
            ),
            repeat=1,
        )
        findings = [
            FindingState(f"bench:{a}", "bench", "low", a, y0, "synthetic", {"n": 1})
            for a in agencies[:1000]
        ]
        for label in ("first run opens them", "unchanged"):
            try:
                timed(
                    f"sync_findings, 1 000 findings ({label})",
                    r,
                    lambda: archive.sync_findings(["bench"], findings, now=T0),
                    repeat=1,
                )
            except Exception as exc:  # report it and keep the figures measured so far
                print(f"  sync_findings, 1 000 findings ({label}): FAILED {type(exc).__name__}: "
                      f"{str(exc).splitlines()[0][:200]}")  # fmt: skip
                break


def bulk_fill(
    url: str, archive: Archive, stream: Iterator[tuple[bytes, ReportObservation]], count: int
) -> int:
    """Fill ``count`` more reports through the SYNTHETIC COPY path, after checking on a sample
    that it writes the rows the normal path writes. Returns the number written."""
    import pg_bulk_fill

    sample = [x for _, x in zip(range(min(200, count)), stream, strict=False)]
    pg_bulk_fill.verify(url, archive, sample, print)
    writer = pg_bulk_fill.BulkWriter(url)
    writer.suspend_cell_constraints()
    start, cpu = time.perf_counter(), time.process_time()
    written = 0
    try:
        while written < count - len(sample):
            want = min(5000, count - len(sample) - written)
            chunk = [x for _, x in zip(range(want), stream, strict=False)]
            if not chunk:
                break
            writer.write(chunk)
            written += len(chunk)
            if written % 50_000 == 0:
                rate = written / (time.perf_counter() - start)
                print(f"  … SYNTHETIC bulk {written:,} reports ({rate:,.0f}/s)", flush=True)
        wall, used = time.perf_counter() - start, time.process_time() - cpu
        print(
            f"SYNTHETIC bulk fill (COPY, not the normal path; tables from {BULK_POOL} random "
            f"sets; cell_values keys suspended): {written:,} reports in {wall:,.0f} s, "
            f"{written / wall:,.0f} reports/s ({written / used:,.0f} per CPU-s of this process)",
            flush=True,
        )
        start = time.perf_counter()
        writer.finish()
        print(
            f"cell_values primary and foreign keys added back (validated) and ANALYZE: "
            f"{time.perf_counter() - start:,.0f} s",
            flush=True,
        )
    finally:
        writer.close()
    return written + len(sample)


def sqlite_size(path: Path) -> Callable[[Archive], int]:
    def size(archive: Archive) -> int:
        archive.query("PRAGMA wal_checkpoint(TRUNCATE)")
        return sum(p.stat().st_size for p in path.parent.glob(path.name + "*"))

    return size


def pg_size(archive: Archive) -> int:
    rows = archive.query(
        "SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0) AS n FROM pg_class c "
        "JOIN pg_namespace s ON s.oid = c.relnamespace "
        "WHERE s.nspname = current_schema() AND c.relkind = 'r'"
    )
    return int(rows[0]["n"])


@contextmanager
def sqlite_url(keep: Path | None) -> Iterator[tuple[str, Path]]:
    if keep is not None:
        keep.parent.mkdir(parents=True, exist_ok=True)
        yield f"sqlite:///{keep}", keep
        return
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.db"
        yield f"sqlite:///{path}", path


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument(
        "--reports",
        type=int,
        help="number of reports (default 20 000, about 3 minutes; 1 000 000 with --postgres)",
    )
    ap.add_argument(
        "--postgres", metavar="URL", help="run on PostgreSQL (a scratch schema in that database)"
    )
    ap.add_argument(
        "--single", type=int, default=2000, help="reports stored one call at a time (default 2000)"
    )
    ap.add_argument(
        "--batch", type=int, default=500, help="reports per batch transaction (default 500)"
    )
    ap.add_argument(
        "--normal",
        type=int,
        help="PostgreSQL: store only this many reports through the normal path (to measure its "
        "rate) and fill the rest through the SYNTHETIC COPY bulk path (benchmarks/pg_bulk_fill.py)",
    )
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--keep", type=Path, help="SQLite: keep the archive at this path")
    args = ap.parse_args()
    n = args.reports or (1_000_000 if args.postgres else 20_000)
    print(
        f"storage_scale: {n:,} SYNTHETIC reports on {'PostgreSQL' if args.postgres else 'SQLite'}"
        f"; load average {os.getloadavg()[0]:.1f}"
    )
    started = time.perf_counter()
    if args.postgres:
        with isolated_postgres_schema(args.postgres) as url:
            run(url, n, args.single, args.batch, args.seed, pg_size, args.normal)
    else:
        with sqlite_url(args.keep) as (url, path):
            run(url, n, args.single, args.batch, args.seed, sqlite_size(path))
    print(
        f"total wall time {time.perf_counter() - started:.0f} s, "
        f"CPU {time.process_time():.0f} s; load average {os.getloadavg()[0]:.1f}"
    )


if __name__ == "__main__":
    main()
