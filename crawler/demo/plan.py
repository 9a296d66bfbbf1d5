"""What the portal holds for a seed and a state: every report's numbers, text and dates,
with the problems planted. Pure: the same (seed, state) always gives the same plan."""

from __future__ import annotations

import datetime as dt
import random
import re
from dataclasses import dataclass, replace
from typing import Any

from crawler.demo import cast, pools
from crawler.demo.cast import AgencySpec
from crawler.demo.content import ReportContent
from crawler.demo.figures import YearFigures, series
from crawler.demo.model import DemoProblem
from crawler.demo.prose import Narrative, Voice, compose
from crawler.demo.similarity import similarity


@dataclass(frozen=True)
class Planned:
    spec: AgencySpec
    year: int
    content: ReportContent
    published_on: dt.date
    deadline: dt.date
    number: int  # document number in the URL
    removed: bool = False
    version: int = 1

    @property
    def template(self) -> str:
        return self.content.figures.template


def _rng(seed: int, *parts: object) -> random.Random:
    return random.Random(":".join(["demo", str(seed), *map(str, parts)]))


def deadline_of(spec: AgencySpec, year: int) -> dt.date:
    month, day = map(int, spec.deadline_md.split("-"))
    return dt.date(year + 1, month, day)


def _title(spec: AgencySpec, year: int, rng: random.Random) -> str:
    forms = (
        "{n}{y}年政府信息公开工作年度报告",
        "{n}{y}年度政府信息公开工作年度报告",
        "{n}关于{y}年度政府信息公开工作的年度报告",
    )
    return rng.choice(forms).format(n=spec.name, y=year)


def _voice(spec: AgencySpec) -> Voice:
    return Voice(spec.name, spec.short, spec.we, spec.area, spec.topics)


@dataclass
class _Draft:
    figures: dict[int, YearFigures]
    narratives: dict[int, Narrative]


def plan(seed: int, state: str) -> tuple[list[Planned], list[DemoProblem]]:
    """Every report on the portal (including removed ones) and the problems planted."""
    drafts: dict[str, _Draft] = {}
    problems: list[DemoProblem] = []
    out: list[Planned] = []
    for spec in cast.AGENCIES:
        years = range(spec.since, cast.YEARS.stop)
        templates = {y: spec.template(y) for y in years}
        step = {cast.JUMP[1]: 3.6} if spec.id == cast.JUMP[0] else None
        figures = series(_rng(seed, spec.id, "figures"), spec.scale, years, templates, step_up=step)
        _plant_numbers(spec, figures, state, problems)
        narratives = {
            y: compose(_rng(seed, spec.id, y, "prose"), _voice(spec), y, figures[y]) for y in years
        }
        drafts[spec.id] = _Draft(figures, narratives)
        _plant_prose(spec, drafts, seed, state, problems)
        for year in years:
            if (spec.id, year) == cast.MISSING:
                problems.append(
                    DemoProblem(
                        "missing", spec.id, year,
                        {"deadline": deadline_of(spec, year).isoformat()},
                    )
                )  # fmt: skip
                continue
            out.append(_placed(seed, spec, year, drafts[spec.id], state, problems))
    return out, problems


def _placed(
    seed: int, spec: AgencySpec, year: int, draft: _Draft, state: str, problems: list[DemoProblem]
) -> Planned:
    rng = _rng(seed, spec.id, year, "dates")
    deadline = deadline_of(spec, year)
    earliest = dt.date(year + 1, 1, 6)
    published = max(earliest, deadline - dt.timedelta(days=rng.randint(3, 25)))
    if (spec.id, year) == cast.LATE:
        published = deadline + dt.timedelta(days=47)
        problems.append(
            DemoProblem(
                "late", spec.id, year,
                {
                    "deadline": deadline.isoformat(),
                    "published_on": published.isoformat(),
                    "days_late": (published - deadline).days,
                    "evidence": ["page date", "list date", "signature date"],
                },
            )
        )  # fmt: skip
    signed = max(dt.date(year + 1, 1, 2), published - dt.timedelta(days=rng.randint(1, 6)))
    content = ReportContent(
        agency=spec.name,
        year=year,
        title=_title(spec, year, rng),
        figures=draft.figures[year],
        narrative=draft.narratives[year],
        signed_on=signed,
        blank_zero=spec.blank_zero,
    )
    removed = state == "edited" and (spec.id, year) == cast.REMOVED
    if (spec.id, year) == cast.REMOVED:
        problems.append(
            DemoProblem("removed", spec.id, year, {"status": 404}, present_in=("edited",))
        )
    version = 2 if state == "edited" and (spec.id, year) in (cast.CHANGED, cast.IDENTITY) else 1
    return Planned(
        spec, year, content, published, deadline, rng.randint(100000, 999999), removed, version
    )


def _bump(table: dict[str, dict[str, Any]], row: str, column: str, by: int) -> None:
    table[row][column] += by
    table[row]["total"] += by


