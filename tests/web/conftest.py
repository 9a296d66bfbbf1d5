"""Fixtures of the dashboard tests: one archive seeded from the real fixtures (see
``gkwatch_seed``), a FastAPI TestClient over it, and a live server for the browser tests."""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from gkwatch_seed import seed

from gkwatch.web.app import create_app
from storage import Archive


@pytest.fixture(scope="session")
def seeded_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    tmp = tmp_path_factory.mktemp("web-archive")
    url = f"sqlite:///{tmp / 'seeded.db'}"
    seed(url, tmp)
    return url


@pytest.fixture(scope="session")
def client(seeded_url: str) -> Iterator[TestClient]:
    app = create_app(lambda: Archive.open(seeded_url), warm=False)
    with TestClient(app) as test_client:
        yield test_client


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


class LiveServer:
    """uvicorn in a thread, recording the status of every response it sends."""

    def __init__(self, url: str) -> None:
        import uvicorn

        self.statuses: list[tuple[str, int]] = []
        app = create_app(lambda: Archive.open(url), warm=False)
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(
            self._recording(app), host="127.0.0.1", port=self.port, log_level="warning"
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def _recording(self, app):  # type: ignore[no-untyped-def]
        async def wrapped(scope, receive, send):  # type: ignore[no-untyped-def]
            async def recording_send(message):  # type: ignore[no-untyped-def]
                if message["type"] == "http.response.start":
                    self.statuses.append((scope["path"], message["status"]))
                await send(message)

            await app(scope, receive, recording_send)

        return wrapped

    def __enter__(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + 15
        while not self.server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("the dashboard did not start within 15 s")
            time.sleep(0.05)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


@pytest.fixture(scope="session")
def live_server(seeded_url: str) -> Iterator[LiveServer]:
    with LiveServer(seeded_url) as server:
        yield server


@pytest.fixture(scope="session")
def screenshot_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``$GKWATCH_SCREENSHOT_DIR`` when set (to keep them), else pytest's temporary dir."""
    chosen = os.environ.get("GKWATCH_SCREENSHOT_DIR")
    out = Path(chosen) if chosen else tmp_path_factory.mktemp("screenshots")
    out.mkdir(parents=True, exist_ok=True)
    return out
