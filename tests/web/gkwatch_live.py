"""A live dashboard (uvicorn in a thread) for the browser tests, recording every status."""

from __future__ import annotations

import socket
import threading
import time

from gkwatch.web.app import create_app
from storage import Archive


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
        app = create_app(lambda: Archive.open(url))
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
