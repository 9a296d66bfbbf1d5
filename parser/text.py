"""Plain-text reports → blocks, for every flattened table style seen in the wild.

Styles: a whole row per line separated by ``|`` (``a | b | c |``), by tabs (with stray empty
cells), or by single spaces; one cell per line ending in ``|`` (rows must be rebuilt: a new
row starts where a label follows a value); Markdown headings, bold and bullets.
"""

from __future__ import annotations

import re

from parser.cells import BLANK, JUNK, LABEL, NUMBER, kind_of
from parser.document import Block, Document
from parser.errors import DocumentTooLarge
from parser.normalize import decode, normalize_text

#: A text report is a few tens of KB; anything far larger is not one.
MAX_BYTES = 16 * 1024 * 1024

_MARKDOWN = re.compile(r"^(?:#{1,6}\s+|>\s*|[*+]\s+)")
_MARKDOWN_FIRST = frozenset("#>*+")  # the first characters _MARKDOWN can match
_RULE = re.compile(r"^\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?$")
_VALUE_KINDS = (NUMBER, BLANK)


def read(data: bytes, name: str | None = None) -> Document:
    if len(data) > MAX_BYTES:
        raise DocumentTooLarge(name, len(data), MAX_BYTES)
    text, encoding = decode(data)
    text = normalize_text(text)
    return Document(blocks=tuple(blocks_of(text)), format="text", encoding=encoding)


def blocks_of(text: str) -> list[Block]:
    """Blocks of already normalised text (also used by readers that extract plain text)."""
    lines = [_clean(line) for line in text.splitlines()]
    out: list[Block] = []
    table = 0
    run: list[list[str]] = []  # consecutive one-cell-per-line pipe rows

    def flush_run() -> None:
        nonlocal table
        if not run:
            return
        rows = run if len(run) == 1 else _regroup([cell for cells in run for cell in cells])
        for cells in rows:
            out.append(Block(" ".join(filter(None, cells)), tuple(cells), table))
        run.clear()

    previous_row = False
    for line in lines:
        if not line or ("-" in line and _RULE.match(line)):
            continue
        cells = _split(line)
        if cells is None:
            flush_run()
            out.append(Block(line))
            previous_row = False
            continue
        if not previous_row:
            table += 1
        previous_row = True
        if "|" in line and len(cells) - cells.count("") <= 1:
            run.append(cells)
            continue
        flush_run()
        out.append(Block(" ".join(filter(None, cells)), tuple(cells), table))
    flush_run()
    return out


def _clean(line: str) -> str:
    line = line.strip()
    if line[:1] in _MARKDOWN_FIRST:
        line = _MARKDOWN.sub("", line)
    if "**" in line or "__" in line:
        line = line.replace("**", "").replace("__", "")
    return line.strip()


def _split(line: str) -> list[str] | None:
    """The cells of a table row, or ``None`` for a paragraph."""
    if "\t" in line:
        cells = [c.strip() for c in line.split("\t")]
        return cells if len(cells) - cells.count("") >= 2 or _is_value_line(cells) else None
    if "|" in line:
        body = line[1:] if line.startswith("|") else line
        if body.endswith("|"):
            body = body[:-1]
        return [c.strip() for c in body.split("|")]
    tokens = line.split()
    if len(tokens) < 2:
        return tokens if tokens and kind_of(tokens[0]) in _VALUE_KINDS else None
    kinds = [kind_of(t) for t in tokens]
    if any(k in _VALUE_KINDS for k in kinds[1:]):
        first_value = next(i for i, k in enumerate(kinds) if k in _VALUE_KINDS)
        if all(k in _VALUE_KINDS for k in kinds[first_value:]):
            return tokens
    if "。" not in line and len(line) <= 160 and all(len(t) <= 60 for t in tokens):
        return tokens
    return None


def _is_value_line(cells: list[str]) -> bool:
    return any(kind_of(c) in _VALUE_KINDS for c in cells)


def _regroup(cells: list[str]) -> list[list[str]]:
    """Rebuild rows from a stream of cells: a label after a value starts a new row."""
    rows: list[list[str]] = [[]]
    seen_value = False
    for cell in cells:
        kind = kind_of(cell)
        if kind is LABEL and seen_value:
            rows.append([])
            seen_value = False
        if kind in _VALUE_KINDS or kind is JUNK:
            seen_value = True
        rows[-1].append(cell)
    return [row for row in rows if any(row)]
