"""The latest successful fetch of each URL, read once per agency instead of once per request.

``archive.last_fetch(url)`` is one query per request, run on the reactor thread: at crawl speed
it costs more than the download it makes conditional. The crawler reads an agency's fetch log
in one query the first time it requests one of its pages and answers from memory after that.
A log longer than ``limit`` is read only in part; URLs not in that part fall back to
``last_fetch``.
"""

from __future__ import annotations

from storage import Archive, FetchRecord

#: fetch rows read per agency; a few hundred pages times a few dozen crawls fit
AGENCY_LOG_LIMIT = 50_000


class LastFetches:
    def __init__(self, archive: Archive, limit: int = AGENCY_LOG_LIMIT) -> None:
        self.archive = archive
        self.limit = limit
        self._latest: dict[str, dict[str, FetchRecord]] = {}
        self._partial: set[str] = set()

    def get(self, url: str, agency_id: str | None) -> FetchRecord | None:
        """The latest 200 fetch of ``url`` (what ``archive.last_fetch`` answers)."""
        if agency_id is None:
            return self.archive.last_fetch(url)
        latest = self._latest.get(agency_id)
        if latest is None:
            latest = self._latest[agency_id] = self._load(agency_id)
        found = latest.get(url)
        if found is None and agency_id in self._partial:
            return self.archive.last_fetch(url)
        return found

    def _load(self, agency_id: str) -> dict[str, FetchRecord]:
        log = self.archive.fetches(agency_id=agency_id, limit=self.limit)
        if len(log) >= self.limit:
            self._partial.add(agency_id)
        latest: dict[str, FetchRecord] = {}
        for fetch in log:  # newest first: the first 200 of a URL is its latest
            if fetch.status == 200 and fetch.url not in latest:
                latest[fetch.url] = fetch
        return latest
