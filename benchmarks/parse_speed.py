"""Parser throughput: reports/s per core, next to bare ``lxml.html.fromstring`` on the same corpus.

    python benchmarks/parse_speed.py [DIR...] [--seconds 3]

Runs in one process (one core). Figures are grouped by detected format; the lxml baseline
and the ratio are given for the HTML/text reports (lxml parses those bytes as HTML).
Default corpus: tests/fixtures (seeds, corpus, parser goldens, attachments).
"""

from __future__ import annotations

import argparse
import contextlib
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import lxml.html  # noqa: E402

from parser import parse  # noqa: E402
from parser.detect import detect_format  # noqa: E402
from parser.errors import ParserError  # noqa: E402

_EXTS = {".html", ".htm", ".shtml", ".txt", ".pdf", ".docx", ".doc", ".wps"}


def _rate(func: object, docs: list[bytes], seconds: float) -> float:
    assert callable(func)
    done = 0
    start = time.perf_counter()
    while True:
        for data in docs:
            func(data)
        done += len(docs)
        elapsed = time.perf_counter() - start
        if elapsed >= seconds:
            return done / elapsed


def _parse(data: bytes) -> None:
    with contextlib.suppress(ParserError):
        parse(data)


def main(argv: list[str] | None = None) -> int:
    args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args.add_argument("dirs", nargs="*", type=Path, default=[ROOT / "tests" / "fixtures"])
    args.add_argument("--seconds", type=float, default=2.0, help="time per measurement")
    ns = args.parse_args(argv)
    groups: dict[str, list[bytes]] = defaultdict(list)
    for folder in ns.dirs:
        for path in sorted(folder.rglob("*")):
            if path.suffix.lower() in _EXTS and path.is_file():
                data = path.read_bytes()
                try:
                    groups[detect_format(data, name=path.name)].append(data)
                except ParserError:
                    continue
    print(f"{'format':<8}{'files':>6}{'reports/s':>12}")
    for fmt in sorted(groups):
        rate = _rate(_parse, groups[fmt], ns.seconds)
        print(f"{fmt:<8}{len(groups[fmt]):>6}{rate:>12.1f}")
    markup = groups.get("html", []) + groups.get("text", [])
    if markup:
        ours = _rate(_parse, markup, ns.seconds)
        bare = _rate(lxml.html.fromstring, markup, ns.seconds)
        print(
            f"HTML+text: parser {ours:.1f} reports/s, bare lxml.html.fromstring {bare:.1f}/s, "
            f"ratio {bare / ours:.1f}x slower than lxml"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
