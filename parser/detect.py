"""Which reader a document needs, decided from its bytes (the name is only a tie-breaker)."""

from __future__ import annotations

import re

from parser.errors import EmptyDocument, UnsupportedFormat
from parser.normalize import bom_encoding

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_HTML = re.compile(
    rb"<\s*(!doctype\s+html|html|head|body|meta|title|table|div|p|span|br|article|section)[\s>/]",
    re.I,
)
#: Control bytes that never occur in text (TAB, LF, CR, FF and ESC excluded).
_CONTROL = bytes(
    sorted(set(range(0x09)) | {0x0B} | set(range(0x0E, 0x1B)) | set(range(0x1C, 0x20)))
)
_SAMPLE = 65536


def detect_format(data: bytes, *, name: str | None = None, content_type: str | None = None) -> str:
    """``"html" | "text" | "pdf" | "docx" | "doc" | "wps"`` for the bytes of one document.

    Raises ``EmptyDocument`` for empty input and ``UnsupportedFormat`` for binary data that
    is none of these (images, archives, executables, garbage).
    """
    bom = bom_encoding(data)
    if not data.strip() or (bom and not data.decode(bom, errors="replace").strip()):
        raise EmptyDocument(name)
    head = data[:1024]
    if b"%PDF-" in head:
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        if b"word/document.xml" in data or b"word/" in data[:4096]:
            return "docx"
        raise UnsupportedFormat(name, "a ZIP archive that is not a Word document")
    if data.startswith(_OLE):
        hint = (name or "").lower().split("?")[0]
        return "wps" if hint.endswith(".wps") else "doc"
    if bom in ("utf-16", "utf-32"):
        sample = data[: _SAMPLE * 4].decode(bom, errors="replace").encode("utf-8", "replace")
    else:
        sample = data[:_SAMPLE]
    if _looks_binary(sample):
        raise UnsupportedFormat(name, "binary data, not HTML, text, PDF or Word")
    if _HTML.search(sample[:16384]):
        return "html"
    if content_type and "html" in content_type.lower() and b"<" in sample:
        return "html"
    return "text"


def _looks_binary(sample: bytes) -> bool:
    if not sample:
        return False
    # bytes.translate deletes in C: a per-byte Python loop cost ~1 ms per report.
    control = len(sample) - len(sample.translate(None, _CONTROL))
    return control > max(2, len(sample) // 200)
