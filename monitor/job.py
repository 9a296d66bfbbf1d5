"""The check job: gather, run the pure checks, sync the findings (one transaction)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import replace

from gkwatch.config import Config
from monitor import gather
from monitor.settings import load
from storage import Archive, SyncResult


def run_checks(
    archive: Archive,
    config: Config,
    now: dt.datetime | None = None,
    *,
    kinds: Iterable[str] | None = None,
) -> SyncResult:
    """Run every enabled check over the archive and record the findings: new problems open,
    known ones get ``last_seen``, cleared ones resolve (each open/resolve queues one alert).
    ``kinds`` limits the run to some kinds (findings of other kinds are left alone)."""
    now = now or dt.datetime.now(dt.UTC)
    settings = load(config.section("monitor"))
    if kinds is not None:  # a subset (the deadline sweep): only these open and resolve
        settings = replace(settings, kinds=tuple(k for k in settings.kinds if k in set(kinds)))
    states = gather.collect(archive, settings, now)
    return archive.sync_findings(settings.kinds, states, now=now)
