"""What ``gkwatch status`` shows: each job's next run (from the job store) and last run and
outcome (from ``job_runs``), and who holds the scheduler lock."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore

from monitor.service.lock import LEASE
from monitor.service.scheduler import JOBSTORE_TABLE
from storage import Archive
from storage.types import JobRun, Lease


@dataclass(frozen=True)
class JobStatus:
    id: str
    name: str
    next_run: dt.datetime | None
    last: JobRun | None


@dataclass(frozen=True)
class ServiceStatus:
    jobs: tuple[JobStatus, ...]
    lock: Lease | None
    now: dt.datetime

    @property
    def running(self) -> bool:
        return self.lock is not None and self.lock.until > self.now


def status(archive: Archive, database_url: str, now: dt.datetime | None = None) -> ServiceStatus:
    now = now or dt.datetime.now(dt.UTC)
    store = SQLAlchemyJobStore(url=database_url, tablename=JOBSTORE_TABLE)
    try:
        store.start(None, "default")  # creates the (empty) job table when no service ever ran
        stored = store.get_all_jobs()
    finally:
        store.shutdown()
    jobs = []
    seen = set()
    for job in stored:
        seen.add(job.id)
        last = archive.job_runs(job=job.id, limit=1)
        jobs.append(JobStatus(job.id, job.name, job.next_run_time, last[0] if last else None))
    for run in archive.job_runs(limit=50):  # jobs run by hand (gkwatch check) or since removed
        if run.job not in seen:
            seen.add(run.job)
            jobs.append(JobStatus(run.job, run.job, None, run))
    return ServiceStatus(tuple(jobs), archive.lease(LEASE), now)
