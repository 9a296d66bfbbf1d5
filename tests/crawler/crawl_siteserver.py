"""A small static site server for crawler tests: ETag/Last-Modified, 304s and a request log."""

from __future__ import annotations

import hashlib
import mimetypes
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

LAST_MODIFIED = formatdate(1_700_000_000, usegmt=True)


@dataclass
class Site:
    root: Path
    #: path -> Content-Type header to send instead of the guessed one
    content_types: dict[str, str] = field(default_factory=dict)
    log: list[tuple[str, int]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    url: str = ""

    def fetched(self, path: str, status: int = 200) -> int:
        with self.lock:
            return sum(1 for p, s in self.log if p == path and s == status)

    def paths(self) -> set[str]:
        with self.lock:
            return {p for p, _ in self.log}


def _handler(site: Site) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            path = unquote(urlsplit(self.path).path)
            file = site.root / path.lstrip("/")
            if file.is_dir():
                file = file / "index.html"
            if not file.is_file():
                self._send(path, 404, b"not found", "text/plain")
                return
            data = file.read_bytes()
            etag = '"' + hashlib.sha1(data).hexdigest() + '"'
            if self.headers.get("If-None-Match") == etag:
                self._send(path, 304, b"", None, etag)
                return
            ctype = site.content_types.get(path) or mimetypes.guess_type(file.name)[0]
            self._send(path, 200, data, ctype or "application/octet-stream", etag)

        def _send(
            self, path: str, status: int, body: bytes, ctype: str | None, etag: str | None = None
        ) -> None:
            with site.lock:
                site.log.append((path, status))
            self.send_response(status)
            if ctype:
                self.send_header("Content-Type", ctype)
            if etag:
                self.send_header("ETag", etag)
                self.send_header("Last-Modified", LAST_MODIFIED)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if status != 304:
                self.wfile.write(body)

    return Handler


@contextmanager
def serve(site: Site) -> Iterator[Site]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(site))
    site.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield site
    finally:
        server.shutdown()
        server.server_close()
