"""Test helpers that need SQLAlchemy (kept here so tests need not import it)."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url


@contextmanager
def isolated_postgres_schema(base_url: str) -> Iterator[str]:
    """Create a fresh schema ``gk_<random>`` and yield ``base_url`` with its search_path set to
    it; drop the schema afterwards. Lets many test runs share one PostgreSQL database."""
    schema = f"gk_{secrets.token_hex(6)}"
    admin = create_engine(base_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        url = make_url(base_url).update_query_dict({"options": f"-csearch_path={schema}"})
        try:
            yield url.render_as_string(hide_password=False)
        finally:
            with admin.connect() as conn:
                conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    finally:
        admin.dispose()


def execute(url: str, *statements: str) -> None:
    """Run raw SQL statements in one transaction, outside ``Archive`` (whose writes all go
    through its own code): for tests of what the database does on its own, e.g. triggers."""
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            for statement in statements:
                conn.execute(text(statement))
    finally:
        engine.dispose()
