"""Hand-made records for the monitor tests: consistent tables unless a test breaks them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from parser import spec
from parser.record import CellFlag, Report, Section


def applications(
    new: int = 10, carried: int = 2, granted: int = 8, forward: int = 4, template: str = "2021"
) -> dict[str, dict[str, float | None]]:
    """Natural persons only, every other applicant column 0; the identities hold when
    new + carried == granted + forward."""
    table: dict[str, dict[str, float | None]] = {}
    for row in spec.application_rows(template):
        table[row] = {c: 0 for c in spec.APPLICATION_COLUMNS}
    for row, value in (
        ("new_received", new),
        ("carried_over", carried),
        ("granted", granted),
        ("total", granted),
        ("carried_forward", forward),
    ):
        table[row]["natural_person"] = value
        table[row]["total"] = value
    return table


def appeals(review: tuple[int, int, int, int] = (1, 0, 0, 0)) -> dict[str, dict[str, float | None]]:
    table: dict[str, dict[str, float | None]] = {}
    for group in spec.APPEAL_GROUPS:
        table[group] = {"upheld": 0, "corrected": 0, "other": 0, "pending": 0, "total": 0}
    up, corr, oth, pend = review
    table["review"] = {
        "upheld": up,
        "corrected": corr,
        "other": oth,
        "pending": pend,
        "total": up + corr + oth + pend,
    }
    return table


def active(
    issued: int = 2, repealed: int = 1, in_force: int = 10, licensing: int = 50, fees: float = 0
) -> dict[str, dict[str, float | None]]:
    return {
        "regulations": {"issued": 0, "repealed": 0, "in_force": 0},
        "normative_documents": {"issued": issued, "repealed": repealed, "in_force": in_force},
        "licensing": {"decisions": licensing},
        "punishment": {"decisions": 5},
        "coercion": {"decisions": 0},
        "fees": {"amount": fees},
    }


def report(
    agency: str = "某某县发展和改革局",
    year: int = 2023,
    *,
    template: str = "2021",
    apps: dict[str, dict[str, float | None]] | None = None,
    appeal: dict[str, dict[str, float | None]] | None = None,
    act: dict[str, dict[str, float | None]] | None = None,
    prose: dict[str, float] | None = None,
    blank: tuple[tuple[str, str, str], ...] = (),
    paragraphs: tuple[str, ...] = ("本机关认真贯彻落实条例。",),
    signed_on: dt.date | None = None,
) -> Report:
    extra: dict[str, Any] = {}
    return Report(
        agency=agency,
        year=year,
        signed_on=signed_on,
        template=template,
        active=act if act is not None else active(),
        applications=apps if apps is not None else applications(template=template),
        appeals=appeal if appeal is not None else appeals(),
        prose=prose or {},
        prose_sources={k: f"…{v}…" for k, v in (prose or {}).items()},
        cell_flags=tuple(CellFlag(t, r, c, "blank") for t, r, c in blank),
        sections=(Section("一、总体情况", paragraphs),),
        **extra,
    )
