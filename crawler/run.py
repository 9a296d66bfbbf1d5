"""Run one crawl in this process and print a JSON summary per agency.

    python -m crawler.run --database URL [--registry FILE] [--agency ID ...] [-s NAME=VALUE ...]

Meant to be its own process: the Twisted reactor cannot be restarted, so the scheduler and
``gkwatch crawl`` spawn this module once per crawl. The JSON summary goes to stdout, logs to
stderr. Exit status: 0 when the crawl finished, 1 when it did not, 2 on bad arguments.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from typing import Any

from crawler.errors import CrawlerError, SettingError


def _setting(text: str) -> tuple[str, str]:
    name, sep, value = text.partition("=")
    if not sep or not name.strip():
        raise argparse.ArgumentTypeError(f"expected NAME=VALUE, got {text!r}")
    return name.strip(), value


def arguments(argv: Sequence[str] | None = None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(prog="python -m crawler.run", description=__doc__.split("\n")[0])
    ap.add_argument("--database", required=True, help="SQLAlchemy URL of the archive")
    ap.add_argument("--registry", help="import this registry YAML before crawling")
    ap.add_argument("--agency", action="append", default=[], help="crawl only this agency")
    ap.add_argument("--document-dir", help="store document bytes as files here")
    ap.add_argument(
        "-s",
        "--set",
        dest="settings",
        action="append",
        default=[],
        type=_setting,
        metavar="NAME=VALUE",
        help="override a Scrapy setting",
    )
    return ap.parse_args(argv)


def crawl(args: argparse.Namespace) -> dict[str, Any]:
    """Run the crawl; returns ``{"crawl_run_id", "finish_reason", "agencies": {...}}``."""
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "crawler.settings")
    from scrapy.crawler import CrawlerProcess
    from scrapy.utils.project import get_project_settings

    from crawler.spiders.reports import ReportsSpider
    from storage import Archive

    if args.registry:
        with Archive.open(args.database) as archive:
            archive.import_registry(args.registry)
    settings = get_project_settings()
    settings.set("GKWATCH_DATABASE_URL", args.database, priority="cmdline")
    if args.document_dir:
        settings.set("GKWATCH_DOCUMENT_DIR", args.document_dir, priority="cmdline")
    for name, value in args.settings:
        settings.set(name, value, priority="cmdline")
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(ReportsSpider)
    process.crawl(crawler, agencies=",".join(args.agency))
    process.start()
    stats = crawler.stats.get_stats() if crawler.stats else {}
    if "gkwatch/summary" not in stats:
        raise SettingError("crawl", "the spider did not start; see the log above")
    return {
        "crawl_run_id": stats.get("gkwatch/crawl_run_id"),
        "finish_reason": stats.get("finish_reason"),
        "agencies": stats["gkwatch/summary"],
    }


def main(argv: Sequence[str] | None = None) -> int:
    args = arguments(argv)
    try:
        summary = crawl(args)
    except (CrawlerError, ValueError, OSError) as exc:
        print(f"crawl: {exc}", file=sys.stderr)
        return 1
    json.dump(summary, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
    return 0 if summary["finish_reason"] == "finished" else 1


if __name__ == "__main__":
    sys.exit(main())
