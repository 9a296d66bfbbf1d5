"""Building and running the APScheduler 3.11 scheduler.

Jobs live in the archive database (``SQLAlchemyJobStore`` on the archive URL — a plain URL
string; SQLAlchemy stays inside APScheduler and storage). Every job has an explicit id and is
added with ``replace_existing=True``, so a restart updates the stored jobs instead of adding
copies; ``max_instances=1``; ``coalesce=True`` folds runs missed while the service was down
into one; a run later than ``misfire_grace_time`` is skipped until its next time.
"""

from __future__ import annotations

import logging
import signal
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.combining import OrTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from monitor.service.jobs import resolve
from monitor.service.lock import ServiceLock
from monitor.settings import MonitorConfig, Settings
from storage import Archive

JOBSTORE_TABLE = "apscheduler_jobs"
log = logging.getLogger("gkwatch.service")


@dataclass(frozen=True)
class JobSpec:
    id: str
    name: str
    func: str  # "module:function"
    trigger: BaseTrigger


def job_specs(settings: Settings) -> list[JobSpec]:
    tz = settings.timezone
    crawl_triggers = [CronTrigger(timezone=tz, **c) for c in settings.crawl_cron]
    crawl_trigger: BaseTrigger = (
        crawl_triggers[0] if len(crawl_triggers) == 1 else OrTrigger(crawl_triggers)
    )
    return [
        JobSpec("crawl", "抓取并检查", "monitor.service.jobs:crawl", crawl_trigger),
        JobSpec(
            "sweep",
            "每日截止日期检查",
            "monitor.service.jobs:sweep",
            CronTrigger(hour=settings.sweep_hour, minute=30, timezone=tz),
        ),
        JobSpec(
            "deliver",
            "发送提醒",
            "monitor.service.jobs:deliver",
            IntervalTrigger(minutes=settings.deliver_minutes, timezone=tz),
        ),
    ]


def make_scheduler(
    database_url: str, settings: Settings, cls: type[BaseScheduler] = BlockingScheduler
) -> BaseScheduler:
    return cls(
        jobstores={"default": SQLAlchemyJobStore(url=database_url, tablename=JOBSTORE_TABLE)},
        job_defaults={
            "coalesce": True,
            "max_instances": 1,
            "misfire_grace_time": settings.misfire_grace_seconds,
        },
        timezone=settings.timezone,
    )


def add_jobs(
    scheduler: BaseScheduler, specs: Sequence[JobSpec], args: Sequence[Any], grace: int
) -> None:
    for spec in specs:
        scheduler.add_job(
            spec.func,
            trigger=spec.trigger,
            args=list(args),
            id=spec.id,
            name=spec.name,
            replace_existing=True,
            max_instances=1,
            coalesce=True,
            misfire_grace_time=grace,
        )


def serve(
    config: MonitorConfig, *, loader: str, config_path: str | None = None, lock_ttl: float = 60
) -> None:
    """Run until SIGTERM/SIGINT. Refuses to start (``SchedulerLocked``) when another
    scheduler holds the lock on the same database.

    The jobs get ``(loader, config_path, config.database_url)`` and reload the configuration
    through ``loader`` ("module:function", see ``monitor.service.jobs``) on every run."""
    resolve(loader)  # a loader that cannot be imported fails now, not at the first run
    settings = config.settings
    with Archive.open(config.database_url) as archive:
        scheduler = make_scheduler(config.database_url, settings)
        lock = ServiceLock(
            archive, config.database_url, ttl_seconds=lock_ttl, on_lost=_stopper(scheduler)
        )
        with lock:
            add_jobs(
                scheduler,
                job_specs(settings),
                (loader, config_path, config.database_url),
                settings.misfire_grace_seconds,
            )
            stop = _stopper(scheduler)
            signal.signal(signal.SIGTERM, lambda *_: stop())
            signal.signal(signal.SIGINT, lambda *_: stop())
            log.info("gkwatch scheduler started (holder %s)", lock.holder)
            scheduler.start()  # blocks until shutdown; running jobs are waited for
            log.info("gkwatch scheduler stopped")


def _stopper(scheduler: BaseScheduler) -> Any:
    def stop() -> None:
        if scheduler.running:
            scheduler.shutdown(wait=True)  # lets running jobs finish

    return stop
