"""Package the Scrapy project as an egg for Scrapyd's ``addversion.json``.

The egg holds the ``crawler`` package and the ``scrapy`` entry point Scrapyd looks for; the
libraries it uses (``parser``, ``storage``, Scrapy, SQLAlchemy …) are installed on every node
like any other dependency (``pip install gkwatch``), because storage's Alembic migrations
must live on a real file system, not inside a zip.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from crawler.errors import CrawlFailed

ROOT = Path(__file__).resolve().parents[1]

_SETUP = """\
from setuptools import find_packages, setup

setup(
    name="gkwatch-crawler",
    version={version!r},
    packages=find_packages(include=["crawler", "crawler.*"]),
    entry_points={{"scrapy": ["settings = crawler.settings"]}},
    zip_safe=True,
)
"""


def build_egg(version: str, *, root: Path = ROOT) -> bytes:
    """The bytes of an egg of ``root/crawler`` (version ``version``)."""
    with tempfile.TemporaryDirectory(prefix="gkwatch-egg-") as tmp:
        work = Path(tmp)
        shutil.copytree(
            root / "crawler",
            work / "crawler",
            ignore=shutil.ignore_patterns("__pycache__", "*.pyc"),
        )
        shutil.copy(root / "scrapy.cfg", work / "scrapy.cfg")
        (work / "setup.py").write_text(_SETUP.format(version=version), encoding="utf-8")
        proc = subprocess.run(
            [sys.executable, "setup.py", "-q", "bdist_egg", "-d", str(work / "dist")],
            cwd=work,
            capture_output=True,
            text=True,
        )
        eggs = sorted((work / "dist").glob("*.egg"))
        if proc.returncode != 0 or not eggs:
            raise CrawlFailed("building the egg", proc.stderr.strip()[-2000:] or "no egg made")
        return eggs[0].read_bytes()
