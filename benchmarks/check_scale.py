"""The monitor at scale: one full check pass over an archive of SYNTHETIC reports.

Everything here is synthetic and labelled so: made-up agencies ``bench-000001`` … (合成机关),
tables that balance, figures that drift ±15 % a year around each agency's own level,
narratives drawn from a vocabulary. A small, stated share of problems is planted, one kind per
report (``PLANTED``), so that every check has work: broken identities, carry-over and in-force
breaks, prose/table mismatches, jumps, copied narratives, late publication, missing reports,
removed reports, reports changed after publication, and agencies whose portal fails.

The archive is written by ``storage.bulk`` (a SYNTHETIC bulk loader: the same rows as the
normal path, one placeholder document, no cell rows — see its docstring; its equality with
the normal path is tested in tests/storage/test_storage_facts.py). Then the pass is timed:
gather + checks (``monitor.gather.collect``), the findings sync, and a second sync with nothing
new. Usage:

    .venv/bin/python benchmarks/check_scale.py                       # SQLite, 100 000 reports
    .venv/bin/python benchmarks/check_scale.py --postgres postgresql+psycopg://postgres@127.0.0.1:5432/test
                                                # a scratch schema, 1 000 000 reports, dropped after
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from monitor import gather, setpass
from monitor.deadlines import deadline
from monitor.settings import load as load_settings
from parser import spec
from parser.record import Report, Section, Source
from storage import Agency, Archive, FetchRecord
from storage.bulk import BulkReport, load
from storage.testing import isolated_postgres_schema

YEARS = tuple(range(2015, 2025))
NOW = dt.datetime(2025, 6, 1, tzinfo=dt.UTC)
SEEN = dt.datetime(2025, 4, 20, tzinfo=dt.UTC)
#: share of reports carrying each planted problem (one problem per report at most)
PLANTED = {
    "identity": 0.002,
    "carryover": 0.002,
    "in_force": 0.002,
    "prose_mismatch": 0.002,
    "jump": 0.002,
    "copied": 0.001,
    "late": 0.005,
    "missing": 0.002,
    "removed": 0.0005,
    "changed": 0.0005,
}
FAILING_AGENCIES = 0.001  # share of agencies whose portal failed the last 3 crawls
_WORDS = (  # noqa: SIM905 - a vocabulary reads better as text
    "公开 条例 政务 申请 答复 依法 规范 平台 解读 回应 关切 决策 执行 管理 服务 结果 制度 监督 "
    "考核 培训 渠道 网站 栏目 更新 目录 指南 权责 清单 事项 办理 期限 材料 会议 文件 政策 民生 "
    "重点 领域 财政 预算 决算 采购 项目 审批 许可 处罚 强制 收费 教育 医疗 住房 就业 环境 安全 "
    "交通 水利 农业 文化 旅游 社保 养老 救助 扶贫 乡村 城市 规划 建设 土地 税务 统计 审计 应急"
).split()


def _narrative(rng: random.Random) -> tuple[Section, ...]:
    paragraphs = tuple(
        "".join(rng.choice(_WORDS) for _ in range(rng.randint(45, 70))) + "。" for _ in range(3)
    )
    return (Section("一、总体情况", paragraphs[:2]), Section("五、存在的主要问题", paragraphs[2:]))


class Agency_:
    """An agency's own level of activity, carried from year to year."""

    def __init__(self, rng: random.Random) -> None:
        self.scale = rng.lognormvariate(3.5, 1.0)  # new applications a year, ~33 median
        self.forward = dict.fromkeys(spec.APPLICATION_COLUMNS, 0)
        self.in_force = {
            "regulations": rng.randint(5, 60),
            "normative_documents": rng.randint(20, 300),
        }
        self.decisions = {
            r: rng.lognormvariate(5, 1) for r in ("licensing", "punishment", "coercion")
        }


