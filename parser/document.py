"""The intermediate form every reader produces: an ordered list of blocks.

Readers (HTML, text, PDF, DOCX, DOC) only turn bytes into blocks; one interpreter
(``parser.assemble``) turns blocks into a ``Report``. That is what makes an attachment reach
exactly the same record as an HTML page.

Conventions every reader follows:
- a paragraph is a block with ``cells=None``;
- a table row is a block with ``cells`` set, one entry per *physical* cell in reading order;
  a cell spanning rows or columns appears once (in the first row/column it covers), and an
  empty cell is ``""``; ``table`` numbers the source table the row belongs to;
- text is already normalised (``parser.normalize``): simplified characters, half-width digits
  and ASCII punctuation where the template uses them, no pinyin annotations.
"""

from __future__ import annotations

from dataclasses import dataclass

from parser.record import ParseWarning


@dataclass(frozen=True, init=False)
class Block:
    text: str
    cells: tuple[str, ...] | None = None
    table: int | None = None
    page: int | None = None

    def __init__(
        self,
        text: str,
        cells: tuple[str, ...] | None = None,
        table: int | None = None,
        page: int | None = None,
    ) -> None:
        # One dict update instead of a frozen dataclass's setattr per field (see record.py).
        self.__dict__.update(text=text, cells=cells, table=table, page=page)

    @property
    def is_row(self) -> bool:
        return self.cells is not None


@dataclass(frozen=True)
class Document:
    blocks: tuple[Block, ...]
    format: str
    encoding: str | None = None
    title: str | None = None
    warnings: tuple[ParseWarning, ...] = ()
