"""A bound on what a PDF's compressed streams inflate to, checked before PDFium reads them.

PDFium inflates a content stream, an embedded font or an object stream whole, in memory, and
a few kilobytes of Flate data can stand for gigabytes. Here every Flate stream is inflated
once, in small chunks that are counted and thrown away, and the document is refused when the
total passes ``MAX_INFLATED``. Image streams are skipped: the reader never decodes images
(it only counts them, to recognise a scan), and a scan's images may legitimately be large.
"""

from __future__ import annotations

import re
import zlib

from parser.errors import CorruptDocument

MAX_INFLATED = 256 * 1024 * 1024  # bytes of non-image stream data, all streams together
_CHUNK = 1024 * 1024
_LOOKBACK = 4096  # how far before ``stream`` its dictionary may start
_STREAM = re.compile(rb"stream\r?\n")  # no look-behind: it would defeat the literal search
_FLATE = re.compile(rb"/(?:FlateDecode|Fl)(?![A-Za-z])")
_IMAGE = re.compile(rb"/Subtype\s*/Image(?![A-Za-z])")


def _inflated_size(compressed: memoryview, budget: int) -> int:
    """How much ``compressed`` inflates to, counting no further than just past ``budget``."""
    inflater = zlib.decompressobj()
    total = 0
    try:
        for start in range(0, len(compressed), _CHUNK):
            pending = bytes(compressed[start : start + _CHUNK])
            while pending:
                total += len(inflater.decompress(pending, _CHUNK))
                if total > budget or inflater.eof:
                    return total
                pending = inflater.unconsumed_tail
    except zlib.error:
        pass  # damaged or encrypted data: PDFium decides what to make of it
    return total


def check_inflation(data: bytes, name: str | None) -> None:
    """Raise ``CorruptDocument`` if the document's non-image Flate streams inflate to more
    than ``MAX_INFLATED`` bytes."""
    view = memoryview(data)
    budget = MAX_INFLATED
    for match in _STREAM.finditer(data):
        if data[match.start() - 1 : match.start()].isalpha():
            continue  # "endstream"
        head = data.rfind(b"obj", max(0, match.start() - _LOOKBACK), match.start())
        dictionary = data[max(head, match.start() - _LOOKBACK) : match.start()]
        if not _FLATE.search(dictionary) or _IMAGE.search(dictionary):
            continue
        end = data.find(b"endstream", match.end())
        budget -= _inflated_size(view[match.end() : end if end >= 0 else len(data)], budget)
        if budget < 0:
            raise CorruptDocument(
                name,
                f"its compressed streams inflate to more than {MAX_INFLATED // 2**20} MiB,"
                " far beyond any report: a decompression bomb",
            )
