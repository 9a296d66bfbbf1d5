"""Document bytes: zlib-compressed, deduplicated by sha256, in the database or a directory."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import tempfile
import zlib
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from storage.errors import DocumentMissing, NotFound
from storage.models import DocumentRow
from storage.types import StoredDocument


class DocumentStore:
    """Where document bytes go: the ``documents`` table, or files under ``directory``."""

    def __init__(self, directory: Path | None = None) -> None:
        self.directory = directory.expanduser() if directory is not None else None

    def path_of(self, sha: str) -> Path:
        assert self.directory is not None
        return self.directory / sha[:2] / sha[2:4] / f"{sha}.zz"

    def put(self, session: Session, data: bytes, content_type: str | None) -> str:
        return self.put_many(session, [(data, content_type)])[0]

    def put_many(self, session: Session, items: list[tuple[bytes, str | None]]) -> list[str]:
        shas = [hashlib.sha256(data).hexdigest() for data, _ in items]
        have = set(
            session.scalars(select(DocumentRow.sha256).where(DocumentRow.sha256.in_(set(shas))))
        )
        now = dt.datetime.now(dt.UTC)
        rows: dict[str, dict[str, Any]] = {}
        for sha, (data, content_type) in zip(shas, items, strict=True):
            if sha in have or sha in rows:
                continue
            packed = zlib.compress(data, 6)
            if self.directory is not None:
                self._write_file(sha, packed)
            rows[sha] = {
                "sha256": sha,
                "size": len(data),
                "content_type": content_type,
                "compression": "zlib",
                "store": "db" if self.directory is None else "dir",
                "data": packed if self.directory is None else None,
                "created_at": now,
            }
        if rows:
            # Two writers may store the same bytes at once: the second insert does nothing.
            insert = pg_insert if _dialect(session) == "postgresql" else sqlite_insert
            session.execute(insert(DocumentRow).on_conflict_do_nothing(), list(rows.values()))
        return shas

    def _write_file(self, sha: str, packed: bytes) -> None:
        target = self.path_of(sha)
        if target.exists():
            return
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(packed)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, target)  # atomic: readers never see half a file
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def exists(self, session: Session, sha: str) -> bool:
        return session.get(DocumentRow, sha) is not None

    def get(self, session: Session, sha: str) -> StoredDocument:
        row = session.get(DocumentRow, sha)
        if row is None:
            raise NotFound("document", sha)
        if row.data is not None:
            packed = row.data
        else:
            if self.directory is None:
                raise DocumentMissing(sha, "the directory store (document_dir is not configured)")
            path = self.path_of(sha)
            try:
                packed = path.read_bytes()
            except FileNotFoundError as exc:
                raise DocumentMissing(sha, str(path)) from exc
        return StoredDocument(sha, row.size, row.content_type, zlib.decompress(packed))


def _dialect(session: Session) -> str:
    bind = session.get_bind()
    return bind.dialect.name
