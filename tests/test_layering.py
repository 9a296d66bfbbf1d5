"""Dependencies point one way (docs/contracts.md): ``parser`` imports nothing of ours,
``storage`` only ``parser``, ``crawler`` and ``monitor`` only ``parser`` and ``storage``;
SQLAlchemy (and Alembic) only under ``storage/``, Scrapy and Twisted only under ``crawler/``.
The one exception: APScheduler's SQLAlchemy job store, which the service keeps its jobs in,
may be imported under ``monitor/service/``.

The source is read with ``ast``, not imported: every ``import``/``from … import`` counts,
inside functions and ``if TYPE_CHECKING:`` blocks too, and so does
``importlib.import_module("…")``/``__import__("…")`` with a literal name.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

OURS = ("parser", "storage", "crawler", "monitor", "gkwatch")
#: package -> the packages of ours it may import (itself always)
ALLOWED: dict[str, frozenset[str]] = {
    "parser": frozenset(),
    "storage": frozenset({"parser"}),
    "crawler": frozenset({"parser", "storage"}),
    "monitor": frozenset({"parser", "storage"}),
}
#: third-party top-level package -> the only package of ours that may import it
CONFINED = {
    "sqlalchemy": "storage",
    "alembic": "storage",
    "scrapy": "crawler",
    "twisted": "crawler",
}
#: a module -> the only folder that may import it (despite a rule above)
EXCEPTIONS = {"apscheduler.jobstores.sqlalchemy": "monitor/service/"}


@dataclass(frozen=True)
class Import:
    path: str  # relative to the root, with "/"
    line: int
    name: str  # absolute dotted name of the imported module (or module.attribute)


def module_name(root: Path, path: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _absolute(module: str, is_package: bool, level: int, name: str | None) -> str:
    """The absolute name of ``from <level dots><name> import …`` written in ``module``."""
    if level == 0:
        return name or ""
    package = module.split(".") if is_package else module.split(".")[:-1]
    base = package[: len(package) - (level - 1)]
    return ".".join([*base, *([name] if name else [])])


def _literal_import(node: ast.Call) -> str | None:
    func = node.func
    called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
    if called not in ("import_module", "__import__") or not node.args:
        return None
    first = node.args[0]
    return first.value if isinstance(first, ast.Constant) and isinstance(first.value, str) else None


def imports(root: Path, path: Path) -> Iterator[Import]:
    rel = path.relative_to(root).as_posix()
    module = module_name(root, path)
    is_package = path.name == "__init__.py"
    tree = ast.parse(path.read_bytes(), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield Import(rel, node.lineno, alias.name)
        elif isinstance(node, ast.ImportFrom):
            base = _absolute(module, is_package, node.level, node.module)
            yield Import(rel, node.lineno, base)
            for alias in node.names:  # ``from pkg import submodule`` imports pkg.submodule
                if alias.name != "*":
                    yield Import(rel, node.lineno, f"{base}.{alias.name}")
        elif isinstance(node, ast.Call) and (name := _literal_import(node)):
            yield Import(rel, node.lineno, name)


def sources(root: Path) -> Iterator[Path]:
    for package in ALLOWED:
        for path in sorted((root / package).rglob("*.py")):
            if "__pycache__" not in path.parts:
                yield path


def _problem(package: str, imp: Import) -> str | None:
    top = imp.name.split(".")[0]
    for module, folder in EXCEPTIONS.items():
        if imp.name == module or imp.name.startswith(module + "."):
            return None if imp.path.startswith(folder) else f"only {folder} may import {module}"
    if top in OURS and top != package and top not in ALLOWED[package]:
        allowed = ", ".join(sorted(ALLOWED[package])) or "nothing of ours"
        return f"{package} may import {allowed}"
    if top in CONFINED and CONFINED[top] != package:
        return f"only {CONFINED[top]}/ may import {top}"
    return None


def violations(root: Path) -> list[str]:
    """One line per import statement that breaks a rule (a ``from`` import names its module)."""
    found: dict[tuple[str, int, str], str] = {}
    for path in sources(root):
        package = path.relative_to(root).parts[0]
        for imp in imports(root, path):
            problem = _problem(package, imp)
            if problem:
                found.setdefault((imp.path, imp.line, problem), imp.name)
    return [
        f"{path}:{line} imports {name}: {problem}"
        for (path, line, problem), name in sorted(found.items())
    ]


def test_the_packages_import_only_what_the_design_allows() -> None:
    assert violations(ROOT) == []


def test_the_walk_reads_every_package_and_sees_their_imports() -> None:
    seen = {(imp.path, imp.name) for path in sources(ROOT) for imp in imports(ROOT, path)}
    files = {p for p, _ in seen}
    assert {"parser/record.py", "storage/archive.py", "crawler/pipelines.py"} <= files
    assert {"monitor/job.py", "monitor/service/jobs.py"} <= files
    names = {n for _, n in seen}
    # imports the rules allow are seen too, so an empty result means clean, not blind
    assert "sqlalchemy" in {n.split(".")[0] for p, n in seen if p.startswith("storage/")}
    assert "scrapy" in {n.split(".")[0] for p, n in seen if p.startswith("crawler/")}
    assert ("monitor/service/status.py", "apscheduler.jobstores.sqlalchemy") in seen
    assert "storage" in {n.split(".")[0] for p, n in seen if p.startswith("monitor/")}
    assert "parser.record" in names


def _tree(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def test_every_kind_of_forbidden_import_is_reported(tmp_path: Path) -> None:
    root = _tree(
        tmp_path,
        {
            "parser/__init__.py": "",
            "parser/leaf.py": "from storage import Archive\n",
            "storage/__init__.py": "import sqlalchemy\nfrom parser import record\n",
            "storage/bad.py": "from monitor.settings import Settings\nimport scrapy.http\n",
            "crawler/__init__.py": "from twisted.internet import reactor\nimport storage\n",
            "crawler/db.py": "from sqlalchemy.orm import Session\n",
            "monitor/__init__.py": "",
            "monitor/job.py": (
                "from typing import TYPE_CHECKING\n"
                "if TYPE_CHECKING:\n"
                "    from gkwatch.config import Config\n"
                "def f():\n"
                "    import importlib\n"
                "    return importlib.import_module('gkwatch.config')\n"
            ),
            "monitor/alerts/store.py": "from apscheduler.jobstores import sqlalchemy\n",
            "monitor/service/__init__.py": "",
            "monitor/service/ok.py": (
                "from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore\n"
                "from .. import job\nfrom ..alerts import store\n"
            ),
            "monitor/service/sneaky.py": "from ...crawler import run\n__import__('crawler')\n",
        },
    )
    assert violations(root) == [
        "crawler/db.py:1 imports sqlalchemy.orm: only storage/ may import sqlalchemy",
        "monitor/alerts/store.py:1 imports apscheduler.jobstores.sqlalchemy: "
        "only monitor/service/ may import apscheduler.jobstores.sqlalchemy",
        "monitor/job.py:3 imports gkwatch.config: monitor may import parser, storage",
        "monitor/job.py:6 imports gkwatch.config: monitor may import parser, storage",
        "monitor/service/sneaky.py:1 imports crawler: monitor may import parser, storage",
        "monitor/service/sneaky.py:2 imports crawler: monitor may import parser, storage",
        "parser/leaf.py:1 imports storage: parser may import nothing of ours",
        "storage/bad.py:1 imports monitor.settings: storage may import parser",
        "storage/bad.py:2 imports scrapy.http: only crawler/ may import scrapy",
    ]
