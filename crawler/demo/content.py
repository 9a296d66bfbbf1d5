"""One report as an ordered list of blocks (title, headings, paragraphs, tables, signature),
the neutral form that every renderer (HTML, text, PDF, DOCX) writes out."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from crawler.demo.figures import YearFigures
from crawler.demo.grid import Grid, active_grid, appeals_grid, applications_grid
from crawler.demo.prose import Narrative

HEADINGS = (
    "一、总体情况",
    "二、主动公开政府信息情况",
    "三、收到和处理政府信息公开申请情况",
    "四、政府信息公开行政复议、行政诉讼情况",
    "五、存在的主要问题及改进情况",
    "六、其他需要报告的事项",
)


@dataclass(frozen=True)
class Block:
    kind: str  # title | para | heading | table | sign | date
    text: str = ""
    grid: Grid | None = None


@dataclass(frozen=True)
class ReportContent:
    agency: str
    year: int
    title: str
    figures: YearFigures
    narrative: Narrative
    signed_on: dt.date
    blank_zero: bool = False

    def blocks(self) -> tuple[Block, ...]:
        f = self.figures
        n = self.narrative
        out = [Block("title", self.title), Block("para", n.intro), Block("heading", HEADINGS[0])]
        out += [Block("para", p) for p in n.overall]
        out += [
            Block("heading", HEADINGS[1]),
            Block("table", grid=active_grid(f.template, f.active)),
            Block("heading", HEADINGS[2]),
            Block(
                "table",
                grid=applications_grid(f.template, f.applications, blank_zero=self.blank_zero),
            ),
            Block("heading", HEADINGS[3]),
            Block("table", grid=appeals_grid(f.appeals)),
            Block("heading", HEADINGS[4]),
        ]
        out += [Block("para", p) for p in n.problems]
        out.append(Block("heading", HEADINGS[5]))
        out += [Block("para", p) for p in n.other]
        d = self.signed_on
        out += [Block("sign", self.agency), Block("date", f"{d.year}年{d.month}月{d.day}日")]
        return tuple(out)
