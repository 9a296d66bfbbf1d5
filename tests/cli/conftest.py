"""Fixtures of the query/export CLI tests: the archive the dashboard tests seed from the real
fixtures (``tests/web/gkwatch_seed.py``), shared read-only by every test of this session."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "web"))

from gkwatch_seed import seed


@pytest.fixture(scope="session")
def seeded_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    tmp = tmp_path_factory.mktemp("cli-archive")
    url = f"sqlite:///{tmp / 'seeded.db'}"
    seed(url, tmp)
    return url
