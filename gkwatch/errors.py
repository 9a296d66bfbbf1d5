"""Errors of the gkwatch front (configuration, command line)."""

from __future__ import annotations


class GkwatchError(Exception):
    """Base of errors raised by the gkwatch package itself."""


class ConfigError(GkwatchError, ValueError):
    def __init__(self, path: str, problem: str) -> None:
        self.path = path
        self.problem = problem
        super().__init__(f"{path}: {problem}")


class QueryError(GkwatchError, ValueError):
    """A question the archive cannot answer as asked (a bad filter, an unknown version)."""

    def __init__(self, problem: str) -> None:
        self.problem = problem
        super().__init__(problem)
