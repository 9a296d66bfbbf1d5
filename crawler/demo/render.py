"""Report bodies as HTML: real tables with spans, or the flattened ``a | b |`` text that
many portals show after pasting from Word (inside a ``<pre>`` or as plain paragraphs)."""

from __future__ import annotations

from html import escape

from crawler.demo.content import Block, ReportContent
from crawler.demo.grid import Grid


def _table_html(grid: Grid) -> str:
    rows = []
    for row in grid:
        cells = []
        for cell in row:
            span = ""
            if cell.rowspan > 1:
                span += f' rowspan="{cell.rowspan}"'
            if cell.colspan > 1:
                span += f' colspan="{cell.colspan}"'
            cells.append(f"<td{span}><p>{escape(cell.text)}</p></td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return (
        '<table border="1" cellspacing="0" cellpadding="0"><tbody>'
        + "".join(rows)
        + ("</tbody></table>")
    )


def _text_rows(grid: Grid) -> list[str]:
    """Each physical row as ``cell | cell |``; a spanning cell leaves its extra bars."""
    lines = []
    for row in grid:
        parts = [cell.text + " |" + "|" * (cell.colspan - 1) for cell in row]
        lines.append(" ".join(parts))
    return lines


def body_html(content: ReportContent, layout: str) -> str:
    """The article body: ``table`` (HTML tables), ``pre`` or ``paragraphs`` (flattened)."""
    out: list[str] = []
    pre: list[str] = []

    def flush() -> None:
        if pre:
            out.append("<pre>" + escape("\n".join(pre)) + "</pre>")
            pre.clear()

    for block in content.blocks():
        if block.kind == "title":
            continue  # the page shows the title above the body
        if layout == "pre":
            pre.extend(_block_lines(block))
            continue
        if block.kind == "table" and block.grid is not None:
            if layout == "table":
                out.append(_table_html(block.grid))
            else:
                out += [f"<p>{escape(line)}</p>" for line in _text_rows(block.grid)]
        elif block.kind in ("sign", "date"):
            out.append(f'<p style="text-align: right">{escape(block.text)}</p>')
        elif block.kind == "heading":
            out.append(f"<p><strong>{escape(block.text)}</strong></p>")
        else:
            out.append(f"<p>{escape(block.text)}</p>")
    flush()
    return "\n".join(out)


def _block_lines(block: Block) -> list[str]:
    if block.kind == "table" and block.grid is not None:
        return _text_rows(block.grid)
    if block.kind in ("sign", "date"):
        return [" " * 24 + block.text]
    return [block.text]


def plain_text(content: ReportContent) -> str:
    """The whole report flattened, as the text layer of a PDF would read (for tests)."""
    return "\n".join(line for b in content.blocks() for line in _block_lines(b))
