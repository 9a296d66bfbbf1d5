"""An independent reader of the demo's HTML report tables (lxml, by position), so that the
tests check the numbers actually written in the files, not the generator's own values."""

from __future__ import annotations

from pathlib import Path

from lxml import html

from parser import spec


def _number(text: str) -> int:
    text = text.strip()
    return int(text) if text else 0


def read_tables(path: Path, encoding: str, template: str) -> dict[str, dict[str, dict[str, int]]]:
    tree = html.fromstring(path.read_bytes().decode(encoding))
    tables = tree.xpath("//div[@class='content']//table")
    assert len(tables) == 3, f"{path}: expected 3 tables, found {len(tables)}"
    rows3 = tables[1].xpath(".//tr")[3:]
    keys = spec.application_rows(template)
    assert len(rows3) == len(keys), f"{path}: 表三 has {len(rows3)} data rows"
    applications = {}
    for key, row in zip(keys, rows3, strict=True):
        cells = [td.text_content() for td in row.xpath("./td")][-7:]
        applications[key] = dict(zip(spec.APPLICATION_COLUMNS, map(_number, cells), strict=True))
    last = [td.text_content() for td in tables[2].xpath(".//tr")[-1].xpath("./td")]
    numbers = list(map(_number, last))
    appeals = {
        g: dict(zip(spec.APPEAL_COLUMNS, numbers[i * 5 : i * 5 + 5], strict=True))
        for i, g in enumerate(spec.APPEAL_GROUPS)
    }
    return {"applications": applications, "appeals": appeals}


def page_file(site: Path, url: str) -> Path:
    """The static file behind a list URL, ``?page=N`` included (as the server maps it)."""
    path, _, query = url.partition("?")
    if query.startswith("page="):
        path = f"{path[:-5]}__page{query[5:]}.html"
    return site / path.lstrip("/")
