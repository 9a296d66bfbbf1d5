from __future__ import annotations

from pathlib import Path

import pytest

from crawler.demo import DemoManifest, build_site


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, DemoManifest]:
    """One portal in its initial state, shared by the read-only tests."""
    out = tmp_path_factory.mktemp("demo")
    return out, build_site(out, seed=0, base_url="http://127.0.0.1:8765")


@pytest.fixture(scope="session")
def site(built: tuple[Path, DemoManifest]) -> Path:
    return built[0] / "site"


@pytest.fixture(scope="session")
def manifest(built: tuple[Path, DemoManifest]) -> DemoManifest:
    return built[1]
