"""The single-scheduler lock: a lease in the archive, renewed by a thread while we run.

A killed scheduler's lease simply expires (``ttl``), so a restart after a crash waits at most
that long; a second scheduler started while the first is alive is refused at once.
"""

from __future__ import annotations

import datetime as dt
import os
import socket
import threading
from collections.abc import Callable

from monitor.errors import SchedulerLocked
from storage import Archive

LEASE = "gkwatch-scheduler"


def holder_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


class ServiceLock:
    def __init__(
        self,
        archive: Archive,
        url: str,
        *,
        ttl_seconds: float = 60,
        holder: str | None = None,
        on_lost: Callable[[], None] | None = None,
    ) -> None:
        self.archive = archive
        self.url = url
        self.ttl = ttl_seconds
        self.holder = holder or holder_id()
        self.on_lost = on_lost
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def acquire(self) -> None:
        if not self.archive.acquire_lease(LEASE, self.holder, self.ttl, _now()):
            raise SchedulerLocked(self.url, LEASE)
        self._thread = threading.Thread(target=self._renew, name="gkwatch-lease", daemon=True)
        self._thread.start()

    def _renew(self) -> None:
        while not self._stop.wait(self.ttl / 3):
            try:
                kept = self.archive.renew_lease(LEASE, self.holder, self.ttl, _now())
            except Exception:  # a database hiccup: try again next round, the ttl has slack
                continue
            if not kept:
                if self.on_lost:
                    self.on_lost()
                return

    def release(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self.archive.release_lease(LEASE, self.holder)

    def __enter__(self) -> ServiceLock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)
