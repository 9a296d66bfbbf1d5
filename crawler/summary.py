"""Per-agency counts of one crawl: what ``crawler.run`` prints and the crawl run keeps."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any


@dataclass
class AgencyTally:
    pages: int = 0
    not_modified: int = 0
    found: set[str] = field(default_factory=set)  # report URLs seen (stored or unchanged)
    stored: int = 0
    new: int = 0
    changed: int = 0
    missing: int = 0
    restored: int = 0  # removed reports seen again unchanged
    listed: int = 0  # report entries the agency's list pages showed
    duplicates: int = 0
    discovered: int = 0
    errors: int = 0

    def as_dict(self) -> dict[str, int]:
        return {
            "reports_found": len(self.found),
            "new": self.new,
            "changed": self.changed,
            "errors": self.errors,
            "pages": self.pages,
            "not_modified": self.not_modified,
            "missing": self.missing,
            "restored": self.restored,
            "listed": self.listed,
            "duplicates": self.duplicates,
            "discovered_lists": self.discovered,
        }


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return value.total_seconds()
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def run_stats(summary: dict[str, dict[str, int]], scrapy_stats: dict[str, Any]) -> dict[str, Any]:
    """The JSON kept with the crawl run: per-agency counts plus Scrapy's own stats."""
    scrapy = {k: _plain(v) for k, v in scrapy_stats.items() if k != "gkwatch/summary"}
    return {"agencies": summary, "scrapy": scrapy}
