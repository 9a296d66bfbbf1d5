"""Fixtures: a fresh SQLite archive with two agencies, a local JSON sink for Apprise, and
an Apprise config file pointing at it."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from monitor.settings import MonitorConfig
from storage import Archive

REGISTRY = """\
agencies:
  - id: sy-gov
    name: 沭阳县人民政府
    level: county
    region: 江苏省/宿迁市/沭阳县
    portal: http://127.0.0.1:1/
    since: 2022
  - id: sy-fgj
    name: 沭阳县发展和改革局
    level: department
    region: 江苏省/宿迁市/沭阳县
    parent: sy-gov
    portal: http://127.0.0.1:1/fgj/
    report_lists: [http://127.0.0.1:1/fgj/list.html]
    since: 2022
"""


class Sink:
    """A tiny HTTP server collecting what Apprise's json:// posts; can be told to fail."""

    def __init__(self) -> None:
        self.received: list[dict[str, Any]] = []
        self.fail_next = 0
        self.delay = 0.0  # seconds each request takes (to catch a deliverer mid-flight)
        sink = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                if sink.delay:
                    time.sleep(sink.delay)
                if sink.fail_next:
                    sink.fail_next -= 1
                    self.send_response(503)
                    self.end_headers()
                    return
                sink.received.append({**json.loads(body), "_path": self.path})
                self.send_response(200)
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path: str = "") -> str:
        return f"json://127.0.0.1:{self.port}/{path}"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def sink() -> Iterator[Sink]:
    s = Sink()
    yield s
    s.close()


@pytest.fixture
def db_url(database_url: str, tmp_path: Path) -> str:
    """An upgraded archive holding the two agencies above: SQLite, and PostgreSQL when
    GKWATCH_TEST_DATABASE_URL is set (the root conftest's ``database_url``)."""
    url = database_url
    Archive.upgrade(url)
    with Archive.open(url) as archive:
        registry = tmp_path / "registry.yaml"
        registry.write_text(REGISTRY, encoding="utf-8")
        archive.import_registry(registry)
    return url


@pytest.fixture
def archive(db_url: str) -> Iterator[Archive]:
    with Archive.open(db_url) as a:
        yield a


def make_config(
    tmp_path: Path, db_url: str, apprise_yaml: str, monitor: dict[str, Any] | None = None
) -> MonitorConfig:
    path = tmp_path / "apprise.yaml"
    path.write_text(apprise_yaml, encoding="utf-8")
    return MonitorConfig(
        database_url=db_url,
        apprise_config=path,
        base_url="http://gk.example",
        section=monitor or {},
    )
