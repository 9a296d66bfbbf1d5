"""The monitor at scale: one full check pass over an archive of SYNTHETIC reports.

Everything here is synthetic and labelled so: made-up agencies ``bench-000001`` …, random
balanced tables, narratives drawn at random from a small vocabulary; a known share of
problems is planted (broken identities, copied narratives, jumps) so the pass has work to do.
Usage:

    .venv/bin/python benchmarks/check_scale.py                       # SQLite, 100 000 reports
    .venv/bin/python benchmarks/check_scale.py --reports 20000
    .venv/bin/python benchmarks/check_scale.py --postgres postgresql+psycopg://…/test
                                                # PostgreSQL, 1 000 000 reports by default

The archive is built with storage's batch API (not timed as part of the pass); the pass is
``monitor.run_checks`` — the streaming gather, every check, and the findings sync — timed
whole and by stage.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import storage_scale as base

from gkwatch.config import Config
from monitor import gather
from monitor.settings import load
from parser.record import Report, Section
from storage import Archive
from storage.testing import isolated_postgres_schema

_WORDS = [
    "公开",
    "条例",
    "政务",
    "申请",
    "答复",
    "依法",
    "规范",
    "平台",
    "解读",
    "回应",
    "关切",
    "决策",
    "执行",
    "管理",
    "服务",
    "结果",
    "制度",
    "监督",
    "考核",
    "培训",
    "渠道",
    "网站",
    "栏目",
    "更新",
    "目录",
    "指南",
    "权责",
    "清单",
    "事项",
    "办理",
    "期限",
    "材料",
    "会议",
    "文件",
    "政策",
    "民生",
    "重点",
    "领域",
    "财政",
    "预算",
    "决算",
    "采购",
    "项目",
    "审批",
    "许可",
    "处罚",
    "强制",
    "收费",
]
PLANT_EVERY = 997  # about 0.1 % of reports carry each planted problem


def narrative(rng: random.Random) -> tuple[Section, ...]:
    paragraphs = tuple(
        "".join(rng.choice(_WORDS) for _ in range(rng.randint(40, 60))) + "。" for _ in range(3)
    )
    return (Section("一、总体情况", paragraphs[:2]), Section("五、存在的主要问题", paragraphs[2:]))


def synthetic(
    agency: str,
    year: int,
    rng: random.Random,
    index: int,
    copy_of: Report | None,
    previous: Report | None,
) -> Report:
    """A report consistent with itself and with the agency's previous year (carry-over,
    in-force counts, figures within ±30 %), unless a problem is planted in it."""
    record = base.synthetic_record(agency, year, rng)
    apps = {r: dict(c) for r, c in (record.applications or {}).items()}
    if previous is not None and previous.applications:
        for col, forward in previous.applications["carried_forward"].items():
            delta = (forward or 0) - (apps["carried_over"][col] or 0)
            for row in ("carried_over", "carried_forward"):  # keeps T3.balance
                apps[row][col] = (apps[row][col] or 0) + delta
    active = {r: dict(c) for r, c in (record.active or {}).items()}
    for row in ("regulations", "normative_documents"):
        prior = previous.active[row]["in_force"] if previous and previous.active else 100
        active[row]["in_force"] = (
            (prior or 0) + (active[row]["issued"] or 0) - (active[row]["repealed"] or 0)
        )
    for row in ("licensing", "punishment", "coercion"):
        prior = previous.active[row]["decisions"] if previous and previous.active else 150
        active[row]["decisions"] = round((prior or 0) * rng.uniform(0.8, 1.2))
    for row in ("regulations", "normative_documents"):
        active[row]["issued"] = 0 if previous is None else active[row]["issued"]
    sections = copy_of.sections if copy_of is not None else narrative(rng)
    if index % PLANT_EVERY == 1:  # a broken T3.balance
        apps["carried_forward"]["total"] = (apps["carried_forward"]["total"] or 0) + 3
    return replace(record, applications=apps, active=active, sections=sections)


def build(url: str, n: int, batch: int, seed: int) -> None:
    years = base.YEARS
    n_agencies = max(1, -(-n // len(years)))
    agencies = [f"bench-{i:06d}" for i in range(n_agencies)]
    Archive.upgrade(url)
    rng = random.Random(seed)
    with tempfile.TemporaryDirectory() as tmp, Archive.open(url) as archive:
        reg = Path(tmp) / "registry.yaml"
        base.registry_yaml(reg, agencies)
        archive.import_registry(reg)
        started = time.perf_counter()
        made = 0
        chunk: list[tuple[bytes, object]] = []
        last: Report | None = None
        prior: dict[str, Report] = {}
        for year in years:
            for agency in agencies:
                if made == n:
                    break
                copy_of = last if made % PLANT_EVERY == 2 else None
                record = synthetic(agency, year, rng, made, copy_of, prior.get(agency))
                last = prior[agency] = record
                obs = base.ReportObservation(
                    agency_id=agency,
                    year=year,
                    url=f"http://127.0.0.1:9/{agency}/{year}.html",
                    title=record.title,
                    published_on=dt.date(year + 1, 1, 20),
                    list_date=None,
                    seen_at=base.T0,
                    document_sha="",
                    record=record,
                )
                chunk.append((base.synthetic_page(record), obs))
                made += 1
                if len(chunk) == batch:
                    _flush(archive, chunk)
                    chunk = []
        if chunk:
            _flush(archive, chunk)
        took = time.perf_counter() - started
        print(f"built {made:,} synthetic reports ({n_agencies:,} agencies) in {took:.0f} s")


def _flush(archive: Archive, chunk: list[tuple[bytes, object]]) -> None:
    shas = archive.put_documents((page, "text/html") for page, _ in chunk)
    archive.store_reports(replace(o, document_sha=s) for (_, o), s in zip(chunk, shas, strict=True))  # type: ignore[type-var]


def check_pass(url: str) -> dict[str, float]:
    config = Config(database_url=url)
    settings = load({})
    now = dt.datetime(2025, 6, 1, tzinfo=dt.UTC)
    with Archive.open(url) as archive:
        started = time.perf_counter()
        states = gather.collect(archive, settings, now)
        gathered = time.perf_counter()
        result = archive.sync_findings(settings.kinds, states, now=now)
        synced = time.perf_counter()
        again = archive.sync_findings(settings.kinds, states, now=now)
        resynced = time.perf_counter()
    kinds: dict[str, int] = {}
    for s in states:
        kinds[s.kind] = kinds.get(s.kind, 0) + 1
    print(f"findings by kind: {dict(sorted(kinds.items()))}")
    print(
        f"sync: opened {result.opened}, updated {result.updated}, resolved {result.resolved}; "
        f"second sync opened {again.opened}"
    )
    del config
    return {
        "gather_and_checks_s": gathered - started,
        "sync_s": synced - gathered,
        "resync_s": resynced - synced,
        "total_s": synced - started,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--reports", type=int, help="synthetic reports (default 100 000; 1 000 000 with --postgres)"
    )
    parser.add_argument("--postgres", metavar="URL", help="run on PostgreSQL (a scratch schema)")
    parser.add_argument(
        "--sqlite", metavar="FILE", help="keep the SQLite archive in FILE (reused when it exists)"
    )
    parser.add_argument("--batch", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    n = args.reports or (1_000_000 if args.postgres else 100_000)
    print(f"SYNTHETIC data: {n:,} made-up reports")
    if args.postgres:
        with isolated_postgres_schema(args.postgres) as url:
            build(url, n, args.batch, args.seed)
            figures = check_pass(url)
    else:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(args.sqlite) if args.sqlite else Path(tmp) / "bench.db"
            url = f"sqlite:///{path}"
            if not path.exists():
                build(url, n, args.batch, args.seed)
            figures = check_pass(url)
    backend = "PostgreSQL" if args.postgres else "SQLite"
    print(f"{backend}, {n:,} reports: " + ", ".join(f"{k} {v:.1f}" for k, v in figures.items()))
    print(f"throughput: {n / figures['total_s']:,.0f} reports/s")


if __name__ == "__main__":
    main()
