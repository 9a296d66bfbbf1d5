"""Fixtures of the dashboard tests: one archive seeded from the real fixtures (see
``gkwatch_seed``), a FastAPI TestClient over it, and a live server for the browser tests."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from gkwatch_live import LiveServer
from gkwatch_seed import seed

from gkwatch.web.app import create_app
from storage import Archive


@pytest.fixture(scope="session")
def seeded_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    tmp = tmp_path_factory.mktemp("web-archive")
    url = f"sqlite:///{tmp / 'seeded.db'}"
    seed(url, tmp)
    return url


@pytest.fixture(scope="session")
def client(seeded_url: str) -> Iterator[TestClient]:
    app = create_app(lambda: Archive.open(seeded_url))
    with TestClient(app) as test_client:
        yield test_client


@pytest.fixture(scope="session")
def live_server(seeded_url: str) -> Iterator[LiveServer]:
    with LiveServer(seeded_url) as server:
        yield server


@pytest.fixture(scope="session")
def screenshot_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``$GKWATCH_SCREENSHOT_DIR`` when set (to keep them), else pytest's temporary dir."""
    chosen = os.environ.get("GKWATCH_SCREENSHOT_DIR")
    out = Path(chosen) if chosen else tmp_path_factory.mktemp("screenshots")
    out.mkdir(parents=True, exist_ok=True)
    return out
