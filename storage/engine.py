"""Engine set-up per backend and the unit of work (one transaction per Archive call).

SQLite gets WAL, foreign keys and a busy timeout, and write transactions start with
``BEGIN IMMEDIATE``: a deferred transaction that reads and then writes fails at once with
"database is locked" when another process wrote in between, whereas IMMEDIATE waits its turn.
Writes that lose a race on a unique constraint are retried from the start.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

T = TypeVar("T")

SQLITE_BUSY_MS = 30_000
WRITE_ATTEMPTS = 8


def _sqlite_setup(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _connect(dbapi_conn: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event issue BEGIN itself (pysqlite's own is deferred).
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_MS}")
        cur.execute("PRAGMA foreign_keys = ON")
        if engine.url.database not in (None, "", ":memory:"):
            cur.execute("PRAGMA journal_mode = WAL")
            cur.execute("PRAGMA synchronous = NORMAL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Any) -> None:
        mode = conn.get_execution_options().get("sqlite_begin", "IMMEDIATE")
        conn.exec_driver_sql(f"BEGIN {mode}")


def make_engine(url: str | URL) -> Engine:
    u = make_url(url)
    if u.get_backend_name() == "sqlite":
        if u.database not in (None, "", ":memory:"):
            from pathlib import Path

            Path(u.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(u, connect_args={"timeout": SQLITE_BUSY_MS / 1000})
        _sqlite_setup(engine)
        return engine
    return create_engine(u, pool_pre_ping=True)


def public_url(url: str | URL) -> str:
    """The URL with its password hidden, for messages and ``db info``."""
    return make_url(url).render_as_string(hide_password=True)


def _retryable(exc: DBAPIError) -> bool:
    if isinstance(exc, IntegrityError):
        return True
    text = str(exc.orig).lower() if exc.orig is not None else ""
    if "could not serialize" in text or "deadlock" in text:
        return True
    return isinstance(exc, OperationalError) and ("locked" in text or "busy" in text)


class Database:
    """An engine plus the unit-of-work helpers ``read()`` and ``write(fn)``."""

    def __init__(self, url: str | URL) -> None:
        self.url = make_url(url)
        self.engine = make_engine(self.url)
        self.backend = self.url.get_backend_name()
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A read-only transaction (deferred on SQLite, so readers never wait for writers)."""
        with self._sessions() as session:
            if self.backend == "sqlite":
                session.connection(execution_options={"sqlite_begin": "DEFERRED"})
            try:
                yield session
            finally:
                session.rollback()

    def write(self, work: Callable[[Session], T]) -> T:
        """Run ``work`` in one transaction and commit; rerun it from scratch when it lost a race
        (unique constraint, lock, serialization failure). ``work`` must not have side effects
        outside the session other than idempotent ones."""
        for attempt in range(WRITE_ATTEMPTS):
            session = self._sessions()
            try:
                result = work(session)
                session.commit()
                return result
            except DBAPIError as exc:
                session.rollback()
                if attempt == WRITE_ATTEMPTS - 1 or not _retryable(exc):
                    raise
                time.sleep(random.uniform(0.005, 0.05) * (attempt + 1))
            except BaseException:
                session.rollback()
                raise
            finally:
                session.close()
        raise AssertionError("unreachable")

    def dispose(self) -> None:
        self.engine.dispose()
