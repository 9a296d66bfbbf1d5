"""Errors of the parser package: one base, subclasses of built-in types, messages built here."""

from __future__ import annotations


class ParserError(ValueError):
    """Base of every error the parser raises on bad input."""


class EmptyDocument(ParserError):
    def __init__(self, name: str | None = None) -> None:
        self.name = name
        super().__init__(f"{name or 'input'}: the document is empty")


class UnsupportedFormat(ParserError):
    def __init__(self, name: str | None, detail: str) -> None:
        self.name = name
        self.detail = detail
        super().__init__(f"{name or 'input'}: unsupported format ({detail})")


class NotAReport(ParserError):
    """The bytes are readable but are not a Chinese disclosure annual report."""

    def __init__(self, name: str | None, detail: str) -> None:
        self.name = name
        self.detail = detail
        super().__init__(f"{name or 'input'}: not an annual report ({detail})")


class DocumentTooLarge(ParserError):
    def __init__(self, name: str | None, size: int, limit: int) -> None:
        self.name = name
        self.size = size
        self.limit = limit
        super().__init__(f"{name or 'input'}: {size} bytes is over the limit of {limit} bytes")


class CorruptDocument(ParserError):
    """A PDF/DOCX/DOC that is truncated, encrypted, malformed or hostile."""

    def __init__(self, name: str | None, detail: str) -> None:
        self.name = name
        self.detail = detail
        super().__init__(f"{name or 'input'}: unreadable document ({detail})")


class MissingProgram(ParserError, OSError):
    """An external program needed for a format (LibreOffice for .doc/.wps) is not installed."""

    def __init__(self, program: str, purpose: str) -> None:
        self.program = program
        self.purpose = purpose
        super().__init__(f"{program} is not installed; it is needed to {purpose}")
