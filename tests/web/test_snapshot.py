"""The in-memory snapshots behind the overview and findings pages, and the findings filters."""

from __future__ import annotations

import datetime as dt
import threading
import time

from gkwatch.queries import filter_findings, in_region
from gkwatch.web.snapshot import Snapshot
from storage import Finding


def test_snapshot_serves_the_old_value_while_rebuilding() -> None:
    builds: list[int] = []
    running: list[int] = []
    overlap: list[bool] = []
    release = threading.Event()

    def build() -> int:
        running.append(1)
        overlap.append(len(running) > 1)
        builds.append(len(builds))
        if len(builds) > 1:
            release.wait(5)
        running.pop()
        return len(builds)

    snap = Snapshot(build, ttl=0.01)
    assert snap.get() == 1
    time.sleep(0.02)
    assert snap.get() == 1  # stale: served at once while a rebuild runs behind it
    assert snap.get() == 1  # still building: no second rebuild is started
    release.set()
    deadline = time.monotonic() + 5
    while snap.get() < 2 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert snap.get() >= 2
    assert not any(overlap), "two builds ran at once"


def test_snapshot_is_not_rebuilt_while_fresh() -> None:
    calls: list[None] = []
    snap = Snapshot(lambda: calls.append(None) or len(calls), ttl=60)
    assert [snap.get() for _ in range(5)] == [1] * 5


T = dt.datetime(2025, 6, 1, tzinfo=dt.UTC)


def finding(key: str, kind: str, agency: str, year: int, state: str = "open") -> Finding:
    return Finding(key, kind, "high", agency, year, key, {}, 1, T, T, None, state)


def test_filter_findings_by_region_prefix_and_state() -> None:
    found = [
        finding("a", "missing", "x", 2023),
        finding("b", "late", "y", 2024, "resolved"),
        finding("c", "missing", "z", 2024),
    ]
    regions = {"x": "示范省/青禾市/松川区", "y": "示范省/青禾市", "z": "示范省/白岭市"}
    keys = [f.key for f in filter_findings(found, region="示范省/青禾市", region_of=regions)]
    assert keys == ["a", "b"]
    assert [f.key for f in filter_findings(found, state="open", kind="missing")] == ["a", "c"]
    assert filter_findings(found, since=T + dt.timedelta(days=1)) == []
    assert not in_region("示范省/青禾市区", "示范省/青禾市")
