"""gkwatch parser: bytes of one annual report → one canonical ``Report``.

Pure functions only: no network, database, settings or clock.

    from parser import parse
    report = parse(data, url="http://…/nb.html", content_type="text/html")
"""

from __future__ import annotations

import hashlib
import importlib
from typing import Protocol

from parser.document import Document
from parser.errors import EmptyDocument, ParserError, UnsupportedFormat
from parser.record import CellFlag, Identity, ParseWarning, Report, Section, Source

#: Bump on any change that can change a parsed record; storage reparses on a change.
PARSER_VERSION = "1.1.2"

__all__ = [
    "PARSER_VERSION",
    "CellFlag",
    "Identity",
    "ParseWarning",
    "ParserError",
    "Report",
    "Section",
    "Source",
    "parse",
]


class Reader(Protocol):
    def __call__(self, data: bytes, name: str | None) -> Document: ...


#: format -> "module:function"; imported lazily so that HTML parsing never loads pdfplumber.
READERS: dict[str, str] = {
    "html": "parser.html:read",
    "text": "parser.text:read",
    "pdf": "parser.pdf:read",
    "docx": "parser.docx:read",
    "doc": "parser.office:read",
    "wps": "parser.office:read",
}


def _reader(fmt: str, name: str | None) -> Reader:
    target = READERS.get(fmt)
    if target is None:
        raise UnsupportedFormat(name, fmt)
    module_name, func = target.split(":")
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name == module_name:
            raise UnsupportedFormat(name, f"no reader for {fmt} yet") from exc
        raise
    reader: Reader = getattr(module, func)
    return reader


def parse(
    data: bytes,
    *,
    url: str | None = None,
    content_type: str | None = None,
    name: str | None = None,
) -> Report:
    """Parse the bytes of one report (HTML, text, PDF, DOCX, DOC/WPS) into a ``Report``.

    ``name`` (a file name or URL) is used in error messages and as a format hint; the format
    itself is detected from the bytes. Raises ``ParserError`` subclasses on unusable input;
    everything recoverable becomes a warning on the record instead.
    """
    from parser.assemble import build
    from parser.detect import detect_format

    label = name or url
    if not data or not data.strip():
        raise EmptyDocument(label)
    fmt = detect_format(data, name=label, content_type=content_type)
    document = _reader(fmt, label)(data, label)
    source = Source(
        format=document.format,
        encoding=document.encoding,
        url=url,
        content_type=content_type,
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        title=document.title,
    )
    return build(document, source, parser_version=PARSER_VERSION, name=label)
