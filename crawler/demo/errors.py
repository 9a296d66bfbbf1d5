"""Errors of the demo portal: one base, subclasses of built-in types, messages built here."""

from __future__ import annotations

from pathlib import Path


class DemoError(Exception):
    """Base of every error the demo portal raises."""


class ManifestError(DemoError, ValueError):
    def __init__(self, path: Path, problem: str) -> None:
        self.path = path
        self.problem = problem
        super().__init__(f"{path}: not a demo manifest ({problem})")


class NotADemoSite(DemoError, FileNotFoundError):
    def __init__(self, out_dir: Path, missing: str) -> None:
        self.out_dir = out_dir
        self.missing = missing
        super().__init__(f"{out_dir}: not a demo portal ({missing} is missing; run build first)")


class EncodingClash(DemoError, ValueError):
    """A page meant to be served in GBK holds a character GBK cannot encode."""

    def __init__(self, path: str, encoding: str, detail: str) -> None:
        self.path = path
        self.encoding = encoding
        super().__init__(f"{path}: cannot be encoded as {encoding} ({detail})")
