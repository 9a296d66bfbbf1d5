"""Parser throughput: reports/s per core, next to bare ``lxml.html.fromstring`` on the same corpus.

    python benchmarks/parse_speed.py [DIR...] [--seconds 2] [--rounds 3] [--formats html,text]

Runs in one process (one core). Every measurement is the full ``parser.parse(bytes)``:
format detection, decoding, reading, normalising, tables, prose, identities, the record.
Figures are grouped by detected format; the lxml baseline and the ratio are given for the
HTML/text reports (lxml parses those bytes as HTML).

Two figures per group, because the parser caches per *label* (the same few hundred table
labels recur in every report, so a crawl runs warm):

- ``warm``: caches shared across reports, as in a crawl or a reparse;
- ``cold``: every content cache cleared before every report (the cost of a report whose
  labels were never seen in this process). Process-level set-up is kept: it is paid once
  per process, not per report — OpenCC's dictionaries, compiled patterns, and the readings
  of the templates' own printed labels and of the counts 0–999, made at import as module
  constants (``parser.template_labels``), so a first report reads those at warm speed too.

Time is the process's CPU time (``time.process_time``): reports per CPU-second is reports/s
per core, and it is far less disturbed than wall time when other processes share the
machine. Each measurement is repeated ``--rounds`` times and the median is printed, with
the load average before and after. For the ratio, lxml and the parser are timed in
alternating passes over the same corpus. Default corpus: tests/fixtures.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import lxml.html  # noqa: E402

from parser import cells, labels, parse  # noqa: E402
from parser.detect import detect_format  # noqa: E402
from parser.errors import ParserError  # noqa: E402

_EXTS = {".html", ".htm", ".shtml", ".txt", ".pdf", ".docx", ".doc", ".wps"}

#: Caches keyed by a report's content (cell texts, labels, headings) — cleared for the cold
#: figure. (``identities._refs`` is not: it holds the template's cell names, not content.)
_CONTENT_CACHES = (
    cells._read_cell,
    labels._words,
    labels._group_of,
    labels._match_label,
    labels._context_of,
)


def _clear() -> None:
    for cached in _CONTENT_CACHES:
        cached.cache_clear()


def _rate(func: Callable[[bytes], object], docs: list[bytes], seconds: float, cold: bool) -> float:
    done = 0
    start = time.process_time()
    while True:
        for data in docs:
            if cold:
                _clear()
            func(data)
        done += len(docs)
        elapsed = time.process_time() - start
        if elapsed >= seconds:
            return done / elapsed


def _paired(docs: list[bytes], seconds: float, cold: bool) -> tuple[float, float]:
    """Parser and bare lxml rates, timed in alternating passes over the corpus.

    Alternating pass by pass puts both under the same conditions (the load of a shared
    machine changes within seconds), so their ratio is steadier than two separate runs.
    """
    ours = bare = 0.0
    passes = 0
    while ours < seconds:
        start = time.process_time()
        for data in docs:
            lxml.html.fromstring(data)
        middle = time.process_time()
        for data in docs:
            if cold:
                _clear()
            _parse(data)
        ours += time.process_time() - middle
        bare += middle - start
        passes += 1
    done = passes * len(docs)
    return done / ours, done / bare


def _median_rate(
    func: Callable[[bytes], object], docs: list[bytes], seconds: float, rounds: int, cold: bool
) -> float:
    return statistics.median(_rate(func, docs, seconds, cold) for _ in range(rounds))


def _parse(data: bytes) -> None:
    with contextlib.suppress(ParserError):
        parse(data)


def main(argv: list[str] | None = None) -> int:
    args = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    args.add_argument("dirs", nargs="*", type=Path, default=[ROOT / "tests" / "fixtures"])
    args.add_argument("--seconds", type=float, default=2.0, help="CPU time per measurement")
    args.add_argument("--rounds", type=int, default=3, help="measurements per figure (median)")
    args.add_argument(
        "--formats", default="", help="comma-separated formats to time (default: all found)"
    )
    ns = args.parse_args(argv)
    wanted = {f for f in ns.formats.split(",") if f}
    groups: dict[str, list[bytes]] = defaultdict(list)
    for folder in ns.dirs:
        for path in sorted(folder.rglob("*")):
            if path.suffix.lower() in _EXTS and path.is_file():
                data = path.read_bytes()
                try:
                    fmt = detect_format(data, name=path.name)
                except ParserError:
                    continue
                if not wanted or fmt in wanted:
                    groups[fmt].append(data)
    for docs in groups.values():  # first use: imports, OpenCC dictionaries, compiled patterns
        for data in docs:
            _parse(data)
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"load average before: {load}; median of {ns.rounds} × {ns.seconds:g} s")
    print(f"{'format':<8}{'files':>6}{'warm/s':>10}{'cold/s':>10}")
    for fmt in sorted(groups):
        warm = _median_rate(_parse, groups[fmt], ns.seconds, ns.rounds, cold=False)
        cold = _median_rate(_parse, groups[fmt], ns.seconds, ns.rounds, cold=True)
        print(f"{fmt:<8}{len(groups[fmt]):>6}{warm:>10.1f}{cold:>10.1f}")
    markup = groups.get("html", []) + groups.get("text", [])
    if markup:
        warm_rates, cold_rates, bare_rates, warm_ratios, cold_ratios = [], [], [], [], []
        for _ in range(ns.rounds):
            ours, bare = _paired(markup, ns.seconds, cold=False)
            ours_cold, bare_cold = _paired(markup, ns.seconds, cold=True)
            warm_rates.append(ours)
            cold_rates.append(ours_cold)
            bare_rates.append((bare + bare_cold) / 2)
            warm_ratios.append(bare / ours)
            cold_ratios.append(bare_cold / ours_cold)
        print(
            f"HTML+text ({len(markup)} files): parser {statistics.median(warm_rates):.1f}/s warm, "
            f"{statistics.median(cold_rates):.1f}/s cold; bare lxml.html.fromstring "
            f"{statistics.median(bare_rates):.1f}/s; ratio {statistics.median(warm_ratios):.1f}x "
            f"warm, {statistics.median(cold_ratios):.1f}x cold"
        )
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"load average after: {load}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
