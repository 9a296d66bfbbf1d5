from __future__ import annotations

import datetime as dt

from monitor.checks import crawl_failing
from monitor.inputs import CrawlAttempt


def _a(run: int, ok: bool, listed: int | None = None) -> CrawlAttempt:
    at = dt.datetime(2024, 2, run, tzinfo=dt.UTC)
    return CrawlAttempt(run, at, ok, None if ok else "timeout", listed)


def test_n_failures_in_a_row() -> None:
    assert crawl_failing.check({"x": [_a(1, True), _a(2, False), _a(3, False)]}) == []
    [f] = crawl_failing.check({"x": [_a(1, True), _a(2, False), _a(3, False), _a(4, False)]})
    assert (f.key, f.severity, f.year) == ("crawl_failing:x:failures", "medium", None)
    assert [a["run"] for a in f.evidence["attempts"]] == [2, 3, 4]
    assert crawl_failing.check({"x": [_a(1, False), _a(2, False)]}, failures=2) != []


def test_list_that_used_to_show_reports_now_empty() -> None:
    [f] = crawl_failing.check({"x": [_a(1, True, 5), _a(2, True, 0)]})
    assert f.key == "crawl_failing:x:empty_list"
    assert f.evidence["previously_listed"] == 5
    # never showed any, or unknown counts: nothing to say
    assert crawl_failing.check({"x": [_a(1, True, 0), _a(2, True, 0)]}) == []
    assert crawl_failing.check({"x": [_a(1, True), _a(2, True)]}) == []
