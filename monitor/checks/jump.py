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
from storage.types import FindingState

Cell = tuple[str, str, str]


def _cells(report: Report, cells: tuple[Cell, ...]) -> float | None:
    total = 0.0
    for table, row, column in cells:
        value = report.cell(table, row, column)
        if value is None or "blank" in report.flags_of(table, row, column):
            return None
        total += value
    return total


def _sum(*cells: Cell) -> Callable[[Report], float | None]:
    return lambda report: _cells(report, cells)


#: a share of fewer requests than this swings by chance (1 of 7 is 14 points): not compared
SHARE_MIN_BASE = 20


def _share_granted(report: Report) -> float | None:
    granted = _cells(report, (("applications", "granted", "total"),))
    handled = _cells(report, (("applications", "total", "total"),))
    if granted is None or handled is None or handled < SHARE_MIN_BASE:
        return None
    return round(100 * granted / handled, 2)


def _documents_issued(report: Report) -> float | None:
    column = "issued" if report.template == "2021" else "new_made"
    return _cells(
        report,
        (("active", "regulations", column), ("active", "normative_documents", column)),
    )


def _fees(report: Report) -> float | None:
    return _cells(report, (("active", "fees", "amount"),)) if report.template == "2021" else None


FIGURES: dict[str, tuple[str, Callable[[Report], float | None]]] = {
    "new_applications": ("本年新收申请", _sum(("applications", "new_received", "total"))),
    "handled_total": ("办理结果总计", _sum(("applications", "total", "total"))),
    "share_granted": ("予以公开占比（%）", _share_granted),
    "review_total": ("行政复议总计", _sum(("appeals", "review", "total"))),
    "litigation_total": (
        "行政诉讼总计",
        _sum(
            ("appeals", "litigation_direct", "total"),
            ("appeals", "litigation_after_review", "total"),
        ),
    ),
    "licensing_decisions": ("行政许可处理决定", _sum(("active", "licensing", "decisions"))),
    "punishment_decisions": ("行政处罚处理决定", _sum(("active", "punishment", "decisions"))),
    "documents_issued": ("本年制发规章和规范性文件", _documents_issued),
    "fees_amount": ("行政事业性收费（万元）", _fees),
}


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
