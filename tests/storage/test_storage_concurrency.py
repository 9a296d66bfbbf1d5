"""Two processes ingesting at once lose nothing and create no duplicates."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

import pytest
from storage_factories import ingest_worker, write_registry

from storage import Archive

SHARED, OWN, WORKERS = 30, 6, 2


@pytest.mark.slow
def test_two_writer_processes(database_url: str, tmp_path: Path) -> None:
    Archive.upgrade(database_url)
    with Archive.open(database_url) as archive:
        archive.import_registry(write_registry(tmp_path))
    ctx = multiprocessing.get_context("spawn")
    start = ctx.Event()
    procs = [
        ctx.Process(target=ingest_worker, args=(database_url, w, SHARED, OWN, start))
        for w in range(WORKERS)
    ]
    for p in procs:
        p.start()
    start.set()
    for p in procs:
        p.join(timeout=120)
    assert [p.exitcode for p in procs] == [0] * WORKERS
    with Archive.open(database_url) as archive:
        counts = archive.info()["counts"]
        assert counts["documents"] == SHARED + WORKERS * OWN
        assert counts["reports"] == SHARED + WORKERS * OWN
        assert counts["versions"] == SHARED + WORKERS * OWN  # same content: one version each
        assert counts["fetches"] == WORKERS * (SHARED + OWN)  # every attempt logged
        shared = archive.reports(agency_id="fj-pt")
        assert [r.year for r in shared] == [2000 + i for i in range(SHARED)]
        assert all(r.versions == 1 for r in shared)
        assert len(archive.reports(agency_id="fj-pt-edu")) == WORKERS * OWN
