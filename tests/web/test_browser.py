"""Headless Chromium loads every dashboard page from a live server over the seeded archive:
no console message (the pages have no script, so any message is an error: a blocked or
missing resource, a CSP violation), no failed request, and a screenshot of each page.

Needs Debian's ``chromium`` (``make system-deps``); skips with the reason when it is absent.
Screenshots go to ``$GKWATCH_SCREENSHOT_DIR`` when set, else to pytest's temporary dir.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from gkwatch_live import LiveServer

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="headless Chromium is not installed (apt-get install chromium)"
)

PAGES = {
    "overview": "/",
    "agencies": "/agencies",
    "agency": "/agencies/jx-gov",
    "report": "/reports/jx-gov/2024",
    "report-legacy": "/reports/qy-qx/2012",
    "findings": "/findings?state=all",
    "regions": "/regions",
    "region": "/regions/嘉兴市",
    "api-docs": "/api/docs",
}

#: Chromium logs every console message of the page as ``INFO:CONSOLE`` on stderr.
CONSOLE = re.compile(r":CONSOLE[:(]")


def shoot(url: str, target: Path, profile: Path, *, height: int = 1600) -> str:
    assert CHROMIUM is not None
    command = [
        CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--no-first-run", "--hide-scrollbars", f"--user-data-dir={profile}",
        "--enable-logging=stderr", "--v=0", f"--window-size=1400,{height}",
        f"--screenshot={target}", url,
    ]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, timeout=90, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stderr


@pytest.mark.parametrize("name", list(PAGES))
def test_page_loads_cleanly_in_chromium(
    name: str, live_server: LiveServer, screenshot_dir: Path, tmp_path: Path
) -> None:
    target = screenshot_dir / f"{name}.png"
    before = len(live_server.statuses)
    log = shoot(live_server.base + PAGES[name], target, tmp_path / "profile")
    console = [line for line in log.splitlines() if CONSOLE.search(line)]
    assert console == [], "console messages:\n" + "\n".join(console)
    served = live_server.statuses[before:]
    assert served, "the browser requested nothing"
    assert all(status < 400 for _, status in served), served
    assert ("/static/style.css", 200) in served or ("/static/style.css", 304) in served
    assert target.stat().st_size > 10_000, "the screenshot is blank"


def test_report_page_shows_the_failing_identity_highlighted(
    live_server: LiveServer, screenshot_dir: Path, tmp_path: Path
) -> None:
    image = pytest.importorskip("PIL.Image")
    target = screenshot_dir / "report-failing.png"
    shoot(live_server.base + "/reports/jx-gov/2024", target, tmp_path / "profile", height=1400)
    with image.open(target) as shot:
        pixels = shot.convert("RGB")
        colours = pixels.getcolors(maxcolors=1 << 20) or []
    by_colour = {rgb: count for count, rgb in colours}
    # style.css: a suspect failing cell is #fed7d7 with a #e53e3e outline
    assert by_colour.get((0xFE, 0xD7, 0xD7), 0) > 500, "no highlighted cell on the report page"
    assert by_colour.get((0xE5, 0x3E, 0x3E), 0) > 50, "the highlighted cell has no outline"