def _record(agency_id: str, year: int, a: Agency_, rng: random.Random, plant: str | None) -> Report:
    """A balanced 2021-template record continuing the agency's previous year."""
    apps = {r: dict.fromkeys(spec.APPLICATION_COLUMNS, 0) for r in spec.APPLICATION_ROWS_2021}
    shares = (0.7, 0.2, 0.03, 0.02, 0.03, 0.02)
    boost = 4 if plant == "jump" else 1
    for col, share in zip(spec.APPLICANT_COLUMNS, shares, strict=True):
        new = round(a.scale * share * rng.uniform(0.85, 1.15) * boost) + (
            25 if boost > 1 and col == "natural_person" else 0
        )
        carried = a.forward[col]
        forward = round((new + carried) * 0.05)
        handled = new + carried - forward
        granted = round(handled * 0.6)
        partial = round(handled * 0.15)
        apps["new_received"][col], apps["carried_over"][col] = new, carried
        apps["granted"][col], apps["partially_granted"][col] = granted, partial
        apps["unable_not_held"][col] = handled - granted - partial
        apps["total"][col], apps["carried_forward"][col] = handled, forward
    for cells in apps.values():
        cells["total"] = sum(v or 0 for k, v in cells.items() if k != "total")
    if plant == "carryover":  # carried over more than last year carried forward (balanced)
        for col in ("natural_person", "total"):
            for row in ("carried_over", "granted", "total"):
                apps[row][col] = (apps[row][col] or 0) + 2
    a.forward = {c: int(apps["carried_forward"][c] or 0) for c in spec.APPLICATION_COLUMNS}
    if plant == "identity":  # broken T3.balance (and T3.rows) in the carried_forward row
        apps["carried_forward"]["total"] = (apps["carried_forward"]["total"] or 0) + 3
    active: dict[str, dict[str, int | float | None]] = {}
    for row in ("regulations", "normative_documents"):
        issued, repealed = rng.randint(0, 4), rng.randint(0, 2)
        a.in_force[row] = a.in_force[row] + issued - repealed
        active[row] = {"issued": issued, "repealed": repealed, "in_force": a.in_force[row]}
    if plant == "in_force":
        active["normative_documents"]["in_force"] = a.in_force["normative_documents"] + 15
    for row, level in a.decisions.items():
        active[row] = {"decisions": round(level * rng.uniform(0.85, 1.15))}
    active["fees"] = {"amount": 0.0}
    appeals = {}
    for group, share in zip(spec.APPEAL_GROUPS, (0.05, 0.02, 0.01), strict=True):
        n = round(a.scale * share * rng.uniform(0.8, 1.2))
        upheld = round(n * 0.7)
        appeals[group] = {
            "upheld": upheld,
            "corrected": n - upheld,
            "other": 0,
            "pending": 0,
            "total": n,
        }
    received = int(apps["new_received"]["total"] or 0)
    stated = received + 7 if plant == "prose_mismatch" else received
    lead = f"{year}年，本机关共收到政府信息公开申请{stated}件。"
    return Report(
        agency=f"合成机关{agency_id}",
        year=year,
        signed_on=dt.date(year + 1, 1, 10),
        template="2021",
        active=active,
        applications=apps,
        appeals=appeals,
        prose={"applications_received": stated},
        prose_sources={"applications_received": lead},
        title=f"合成机关{agency_id}{year}年政府信息公开工作年度报告（合成）",
        sections=(Section("", (lead,)), *_narrative(rng)),
        source=Source(format="html"),
        parser_version="bench-synthetic",
    )


