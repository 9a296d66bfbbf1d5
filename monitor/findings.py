"""Building findings: stable keys and the severity of every kind.

Severity (documented in the README): a report that is absent, wrong by its own arithmetic,
gone, or copied is ``high``; timing, plausibility and later edits are ``medium``; the soft
in-force identity and reminders are ``low``.
"""

from __future__ import annotations

from typing import Any

from storage.types import FindingState

SEVERITY: dict[str, str] = {
    "identity": "high",
    "missing": "high",
    "removed": "high",
    "copied": "high",
    "late": "medium",
    "jump": "medium",
    "carryover": "medium",
    "prose_mismatch": "medium",
    "changed": "medium",
    "crawl_failing": "medium",
    "in_force": "low",
    "due": "low",
}


def key(kind: str, agency_id: str, year: int | None = None, *detail: object) -> str:
    """``kind:agency[:year][:detail…]`` — the same problem always gets the same key."""
    parts = [kind, agency_id]
    if year is not None:
        parts.append(str(year))
    parts.extend(str(d) for d in detail)
    return ":".join(parts)


def finding(
    kind: str,
    agency_id: str,
    year: int | None,
    summary: str,
    evidence: dict[str, Any],
    *detail: object,
) -> FindingState:
    return FindingState(
        key=key(kind, agency_id, year, *detail),
        kind=kind,
        severity=SEVERITY[kind],
        agency_id=agency_id,
        year=year,
        summary=summary,
        evidence=evidence,
    )
