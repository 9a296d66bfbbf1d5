from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    from storage import Archive

    url = f"sqlite:///{tmp_path / 'archive.db'}"
    Archive.upgrade(url)
    return url
