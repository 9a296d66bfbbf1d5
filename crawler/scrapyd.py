"""Distributed crawling on Scrapyd nodes: deploy, spread the agencies, re-dispatch on failure.

``dispatch`` deploys the project egg to every node (``addversion.json``), cuts the agencies
into chunks and schedules one ``reports`` job per chunk round-robin (``schedule.json`` with
``agencies=`` and the database URL as a setting), then polls ``listjobs.json``. A node that
stops answering loses its unfinished chunks to the surviving nodes; a job that finished without
its crawl run being marked ``ok`` in the archive is scheduled again (up to ``max_attempts``).
Every node writes into the same archive (PostgreSQL), which keeps one row per report.
"""

from __future__ import annotations

import math
import time
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import httpx

from crawler.egg import build_egg
from crawler.errors import ScrapydError
from storage import Archive

PROJECT = "gkwatch"
SPIDER = "reports"


class Node:
    """A Scrapyd node's JSON API."""

    def __init__(self, url: str, timeout: float = 30.0) -> None:
        self.url = url.rstrip("/")
        self.http = httpx.Client(timeout=timeout)
        self.alive = True

    def call(self, endpoint: str, *, data: Any = None, files: Any = None) -> dict[str, Any]:
        try:
            if data is None and files is None:
                resp = self.http.get(f"{self.url}/{endpoint}", params={"project": PROJECT})
            else:
                resp = self.http.post(f"{self.url}/{endpoint}", data=data, files=files)
            body: dict[str, Any] = resp.json()
        except (httpx.HTTPError, ValueError) as exc:
            raise ScrapydError(self.url, f"{endpoint}: {type(exc).__name__}: {exc}") from exc
        if body.get("status") != "ok":
            raise ScrapydError(self.url, f"{endpoint}: {body.get('message', body)}")
        return body

    def deploy(self, version: str, egg: bytes) -> None:
        self.call(
            "addversion.json",
            data={"project": PROJECT, "version": version},
            files={"egg": (f"{PROJECT}-{version}.egg", egg)},
        )

    def schedule(self, job_id: str, agencies: Sequence[str], settings: Mapping[str, str]) -> None:
        data = {
            "project": PROJECT,
            "spider": SPIDER,
            "jobid": job_id,
            "agencies": ",".join(agencies),
            "setting": [f"{k}={v}" for k, v in settings.items()],
        }
        self.call("schedule.json", data=data)

    def states(self) -> dict[str, str]:
        """``job id -> pending | running | finished`` for every job the node knows."""
        body = self.call("listjobs.json")
        return {
            job["id"]: state
            for state in ("pending", "running", "finished")
            for job in body.get(state, [])
        }


@dataclass
class Job:
    id: str
    agencies: tuple[str, ...]
    node: Node
    attempt: int = 1
    state: str = "pending"  # pending, running, then ok / failed / lost

    @property
    def active(self) -> bool:
        return self.state in ("pending", "running")


@dataclass
class Dispatch:
    jobs: list[Job] = field(default_factory=list)
    dead_nodes: list[str] = field(default_factory=list)
    redispatched: int = 0
    summary: dict[str, dict[str, int]] = field(default_factory=dict)


def chunks(agencies: Sequence[str], nodes: int, per_node: int = 2) -> list[tuple[str, ...]]:
    """Agencies cut into about ``nodes * per_node`` chunks (small chunks re-dispatch cheaply)."""
    if not agencies:
        return []
    size = max(1, math.ceil(len(agencies) / (nodes * per_node)))
    return [tuple(agencies[i : i + size]) for i in range(0, len(agencies), size)]


