"""The monitor at scale: one full check pass over an archive of SYNTHETIC reports.

Everything here is synthetic and labelled so: made-up agencies ``bench-000001`` … (合成机关),
tables that balance, figures that drift ±15 % a year around each agency's own level,
narratives drawn from a vocabulary. A small, stated share of problems is planted, one kind per
report (``PLANTED``), so that every check has work: broken identities, carry-over and in-force
breaks, prose/table mismatches, jumps, copied narratives, late publication, missing reports,
removed reports, reports changed after publication, and agencies whose portal fails.

The archive is written by ``storage.bulk``, a SYNTHETIC bulk loader, with shortcuts printed
at every run (``SHORTCUTS``): one placeholder document, no cell rows, and for reports whose
identities hold and that have one version, facts/figures/signature computed here directly
(``derivation``) with a placeholder record. tests/storage/test_storage_facts.py checks the
rows against the normal path's; tests/monitor/test_facts_equivalence.py runs both check
passes on this world. Then the pass is timed stage by stage (``gather.collect``'s timings),
with the findings sync, twice. Usage:

    .venv/bin/python benchmarks/check_scale.py --reports 100000          # SQLite
    .venv/bin/python benchmarks/check_scale.py --postgres postgresql+psycopg://postgres@127.0.0.1:5432/test
                                                # a scratch schema, 1 000 000 reports, dropped after
    ... --postgres URL --keep | --reuse | --drop   # load once into a kept schema, time again, drop
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import os
import random
import sys
import tempfile
import time
import zlib
from bisect import bisect
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
from storage.bulk import BulkReport, Derivation, load, placeholder
from storage.facts import KEY_ROWS
from storage.figures import SHARE_MIN_BASE
from storage.sketch import BIN_BITS, BINS, EMPTY, SHINGLE, Signature
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


class Paragraphs:
    """A pool of SYNTHETIC narrative paragraphs with their shingle hashes and per-bin minimums,
    so that a report's narrative signature is composed (union of its paragraphs' shingles and
    the few shingles spanning their joins) instead of shingling each text again. Paragraph
    ``(3 i + j + 21 k) mod size`` goes to agency ``i``, year index ``k``: no two agencies share
    one in a year, nor an agency in consecutive years."""

    def __init__(self, size: int, rng: random.Random) -> None:
        self.texts: list[str] = []
        self.hashes: list[frozenset[int]] = []
        self.mins: list[tuple[int, ...]] = []
        words = range(len(_WORDS))
        shift = 32 - BIN_BITS
        for _ in range(size):
            norm = "".join(_WORDS[w] for w in rng.choices(words, k=rng.randint(45, 70)))
            self.texts.append(norm + "。")
            hashes = frozenset(
                zlib.crc32(norm[i : i + SHINGLE].encode()) for i in range(len(norm) - SHINGLE + 1)
            )
            mins = [EMPTY] * BINS
            for h in hashes:
                if h < mins[h >> shift]:
                    mins[h >> shift] = h
            self.hashes.append(hashes)
            self.mins.append(tuple(mins))

    def ids(self, agency: int, year_index: int) -> tuple[int, int, int]:
        base = 3 * agency + 21 * year_index
        size = len(self.texts)
        return (base % size, (base + 1) % size, (base + 2) % size)

    def sections(self, ids: tuple[int, int, int]) -> tuple[Section, Section]:
        a, b, c = (self.texts[i] for i in ids)
        return Section("一、总体情况", (a, b)), Section("五、存在的主要问题", (c,))

    def signature(self, ids: tuple[int, int, int]) -> Signature:
        """Exactly ``storage.sketch.signature`` of the three paragraphs' narrative text."""
        mins = list(map(min, self.mins[ids[0]], self.mins[ids[1]], self.mins[ids[2]]))
        joins = set()
        for left, right in ((ids[0], ids[1]), (ids[1], ids[2])):
            joint = self.texts[left][-SHINGLE:-1] + self.texts[right][: SHINGLE - 1]
            for i in range(SHINGLE - 1):
                h = zlib.crc32(joint[i : i + SHINGLE].encode())
                joins.add(h)
                b = h >> (32 - BIN_BITS)
                if h < mins[b]:
                    mins[b] = h
        count = len(self.hashes[ids[0]].union(self.hashes[ids[1]], self.hashes[ids[2]], joins))
        return Signature(count, tuple(mins))


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


Tables = tuple[
    dict[str, dict[str, int | float | None]],
    dict[str, dict[str, int | float | None]],
    dict[str, dict[str, int | float | None]],
    int,
    str,
]


