"""Crawl speed: pages per second crawling the demo portal on 127.0.0.1, politeness off,
next to ``scrapy bench`` run in the same invocation.

    .venv/bin/python benchmarks/crawl_speed.py [--seconds 5] [--rounds 3]

The gkwatch figure includes everything a real crawl does per page: robots.txt, conditional-
request look-ups, encoding detection, parsing every report (HTML, PDF, DOCX) and storing
documents, fetches, reports and versions in a SQLite archive; every round crawls the same
freshly built portal into a fresh archive. The rate is Scrapy's own count of responses over
the crawl's elapsed time (process start-up excluded, for both). Each round runs the gkwatch
crawl and then ``scrapy bench``, so both see the same machine load; the ratio is of the
medians. Target: at least half of ``scrapy bench``'s rate.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from crawler.demo import build_site, serve, write_registry  # noqa: E402
from storage import Archive  # noqa: E402

#: Politeness off (the server is ours and local). robots.txt stays obeyed: the same pages as
#: a real crawl, no more.
POLITENESS_OFF = (
    "AUTOTHROTTLE_ENABLED=False",
    "DOWNLOAD_DELAY=0",
    "CONCURRENT_REQUESTS=32",
    "CONCURRENT_REQUESTS_PER_DOMAIN=32",
    "LOG_LEVEL=WARNING",
)


def tuning() -> tuple[str, ...]:
    """One parse process per core the crawl process itself does not need (at least one)."""
    return (f"GKWATCH_PARSE_PROCESSES={max(1, (os.cpu_count() or 2) - 1)}",)


def gkwatch_rate(work: Path) -> tuple[int, float]:
    """(pages, seconds) of one full crawl of a fresh demo portal into a fresh archive."""
    out = work / "demo"
    manifest = build_site(out, seed=0)
    database = f"sqlite:///{work / 'bench.db'}"
    Archive.upgrade(database)
    with serve(out) as server:
        write_registry(out, manifest, server.url)
        command = [sys.executable, "-m", "crawler.run", "--database", database,
                   "--registry", str(out / "registry.yaml")]  # fmt: skip
        for setting in (*POLITENESS_OFF, *tuning()):
            command += ["-s", setting]
        subprocess.run(command, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    with Archive.open(database) as archive:
        stats = archive.crawl_runs(limit=1)[0].stats["scrapy"]
    return int(stats["response_received_count"]), float(stats["elapsed_time_seconds"])


def bench_rate(seconds: float) -> tuple[int, float]:
    """(pages, seconds) of ``scrapy bench`` running for ``seconds``."""
    proc = subprocess.run(
        [sys.executable, "-m", "scrapy", "bench", "-s", f"CLOSESPIDER_TIMEOUT={seconds}"],
        cwd=tempfile.gettempdir(),  # outside the project: bench's own settings only
        capture_output=True,
        text=True,
        check=True,
        env={k: v for k, v in os.environ.items() if k != "SCRAPY_SETTINGS_MODULE"},
    )
    pages = re.search(r"'response_received_count': (\d+)", proc.stderr)
    elapsed = re.search(r"'elapsed_time_seconds': ([\d.]+)", proc.stderr)
    if not pages or not elapsed:
        raise SystemExit(f"could not read scrapy bench's stats:\n{proc.stderr[-2000:]}")
    return int(pages.group(1)), float(elapsed.group(1))


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seconds", type=float, default=5.0, help="how long scrapy bench runs")
    ap.add_argument("--rounds", type=int, default=3, help="rounds of (gkwatch crawl, bench)")
    args = ap.parse_args()
    print(f"{os.cpu_count()} CPUs; load average (1, 5, 15 min) at start: {_load()}")
    print("gkwatch settings:", " ".join((*POLITENESS_OFF, *tuning())))
    ours: list[float] = []
    theirs: list[float] = []
    for n in range(1, args.rounds + 1):
        with tempfile.TemporaryDirectory(prefix="gkwatch-bench-") as tmp:
            pages, elapsed = gkwatch_rate(Path(tmp))
        bench_pages, bench_elapsed = bench_rate(args.seconds)
        ours.append(pages / elapsed)
        theirs.append(bench_pages / bench_elapsed)
        print(f"round {n}: gkwatch {pages} pages in {elapsed:.2f} s = {ours[-1]:.1f} pages/s; "
              f"scrapy bench {bench_pages} pages in {bench_elapsed:.2f} s = "
              f"{theirs[-1]:.1f} pages/s; load {_load()}")  # fmt: skip
    mine, bench = statistics.median(ours), statistics.median(theirs)
    print(f"gkwatch crawl (demo portal, parse + store), median: {mine:.1f} pages/s")
    print(f"scrapy bench, median:                           {bench:.1f} pages/s")
    ratio = mine / bench
    print(f"ratio: {ratio:.2f} (target >= 0.50) {'OK' if ratio >= 0.5 else 'BELOW TARGET'}")
    print(f"load average at end: {_load()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
