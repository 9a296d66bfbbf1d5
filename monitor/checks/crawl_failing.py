"""``crawl_failing``: an agency's portal failing N crawls in a row, or its lists, which used to
show reports, now showing none."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from monitor.findings import finding
from monitor.inputs import CrawlAttempt
from storage.types import FindingState


def check(
    histories: Mapping[str, Sequence[CrawlAttempt]],
    *,
    failures: int = 3,
    names: Mapping[str, str] | None = None,
) -> list[FindingState]:
    """``histories``: per agency, its crawl attempts oldest first."""
    names = names or {}
    out = []
    for agency_id, attempts in sorted(histories.items()):
        if not attempts:
            continue
        name = names.get(agency_id, agency_id)
        recent = attempts[-failures:]
        if len(recent) == failures and not any(a.ok for a in recent):
            evidence = {
                "failures": failures,
                "attempts": [
                    {"run": a.run_id, "at": a.at.isoformat(), "error": a.error} for a in recent
                ],
            }
            summary = f"{name} 门户网站连续{failures}次抓取失败：{recent[-1].error or '无响应'}"
            out.append(finding("crawl_failing", agency_id, None, summary, evidence, "failures"))
        latest = attempts[-1]
        if latest.ok and latest.listed == 0:
            before = [a for a in attempts[:-1] if a.ok and a.listed]
            if before:
                evidence = {
                    "run": latest.run_id,
                    "at": latest.at.isoformat(),
                    "previously_listed": before[-1].listed,
                    "previous_run": before[-1].run_id,
                }
                summary = f"{name} 报告列表原有{before[-1].listed}篇报告，现在一篇也没有"
                out.append(
                    finding("crawl_failing", agency_id, None, summary, evidence, "empty_list")
                )
    return out