def _plant_numbers(
    spec: AgencySpec, figures: dict[int, YearFigures], state: str, problems: list[DemoProblem]
) -> None:
    if spec.id == cast.IDENTITY[0]:
        apps = figures[cast.IDENTITY[1]].applications
        if state == "initial":  # apply_edits publishes the corrected table
            _bump(apps, "new_received", "natural_person", 3)  # type: ignore[arg-type]
        broken = 3 if state == "edited" else 0
        left = apps["new_received"]["total"] + apps["carried_over"]["total"] + broken
        right = apps["total"]["total"] + apps["carried_forward"]["total"]
        problems.append(
            DemoProblem(
                "identity", spec.id, cast.IDENTITY[1],
                {
                    "rule": "T3.balance",
                    "scopes": ["natural_person", "total"],
                    "left": left,
                    "right": right,
                    "fixed_by": "apply_edits",
                },
                present_in=("initial",),
            )
        )  # fmt: skip
        problems.append(
            DemoProblem(
                "changed", spec.id, cast.IDENTITY[1],
                {"cells": ["applications.new_received.natural_person",
                           "applications.new_received.total"],
                 "paragraphs": "（二）依申请公开情况 states the corrected figure",
                 "note": "the correction that resolves the identity finding"},
                present_in=("edited",),
            )
        )  # fmt: skip
    if spec.id == cast.CARRYOVER[0]:
        year = cast.CARRYOVER[1]
        apps = figures[year].applications
        for row in ("carried_over", "granted", "total"):
            _bump(apps, row, "natural_person", 2)  # type: ignore[arg-type]
        problems.append(
            DemoProblem(
                "carryover", spec.id, year,
                {
                    "scopes": ["natural_person", "total"],
                    "carried_over": apps["carried_over"]["total"],
                    "previous_carried_forward": (
                        figures[year - 1].applications["carried_forward"]["total"]
                    ),
                },
            )
        )  # fmt: skip
    if spec.id == cast.JUMP[0]:
        year = cast.JUMP[1]
        before = figures[year - 1].applications
        after = figures[year].applications
        problems.append(
            DemoProblem(
                "jump", spec.id, year,
                {
                    "figure": "applications.new_received.total",
                    "before": before["new_received"]["total"],
                    "after": after["new_received"]["total"],
                    "also": {
                        "applications.total.total": [
                            before["total"]["total"], after["total"]["total"],
                        ]
                    },
                },
            )
        )  # fmt: skip
    if spec.id == cast.CHANGED[0]:
        if state == "edited":
            apps = figures[cast.CHANGED[1]].applications
            moved = min(2, int(apps["granted"]["natural_person"]))
            _bump(apps, "granted", "natural_person", -moved)  # type: ignore[arg-type]
            _bump(apps, "partially_granted", "natural_person", moved)  # type: ignore[arg-type]
            figures[cast.CHANGED[1]].active["licensing"]["decisions"] += 3
        problems.append(
            DemoProblem(
                "changed", spec.id, cast.CHANGED[1],
                {
                    "cells": [
                        "applications.granted.natural_person", "applications.granted.total",
                        "applications.partially_granted.natural_person",
                        "applications.partially_granted.total", "active.licensing.decisions",
                    ],
                    "paragraphs": "五（二）改进措施 rewritten",
                },
                present_in=("edited",),
            )
        )  # fmt: skip


_FIGURE_PATTERNS = {
    "active_items": r"(主动公开政府信息)(\d+)(条)",
    "applications_received": r"(收到政府信息公开申请)(\d+)(件)",
    "review_total": r"(行政复议)(\d+)(件)",
    "litigation_total": r"(行政诉讼)(\d+)(件)",
}


def _restate(text: str, prose: dict[str, int]) -> str:
    for key, pattern in _FIGURE_PATTERNS.items():
        value = prose[key]
        text = re.sub(pattern, lambda m: f"{m[1]}{value}{m[3]}", text)  # noqa: B023 - used at once
    return text


def _plant_prose(
    spec: AgencySpec, drafts: dict[str, _Draft], seed: int, state: str, problems: list[DemoProblem]
) -> None:
    narratives = drafts[spec.id].narratives
    if spec.id == cast.PROSE_MISMATCH[0]:
        year = cast.PROSE_MISMATCH[1]
        n = narratives[year]
        table = n.prose["applications_received"]
        stated = table + 12
        prose = {**n.prose, "applications_received": stated}
        narratives[year] = replace(
            n, overall=tuple(_restate(p, prose) for p in n.overall), prose=prose
        )
        problems.append(
            DemoProblem(
                "prose_mismatch", spec.id, year,
                {"figure": "applications_received", "prose": stated, "table": table,
                 "cell": "applications.new_received.total"},
            )
        )  # fmt: skip
    if spec.id == cast.COPIED[0]:
        src_id, year = cast.COPIED_FROM
        src_spec = cast.agency(src_id)
        source = drafts[src_id].narratives[year]
        own = narratives[year].prose

        def swap(text: str) -> str:
            for old, new in ((src_spec.name, spec.name), (src_spec.short, spec.short),
                             (src_spec.area, spec.area), (src_spec.we, spec.we)):  # fmt: skip
                text = text.replace(old, new)
            return _restate(text, own)

        narratives[year] = Narrative(
            intro=swap(source.intro),
            overall=tuple(swap(p) for p in source.overall),
            problems=tuple(swap(p) for p in source.problems),
            other=tuple(swap(p) for p in source.other),
            prose=dict(own),
        )
        sim = similarity("".join(source.paragraphs), "".join(narratives[year].paragraphs))
        problems.append(
            DemoProblem(
                "copied", spec.id, year,
                {"other_agency_id": src_id, "other_year": year, "similarity": round(sim, 3)},
            )
        )  # fmt: skip
    if spec.id == cast.CHANGED[0] and state == "edited":
        year = cast.CHANGED[1]
        n = narratives[year]
        rng = _rng(seed, spec.id, year, "edit")
        values = {"we": spec.we, "t1": spec.topics[0], "t2": spec.topics[1], "t3": spec.topics[2],
                  "a": 4, "year": year}  # fmt: skip
        rewritten = (
            "（二）改进措施。"
            + "".join(s.format(**values) for s in rng.sample(list(pools.MEASURES), 4))
            + f"同时，{spec.we}将对{year}年度已公开数据开展复核，发现差错及时更正。"
        )
        narratives[year] = replace(n, problems=(n.problems[0], rewritten))
