"""The check job: gather, run the pure checks, sync the findings (one transaction)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import replace

from monitor import gather
from monitor.settings import MonitorConfig
from storage import Archive, SyncResult


def run_checks(
    archive: Archive,
    config: MonitorConfig,
    now: dt.datetime | None = None,
    *,
    kinds: Iterable[str] | None = None,
) -> SyncResult:
    """Run every enabled check over the archive and record the findings: new problems open,
    known ones get ``last_seen``, cleared ones resolve (each open/resolve queues one alert).
    ``kinds`` limits the run to some kinds (findings of other kinds are left alone)."""
    now = now or dt.datetime.now(dt.UTC)
    settings = config.settings
    if kinds is not None:  # a subset (the deadline sweep): only these open and resolve
        settings = replace(settings, kinds=tuple(k for k in settings.kinds if k in set(kinds)))
    states = gather.collect(archive, settings, now)
    return archive.sync_findings(settings.kinds, states, now=now)
