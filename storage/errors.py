"""Errors of the storage package: one base, subclasses of built-in types, messages built here."""

from __future__ import annotations


class StorageError(Exception):
    """Base of every error storage raises."""


class SchemaBehind(StorageError, RuntimeError):
    """The database schema is older than this code (migrations are pending)."""

    def __init__(self, url: str, current: str | None, head: str) -> None:
        self.url = url
        self.current = current
        self.head = head
        have = current or "empty (no schema)"
        super().__init__(
            f"the database {url} is at schema revision {have}, this gkwatch needs {head}; "
            "run `gkwatch db upgrade` to apply the migrations"
        )


class SchemaAhead(StorageError, RuntimeError):
    """The database was migrated by a newer gkwatch than this one."""

    def __init__(self, url: str, current: str) -> None:
        self.url = url
        self.current = current
        super().__init__(
            f"the database {url} is at schema revision {current}, which this gkwatch does not "
            "know; upgrade gkwatch"
        )


class RegistryError(StorageError, ValueError):
    """A registry file that cannot be imported; names the file, the line and the reason."""

    def __init__(self, path: str, line: int | None, reason: str) -> None:
        self.path = path
        self.line = line
        self.reason = reason
        where = f"{path}:{line}" if line is not None else path
        super().__init__(f"{where}: {reason}")


class RegistryErrors(RegistryError):
    """Several problems in one registry file: all are reported, nothing is imported."""

    def __init__(self, problems: list[RegistryError]) -> None:
        self.problems = problems
        first = problems[0]
        super().__init__(first.path, first.line, first.reason)
        self.args = ("\n".join(str(p) for p in problems),)


class NotFound(StorageError, LookupError):
    def __init__(self, what: str, key: object, hint: str = "") -> None:
        self.what = what
        self.key = key
        super().__init__(f"no {what} {key!r} in the archive{hint}")

    def __str__(self) -> str:  # LookupError would repr() a KeyError-like message
        return str(self.args[0])


class UnknownAgency(NotFound):
    """A write names an agency the registry does not have."""

    def __init__(self, agency_id: str) -> None:
        super().__init__("agency", agency_id, "; import the registry first")


class DocumentMissing(NotFound):
    """The document row exists but its file in the directory store is gone."""

    def __init__(self, sha: str, where: str) -> None:
        super().__init__("document file", sha, f" (expected at {where})")
