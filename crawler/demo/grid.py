"""The report's tables as physical cells (HTML order, with spans), in the national template.

One grid feeds every renderer (HTML, flattened text, PDF, DOCX), so the four formats carry
exactly the same labels and numbers.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from parser import spec

Number = int | float


@dataclass(frozen=True)
class Cell:
    text: str
    rowspan: int = 1
    colspan: int = 1


Grid = tuple[tuple[Cell, ...], ...]


def fmt(value: Number, *, blank_zero: bool = False) -> str:
    """A number as a report prints it (decimals without trailing zeros)."""
    if blank_zero and value == 0:
        return ""
    if isinstance(value, float):
        text = f"{value:.4f}".rstrip("0").rstrip(".")
        return text or "0"
    return str(value)


def _head(label: str) -> tuple[Cell, ...]:
    return (Cell(label, colspan=4),)


def active_grid(template: str, active: Mapping[str, Mapping[str, Number]]) -> Grid:
    """表二 with the sub-headers of the template (2021 or 2019)."""
    a = active

    def v(row: str, col: str, span: int = 1) -> Cell:
        return Cell(fmt(a[row][col]), colspan=span)

    if template == "2021":
        cols = ("本年制发件数", "本年废止件数", "现行有效件数")
        rows: list[tuple[Cell, ...]] = [
            _head("第二十条第（一）项"),
            (Cell("信息内容"), *(Cell(c) for c in cols)),
            (Cell("规章"), *(v("regulations", c) for c in spec.ACTIVE_2021["regulations"])),
            (
                Cell("行政规范性文件"),
                *(v("normative_documents", c) for c in spec.ACTIVE_2021["normative_documents"]),
            ),
            _head("第二十条第（五）项"),
            (Cell("信息内容"), Cell("本年处理决定数量", colspan=3)),
            (Cell("行政许可"), v("licensing", "decisions", 3)),
            _head("第二十条第（六）项"),
            (Cell("信息内容"), Cell("本年处理决定数量", colspan=3)),
            (Cell("行政处罚"), v("punishment", "decisions", 3)),
            (Cell("行政强制"), v("coercion", "decisions", 3)),
            _head("第二十条第（八）项"),
            (Cell("信息内容"), Cell("本年收费金额（单位：万元）", colspan=3)),
            (Cell("行政事业性收费"), v("fees", "amount", 3)),
        ]
        return tuple(rows)
    three = ("上一年项目数量", "本年增/减", "处理决定数量")
    rows = [
        _head("第二十条第（一）项"),
        (Cell("信息内容"), Cell("本年新制作数量"), Cell("本年新公开数量"), Cell("对外公开总数量")),
        (Cell("规章"), *(v("regulations", c) for c in spec.ACTIVE_2019["regulations"])),
        (
            Cell("规范性文件"),
            *(v("normative_documents", c) for c in spec.ACTIVE_2019["normative_documents"]),
        ),
        _head("第二十条第（五）项"),
        (Cell("信息内容"), *(Cell(c) for c in three)),
        (Cell("行政许可"), *(v("licensing", c) for c in spec.ACTIVE_2019["licensing"])),
        (
            Cell("其他对外管理服务事项"),
            *(v("other_services", c) for c in spec.ACTIVE_2019["other_services"]),
        ),
        _head("第二十条第（六）项"),
        (Cell("信息内容"), *(Cell(c) for c in three)),
        (Cell("行政处罚"), *(v("punishment", c) for c in spec.ACTIVE_2019["punishment"])),
        (Cell("行政强制"), *(v("coercion", c) for c in spec.ACTIVE_2019["coercion"])),
        _head("第二十条第（八）项"),
        (Cell("信息内容"), Cell("上一年项目数量"), Cell("本年增/减", colspan=2)),
        (Cell("行政事业性收费"), v("fees", "prior_items"), v("fees", "change", 2)),
        _head("第二十条第（九）项"),
        (Cell("信息内容"), Cell("采购项目数量"), Cell("采购总金额", colspan=2)),
        (
            Cell("政府集中采购"),
            v("procurement", "items"),
            Cell(fmt(a["procurement"]["amount"]) + "万元", colspan=2),
        ),
    ]
    return tuple(rows)


_DENIED = (
    "1.属于国家秘密",
    "2.其他法律行政法规禁止公开",
    "3.危及“三安全一稳定”",
    "4.保护第三方合法权益",
    "5.属于三类内部事务信息",
    "6.属于四类过程性信息",
    "7.属于行政执法案卷",
    "8.属于行政查询事项",
)
_UNABLE = ("1.本机关不掌握相关政府信息", "2.没有现成信息需要另行制作", "3.补正后申请内容仍不明确")
_REJECTED = (
    "1.信访举报投诉类申请",
    "2.重复申请",
    "3.要求提供公开出版物",
    "4.无正当理由大量反复申请",
    "5.要求行政机关确认或重新出具已获取信息",
)
_OTHER = (
    "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
    "3.其他",
)


def _application_labels(template: str) -> list[tuple[str, tuple[Cell, ...]]]:
    """Row key and the label cells that open the row (spanning cells on their first row)."""
    results_rows = 22 if template == "2021" else 20
    out: list[tuple[str, tuple[Cell, ...]]] = [
        ("new_received", (Cell("一、本年新收政府信息公开申请数量", colspan=3),)),
        ("carried_over", (Cell("二、上年结转政府信息公开申请数量", colspan=3),)),
        (
            "granted",
            (Cell("三、本年度办理结果", rowspan=results_rows), Cell("（一）予以公开", colspan=2)),
        ),
        (
            "partially_granted",
            (Cell("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", colspan=2),),
        ),
    ]
    groups: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = (
        ("（三）不予公开", _DENIED, spec.OUTCOME_ROWS_2021[2:10]),
        ("（四）无法提供", _UNABLE, spec.OUTCOME_ROWS_2021[10:13]),
        ("（五）不予处理", _REJECTED, spec.OUTCOME_ROWS_2021[13:18]),
    )
    if template == "2021":
        groups += (("（六）其他处理", _OTHER, spec.OUTCOME_ROWS_2021[18:21]),)
    for head, labels, keys in groups:
        for i, (label, key) in enumerate(zip(labels, keys, strict=True)):
            first = (Cell(head, rowspan=len(labels)),) if i == 0 else ()
            out.append((key, (*first, Cell(label))))
    if template == "2019":
        out.append(("other_handling", (Cell("（六）其他处理", colspan=2),)))
    out.append(("total", (Cell("（七）总计", colspan=2),)))
    out.append(("carried_forward", (Cell("四、结转下年度继续办理", colspan=3),)))
    return out


def applications_grid(
    template: str,
    applications: Mapping[str, Mapping[str, Number]],
    *,
    blank_zero: bool = False,
) -> Grid:
    """表三 (10 physical columns: 3 label columns, 6 applicant columns, 总计)."""
    rows: list[tuple[Cell, ...]] = [
        (
            Cell("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", 3, 3),
            Cell("申请人情况", colspan=7),
        ),
        (Cell("自然人", rowspan=2), Cell("法人或其他组织", colspan=5), Cell("总计", rowspan=2)),
        tuple(Cell(c) for c in ("商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他")),
    ]
    for key, labels in _application_labels(template):
        values = applications[key]
        cells = tuple(
            Cell(fmt(values[c], blank_zero=blank_zero and c in spec.APPLICANT_COLUMNS[1:]))
            for c in spec.APPLICATION_COLUMNS
        )
        rows.append((*labels, *cells))
    return tuple(rows)


def appeals_grid(appeals: Mapping[str, Mapping[str, Number]]) -> Grid:
    """表四 (15 columns)."""
    five = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")
    return (
        (Cell("行政复议", colspan=5), Cell("行政诉讼", colspan=10)),
        (
            *(Cell(c, rowspan=2) for c in five),
            Cell("未经复议直接起诉", colspan=5),
            Cell("复议后起诉", colspan=5),
        ),
        tuple(Cell(c) for c in five * 2),
        tuple(Cell(fmt(appeals[g][c])) for g in spec.APPEAL_GROUPS for c in spec.APPEAL_COLUMNS),
    )


def matrix(grid: Grid) -> list[list[tuple[Cell, bool] | None]]:
    """Place the cells on a full rectangle: ``(cell, is_origin)`` per position.

    PDF and DOCX writers need every covered position to know which cell covers it.
    """
    width = sum(c.colspan for c in grid[0])
    out: list[list[tuple[Cell, bool] | None]] = [[None] * width for _ in grid]
    for r, row in enumerate(grid):
        col = 0
        for cell in row:
            while out[r][col] is not None:
                col += 1
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    out[r + dr][col + dc] = (cell, dr == 0 and dc == 0)
            col += cell.colspan
    return out
