"""The scheduled jobs. Module-level functions with string arguments only, because the
SQLAlchemy job store keeps them by reference ("monitor.service.jobs:crawl") and pickles the
arguments. Each opens the archive, does its work, and logs its outcome (``job_runs``).

Every job gets ``(loader, config_path, database_url)``: ``loader`` names, as
"module:function", the front end's function that reads its configuration and returns a
``MonitorConfig`` (gkwatch passes "gkwatch.config:load_monitor_config"). The job calls it on
every run, so an edit to the config file takes effect without restarting the service, and
monitor never imports the front end.
"""

from __future__ import annotations

import datetime as dt
import importlib
import subprocess
from collections.abc import Callable
from typing import Any

from monitor.alerts.deliver import deliver as _deliver
from monitor.errors import LoaderError
from monitor.job import run_checks
from monitor.settings import MonitorConfig
from storage import Archive

DEADLINE_KINDS = ("missing", "due")
CRAWL_TIMEOUT = 6 * 3600

Loader = Callable[[str | None, str], MonitorConfig]


def resolve(loader: str) -> Loader:
    """The function ``loader`` ("module:function") names."""
    module_name, sep, name = loader.partition(":")
    if not sep or not module_name or not name:
        raise LoaderError(loader, "expected 'module:function'")
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise LoaderError(loader, f"cannot import {module_name}: {exc}") from exc
    func = getattr(module, name, None)
    if not callable(func):
        raise LoaderError(loader, f"{module_name} has no function {name}")
    result: Loader = func
    return result


def load_config(loader: str, config_path: str | None, database_url: str) -> MonitorConfig:
    config = resolve(loader)(config_path, database_url)
    if not isinstance(config, MonitorConfig):
        raise LoaderError(loader, f"returned {type(config).__name__}, not a MonitorConfig")
    return config


def _logged(
    job: str,
    args: tuple[str, str | None, str],
    work: Callable[[Archive, MonitorConfig], dict[str, Any]],
) -> dict[str, Any]:
    cfg = load_config(*args)
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


def _checked(
    archive: Archive, cfg: MonitorConfig, kinds: tuple[str, ...] | None = None
) -> dict[str, Any]:
    r = run_checks(archive, cfg, kinds=kinds)
    return {"opened": r.opened, "updated": r.updated, "resolved": r.resolved}


def crawl(loader: str, config_path: str | None, database_url: str) -> dict[str, Any]:
    """One crawl in its own process (a Twisted reactor cannot be restarted), then the checks."""

    def work(archive: Archive, cfg: MonitorConfig) -> dict[str, Any]:
        command = list(cfg.scheduled_crawl)
        if not command:
            detail: dict[str, Any] = {"failed": True, "error": "no crawl command configured"}
        else:
            proc = subprocess.run(command, capture_output=True, text=True, timeout=CRAWL_TIMEOUT)
            detail = {"command": command, "returncode": proc.returncode}
            if proc.returncode != 0:
                detail["failed"] = True
                detail["stderr"] = proc.stderr[-2000:]
        # the checks run after every crawl, even a failed one (crawl_failing needs it)
        detail["checks"] = _checked(archive, cfg)
        return detail

    return _logged("crawl", (loader, config_path, database_url), work)


def checks(loader: str, config_path: str | None, database_url: str) -> dict[str, Any]:
    return _logged("checks", (loader, config_path, database_url), _checked)


def sweep(loader: str, config_path: str | None, database_url: str) -> dict[str, Any]:
    """The daily deadline sweep: ``missing``/``due`` change with the date alone."""

    def work(archive: Archive, cfg: MonitorConfig) -> dict[str, Any]:
        return _checked(archive, cfg, DEADLINE_KINDS)

    return _logged("sweep", (loader, config_path, database_url), work)


def deliver(loader: str, config_path: str | None, database_url: str) -> dict[str, Any]:
    def work(archive: Archive, cfg: MonitorConfig) -> dict[str, Any]:
        r = _deliver(archive, cfg)
        return {
            "sent": r.sent,
            "failed": r.failed,
            "skipped": r.skipped,
            "unrouted": r.unrouted,
            "errors": list(r.errors[:20]),
        }

    return _logged("deliver", (loader, config_path, database_url), work)
