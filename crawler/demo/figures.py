"""The numbers of one agency's reports over the years, consistent by construction.

Every identity of the spec holds in what ``series`` returns (T3.balance, T3.rows,
T3.results, T4.groups, X.carry, X.in_force), and figures move smoothly from year to year
(a factor within 0.85–1.2), so a clean agency never shows a jump. Problems are planted
afterwards by ``planting``.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass

from parser import spec

Number = int | float
Table = dict[str, dict[str, Number]]

#: Share of each applicant column among new applications.
_APPLICANT_WEIGHTS = (0.74, 0.12, 0.01, 0.02, 0.05, 0.06)
#: Share of each outcome among handled applications (2021 rows).
_OUTCOME_WEIGHTS = (
    0.42, 0.13, 0.0, 0.01, 0.005, 0.02, 0.02, 0.03, 0.01, 0.02,
    0.17, 0.03, 0.02, 0.03, 0.02, 0.005, 0.01, 0.01, 0.02, 0.003, 0.03,
)  # fmt: skip


@dataclass(frozen=True)
class Scale:
    """How big an agency is: mean yearly figures before noise."""

    applications: int
    reviews: int
    lawsuits: int
    licensing: int
    punishment: int
    documents: int
    regulations: bool
    fees: float
    items: int  # information items published (prose figure)


@dataclass(frozen=True)
class YearFigures:
    template: str
    active: Table
    applications: Table
    appeals: Table
    active_items: int


def _split(rng: random.Random, total: int, weights: tuple[float, ...]) -> list[int]:
    counts = Counter(rng.choices(range(len(weights)), weights=weights, k=total))
    return [counts.get(i, 0) for i in range(len(weights))]


def _applications(
    rng: random.Random, new_total: int, carried_over: dict[str, int], template: str
) -> Table:
    new = dict(zip(spec.APPLICANT_COLUMNS, _split(rng, new_total, _APPLICANT_WEIGHTS), strict=True))
    table: dict[str, dict[str, Number]] = {"new_received": dict(new), "carried_over": {}}
    outcomes: dict[str, dict[str, Number]] = {r: {} for r in spec.OUTCOME_ROWS_2021}
    forward: dict[str, Number] = {}
    for c in spec.APPLICANT_COLUMNS:
        table["carried_over"][c] = carried_over.get(c, 0)
        available = new[c] + carried_over.get(c, 0)
        forward[c] = int(available * rng.uniform(0.0, 0.1)) if available >= 5 else 0
        shares = _split(rng, int(available - forward[c]), _OUTCOME_WEIGHTS)
        for row, n in zip(spec.OUTCOME_ROWS_2021, shares, strict=True):
            outcomes[row][c] = n
    if template == "2019":
        merged = {
            c: sum(outcomes[r][c] for r in spec.OUTCOME_ROWS_2021[18:])
            for c in spec.APPLICANT_COLUMNS
        }
        for r in spec.OUTCOME_ROWS_2021[18:]:
            del outcomes[r]
        outcomes["other_handling"] = dict(merged)
    table.update(outcomes)
    table["total"] = {
        c: sum(outcomes[r][c] for r in spec.outcome_rows(template)) for c in spec.APPLICANT_COLUMNS
    }
    table["carried_forward"] = forward
    ordered = {r: table[r] for r in spec.application_rows(template)}
    return {r: {**cols, "total": sum(cols.values())} for r, cols in ordered.items()}


def _appeals(rng: random.Random, totals: tuple[int, int, int]) -> Table:
    out: Table = {}
    for group, total in zip(spec.APPEAL_GROUPS, totals, strict=True):
        parts = _split(rng, total, (0.6, 0.1, 0.15, 0.15))
        row: dict[str, Number] = dict(zip(spec.APPEAL_COLUMNS[:4], parts, strict=True))
        out[group] = row | {"total": total}
    return out


def _around(rng: random.Random, value: float) -> float:
    return value * rng.uniform(0.85, 1.2)


def series(
    rng: random.Random,
    scale: Scale,
    years: range,
    templates: dict[int, str],
    *,
    step_up: dict[int, float] | None = None,
) -> dict[int, YearFigures]:
    """Figures for every year in ``years``; ``step_up[y]`` multiplies applications from y on."""
    level = {
        "apps": float(scale.applications),
        "lic": float(scale.licensing),
        "pun": float(scale.punishment),
        "docs": float(scale.documents),
        "fees": scale.fees,
        "items": float(scale.items),
    }
    in_force = {"regulations": rng.randint(20, 60) if scale.regulations else 0}
    in_force["normative_documents"] = rng.randint(30, 90) + scale.documents * 6
    forward: dict[str, int] = {c: rng.randint(0, 2) for c in ("natural_person", "commercial")}
    out: dict[int, YearFigures] = {}
    for year in years:
        for key in level:
            level[key] = _around(rng, level[key])
        if step_up and year in step_up:
            level["apps"] *= step_up[year]
        template = templates[year]
        apps = _applications(rng, max(0, round(level["apps"])), forward, template)
        forward = {c: int(apps["carried_forward"][c]) for c in spec.APPLICANT_COLUMNS}
        reviews = max(0, round(scale.reviews * rng.uniform(0.6, 1.4)))
        direct = max(0, round(scale.lawsuits * rng.uniform(0.5, 1.5)))
        after = max(0, min(reviews, round(scale.lawsuits * rng.uniform(0.0, 0.6))))
        appeals = _appeals(rng, (reviews, direct, after))
        active = _active(rng, template, level, in_force, scale)
        out[year] = YearFigures(template, active, apps, appeals, round(level["items"]))
    return out


def _active(
    rng: random.Random,
    template: str,
    level: dict[str, float],
    in_force: dict[str, int],
    scale: Scale,
) -> Table:
    docs = max(0, round(level["docs"]))
    regs_issued = rng.randint(1, 3) if scale.regulations else 0
    regs_repealed = rng.randint(0, 1) if scale.regulations else 0
    docs_repealed = rng.randint(0, max(0, docs // 3))
    in_force["regulations"] += regs_issued - regs_repealed
    in_force["normative_documents"] += docs - docs_repealed
    licensing = max(0, round(level["lic"]))
    punishment = max(0, round(level["pun"]))
    coercion = round(punishment * rng.uniform(0.0, 0.08))
    fees = round(level["fees"], 2) if level["fees"] >= 0.01 else 0
    if template == "2021":
        return {
            "regulations": {
                "issued": regs_issued,
                "repealed": regs_repealed,
                "in_force": in_force["regulations"],
            },
            "normative_documents": {
                "issued": docs,
                "repealed": docs_repealed,
                "in_force": in_force["normative_documents"],
            },
            "licensing": {"decisions": licensing},
            "punishment": {"decisions": punishment},
            "coercion": {"decisions": coercion},
            "fees": {"amount": fees},
        }

    def items(decisions: int) -> dict[str, Number]:
        prior = max(0, decisions // 9 + rng.randint(0, 6)) if decisions else 0
        change = rng.randint(-2, 3) if prior else 0
        return {"prior_items": prior, "change": change, "decisions": decisions}

    return {
        "regulations": {
            "new_made": regs_issued,
            "new_published": regs_issued,
            "total_published": in_force["regulations"],
        },
        "normative_documents": {
            "new_made": docs,
            "new_published": docs,
            "total_published": in_force["normative_documents"],
        },
        "licensing": items(licensing),
        "other_services": items(round(licensing * rng.uniform(0.1, 0.4))),
        "punishment": items(punishment),
        "coercion": items(coercion),
        "fees": {"prior_items": rng.randint(0, 4), "change": 0},
        "procurement": {"items": rng.randint(2, 30), "amount": round(rng.uniform(20, 900), 2)},
    }