def _tables(year: int, a: Agency_, rng: random.Random, plant: str | None) -> Tables:
    """The tables of a balanced 2021-template report continuing the agency's previous year:
    applications, active, appeals, the stated number received and the sentence stating it."""
    # only the rows that carry numbers; ``full_record`` adds the zero rows
    rows = (
        "new_received",
        "carried_over",
        "granted",
        "partially_granted",
        "unable_not_held",
        "total",
        "carried_forward",
    )
    apps: dict[str, dict[str, int | float | None]] = {r: {} for r in rows}
    sums = dict.fromkeys(rows, 0)
    shares = (0.7, 0.2, 0.03, 0.02, 0.03, 0.02)
    boost = 4 if plant == "jump" else 1
    uniform = rng.random
    for col, share in zip(spec.APPLICANT_COLUMNS, shares, strict=True):
        new = round(a.scale * share * (0.85 + 0.3 * uniform()) * boost) + (
            25 if boost > 1 and col == "natural_person" else 0
        )
        carried = a.forward[col]
        forward = round((new + carried) * 0.05)
        handled = new + carried - forward
        granted = round(handled * 0.6)
        partial = round(handled * 0.15)
        values = (new, carried, granted, partial, handled - granted - partial, handled, forward)
        for row, value in zip(rows, values, strict=True):
            apps[row][col] = value
            sums[row] += value
    for row in rows:
        apps[row]["total"] = sums[row]
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
        active[row] = {"decisions": round(level * (0.85 + 0.3 * uniform()))}
    active["fees"] = {"amount": 0.0}
    appeals: dict[str, dict[str, int | float | None]] = {}
    for group, share in zip(spec.APPEAL_GROUPS, (0.05, 0.02, 0.01), strict=True):
        n = round(a.scale * share * (0.8 + 0.4 * uniform()))
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
    return apps, active, appeals, stated, lead


def _title(agency_id: str, year: int) -> str:
    return f"合成机关{agency_id}{year}年政府信息公开工作年度报告（合成）"


def full_record(
    agency_id: str, year: int, tables: Tables, narrative: tuple[Section, Section]
) -> Report:
    """The whole record (what a parser would give) of a synthetic report."""
    apps, active, appeals, stated, lead = tables
    zero = dict.fromkeys(spec.APPLICATION_COLUMNS, 0)
    apps = {r: dict(apps.get(r, zero)) for r in spec.APPLICATION_ROWS_2021}
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
        title=_title(agency_id, year),
        sections=(Section("", (lead,)), *narrative),
        source=Source(format="html"),
        parser_version="bench-synthetic",
    )


_KEY_APPS = KEY_ROWS["applications"]
_KEY_ACTIVE = KEY_ROWS["active"]


def _f(value: int | float | None) -> float | None:
    return None if value is None else float(value)


def derivation(
    agency_id: str, year: int, tables: Tables, narrative: tuple[Section, Section], sig: Signature
) -> Derivation:
    """What ``storage.facts.derive`` gives for ``full_record`` of a report whose identities
    hold (every plant but ``identity``), computed directly from the numbers, with a
    SYNTHETIC placeholder record (tested equal: tests/storage/test_storage_facts.py)."""
    apps, active, appeals, stated, lead = tables
    signed = dt.date(year + 1, 1, 10)
    facts = {
        "agency": f"合成机关{agency_id}",
        "year": year,
        "signed_on": signed.isoformat(),
        "template": "2021",
        "tables": {
            "applications": {r: dict(apps[r]) for r in _KEY_APPS},
            "appeals": {g: dict(appeals[g]) for g in spec.APPEAL_GROUPS},
            "active": {r: dict(active[r]) for r in _KEY_ACTIVE},
        },
        "flags": [],
        "prose": {"applications_received": stated},
        "prose_sources": {"applications_received": lead},
        "failing": [],
        "shingle": SHINGLE,
    }
    handled = apps["total"]["total"] or 0
    regs, docs = active["regulations"], active["normative_documents"]
    figures: dict[str, object] = {
        "jump_new_applications": _f(apps["new_received"]["total"]),
        "jump_handled_total": _f(handled),
        "jump_share_granted": (
            round(100 * float(apps["granted"]["total"] or 0) / handled, 2)
            if handled >= SHARE_MIN_BASE
            else None
        ),
        "jump_review_total": _f(appeals["review"]["total"]),
        "jump_litigation_total": float(
            (appeals["litigation_direct"]["total"] or 0)
            + (appeals["litigation_after_review"]["total"] or 0)
        ),
        "jump_licensing_decisions": _f(active["licensing"]["decisions"]),
        "jump_punishment_decisions": _f(active["punishment"]["decisions"]),
        "jump_documents_issued": float((regs["issued"] or 0) + (docs["issued"] or 0)),
        "jump_fees_amount": _f(active["fees"]["amount"]),
    }
    for c in spec.APPLICATION_COLUMNS:
        figures[f"over_{c}"] = _f(apps["carried_over"][c])
        figures[f"forward_{c}"] = _f(apps["carried_forward"][c])
    for row, prefix in (("regulations", "reg"), ("normative_documents", "nd")):
        for column in ("in_force", "issued", "repealed"):
            figures[f"{prefix}_{column}"] = _f(active[row][column])
    figures |= {
        "template": "2021",
        "failing": False,
        "prose_mismatch": stated != apps["new_received"]["total"],
        "signed_on": signed,
    }
    record = placeholder(
        f"合成机关{agency_id}",
        year,
        _title(agency_id, year),
        signed,
        "2021",
        (Section("", (lead,)), *narrative),
    )
    return Derivation(record, facts, figures, sig)


