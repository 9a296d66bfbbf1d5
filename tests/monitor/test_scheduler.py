"""The service: the single-scheduler lock, jobs that survive a restart without duplicates,
and missed runs — inside the grace time run once (coalesced), outside it are skipped."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

import pytest
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.date import DateTrigger
from apscheduler.triggers.interval import IntervalTrigger

from gkwatch.config import MONITOR_LOADER
from monitor.errors import SchedulerLocked
from monitor.service.lock import LEASE, ServiceLock
from monitor.service.scheduler import JOBSTORE_TABLE, JobSpec, add_jobs, job_specs, make_scheduler
from monitor.settings import load
from storage import Archive

TOUCH = "tests.monitor.sched_jobs:touch"


def test_second_scheduler_on_the_same_database_refuses(db_url: str, archive: Archive) -> None:
    first = ServiceLock(archive, db_url, ttl_seconds=30, holder="host-a:1")
    first.acquire()
    try:
        second = ServiceLock(archive, db_url, ttl_seconds=30, holder="host-b:2")
        with pytest.raises(SchedulerLocked, match="another gkwatch scheduler already runs"):
            second.acquire()
        assert archive.lease(LEASE).holder == "host-a:1"  # type: ignore[union-attr]
    finally:
        first.release()
    assert archive.lease(LEASE) is None
    with ServiceLock(archive, db_url, ttl_seconds=30, holder="host-b:2"):
        pass


def test_a_killed_schedulers_lease_expires(archive: Archive) -> None:
    now = dt.datetime.now(dt.UTC)
    assert archive.acquire_lease(LEASE, "dead:1", 5, now)
    assert not archive.acquire_lease(LEASE, "new:2", 5, now + dt.timedelta(seconds=4))
    assert archive.acquire_lease(LEASE, "new:2", 5, now + dt.timedelta(seconds=5))
    assert not archive.renew_lease(LEASE, "dead:1", 5, now + dt.timedelta(seconds=6))


def _stored_ids(url: str) -> list[str]:
    store = SQLAlchemyJobStore(url=url, tablename=JOBSTORE_TABLE)
    store.start(None, "default")  # type: ignore[arg-type]
    try:
        return sorted(j.id for j in store.get_all_jobs())
    finally:
        store.shutdown()


def test_jobs_survive_a_restart_without_duplicates(db_url: str) -> None:
    settings = load({})
    for _ in range(3):  # three service starts on the same database
        scheduler = make_scheduler(db_url, settings, BackgroundScheduler)
        scheduler.start(paused=True)
        args = (MONITOR_LOADER, None, db_url)
        add_jobs(scheduler, job_specs(settings), args, settings.misfire_grace_seconds)
        assert sorted(j.id for j in scheduler.get_jobs()) == ["crawl", "deliver", "sweep"]
        scheduler.shutdown()
    assert _stored_ids(db_url) == ["crawl", "deliver", "sweep"]
    job = next(
        j
        for j in SQLAlchemyJobStore(url=db_url, tablename=JOBSTORE_TABLE).get_all_jobs()
        if j.id == "crawl"
    )
    assert (job.max_instances, job.coalesce, job.misfire_grace_time) == (1, True, 3600)


def _run_for(
    db_url: str, seconds: float, specs: list[JobSpec] | None, out: Path, grace: int
) -> None:
    scheduler = make_scheduler(
        db_url, load({"schedule": {"misfire_grace_seconds": grace}}), BackgroundScheduler
    )
    scheduler.start()
    if specs:
        add_jobs(scheduler, specs, (str(out),), grace)
    time.sleep(seconds)
    scheduler.shutdown()


def _runs(path: Path) -> int:
    return len(path.read_text().splitlines()) if path.exists() else 0


def test_missed_runs_inside_the_grace_time_run_once(db_url: str, tmp_path: Path) -> None:
    out = tmp_path / "runs.txt"
    # runs due at t+1, t+5, t+9 …; the service is up from t to t+0.3, then t+6 to t+7.5
    start = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=1)
    spec = JobSpec("tick", "tick", TOUCH, IntervalTrigger(seconds=4, start_date=start))
    _run_for(db_url, 0.3, [spec], out, grace=60)  # down before its first run
    assert _runs(out) == 0
    time.sleep(5.7)  # the runs due at t+1 and t+5 are missed while no scheduler is up
    _run_for(db_url, 1.5, None, out, grace=60)  # the restarted service adds nothing itself
    assert _runs(out) == 1


def test_a_run_missed_beyond_the_grace_time_is_skipped(db_url: str, tmp_path: Path) -> None:
    out = tmp_path / "runs.txt"
    at = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=1)
    _run_for(db_url, 0.2, [JobSpec("once", "once", TOUCH, DateTrigger(at))], out, grace=1)
    time.sleep(3)
    _run_for(db_url, 0.6, None, out, grace=1)
    assert _runs(out) == 0
    # the same with a grace time that covers the delay: it runs, once
    out2 = tmp_path / "runs2.txt"
    at = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=1)
    _run_for(db_url, 0.2, [JobSpec("once2", "once2", TOUCH, DateTrigger(at))], out2, grace=60)
    time.sleep(3)
    _run_for(db_url, 0.6, None, out2, grace=60)
    assert _runs(out2) == 1


def test_serve_refuses_a_second_scheduler_and_stops_on_sigterm(db_url: str, tmp_path: Path) -> None:
    import os
    import signal
    import subprocess
    import sys

    config = tmp_path / "gkwatch.yaml"
    config.write_text(f"database_url: {db_url}\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("GKWATCH_")}
    command = [sys.executable, "-m", "gkwatch.cli", "--config", str(config), "serve"]
    first = subprocess.Popen(command, env=env, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and sorted(_stored_ids(db_url)) != [
            "crawl",
            "deliver",
            "sweep",
        ]:
            time.sleep(0.2)
        assert _stored_ids(db_url) == ["crawl", "deliver", "sweep"]
        second = subprocess.run(command, env=env, capture_output=True, text=True, timeout=60)
        assert second.returncode != 0
        assert "another gkwatch scheduler already runs" in second.stderr
        first.send_signal(signal.SIGTERM)
        assert first.wait(timeout=30) == 0
    finally:
        if first.poll() is None:
            first.kill()
    with Archive.open(db_url) as archive:
        assert archive.lease(LEASE) is None  # released on the way out
