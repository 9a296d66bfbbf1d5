"""Fixtures shared by every test package.

``database_url`` runs a test on SQLite (a fresh file) and on PostgreSQL (a fresh schema in the
database of ``GKWATCH_TEST_DATABASE_URL``, dropped afterwards — other test runs share that
database). ``archive`` is an upgraded, opened ``storage.Archive`` on that URL.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from storage import Archive
from storage.testing import isolated_postgres_schema

PG_ENV = "GKWATCH_TEST_DATABASE_URL"


@pytest.fixture(
    params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)],
)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'gkwatch-test.db'}"
        return
    base = os.environ.get(PG_ENV)
    if not base:
        pytest.skip(
            f"PostgreSQL tests need {PG_ENV} (e.g. postgresql+psycopg://postgres@127.0.0.1:5432/test)"
        )
    with isolated_postgres_schema(base) as url:
        yield url


@pytest.fixture
def archive(database_url: str) -> Iterator[Archive]:
    Archive.upgrade(database_url)
    with Archive.open(database_url) as opened:
        yield opened