class Dispatcher:
    def __init__(
        self,
        node_urls: Sequence[str],
        database_url: str,
        *,
        settings: Mapping[str, str] | None = None,
        poll_interval: float = 2.0,
        max_attempts: int = 3,
        timeout: float = 6 * 3600,
        log: Callable[[str], None] = lambda message: None,
    ) -> None:
        if not node_urls:
            raise ScrapydError("-", "no Scrapyd node given")
        self.nodes = [Node(u) for u in node_urls]
        self.database_url = database_url
        self.settings = dict(settings or {})
        self.poll_interval = poll_interval
        self.max_attempts = max_attempts
        self.timeout = timeout
        self.log = log
        self.result = Dispatch()

    def alive(self) -> list[Node]:
        return [n for n in self.nodes if n.alive]

    def _lose(self, node: Node, why: str) -> None:
        node.alive = False
        self.result.dead_nodes.append(node.url)
        self.log(f"node {node.url} is down ({why})")

    def _schedule(self, agencies: tuple[str, ...], attempt: int = 1) -> None:
        while True:
            alive = self.alive()
            if not alive:
                raise ScrapydError(",".join(n.url for n in self.nodes), "every node is down")
            load = {id(n): 0 for n in alive}
            for job in self.result.jobs:
                if job.active and id(job.node) in load:
                    load[id(job.node)] += 1
            node = min(alive, key=lambda n: load[id(n)])
            job = Job(uuid.uuid4().hex, agencies, node, attempt)
            settings = {
                **self.settings,
                "GKWATCH_DATABASE_URL": self.database_url,
                "GKWATCH_NODE": f"{node.url}#{job.id}",
            }
            try:
                node.schedule(job.id, agencies, settings)
            except ScrapydError as exc:
                self._lose(node, str(exc))
                continue
            self.result.jobs.append(job)
            self.log(f"job {job.id[:8]} on {node.url}: {', '.join(agencies)}")
            return

    def run(self, agencies: Sequence[str], version: str | None = None) -> Dispatch:
        version = version or time.strftime("%Y%m%d%H%M%S")
        egg = build_egg(version)
        for node in self.nodes:
            try:
                node.deploy(version, egg)
            except ScrapydError as exc:
                self._lose(node, str(exc))
        for chunk in chunks(agencies, max(1, len(self.alive()))):
            self._schedule(chunk)
        deadline = time.monotonic() + self.timeout
        while any(job.active for job in self.result.jobs):
            if time.monotonic() > deadline:
                raise ScrapydError("-", f"the crawl did not finish within {self.timeout:.0f}s")
            time.sleep(self.poll_interval)
            self._poll()
        self.result.summary = self._summary()
        return self.result

    def _poll(self) -> None:
        for node in self.alive():
            try:
                states = node.states()
            except ScrapydError as exc:
                self._lose(node, str(exc))
                states = {}
            for job in [j for j in self.result.jobs if j.node is node and j.active]:
                state = states.get(job.id, "lost") if node.alive else "lost"
                if state in ("pending", "running"):
                    job.state = state
                elif state == "finished":
                    self._finished(job)
                else:
                    job.state = "lost"
                    self.result.redispatched += 1
                    self._schedule(job.agencies, job.attempt)

    def _finished(self, job: Job) -> None:
        status = self._run_status(job)
        if status == "ok":
            job.state = "ok"
            return
        job.state = "failed"
        self.log(f"job {job.id[:8]} on {job.node.url} ended with crawl run status {status}")
        if job.attempt < self.max_attempts:
            self.result.redispatched += 1
            self._schedule(job.agencies, job.attempt + 1)

    def _runs(self) -> list[Any]:
        with Archive.open(self.database_url) as archive:
            return archive.crawl_runs(limit=20 * len(self.result.jobs) + 20)

    def _run_status(self, job: Job) -> str | None:
        for run in self._runs():
            if run.node and run.node.endswith(f"#{job.id}"):
                return str(run.status)
        return None

    def _summary(self) -> dict[str, dict[str, int]]:
        ok = {f"#{j.id}" for j in self.result.jobs if j.state == "ok"}
        summary: dict[str, dict[str, int]] = {}
        for run in self._runs():
            if run.node and run.node[run.node.rfind("#") :] in ok:
                for agency, counts in (run.stats.get("agencies") or {}).items():
                    summary[agency] = counts
        return summary
