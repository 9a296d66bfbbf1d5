"""Items to the archive in batches, written on one worker thread so the reactor keeps
downloading meanwhile.

One commit per page made the storage thread, not the network, the limit of a fast crawl; a
batch costs a few transactions whatever its size (see ``crawler.recorder``). A batch is handed
over when it holds ``size`` items, or ``interval`` seconds after its first item once the worker
is free: while a batch is being written the next one fills up, so batches grow with the load
and a slow trickle of items is not held back longer than ``interval``.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Generic, TypeVar

T = TypeVar("T")


class Batcher(Generic[T]):
    def __init__(self, write: Callable[[list[T]], None], *, size: int, interval: float) -> None:
        self.write = write
        self.size = max(1, size)
        self.interval = max(0.0, interval)
        self.worker = ThreadPoolExecutor(1, thread_name_prefix="gkwatch-archive")
        self.pending: list[tuple[T, asyncio.Future[None]]] = []
        self.timer: asyncio.TimerHandle | None = None
        self.writing = 0  # batches handed to the worker and not yet written
        self.due = False  # the interval of the pending batch has passed

    def submit(self, entry: T) -> asyncio.Future[None]:
        """Queue ``entry``; the future resolves when the batch holding it is written (or
        fails with what the write raised). Entries are written in the order submitted."""
        loop = asyncio.get_running_loop()
        done: asyncio.Future[None] = loop.create_future()
        self.pending.append((entry, done))
        if len(self.pending) >= self.size:
            self.flush()
        elif self.timer is None and not self.due:
            self.timer = loop.call_later(self.interval, self._interval_passed)
        return done

    def _interval_passed(self) -> None:
        self.timer = None
        self.due = True
        if not self.writing:
            self.flush()

    def flush(self) -> None:
        """Hand what is pending to the worker now."""
        if self.timer is not None:
            self.timer.cancel()
            self.timer = None
        self.due = False
        if not self.pending:
            return
        batch, self.pending = self.pending, []
        loop = asyncio.get_running_loop()
        self.writing += 1
        job = loop.run_in_executor(self.worker, self.write, [entry for entry, _ in batch])

        def settle(job: asyncio.Future[None]) -> None:
            self.writing -= 1
            error = None if job.cancelled() else job.exception()
            for _, done in batch:
                if done.done():
                    continue
                if job.cancelled():
                    done.cancel()
                elif error is not None:
                    done.set_exception(error)
                else:
                    done.set_result(None)
            if self.due and not self.writing:
                self.flush()

        job.add_done_callback(settle)

    def close(self) -> None:
        """Wait for the batches handed over so far (the crawl has ended)."""
        self.worker.shutdown(wait=True)
