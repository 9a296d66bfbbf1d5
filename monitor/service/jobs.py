"""The scheduled jobs. Module-level functions with string arguments only, because the
SQLAlchemy job store keeps them by reference ("monitor.service.jobs:crawl") and pickles the
arguments. Each opens the archive, does its work, and logs its outcome (``job_runs``)."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from collections.abc import Callable
from typing import Any

from gkwatch import config as gkconfig
from monitor.alerts.deliver import deliver as _deliver
from monitor.job import run_checks
from monitor.settings import load
from storage import Archive

DEADLINE_KINDS = ("missing", "due")
CRAWL_TIMEOUT = 6 * 3600


def _logged(
    job: str, config_path: str | None, database_url: str, work: Callable[..., dict[str, Any]]
) -> dict[str, Any]:
    cfg = gkconfig.load(config_path, database_url)
    started = dt.datetime.now(dt.UTC)
    with Archive.open(cfg.database_url, document_dir=cfg.document_dir) as archive:
        try:
            detail = work(archive, cfg)
        except Exception as exc:
            archive.record_job_run(
                job,
                started,
                dt.datetime.now(dt.UTC),
                "failed",
                {"error": f"{type(exc).__name__}: {exc}"},
            )
            raise
        status = "failed" if detail.get("failed") else "ok"
        archive.record_job_run(job, started, dt.datetime.now(dt.UTC), status, detail)
        return detail


def crawl_command(cfg: gkconfig.Config) -> list[str]:
    settings = load(cfg.section("monitor"))
    if settings.crawl_command:
        return [*settings.crawl_command]
    command = [sys.executable, "-m", "crawler.run", "--database", cfg.database_url]
    if cfg.registry is not None:
        command += ["--registry", str(cfg.registry)]
    return command


def crawl(config_path: str | None, database_url: str) -> dict[str, Any]:
    """One crawl in its own process (a Twisted reactor cannot be restarted), then the checks."""

    def work(archive: Archive, cfg: gkconfig.Config) -> dict[str, Any]:
        command = crawl_command(cfg)
        proc = subprocess.run(command, capture_output=True, text=True, timeout=CRAWL_TIMEOUT)
        detail: dict[str, Any] = {"command": command, "returncode": proc.returncode}
        if proc.returncode != 0:
            detail["failed"] = True
            detail["stderr"] = proc.stderr[-2000:]
        # the checks run after every crawl, even a failed one (crawl_failing needs it)
        result = run_checks(archive, cfg)
        detail["checks"] = {
            "opened": result.opened,
            "updated": result.updated,
            "resolved": result.resolved,
        }
        return detail

    return _logged("crawl", config_path, database_url, work)


def checks(config_path: str | None, database_url: str) -> dict[str, Any]:
    def work(archive: Archive, cfg: gkconfig.Config) -> dict[str, Any]:
        r = run_checks(archive, cfg)
        return {"opened": r.opened, "updated": r.updated, "resolved": r.resolved}

    return _logged("checks", config_path, database_url, work)


def sweep(config_path: str | None, database_url: str) -> dict[str, Any]:
    """The daily deadline sweep: ``missing``/``due`` change with the date alone."""

    def work(archive: Archive, cfg: gkconfig.Config) -> dict[str, Any]:
        r = run_checks(archive, cfg, kinds=DEADLINE_KINDS)
        return {"opened": r.opened, "updated": r.updated, "resolved": r.resolved}

    return _logged("sweep", config_path, database_url, work)


def deliver(config_path: str | None, database_url: str) -> dict[str, Any]:
    def work(archive: Archive, cfg: gkconfig.Config) -> dict[str, Any]:
        r = _deliver(archive, cfg)
        return {
            "sent": r.sent,
            "failed": r.failed,
            "skipped": r.skipped,
            "unrouted": r.unrouted,
            "errors": list(r.errors[:20]),
        }

    return _logged("deliver", config_path, database_url, work)
