"""Snapshots of archive-wide views (the overview, all findings) kept in memory for the pages.

Building one reads the whole archive, which on a big archive takes seconds; pages must answer
in milliseconds. A snapshot older than ``ttl`` is rebuilt in the background while requests
keep getting the previous one (stale-while-revalidate): the dashboard lags the archive by at
most ``ttl`` seconds plus one build.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")


class Snapshot(Generic[T]):
    def __init__(self, build: Callable[[], T], ttl: float = 30.0) -> None:
        self._build = build
        self._ttl = ttl
        self._lock = threading.Lock()  # one build at a time
        self._value: T | None = None
        self._built_at = 0.0
        self._refreshing = False

    def _rebuild(self) -> T:
        with self._lock:
            value = self._build()
            self._value, self._built_at = value, time.monotonic()
            self._refreshing = False
            return value

    def get(self) -> T:
        value = self._value
        if value is None:
            return self._rebuild()  # nothing to serve yet: the first caller waits
        if time.monotonic() - self._built_at > self._ttl and not self._refreshing:
            self._refreshing = True
            threading.Thread(target=self._rebuild, daemon=True).start()
        return value

    def invalidate(self) -> None:
        self._built_at = 0.0
