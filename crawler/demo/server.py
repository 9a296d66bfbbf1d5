"""Serve a built demo portal on 127.0.0.1 in a background thread.

Behaves like a plain static web server of a government portal: ETag and Last-Modified
with 304 answers, 404 for what is not there, HEAD, ``?page=N`` list pages, and the content
types the build chose (a GBK page goes out as bare ``text/html``). Every request is logged
so that tests can assert what a crawler fetched.
"""

from __future__ import annotations

import email.utils
import hashlib
import json
import re
import threading
import time
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from urllib.parse import parse_qs, unquote, urlsplit

from crawler.demo.errors import NotADemoSite
from crawler.demo.model import SITE_DIR

_PAGE = re.compile(r"^[1-9]\d{0,3}$")


@dataclass(frozen=True)
class RequestRecord:
    method: str
    path: str  # as requested, with its query
    status: int
    conditional: bool  # If-None-Match or If-Modified-Since was sent
    user_agent: str | None
    at: float


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    server_version = "DemoPortal/1.0"
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        self._answer(body=True)

    def do_HEAD(self) -> None:
        self._answer(body=False)

    def log_message(self, format: str, *args: object) -> None:
        pass  # the request log below replaces stderr noise

    def _answer(self, *, body: bool) -> None:
        owner = self.server.owner
        if owner.delay:
            time.sleep(owner.delay)
        file = owner.resolve(self.path)
        if file is None:
            self._send(HTTPStatus.NOT_FOUND, b"<html><body><h1>404 Not Found</h1></body></html>",
                       "text/html; charset=utf-8", body=body)  # fmt: skip
            return
        data = file.read_bytes()
        etag = '"' + hashlib.sha1(data).hexdigest()[:20] + '"'
        mtime = int(file.stat().st_mtime)
        last_modified = email.utils.formatdate(mtime, usegmt=True)
        headers = {"ETag": etag, "Last-Modified": last_modified}
        if self._not_modified(etag, mtime):
            self._send(HTTPStatus.NOT_MODIFIED, b"", None, body=False, headers=headers)
            return
        ctype = owner.content_type(file)
        self._send(HTTPStatus.OK, data, ctype, body=body, headers=headers)

    def _not_modified(self, etag: str, mtime: int) -> bool:
        match = self.headers.get("If-None-Match")
        if match is not None:  # RFC 9110: If-None-Match wins over If-Modified-Since
            return etag in [t.strip() for t in match.split(",")] or match.strip() == "*"
        since = self.headers.get("If-Modified-Since")
        if since:
            try:
                parsed = email.utils.parsedate_to_datetime(since)
            except (TypeError, ValueError):
                return False
            return mtime <= parsed.timestamp()
        return False

    def _send(
        self,
        status: HTTPStatus,
        data: bytes,
        ctype: str | None,
        *,
        body: bool,
        headers: dict[str, str] | None = None,
    ) -> None:
        self.server.owner.record(self, int(status))
        self.send_response(status)
        if ctype:
            self.send_header("Content-Type", ctype)
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        if status != HTTPStatus.NOT_MODIFIED:
            self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if body and data:
            self.wfile.write(data)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    # socketserver's default listen backlog is 5: a crawler opening 16 or 32 connections at
    # once overflows it, and the dropped connections wait for TCP's 1 s SYN retry (measured:
    # 1 600 requests/s from 4 clients, 122/s from 16)
    request_queue_size = 128
    owner: DemoServer


class DemoServer:
    """A running demo portal; ``url`` is ``http://host:port`` (no trailing slash)."""

    def __init__(self, out_dir: Path, host: str = "127.0.0.1", port: int = 0, delay: float = 0.0):
        self.out_dir = Path(out_dir)
        self.root = (self.out_dir / SITE_DIR).resolve()
        types = self.out_dir / "content-types.json"
        if not self.root.is_dir() or not types.is_file():
            raise NotADemoSite(self.out_dir, f"{SITE_DIR}/ or content-types.json")
        self._types: dict[str, str] = json.loads(types.read_text(encoding="utf-8"))
        self.delay = delay
        self._lock = threading.Lock()
        self._log: list[RequestRecord] = []
        self._httpd = _Server((host, port), _Handler)
        self._httpd.owner = self
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, name="demo-portal", daemon=True
        )
        self._thread.start()

    # -- addresses --------------------------------------------------------------------
    @property
    def host(self) -> str:
        return str(self._httpd.server_address[0])

    @property
    def port(self) -> int:
        return int(self._httpd.server_address[1])

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    # -- files ------------------------------------------------------------------------
    def resolve(self, raw: str) -> Path | None:
        """The file a request path maps to (``?page=N`` → the list's N-th page), or None."""
        parts = urlsplit(raw)
        path = unquote(parts.path)
        if path.endswith("/"):
            path += "index.html"
        page = parse_qs(parts.query).get("page", [""])[0]
        if page and _PAGE.match(page) and page != "1" and path.endswith(".html"):
            path = f"{path[:-5]}__page{page}.html"
        candidate = (self.root / path.lstrip("/")).resolve()
        if not candidate.is_relative_to(self.root) or not candidate.is_file():
            return None
        return candidate

    def content_type(self, file: Path) -> str:
        key = "/" + file.relative_to(self.root).as_posix()
        return self._types.get(key, "application/octet-stream")

    # -- request log -------------------------------------------------------------------
    def record(self, handler: BaseHTTPRequestHandler, status: int) -> None:
        conditional = bool(
            handler.headers.get("If-None-Match") or handler.headers.get("If-Modified-Since")
        )
        entry = RequestRecord(handler.command, handler.path, status, conditional,
                              handler.headers.get("User-Agent"), time.time())  # fmt: skip
        with self._lock:
            self._log.append(entry)

    @property
    def requests(self) -> list[RequestRecord]:
        with self._lock:
            return list(self._log)

    def count(self, path: str, *, status: int | None = None) -> int:
        return sum(1 for r in self.requests if r.path == path and status in (None, r.status))

    def repeated(self, *, status: int = 200) -> dict[str, int]:
        """Paths fetched more than once with the given status (for "nothing fetched twice")."""
        counts: dict[str, int] = {}
        for r in self.requests:
            if r.status == status and r.method == "GET":
                counts[r.path] = counts.get(r.path, 0) + 1
        return {p: n for p, n in counts.items() if n > 1}

    def clear_log(self) -> None:
        with self._lock:
            self._log.clear()

    # -- lifecycle ---------------------------------------------------------------------
    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> DemoServer:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


def serve(
    out_dir: Path, host: str = "127.0.0.1", port: int = 0, *, delay: float = 0.0
) -> DemoServer:
    """Start serving ``out_dir/site`` in a background thread (port 0: any free port)."""
    return DemoServer(out_dir, host, port, delay)
