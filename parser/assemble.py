"""Document blocks (from any reader) → one canonical ``Report``.

The one interpreter shared by every format: it scopes the report inside its page, reads the
metadata, matches the table rows by label, fills the tables (resolving what the identities
allow), extracts the prose figures and the narrative sections, and evaluates the identities.
"""

from __future__ import annotations

import re

from parser import identities
from parser.document import Block, Document
from parser.errors import NotAReport
from parser.fill import build as fill_tables
from parser.metadata import (
    agency_from_signature,
    agency_from_title,
    detect_template,
    find_year,
    infer_agency,
    parse_date,
)
from parser.prose import extract
from parser.record import ParseWarning, Report, Source
from parser.sections import build_sections, scope
from parser.tables import collect

_REPORT_WORDS = re.compile(r"信息公开|政务公开|公开条例")


def build(
    document: Document, source: Source, *, parser_version: str, name: str | None = None
) -> Report:
    blocks = document.blocks
    where = scope(blocks, html=document.format == "html")
    inner = blocks[: where.end]
    collected = collect(inner[where.start :])
    offset = where.start
    table_blocks = frozenset(i + offset for i in collected.table_blocks)
    text = "\n".join(b.text for b in blocks[where.start : where.end])
    scanned = any(w.code == "needs_ocr" for w in document.warnings)  # kept, with its warning
    if not collected.rows and not _REPORT_WORDS.search(text) and not scanned:
        raise NotAReport(name or source.url, "no disclosure-report wording and no report tables")
    warnings: list[ParseWarning] = list(document.warnings)

    title = where.title
    agency = agency_from_title(title) if title else None
    if agency is None and document.title and _REPORT_WORDS.search(document.title):
        title = title or document.title
        agency = agency_from_title(document.title)
    signer = _signer(blocks, where.signature_index)
    if agency is not None and signer is not None and signer not in agency and agency not in signer:
        # The title's reading stands, but a reader should know the signature disagrees.
        warnings.append(
            ParseWarning(
                "agency_signature_differs",
                f"the title names '{agency}' but the report is signed by '{signer}'",
                field="agency",
            )
        )
    if agency is None and signer is not None:
        agency = signer
        warnings.append(
            ParseWarning(
                "agency_inferred",
                f"no title naming the agency; '{agency}' is taken from the signature",
                field="agency",
            )
        )
    if agency is None:
        agency = infer_agency(text)
        if agency:
            warnings.append(
                ParseWarning(
                    "agency_inferred",
                    f"no title naming the agency; '{agency}' is inferred from the text",
                    field="agency",
                )
            )
        else:
            warnings.append(
                ParseWarning("agency_missing", "the agency could not be found", field="agency")
            )
    year, year_inferred = find_year(title, text)
    if year is None:
        warnings.append(
            ParseWarning("year_missing", "the year reported on could not be found", field="year")
        )
    elif year_inferred:
        warnings.append(
            ParseWarning(
                "year_inferred",
                f"no title with the year; {year} is inferred from the text",
                field="year",
            )
        )
    signed_on = (
        parse_date(blocks[where.signature_index].text)
        if where.signature_index is not None
        else None
    )

    table_texts = [blocks[i].text for i in table_blocks]
    template = detect_template(table_texts, year, has_rows=bool(collected.rows))
    if (
        template == "legacy"
        and year is not None
        and year >= 2019
        and re.search(r"收到和处理政府信息公开申请情况", text)
    ):
        warnings.append(
            ParseWarning(
                "tables_missing", "the report has the template sections but no readable tables"
            )
        )
    tables = fill_tables(collected.rows, template)
    warnings += tables.warnings
    for label in collected.unmatched:
        warnings.append(
            ParseWarning(
                "unmatched_row", f"a table row with numbers matched no template row: '{label[:60]}'"
            )
        )

    sections = build_sections(blocks, where, table_blocks)
    narrative = [p for s in sections for p in (s.heading, *s.paragraphs) if p]
    prose, prose_sources = extract(narrative)
    found = identities.evaluate_tables(tables.applications, tables.appeals, template)
    return Report(
        agency=agency,
        year=year,
        signed_on=signed_on,
        template=template,
        active=tables.active,
        applications=tables.applications,
        appeals=tables.appeals,
        prose=prose,
        prose_sources=prose_sources,
        cell_flags=tuple(tables.flags),
        warnings=tuple(warnings),
        identities=found,
        title=title,
        sections=sections,
        source=source,
        parser_version=parser_version,
    )


def _signer(blocks: tuple[Block, ...], signature_index: int | None) -> str | None:
    """The organ named on the signature's date line or on the paragraph just above it."""
    if signature_index is None:
        return None
    previous = blocks[signature_index - 1] if signature_index > 0 else None
    above = previous.text if previous is not None and previous.cells is None else None
    return agency_from_signature(blocks[signature_index].text, above)
