"""Errors of the crawler package: one base, subclasses of built-in types, messages built here."""

from __future__ import annotations


class CrawlerError(Exception):
    """Base of every error the crawler raises."""


class SettingError(CrawlerError, ValueError):
    def __init__(self, name: str, problem: str) -> None:
        self.name = name
        self.problem = problem
        super().__init__(f"setting {name}: {problem}")


class CrawlFailed(CrawlerError, RuntimeError):
    def __init__(self, what: str, detail: str) -> None:
        self.what = what
        self.detail = detail
        super().__init__(f"{what}: {detail}")


class ScrapydError(CrawlerError, RuntimeError):
    def __init__(self, node: str, problem: str) -> None:
        self.node = node
        self.problem = problem
        super().__init__(f"Scrapyd node {node}: {problem}")