SHORTCUTS = """loader shortcuts (storage.bulk, all SYNTHETIC): one placeholder document for every
  version; no cell_values rows; reports whose identities hold and that have one version are
  written from facts/figures/signature computed directly from the generated numbers (tested
  equal to storage.facts.derive) with a placeholder record (narrative only, no tables,
  parser_version SYNTHETIC-placeholder); failing-identity and changed reports are stored
  in full and derived the normal way."""


def synthetic(
    n: int, seed: int, planted_shares: dict[str, float] | None = None, *, full: bool = False
) -> tuple[list[Agency], Iterator[BulkReport], Counter[str]]:
    """The agencies and a stream of ``n`` SYNTHETIC reports (planted problems at
    ``planted_shares``, default ``PLANTED``). Reports without failing identities or later
    versions come as ``Derivation``s (placeholder record) unless ``full``: then every one is
    its whole ``Report`` (the same numbers and texts), for the normal path to store."""
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
    shares = PLANTED if planted_shares is None else planted_shares
    choices = [*shares, None]
    cumulative = list(itertools.accumulate(shares.values()))

    def reports() -> Iterator[BulkReport]:
        rng = random.Random(seed)
        pool = Paragraphs(3 * n_agencies + 1, random.Random(seed + 1))
        made = 0
        last_of_year: dict[int, tuple[int, int, int]] = {}
        for index, agency in enumerate(agencies):
            state = Agency_(rng)
            for k, year in enumerate(YEARS):
                if made == n:
                    return
                made += 1
                plant = choices[bisect(cumulative, rng.random())]
                if plant == "missing":
                    planted[plant] += 1
                    continue
                tables = _tables(year, state, rng, plant)
                ids = pool.ids(index, k)
                if plant == "copied" and year in last_of_year:
                    ids = last_of_year[year]  # the previous agency's narrative this year
                last_of_year[year] = ids
                narrative = pool.sections(ids)
                due = deadline(agency.level, year)
                published = due + dt.timedelta(
                    days=rng.randint(1, 60) if plant == "late" else -rng.randint(3, 40)
                )
                records: tuple[Report | Derivation, ...]
                if plant == "changed":  # both versions in full: the check compares them
                    record = full_record(agency.id, year, tables, narrative)
                    apps = {r: dict(c) for r, c in (record.applications or {}).items()}
                    for col in ("research", "total"):  # one request re-classified
                        apps["granted"][col] = (apps["granted"][col] or 0) + 1
                        apps["unable_not_held"][col] = (apps["unable_not_held"][col] or 0) - 1
                    records = (record, replace(record, applications=apps))
                elif plant == "identity" or full:  # failing identities: derived the normal way
                    records = (full_record(agency.id, year, tables, narrative),)
                else:
                    sig = pool.signature(ids)
                    records = (derivation(agency.id, year, tables, narrative, sig),)
                if plant:
                    planted[plant] += 1
                yield BulkReport(
                    agency_id=agency.id,
                    year=year,
                    url=f"http://127.0.0.1:9/{agency.id}/{year}.html",
                    title=_title(agency.id, year),
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
        archive.record_fetches(
            FetchRecord(a.portal, a.id, at, 503 if i < failing else 200, crawl_run_id=run_id)
            for i, a in enumerate(crawled)
        )
        archive.finish_crawl_run(run_id, {}, "finished", now=at)
    return failing


def run(url: str, n: int, seed: int, *, reuse: bool = False) -> None:
    if not reuse:
        load_archive(url, n, seed)
    else:
        print("reusing the archive loaded by an earlier --keep run (no load)")
    check(url, n)


def load_archive(url: str, n: int, seed: int) -> None:
    Archive.upgrade(url)
    agencies, reports, planted = synthetic(n, seed)
    started = time.perf_counter()
    stored = load(url, agencies, reports, now=SEEN)
    with Archive.open(url) as archive:
        failing = crawl_log(archive, agencies)
    took = time.perf_counter() - started
    print(
        f"loaded {stored:,} SYNTHETIC reports, {len(agencies):,} agencies in {took:.1f} s"
        f" ({stored / took:,.0f} reports/s, generation included)"
    )
    print(SHORTCUTS)
    print(f"planted: {dict(sorted(planted.items()))}, failing portals: {failing}")


def check(url: str, n: int) -> None:
    settings = load_settings({})
    runs: list[dict[str, float]] = [{}, {}]
    with Archive.open(url) as archive:
        t0 = time.perf_counter()
        states = gather.collect(archive, settings, NOW, runs[0])
        t1 = time.perf_counter()
        first = archive.sync_findings(settings.kinds, states, now=NOW)
        t2 = time.perf_counter()
        later = NOW + dt.timedelta(hours=1)
        again = gather.collect(archive, settings, later, runs[1])
        t3 = time.perf_counter()
        second = archive.sync_findings(settings.kinds, again, now=later)
        t4 = time.perf_counter()
        found = archive.check_candidates(setpass.plan(settings, NOW.date()))
    print(
        f"candidates: {len(found.table)} table, {len(found.late)} late,"
        f" {len(found.absent)} absent, {len(found.removed_or_changed)} removed/changed,"
        f" {len(found.buckets)} LSH buckets, {len(found.previous_pairs)} previous-year pairs"
    )
    print(f"findings by kind: {dict(sorted(Counter(s.kind for s in states).items()))}")
    print(f"first sync: {first}; second sync (nothing new): {second}")
    print(f"{'stage (seconds)':34s} {'first':>8s} {'second':>8s}")
    for name in runs[0]:
        print(f"  {name:32s} {runs[0][name]:8.2f} {runs[1].get(name, 0.0):8.2f}")
    print(f"  {'= checks (collect)':32s} {t1 - t0:8.2f} {t3 - t2:8.2f}")
    print(f"  {'findings sync':32s} {t2 - t1:8.2f} {t4 - t3:8.2f}")
    print(f"  {'= pass total (checks + sync)':32s} {t2 - t0:8.2f} {t4 - t2:8.2f}")
    print(f"throughput: {n / (t2 - t0):,.0f} reports/s (first pass, checks + sync)")
    print(f"load average (1, 5, 15 min): {tuple(round(x, 2) for x in os.getloadavg())}")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--reports", type=int, help="default 100 000; 1 000 000 with --postgres")
    parser.add_argument(
        "--postgres", metavar="URL", help="PostgreSQL (a scratch schema, dropped after)"
    )
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--keep",
        action="store_true",
        help=f"with --postgres: load into schema {KEPT} and keep it (for --reuse)",
    )
    parser.add_argument(
        "--reuse", action="store_true", help=f"with --postgres: time the pass on {KEPT} only"
    )
    parser.add_argument("--drop", action="store_true", help=f"with --postgres: drop {KEPT}")
    args = parser.parse_args()
    n = args.reports or (1_000_000 if args.postgres else 100_000)
    print(f"SYNTHETIC data: {n:,} made-up reports")
    if args.postgres and (args.keep or args.reuse or args.drop):
        url = _kept_schema(args.postgres, create=args.keep, drop=args.drop)
        if not args.drop:
            run(url, n, args.seed, reuse=args.reuse)
    elif args.postgres:
        with isolated_postgres_schema(args.postgres) as url:
            run(url, n, args.seed)
    else:
        with tempfile.TemporaryDirectory() as tmp:
            run(f"sqlite:///{Path(tmp) / 'bench.db'}", n, args.seed)


KEPT = "gk_bench_check_scale"


def _kept_schema(url: str, *, create: bool, drop: bool) -> str:
    """The URL of schema ``KEPT`` (created empty with ``create``, dropped with ``drop``)."""
    import psycopg

    base, _, query = url.partition("?")
    with psycopg.connect(
        base.replace("postgresql+psycopg://", "postgresql://"), autocommit=True
    ) as c:
        if create or drop:
            c.execute(f'DROP SCHEMA IF EXISTS "{KEPT}" CASCADE')
            print(f"dropped schema {KEPT} (if it existed)")
        if create:
            c.execute(f'CREATE SCHEMA "{KEPT}"')
    sep = "&" if query else ""
    return f"{base}?{query}{sep}options=-csearch_path%3D{KEPT}"


if __name__ == "__main__":
    main()
