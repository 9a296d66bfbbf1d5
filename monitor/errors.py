"""Errors of the monitor package: one base, subclasses of built-in types, messages built here."""

from __future__ import annotations


class MonitorError(Exception):
    """Base of every error the monitor raises."""


class SettingsError(MonitorError, ValueError):
    """A value in the ``monitor:`` section of the config file that cannot be used."""

    def __init__(self, key: str, value: object, expected: str) -> None:
        self.key = key
        self.value = value
        super().__init__(f"config monitor.{key}: {value!r} is not {expected}")


class AlertConfigError(MonitorError, ValueError):
    """The Apprise configuration or an alert template cannot be used."""

    def __init__(self, path: str, problem: str) -> None:
        self.path = path
        self.problem = problem
        super().__init__(f"{path}: {problem}")


class SchedulerLocked(MonitorError, RuntimeError):
    """Another scheduler holds the service lock on the same database."""

    def __init__(self, url: str, lease: str) -> None:
        self.url = url
        self.lease = lease
        super().__init__(
            f"another gkwatch scheduler already runs on {url} (lock {lease!r} is held); "
            "stop it first, or wait for its lease to expire if it was killed"
        )


class LoaderError(MonitorError, ValueError):
    """The configuration loader a scheduled job names ("module:function") cannot be used."""

    def __init__(self, loader: str, problem: str) -> None:
        self.loader = loader
        self.problem = problem
        super().__init__(f"configuration loader {loader!r}: {problem}")
