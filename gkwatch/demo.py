"""``gkwatch demo``, step by step: build and serve the demo portal, crawl it into a fresh
SQLite archive (the crawl in its own process), check, alert, summarise.

The steps are plain functions over a ``DemoRun`` so that the command stays a thin shell and
the end-to-end test can drive them with its own paths.
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import platformdirs

from gkwatch.config import APP, Config, monitor_config
from gkwatch.errors import GkwatchError

if TYPE_CHECKING:
    from crawler.demo import DemoManifest, DemoServer
    from monitor import DeliveryReport
    from storage import SyncResult

#: The crawler's politeness (delays, autothrottle) is for agencies' servers; the demo portal
#: is our own, on 127.0.0.1, so the demo crawls it at full speed.
LOCAL_PORTAL_SETTINGS = {
    "DOWNLOAD_DELAY": "0",
    "DOWNLOAD_DELAY_JITTER": "0",
    "AUTOTHROTTLE_ENABLED": "False",
    "CONCURRENT_REQUESTS_PER_DOMAIN": "8",
}

#: Written into the work dir; only a directory holding it is ever wiped by a new demo.
MARKER = ".gkwatch-demo"


class DemoFailed(GkwatchError, RuntimeError):
    def __init__(self, step: str, detail: str) -> None:
        self.step = step
        super().__init__(f"demo: {step} failed: {detail}")


def default_workdir() -> Path:
    return Path(platformdirs.user_data_dir(APP)) / "demo"


def fresh_workdir(path: Path) -> Path:
    """Empty ``path`` for a new demo; refuses to wipe a directory the demo did not make."""
    if path.exists() and any(path.iterdir()):
        if not (path / MARKER).is_file():
            raise DemoFailed(
                "preparing the work directory",
                f"{path} is not empty and was not made by gkwatch demo; choose another --workdir",
            )
        shutil.rmtree(path)
    path.mkdir(parents=True, exist_ok=True)
    (path / MARKER).write_text("made by gkwatch demo; wiped by the next run\n", encoding="utf-8")
    return path


@dataclass
class DemoRun:
    workdir: Path
    manifest: DemoManifest | None = None
    portal: DemoServer | None = None
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def site(self) -> Path:
        return self.workdir / "portal"

    @property
    def database_url(self) -> str:
        return f"sqlite:///{self.workdir / 'archive.db'}"

    @property
    def crawl_log(self) -> Path:
        return self.workdir / "crawl.log"

    def timed(self, name: str, started: float) -> None:
        self.timings[name] = round(time.perf_counter() - started, 2)


def build_and_serve(run: DemoRun) -> DemoManifest:
    from crawler.demo import build_site, serve, write_registry

    started = time.perf_counter()
    manifest = build_site(run.site, seed=0)
    run.portal = serve(run.site, "127.0.0.1", 0)
    run.manifest = write_registry(run.site, manifest, run.portal.url)
    run.timed("build", started)
    return run.manifest


def create_archive(run: DemoRun) -> int:
    """A fresh archive holding the demo registry; returns the number of agencies."""
    from crawler.demo.model import REGISTRY_NAME
    from storage import Archive

    Archive.upgrade(run.database_url)
    with Archive.open(run.database_url) as archive:
        result = archive.import_registry(run.site / REGISTRY_NAME)
    return result.added + result.updated + result.unchanged


def crawl(
    run: DemoRun, label: str, progress: Callable[[int], None] | None = None
) -> dict[str, Any]:
    """``gkwatch crawl --json`` in its own process; ``progress(reports in archive)`` while it
    runs. Its log goes to ``crawl.log`` in the work dir."""
    import json

    from storage import Archive

    started = time.perf_counter()
    command = [sys.executable, "-m", "gkwatch.cli", "--database", run.database_url, "crawl"]
    for name, value in LOCAL_PORTAL_SETTINGS.items():
        command += ["-s", f"{name}={value}"]
    command.append("--json")
    with run.crawl_log.open("a", encoding="utf-8") as log:
        log.write(f"\n===== {label}: {' '.join(command)}\n")
        log.flush()
        proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=log, text=True)
        with Archive.open(run.database_url) as archive:
            while proc.poll() is None:
                if progress is not None:
                    progress(len(archive.reports()))
                time.sleep(0.5)
            if progress is not None:
                progress(len(archive.reports()))
        out = proc.stdout.read() if proc.stdout else ""
    run.timed(label, started)
    if proc.returncode != 0 and not out.strip():
        raise DemoFailed(label, f"gkwatch crawl exited with {proc.returncode}; see {run.crawl_log}")
    try:
        summary: dict[str, Any] = json.loads(out)
    except ValueError as exc:
        raise DemoFailed(
            label, f"gkwatch crawl printed no JSON summary; see {run.crawl_log}"
        ) from exc
    return summary


def apply_edits(run: DemoRun) -> DemoManifest:
    """Move the portal to its later state (an edited report, a removed one)."""
    from crawler.demo import apply_edits as edit

    assert run.manifest is not None
    run.manifest = edit(run.site, run.manifest)
    return run.manifest


def check(run: DemoRun, config: Config, now: dt.datetime) -> SyncResult:
    from monitor import run_checks
    from storage import Archive

    started = time.perf_counter()
    with Archive.open(run.database_url) as archive:
        result = run_checks(archive, monitor_config(config), now)
    run.timed("checks", started)
    return result


def check_apprise_urls(urls: Sequence[str]) -> None:
    """Refuse an Apprise URL before the demo starts, not after a minute of crawling."""
    import apprise

    for url in urls:
        if not apprise.Apprise().add(url):
            raise DemoFailed("checking --apprise", f"Apprise does not understand the URL {url!r}")


#: Where the Apprise console channel sends messages (set by ``alert``).
_CONSOLE_SINK: list[Callable[[str, str, str], None]] = []
_REGISTERED: list[bool] = []


def _register_console() -> None:
    """An Apprise plugin ``gkwatchconsole://``: alerts reach the console through Apprise
    itself, so the demo exercises the same delivery path as a real channel."""
    if _REGISTERED:
        return
    from apprise.decorators import notify

    def _console(body: str, title: str, notify_type: str, *args: Any, **kwargs: Any) -> bool:
        for sink in _CONSOLE_SINK:
            sink(title, body, notify_type)
        return True

    notify(on="gkwatchconsole", name="gkwatch console")(_console)  # type: ignore[no-untyped-call]

    _REGISTERED.append(True)


def alert(
    run: DemoRun,
    config: Config,
    now: dt.datetime,
    urls: Sequence[str],
    on_message: Callable[[str, str, str], None],
) -> DeliveryReport:
    """Deliver the outbox through Apprise: a console channel (``on_message``) plus ``urls``."""
    import apprise

    from monitor import deliver
    from storage import Archive

    _register_console()
    _CONSOLE_SINK[:] = [on_message]
    channels = apprise.Apprise()
    channels.add("gkwatchconsole://", tag="always")
    for url in urls:
        if not channels.add(url, tag="always"):
            raise DemoFailed("alerts", f"Apprise does not understand the URL {url!r}")
    started = time.perf_counter()
    with Archive.open(run.database_url) as archive:
        report = deliver(archive, monitor_config(config), now, channels=channels)
    run.timed("alerts", started)
    return report


def not_archived(manifest: DemoManifest, database_url: str) -> list[tuple[str, int]]:
    """Reports the portal publishes (in its current state) that the archive does not hold."""
    from storage import Archive

    with Archive.open(database_url) as archive:
        held = {(r.agency_id, r.year) for r in archive.reports()}
    return sorted({(r.agency_id, r.year) for r in manifest.expected_reports()} - held)


def planted_vs_found(manifest: DemoManifest, database_url: str) -> list[dict[str, Any]]:
    """For each kind of planted problem: how many the portal shows, how many were found."""
    from storage import Archive

    planted = Counter(p.kind for p in manifest.open_problems)
    planted_keys = {(p.kind, p.agency_id, p.year) for p in manifest.open_problems}
    with Archive.open(database_url) as archive:
        found = archive.findings(open_only=True)
    found_keys = {(f.kind, f.agency_id, f.year) for f in found}
    kinds = sorted(set(planted) | {f.kind for f in found})
    return [
        {
            "kind": kind,
            "planted": planted.get(kind, 0),
            "found": sum(1 for f in found if f.kind == kind),
            "planted_found": sum(1 for k in planted_keys if k[0] == kind and k in found_keys),
        }
        for kind in kinds
    ]
