"""Choosing the right text encoding of a portal page from its raw bytes.

Chinese government portals serve GBK/GB18030 pages without a charset, with a ``<meta>`` that
lies, or with a header that disagrees with the ``<meta>``. Scrapy (w3lib) falls back to cp1252
for undeclared pages, which turns GBK into mojibake, so the crawler decides here instead.
"""

from __future__ import annotations

import codecs
import re

import charset_normalizer

_META = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.IGNORECASE)
#: Declarations worth trusting on a Chinese page; a declared Latin-1/cp1252 is never right
#: when the bytes are not ASCII.
_TRUSTED = {"utf-8", "gb18030", "big5", "utf-16", "utf-16-le", "utf-16-be"}
_SNIFF = 64 * 1024


def canonical(name: str | None) -> str | None:
    """The codec name Python uses, with GB2312/GBK widened to their superset GB18030."""
    if not name:
        return None
    try:
        codec = codecs.lookup(name.strip().strip("\"'")).name
    except LookupError:
        return None
    if codec in {"gb2312", "gbk", "hz", "gb18030"}:
        return "gb18030"
    return codec


def declared_meta(body: bytes) -> str | None:
    """The charset a page's ``<meta>`` declares (first 64 KiB), if any."""
    match = _META.search(body[:_SNIFF])
    return canonical(match.group(1).decode("ascii")) if match else None


def _decodes(body: bytes, codec: str) -> bool:
    try:
        body.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return False
    return True


def detect(body: bytes, header_charset: str | None = None) -> str:
    """The encoding to decode ``body`` with.

    Order: a BOM; valid UTF-8 (GBK text is almost never valid UTF-8, so this is decisive);
    a trusted declaration (header, then ``<meta>``) that decodes without error; GB18030 when
    it decodes; otherwise charset-normalizer's best guess, then GB18030 with replacement.
    """
    if body.startswith(codecs.BOM_UTF8):
        return "utf-8"
    if body.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if body.isascii():
        return canonical(header_charset) or declared_meta(body) or "utf-8"
    if _decodes(body, "utf-8"):
        return "utf-8"
    for name in (canonical(header_charset), declared_meta(body)):
        if name in _TRUSTED and _decodes(body, name):
            return name
    if _decodes(body, "gb18030"):
        return "gb18030"
    best = charset_normalizer.from_bytes(body[: 4 * _SNIFF]).best()
    if best is not None and best.encoding:
        return canonical(best.encoding) or "gb18030"
    return "gb18030"