def synthetic(n: int, seed: int) -> tuple[list[Agency], Iterator[BulkReport], Counter[str]]:
    n_agencies = max(1, -(-n // len(YEARS)))
    agencies = [
        Agency(
            id=f"bench-{i:06d}",
            name=f"合成机关bench-{i:06d}",
            level="county" if i % 4 else "department",
            region=f"合成省/合成市{i % 50:02d}",
            parent=None,
            portal=f"http://127.0.0.1:9/bench-{i:06d}/",
            report_lists=(),
            discovered_lists=(),
            deadline=None,
            since=YEARS[0],
        )
        for i in range(n_agencies)
    ]
    planted: Counter[str] = Counter()
    kinds = list(PLANTED)
    weights = [*PLANTED.values(), 1 - sum(PLANTED.values())]

    def reports() -> Iterator[BulkReport]:
        rng = random.Random(seed)
        made = 0
        last_of_year: dict[int, tuple[Section, ...]] = {}
        for agency in agencies:
            state = Agency_(rng)
            for year in YEARS:
                if made == n:
                    return
                made += 1
                plant = rng.choices([*kinds, None], weights)[0]
                if plant == "missing":
                    planted[plant] += 1
                    continue
                record = _record(agency.id, year, state, rng, plant)
                if plant == "copied" and year in last_of_year:
                    lead = record.sections[0]
                    record = replace(record, sections=(lead, *last_of_year[year]))
                last_of_year[year] = record.sections[1:]
                due = deadline(agency.level, year)
                published = due + dt.timedelta(
                    days=rng.randint(1, 60) if plant == "late" else -rng.randint(3, 40)
                )
                records: tuple[Report, ...] = (record,)
                if plant == "changed":
                    apps = {r: dict(c) for r, c in (record.applications or {}).items()}
                    for col in ("research", "total"):  # one request re-classified
                        apps["granted"][col] = (apps["granted"][col] or 0) + 1
                        apps["unable_not_held"][col] = (apps["unable_not_held"][col] or 0) - 1
                    records = (record, replace(record, applications=apps))
                if plant:
                    planted[plant] += 1
                yield BulkReport(
                    agency_id=agency.id,
                    year=year,
                    url=f"http://127.0.0.1:9/{agency.id}/{year}.html",
                    title=record.title,
                    published_on=published,
                    list_date=None,
                    seen_at=SEEN,
                    records=records,
                    removed_at=SEEN + dt.timedelta(days=5) if plant == "removed" else None,
                )

    return agencies, reports(), planted


def crawl_log(archive: Archive, agencies: list[Agency]) -> int:
    """Three finished crawls of the first 1 000 agencies' portals; ``FAILING_AGENCIES`` of
    all agencies answer 503 every time."""
    failing = max(1, round(len(agencies) * FAILING_AGENCIES))
    crawled = agencies[: max(1000, failing)]
    for run in range(3):
        at = NOW - dt.timedelta(days=3 - run)
        run_id = archive.start_crawl_run([a.id for a in crawled], now=at)
        for i, a in enumerate(crawled):
            status = 503 if i < failing else 200
            archive.record_fetch(FetchRecord(a.portal, a.id, at, status, crawl_run_id=run_id))
        archive.finish_crawl_run(run_id, {}, "finished", now=at)
    return failing


def run(url: str, n: int, seed: int) -> None:
    figures: dict[str, float] = {}
    Archive.upgrade(url)
    agencies, reports, planted = synthetic(n, seed)
    started = time.perf_counter()
    stored = load(url, agencies, reports, now=SEEN)
    with Archive.open(url) as archive:
        failing = crawl_log(archive, agencies)
    figures["load_s"] = time.perf_counter() - started
    print(
        f"loaded {stored:,} SYNTHETIC reports, {len(agencies):,} agencies"
        f" in {figures['load_s']:.0f} s"
    )
    print(f"planted: {dict(sorted(planted.items()))}, failing portals: {failing}")
    settings = load_settings({})
    with Archive.open(url) as archive:
        t0 = time.perf_counter()
        found = archive.check_candidates(setpass.plan(settings, NOW.date()))
        t1 = time.perf_counter()
        states = gather.collect(archive, settings, NOW)  # candidates again + the pure checks
        t2 = time.perf_counter()
        first = archive.sync_findings(settings.kinds, states, now=NOW)
        t3 = time.perf_counter()
        later = NOW + dt.timedelta(hours=1)
        states = gather.collect(archive, settings, later)
        t4 = time.perf_counter()
        second = archive.sync_findings(settings.kinds, states, now=later)
        t5 = time.perf_counter()
    candidates = t1 - t0
    figures |= {f"  sql {k}": v for k, v in found.timings.items()}
    figures |= {
        "candidate_queries_s": candidates,
        "python_checks_s": (t2 - t1) - candidates,  # collect() minus its candidate queries
        "sync_first_s": t3 - t2,
        "pass_total_s": t3 - t1,
        "second_pass_s": t4 - t3,
        "sync_second_s": t5 - t4,
    }
    print(
        f"candidates: {len(found.table)} table, {len(found.late)} late,"
        f" {len(found.absent)} absent, {len(found.removed_or_changed)} removed/changed,"
        f" {len(found.buckets)} LSH buckets, {len(found.previous_pairs)} previous-year pairs"
    )
    print(f"findings by kind: {dict(sorted(Counter(s.kind for s in states).items()))}")
    print(f"first sync: {first}; second sync (nothing new): {second}")
    for k, v in figures.items():
        print(f"  {k:26s} {v:8.2f}")
    print(f"throughput: {n / figures['pass_total_s']:,.0f} reports/s (checks + sync)")
    print(f"load average (1, 5, 15 min): {os.getloadavg()}")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--reports", type=int, help="default 100 000; 1 000 000 with --postgres")
    parser.add_argument(
        "--postgres", metavar="URL", help="PostgreSQL (a scratch schema, dropped after)"
    )
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    n = args.reports or (1_000_000 if args.postgres else 100_000)
    print(f"SYNTHETIC data: {n:,} made-up reports")
    if args.postgres:
        with isolated_postgres_schema(args.postgres) as url:
            run(url, n, args.seed)
    else:
        with tempfile.TemporaryDirectory() as tmp:
            run(f"sqlite:///{Path(tmp) / 'bench.db'}", n, args.seed)


if __name__ == "__main__":
    main()
