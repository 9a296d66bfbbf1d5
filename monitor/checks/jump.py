"""``jump``: a key figure that changed by ≥ ratio× or ≤ 1/ratio× year over year, with an
absolute change of at least ``min_change`` (both per figure, defaults 3× and 20).

A figure with a blank cell on either side is not compared: a blank states nothing, while a
printed 0 does (0 → 25 is a jump, blank → 25 is not). Unreadable cells give no figure.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from monitor.findings import finding
from monitor.settings import JumpRule
from parser.record import Report
from storage.figures import JUMP, SHARE_MIN_BASE
from storage.types import FindingState

#: figure -> (label, its value in one report); the values are defined in ``storage.figures``
#: (stored per version, so that a check pass can compare them in SQL)
LABELS = {
    "new_applications": "本年新收申请",
    "handled_total": "办理结果总计",
    "share_granted": "予以公开占比（%）",
    "review_total": "行政复议总计",
    "litigation_total": "行政诉讼总计",
    "licensing_decisions": "行政许可处理决定",
    "punishment_decisions": "行政处罚处理决定",
    "documents_issued": "本年制发规章和规范性文件",
    "fees_amount": "行政事业性收费（万元）",
}
FIGURES: dict[str, tuple[str, Callable[[Report], float | None]]] = {
    name: (LABELS[name], compute) for name, compute in JUMP.items()
}
__all__ = ["FIGURES", "LABELS", "SHARE_MIN_BASE", "check", "figures", "is_jump"]


def figures(report: Report) -> dict[str, float]:
    """The comparable key figures of one report (figures that cannot be read are left out)."""
    out = {}
    for name, (_, compute) in FIGURES.items():
        value = compute(report)
        if value is not None:
            out[name] = value
    return out


def is_jump(previous: float, current: float, rule: JumpRule) -> bool:
    if abs(current - previous) < rule.min_change:
        return False
    return current >= previous * rule.ratio or current * rule.ratio <= previous


def check(
    agency_id: str,
    year: int,
    previous: Mapping[str, float],
    current: Mapping[str, float],
    rule_for: Callable[[str], JumpRule],
    name: str | None = None,
) -> list[FindingState]:
    out = []
    for figure, value in current.items():
        before = previous.get(figure)
        if before is None:
            continue
        rule = rule_for(figure)
        if not is_jump(before, value, rule):
            continue
        label = FIGURES[figure][0]
        ratio = None if before == 0 else round(value / before, 2)
        evidence = {
            "figure": figure,
            "label": label,
            "previous_year": year - 1,
            "previous": before,
            "current": value,
            "change": value - before,
            "ratio": ratio,
            "rule": {"ratio": rule.ratio, "min_change": rule.min_change},
        }
        summary = (
            f"{name or agency_id} {year}年度{label}为{value:g}，"
            f"{year - 1}年度为{before:g}，变化异常"
        )
        out.append(finding("jump", agency_id, year, summary, evidence, figure))
    return out
