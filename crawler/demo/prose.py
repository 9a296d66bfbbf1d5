"""The narrative of one report: sections 一、五、六 and the prose figures they state."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

from crawler.demo import pools
from crawler.demo.figures import YearFigures


@dataclass(frozen=True)
class Voice:
    """How an agency speaks about itself in its reports."""

    name: str
    short: str
    we: str
    area: str
    topics: tuple[str, ...]


@dataclass(frozen=True)
class Narrative:
    intro: str
    overall: tuple[str, ...]  # paragraphs of 一、总体情况
    problems: tuple[str, ...]  # paragraphs of 五
    other: tuple[str, ...]  # paragraphs of 六
    prose: dict[str, int]  # the prose figures stated (spec keys)

    @property
    def paragraphs(self) -> tuple[str, ...]:
        return (self.intro, *self.overall, *self.problems, *self.other)


def _fill(rng: random.Random, template: str, values: dict[str, object]) -> str:
    numbers = {
        "a": rng.randint(2, 18),
        "b": rng.randint(11, 260),
        "c": rng.randint(5, 90),
        "d": rng.randint(1, 9),
        "p": rng.randint(93, 100),
    }
    return template.format(**numbers, **values)


def _pick(rng: random.Random, pool: Sequence[str], k: int) -> list[str]:
    return rng.sample(list(pool), min(k, len(pool)))


def compose(rng: random.Random, voice: Voice, year: int, figures: YearFigures) -> Narrative:
    apps = figures.applications
    appeals = figures.appeals
    received = int(apps["new_received"]["total"])
    lawsuits = int(
        appeals["litigation_direct"]["total"] + appeals["litigation_after_review"]["total"]
    )
    topics = rng.sample(list(voice.topics), 3)
    values: dict[str, object] = {
        "name": voice.name,
        "short": voice.short,
        "we": voice.we,
        "area": voice.area,
        "year": year,
        "t1": topics[0],
        "t2": topics[1],
        "t3": topics[2],
        "items": figures.active_items,
        "share": round(figures.active_items * rng.uniform(0.6, 0.9)),
        "trend": rng.choice(pools.TRENDS),
        "received": received,
        "carried": int(apps["carried_over"]["total"]),
        "handled": int(apps["total"]["total"]),
        "forward": int(apps["carried_forward"]["total"]),
        "natural": int(apps["new_received"]["natural_person"]),
        "orgs": received - int(apps["new_received"]["natural_person"]),
        "reviews": int(appeals["review"]["total"]),
        "lawsuits": lawsuits,
    }

    def para(lead: str, pool: Sequence[str], k: int, first: str | None = None) -> str:
        sentences = ([first] if first else []) + _pick(rng, pool, k)
        return lead + "".join(_fill(rng, s, values) for s in sentences)

    active = para(
        "（一）主动公开情况。", pools.ACTIVE_MORE, rng.randint(3, 4), rng.choice(pools.ACTIVE)
    )
    request_first = rng.choice(pools.REQUEST) + rng.choice(pools.APPEALS)
    request = para("（二）依申请公开情况。", pools.REQUEST_MORE, rng.randint(2, 3), request_first)
    overall = (
        para("", pools.OVERALL, rng.randint(2, 3)),
        active,
        request,
        para("（三）政府信息管理情况。", pools.MANAGEMENT, rng.randint(2, 4)),
        para("（四）平台建设情况。", pools.PLATFORM, rng.randint(2, 4)),
        para("（五）监督保障情况。", pools.OVERSIGHT, rng.randint(2, 3)),
    )
    problems = (
        para("（一）存在的主要问题。", (), 0, rng.choice(pools.PROBLEMS)),
        para("（二）改进措施。", pools.MEASURES, rng.randint(3, 4)),
    )
    prose = {
        "active_items": figures.active_items,
        "applications_received": received,
        "review_total": int(appeals["review"]["total"]),
        "litigation_total": lawsuits,
    }
    return Narrative(
        intro=_fill(rng, rng.choice(pools.INTRO), values),
        overall=overall,
        problems=problems,
        other=(_fill(rng, rng.choice(pools.OTHER), values),),
        prose=prose,
    )
