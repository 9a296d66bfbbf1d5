"""Migrations (Alembic, in ``storage/migrations``) run from code, and the schema check."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, func, select, text
from sqlalchemy.orm import Session

from storage import models
from storage.engine import Database, make_engine, public_url
from storage.errors import SchemaAhead, SchemaBehind

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config(engine: Engine | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    # The engine travels in attributes, not in the ini options: URLs may hold '%'.
    cfg.attributes["engine"] = engine
    return cfg


def head() -> str:
    rev = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert rev is not None
    return rev


def current(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def check(engine: Engine, url: str) -> None:
    """Raise ``SchemaBehind`` when migrations are pending, ``SchemaAhead`` when unknown."""
    have = current(engine)
    want = head()
    if have == want:
        return
    script = ScriptDirectory.from_config(alembic_config())
    if have is not None and script.get_revision(have) is None:
        raise SchemaAhead(public_url(url), have)
    raise SchemaBehind(public_url(url), have, want)


def upgrade(url: str, revision: str = "head") -> str:
    engine = make_engine(url)
    try:
        command.upgrade(alembic_config(engine), revision)
        return current(engine) or "base"
    finally:
        engine.dispose()


def downgrade(url: str, revision: str = "base") -> str | None:
    engine = make_engine(url)
    try:
        command.downgrade(alembic_config(engine), revision)
        return current(engine)
    finally:
        engine.dispose()


def info(session: Session, db: Database) -> dict[str, Any]:
    revision = current(db.engine)
    if revision != head():  # the tables may not exist (yet); say so rather than fail
        return {
            "url": public_url(db.url),
            "backend": db.backend,
            "revision": revision,
            "head": head(),
            "counts": {},
        }
    counts = {
        table.__tablename__: session.scalar(select(func.count()).select_from(table)) or 0
        for table in (
            models.AgencyRow,
            models.DocumentRow,
            models.FetchRow,
            models.ReportRow,
            models.VersionRow,
            models.CellKeyRow,
            models.CellValueRow,
            models.FindingRow,
            models.AlertRow,
            models.CrawlRunRow,
        )
    }
    return {
        "url": public_url(db.url),
        "backend": db.backend,
        "revision": revision,
        "head": head(),
        "counts": counts,
    }


def run_query(session: Session, sql: str, params: dict[str, Any]) -> list[dict[str, Any]]:
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SET TRANSACTION READ ONLY"))
    result = session.execute(text(sql), params)
    return [dict(row._mapping) for row in result]


def model_drift(url: str) -> list[Any]:
    """Differences between the ORM models and the schema at ``url`` (Alembic autogenerate);
    empty when the migrations build exactly what the models describe."""
    from alembic.autogenerate import compare_metadata

    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            ctx = MigrationContext.configure(conn, opts={"compare_type": True})
            return list(compare_metadata(ctx, models.Base.metadata))
    finally:
        engine.dispose()


def relations(url: str) -> dict[str, list[str]]:
    """Names of the tables and views in the database at ``url``."""
    from sqlalchemy import inspect

    engine = make_engine(url)
    try:
        insp = inspect(engine)
        return {"tables": sorted(insp.get_table_names()), "views": sorted(insp.get_view_names())}
    finally:
        engine.dispose()
