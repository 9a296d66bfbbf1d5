"""gkwatch storage: the archive of agencies, documents, fetches, reports, versions, cells,
findings and alerts. ``Archive`` is the only door; it speaks the dataclasses of
``storage.types``. SQLAlchemy stays inside this package."""

from __future__ import annotations

from storage.archive import Archive
from storage.errors import NotFound, RegistryError, SchemaBehind, StorageError
from storage.facts import CheckInput
from storage.types import (
    LEVELS,
    Agency,
    Alert,
    CellValue,
    CrawlRun,
    FetchRecord,
    Finding,
    FindingState,
    RegistryImport,
    ReportInfo,
    ReportObservation,
    StoredDocument,
    StoreResult,
    SyncResult,
    Version,
)

__all__ = [
    "LEVELS",
    "Agency",
    "Alert",
    "Archive",
    "CellValue",
    "CheckInput",
    "CrawlRun",
    "FetchRecord",
    "Finding",
    "FindingState",
    "NotFound",
    "RegistryError",
    "RegistryImport",
    "ReportInfo",
    "ReportObservation",
    "SchemaBehind",
    "StorageError",
    "StoreResult",
    "StoredDocument",
    "SyncResult",
    "Version",
]
