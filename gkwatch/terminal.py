"""A report and its version diffs drawn in the terminal with rich."""

from __future__ import annotations

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table as RichTable
from rich.text import Text

from gkwatch import labels, render
from gkwatch.diff import VersionDiff
from gkwatch.output import STATUS_STYLE
from gkwatch.queries import ReportView


def _metadata(view: ReportView) -> RichTable:
    record, info, t = view.record, view.info, view.timeliness
    grid = RichTable.grid(padding=(0, 2))
    grid.add_column(style="bold")
    grid.add_column()
    rows = [
        ("机关", f"{view.agency.name}（{view.agency.id}）"),
        ("地区 / 层级", f"{view.agency.region} / {labels.LEVELS.get(view.agency.level, '')}"),
        ("年度", str(info.year)),
        ("标题", info.title or record.title or ""),
        ("格式", labels.TEMPLATES.get(record.template, record.template)),
        ("落款日期", str(record.signed_on or "未注明")),
        ("发布日期", str(info.published_on or info.list_date or "未知")),
        ("截止日期", str(t.due)),
        ("首次发现", info.first_seen.strftime("%Y-%m-%d %H:%M")),
        ("网址", info.url),
        ("状态", "已删除" if info.status == "removed" else "在线"),
    ]
    for key, value in rows:
        grid.add_row(key, value)
    grid.add_row("及时性", Text(labels.STATUSES[t.status], style=STATUS_STYLE[t.status]))
    return grid


def _table(table: render.Table) -> RichTable:
    out = RichTable(title=table.title, title_justify="left", header_style="bold", show_lines=False)
    out.add_column("项目", overflow="fold", max_width=34)
    for _, label in table.columns:
        out.add_column(label, justify="right", overflow="fold")
    for row in table.rows:
        cells: list[Text] = []
        for cell in row.cells:
            if "absent" in cell.flags:
                cells.append(Text(""))
            elif cell.suspect:
                cells.append(Text(f"✗{cell.text}", style="bold white on red"))
            elif cell.failing:
                cells.append(Text(cell.text, style="red"))
            elif cell.value is None:
                cells.append(Text("?", style="bold yellow"))
            else:
                cells.append(Text(cell.text, style="dim" if "blank" in cell.flags else ""))
        out.add_row(row.label, *cells)
    return out


def show(console: Console, view: ReportView) -> None:
    record = view.record
    title = f"{view.agency.name} {view.info.year} 年度报告 · 版本 {view.version.number}"
    console.print(Panel(_metadata(view), title=title, title_align="left"))
    for table in render.tables(record):
        console.print(_table(table))
    failing = record.failing_identities
    if failing:
        lines = [
            Text(f"✗ {labels.rule(i.rule)}（{i.scope}）：{i.left} ≠ {i.right}", style="red")
            for i in failing
        ]
        lines.append(
            Text(
                "表中 ✗ 标出同时出现在多条不成立关系中的单元格（最可能有误），"
                "红字为其余相关单元格。"
            )
        )
        console.print(Panel(Group(*lines), title="不成立的勾稽关系", border_style="red"))
    elif record.identities:
        console.print(Text(f"✓ {len(record.identities)} 项勾稽关系全部成立", style="green"))
    figures = render.prose(record)
    if figures:
        prose = RichTable(title="正文数字", title_justify="left", header_style="bold")
        for header in ("项目", "数值", "原文"):
            prose.add_column(header, overflow="fold")
        for f in figures:
            prose.add_row(f["label"], str(f["value"]), f["sentence"] or "")
        console.print(prose)
    for warning in record.warnings:
        console.print(Text(f"! {warning.message}", style="yellow"))
    versions = RichTable(title="版本", title_justify="left", header_style="bold")
    for header in ("版本", "首次发现", "最后发现", "文档 sha256", "解析器"):
        versions.add_column(header)
    for v in view.versions:
        mark = " ◀" if v.number == view.version.number else ""
        versions.add_row(
            f"{v.number}{mark}",
            v.first_seen.strftime("%Y-%m-%d %H:%M"),
            v.last_seen.strftime("%Y-%m-%d %H:%M"),
            v.document_sha[:12],
            v.parser_version,
        )
    console.print(versions)


def diff(console: Console, diff: VersionDiff) -> None:
    console.rule(f"版本 {diff.old} → 版本 {diff.new}")
    if diff.empty:
        console.print("内容相同（仅重新抓取或重新解析）")
        return
    if diff.fields:
        fields = RichTable(header_style="bold")
        for header in ("字段", "旧", "新"):
            fields.add_column(header)
        for name, old, new in diff.fields:
            fields.add_row(name, str(old), str(new))
        console.print(fields)
    if diff.cells:
        cells = RichTable(title="表格单元格", title_justify="left", header_style="bold")
        for header in ("表", "行", "列", "旧", "新"):
            cells.add_column(header)
        for c in diff.cells:
            cells.add_row(c.table, c.row, c.column, str(c.old), str(c.new))
        console.print(cells)
    for line in diff.text:
        style = "green" if line.startswith("+") else "red" if line.startswith("-") else "dim"
        console.print(Text(line, style=style))
