from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import crawl_fixture_site as fixture_site
import pytest
from crawl_siteserver import Site, serve


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    from storage import Archive

    url = f"sqlite:///{tmp_path / 'archive.db'}"
    Archive.upgrade(url)
    return url


@pytest.fixture
def site(tmp_path: Path) -> Iterator[tuple[Site, Path, list[fixture_site.Expected]]]:
    """The two-agency fixture portal (``crawl_fixture_site``) served on 127.0.0.1."""
    root = tmp_path / "site"
    with serve(Site(root=root, content_types=dict(fixture_site.CONTENT_TYPES))) as s:
        registry, expected = fixture_site.build(root, s.url)
        yield s, registry, expected
