"""The scheduled jobs as the job store runs them: by reference, with plain string arguments,
reloading the configuration through the loader gkwatch names on every run (so an edit to the
config file takes effect without a restart); a loader that cannot be used is a clear error."""

from __future__ import annotations

import pickle
import re
import sys
from pathlib import Path

import pytest
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler

from gkwatch.config import MONITOR_LOADER, Config, load_monitor_config, monitor_config
from monitor.errors import LoaderError, SettingsError
from monitor.service import jobs
from monitor.service.scheduler import JOBSTORE_TABLE, add_jobs, job_specs, make_scheduler
from monitor.settings import MonitorConfig
from storage import Archive


def _config_file(tmp_path: Path, exit_status: int) -> Path:
    # a stand-in crawl (the real one is Scrapy in its own process, tested in tests/crawler)
    path = tmp_path / "gkwatch.yaml"
    path.write_text(
        "monitor:\n"
        "  kinds: [missing]\n"
        "  schedule:\n"
        f"    crawl_command: [{sys.executable}, -c, 'raise SystemExit({exit_status})']\n",
        encoding="utf-8",
    )
    return path


def test_the_crawl_job_reloads_the_config_file_on_every_run(db_url: str, tmp_path: Path) -> None:
    path = _config_file(tmp_path, 3)
    detail = jobs.crawl(MONITOR_LOADER, str(path), db_url)
    assert (detail["returncode"], detail["failed"]) == (3, True)
    assert set(detail["checks"]) == {"opened", "updated", "resolved"}  # checks ran anyway
    _config_file(tmp_path, 0)  # the user fixes the command; the service is not restarted
    detail = jobs.crawl(MONITOR_LOADER, str(path), db_url)
    assert detail["returncode"] == 0 and "failed" not in detail
    with Archive.open(db_url) as archive:
        assert [r.status for r in archive.job_runs(job="crawl")] == ["ok", "failed"]


def test_the_checks_and_sweep_jobs_record_their_runs(db_url: str, tmp_path: Path) -> None:
    path = _config_file(tmp_path, 0)
    assert set(jobs.checks(MONITOR_LOADER, str(path), db_url)) == {"opened", "updated", "resolved"}
    jobs.sweep(MONITOR_LOADER, str(path), db_url)
    with Archive.open(db_url) as archive:
        assert sorted(r.job for r in archive.job_runs()) == ["checks", "sweep"]


@pytest.mark.parametrize(
    ("loader", "problem"),
    [
        ("gkwatch.config", "expected 'module:function'"),
        ("gkwatch.no_such_module:load", "cannot import gkwatch.no_such_module"),
        ("gkwatch.config:no_such_function", "gkwatch.config has no function no_such_function"),
        ("gkwatch.config:load", "returned Config, not a MonitorConfig"),
    ],
)
def test_a_loader_that_cannot_be_used_is_named(
    db_url: str, tmp_path: Path, loader: str, problem: str
) -> None:
    path = _config_file(tmp_path, 0)
    with pytest.raises(LoaderError, match=re.escape(f"configuration loader '{loader}': {problem}")):
        jobs.checks(loader, str(path), db_url)


def test_stored_jobs_hold_a_reference_and_plain_string_arguments(db_url: str) -> None:
    settings = MonitorConfig(database_url=db_url).settings
    args = (MONITOR_LOADER, None, db_url)
    scheduler = make_scheduler(db_url, settings, BackgroundScheduler)
    scheduler.start(paused=True)
    add_jobs(scheduler, job_specs(settings), args, settings.misfire_grace_seconds)
    scheduler.shutdown()
    store = SQLAlchemyJobStore(url=db_url, tablename=JOBSTORE_TABLE)
    stored = {j.id: j for j in store.get_all_jobs()}
    store.shutdown()
    assert {i: j.func_ref for i, j in stored.items()} == {
        "crawl": "monitor.service.jobs:crawl",
        "sweep": "monitor.service.jobs:sweep",
        "deliver": "monitor.service.jobs:deliver",
    }
    assert all(j.args == args for j in stored.values())
    assert pickle.loads(pickle.dumps(args)) == args


def test_gkwatch_builds_the_monitor_config_at_the_edge(tmp_path: Path) -> None:
    config = Config(
        database_url="sqlite:///a.db",
        registry=tmp_path / "registry.yaml",
        apprise_config=tmp_path / "apprise.yaml",
        base_url="http://gk.example",
        document_dir=tmp_path / "docs",
        sections={"monitor": {"grace_days": 3}, "web": {"x": 1}},
    )
    built = monitor_config(config)
    assert (built.database_url, built.apprise_config, built.base_url, built.document_dir) == (
        "sqlite:///a.db",
        tmp_path / "apprise.yaml",
        "http://gk.example",
        tmp_path / "docs",
    )
    assert built.settings.grace_days == 3 and dict(built.section) == {"grace_days": 3}
    # the default scheduled crawl: crawler.run's own options (see crawler/run.py)
    assert built.scheduled_crawl == (
        sys.executable,
        "-m",
        "crawler.run",
        "--database",
        "sqlite:///a.db",
        "--registry",
        str(tmp_path / "registry.yaml"),
        "--document-dir",
        str(tmp_path / "docs"),
    )
    with pytest.raises(SettingsError, match=re.escape("config monitor.grace_days: -1")):
        monitor_config(Config(database_url="sqlite://", sections={"monitor": {"grace_days": -1}}))


def test_the_loader_applies_the_database_the_service_was_started_with(tmp_path: Path) -> None:
    path = tmp_path / "gkwatch.yaml"
    path.write_text("database_url: sqlite:///from-file.db\n", encoding="utf-8")
    assert load_monitor_config(str(path), "sqlite:///given.db").database_url == "sqlite:///given.db"
