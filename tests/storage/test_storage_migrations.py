"""Migrations: empty → head → empty on both backends, and models == migrations."""

from __future__ import annotations

import pytest

from storage import Archive, SchemaBehind
from storage.schema import head, model_drift, relations

TABLES = [
    "agencies",
    "alembic_version",
    "alerts",
    "cell_keys",
    "cell_values",
    "crawl_runs",
    "documents",
    "fetches",
    "findings",
    "job_runs",
    "leases",
    "report_figures",
    "report_tallies",
    "reports",
    "version_facts",
    "versions",
]


def test_upgrade_from_empty_to_head_and_down_again(database_url: str) -> None:
    assert relations(database_url) == {"tables": [], "views": []}
    assert Archive.upgrade(database_url) == head()
    assert relations(database_url) == {
        "tables": TABLES,
        "views": ["cells", "latest_versions", "t3_totals"],
    }
    assert Archive.upgrade(database_url) == head()  # idempotent
    assert Archive.downgrade(database_url) is None
    assert relations(database_url) == {"tables": ["alembic_version"], "views": []}
    with pytest.raises(SchemaBehind):
        Archive.open(database_url)
    Archive.upgrade(database_url)
    Archive.open(database_url).close()


def test_models_and_migrations_agree(database_url: str) -> None:
    Archive.upgrade(database_url)
    assert model_drift(database_url) == []


def test_drift_check_sees_a_difference(database_url: str) -> None:
    # The same check against an empty database must report every table as missing,
    # so an empty result above means something.
    drift = model_drift(database_url)
    added = {d[1].name for d in drift if d[0] == "add_table"}
    assert added == set(TABLES) - {"alembic_version"}
