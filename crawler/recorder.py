"""From crawled items to the archive, one batch at a time.

A batch costs three transactions whatever its size: the documents (``put_documents``), the
report observations (``store_reports``) and the fetch log (``record_fetches``), in that order
so every row finds the rows it refers to. A crash between them loses nothing that matters: a
document without its fetch is fetched again next time, and storing an observation twice only
moves ``last_seen``. One bad row must not sink a batch (nor end the crawl of every other
portal): a failed batch write is retried row by row and only the failing row is lost, counted
against its agency. Any exception counts here, not only ``StorageError``: the database's own
(a constraint, a dropped connection) reach the crawler unwrapped.

Runs on the pipeline's single storage thread; the state below is touched only there.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, TypeVar

import parser
from crawler.items import DiscoveryItem, FailureItem, PageItem
from crawler.parsing import Parsed, parse_bytes, substantive
from crawler.summary import AgencyTally
from storage import Archive, FetchRecord, NotFound, ReportInfo, ReportObservation, StorageError

log = logging.getLogger(__name__)

R = TypeVar("R")
T = TypeVar("T")


def each_or_alone(write: Callable[[list[R]], Sequence[T]], rows: list[R]) -> list[T | Exception]:
    """``write(rows)`` in one transaction; when that fails, each row in one of its own, so
    only the failing rows are lost. One result (or the row's exception) per row."""
    if not rows:
        return []
    try:
        return list(write(rows))
    except Exception as exc:
        if len(rows) == 1:
            return [exc]
    return [result for row in rows for result in each_or_alone(write, [row])]


def _log_failure(what: str, exc: Exception) -> None:
    # Storage's own errors say what is wrong; anything else (a constraint the database
    # enforces, a lost connection) gets its traceback.
    if isinstance(exc, StorageError):
        log.error("storage failed on %s: %s", what, exc)
    else:
        log.error("storage failed on %s", what, exc_info=exc)


#: an item and its parse (``None``: not parsed yet, or nothing to parse)
Entry = tuple[Any, Parsed | None]


@dataclass
class _Store:
    observation: ReportObservation
    fetch: int | None  # index in the batch's fetches that owns the observation
    tally: AgencyTally
    restore: bool = False  # a removed report seen again unchanged


@dataclass
class _Plan:
    fetches: list[FetchRecord] = field(default_factory=list)
    stores: list[_Store] = field(default_factory=list)


class Recorder:
    def __init__(self, archive: Archive, run_id: int | None) -> None:
        self.archive = archive
        self.run_id = run_id
        self.tally: dict[str, AgencyTally] = {}
        #: report page URL -> "report" (its own record stored) / "wrapper" / "unchanged"
        self.pages: dict[str, str] = {}
        self.claimed: dict[tuple[str, int], str] = {}
        #: wrapper pages' own thin records, stored at the end if no attachment carried one
        self.reserve: dict[str, tuple[PageItem, str, parser.Report]] = {}
        #: per agency, its removed reports by URL (read on the agency's first 304)
        self.removed: dict[str, dict[str, ReportInfo]] = {}

    def tally_of(self, agency_id: str) -> AgencyTally:
        return self.tally.setdefault(agency_id, AgencyTally())

    # -- a batch ---------------------------------------------------------------------
    def record(self, batch: Sequence[Entry]) -> None:
        shas = self._documents([item for item, _ in batch])
        plan = _Plan()
        for item, parsed in batch:
            try:
                if isinstance(item, PageItem):
                    if item.not_modified or id(item) in shas:
                        self._page(plan, item, shas.get(id(item)), parsed)
                elif isinstance(item, FailureItem):
                    self._failure(plan, item)
                elif isinstance(item, DiscoveryItem):
                    self.archive.set_discovered_lists(item.agency_id, list(item.urls))
                    self.tally_of(item.agency_id).discovered = len(item.urls)
            except Exception as exc:  # one bad item must not sink its batch
                _log_failure(getattr(item, "url", str(item)), exc)
                self.tally_of(item.agency_id).errors += 1
        self._commit(plan)

    def finish(self) -> None:
        """Store the wrapper pages whose attachments carried no report after all."""
        plan = _Plan()
        for item, sha, record in self.reserve.values():
            self._fetch(
                plan, item, document_sha=sha, error=self._claim(plan, item, item.url, sha, record)
            )
        self.reserve.clear()
        self._commit(plan)

    def _documents(self, items: Sequence[Any]) -> dict[int, str]:
        """The sha of every new page's bytes, by ``id(item)``; a page whose bytes cannot be
        stored is missing (and counted as an error)."""
        pages = [i for i in items if isinstance(i, PageItem) and not i.not_modified]
        data = [(p.body, p.content_type) for p in pages]
        found: dict[int, str] = {}
        for page, sha in zip(pages, each_or_alone(self.archive.put_documents, data), strict=True):
            if isinstance(sha, Exception):
                _log_failure(page.url, sha)
                self.tally_of(page.agency_id).errors += 1
            else:
                found[id(page)] = sha
        return found

    def _commit(self, plan: _Plan) -> None:
        observations = [s.observation for s in plan.stores]
        results = each_or_alone(self.archive.store_reports, observations)
        for store, result in zip(plan.stores, results, strict=True):
            if isinstance(result, Exception):
                _log_failure(store.observation.url, result)
                store.tally.errors += 1
                if store.fetch is not None:
                    fetch = plan.fetches[store.fetch]
                    plan.fetches[store.fetch] = replace(fetch, error=f"storage failed: {result}")
                continue
            store.tally.stored += 1
            if store.restore:
                store.tally.restored += 1
            if result.created:
                store.tally.new += 1
            elif result.changed:
                store.tally.changed += 1
        logged = each_or_alone(self.archive.record_fetches, plan.fetches)
        for fetch, outcome in zip(plan.fetches, logged, strict=True):
            if isinstance(outcome, Exception):
                _log_failure(f"the fetch log of {fetch.url}", outcome)

    # -- one item --------------------------------------------------------------------
    def _fetch(self, plan: _Plan, item: PageItem | FailureItem, **fields: Any) -> int:
        values: dict[str, Any] = {
            "url": item.url,
            "agency_id": item.agency_id,
            "fetched_at": item.fetched_at,
            "status": item.status,
            "crawl_run_id": self.run_id,
        }
        if isinstance(item, PageItem):
            values.update(
                etag=item.etag, last_modified=item.last_modified, content_type=item.content_type
            )
        values.update(fields)
        plan.fetches.append(FetchRecord(**values))
        return len(plan.fetches) - 1

    def _page(self, plan: _Plan, item: PageItem, sha: str | None, parsed: Parsed | None) -> None:
        tally = self.tally_of(item.agency_id)
        tally.pages += 1
        if item.kind == "report" or (item.kind == "attachment" and item.report_url is None):
            tally.found.add(item.url)
        if item.not_modified:
            tally.not_modified += 1
            fetch = self._fetch(plan, item, document_sha=item.document_sha)
            if item.kind == "report":
                self.pages.setdefault(item.url, "unchanged")
            elif item.kind == "attachment" and item.report_url:
                # The attachment that carries the report is unchanged, so is the report:
                # the page's own thin record must not replace it at the end.
                self.reserve.pop(item.report_url, None)
            if item.kind in ("report", "attachment"):
                self._restore(plan, item, fetch)
            return
        assert sha is not None
        if item.kind in ("home", "list"):
            self._fetch(plan, item, document_sha=sha)
            return
        record, error = parsed or parse_bytes(item.body, item.url, item.content_type)
        wrapper = item.kind == "report" and bool(item.attachments)
        if wrapper and (record is None or not substantive(record)):
            # The report is in an attachment; the page's own record (if any) is kept in
            # reserve for the case where no attachment turns out to be readable.
            self.pages[item.url] = "wrapper"
            if record is not None:
                self.reserve[item.url] = (item, sha, record)
            self._fetch(plan, item, document_sha=sha)
            return
        if record is None:
            tally.errors += 1
            self._fetch(plan, item, document_sha=sha, error=error)
            return
        owner = item.url if item.kind == "report" else item.report_url or item.url
        if item.kind == "attachment" and item.report_url and not self._attachment_wanted(item):
            self._fetch(plan, item, document_sha=sha)
            return
        self.reserve.pop(owner, None)
        index = self._fetch(plan, item, document_sha=sha)
        problem = self._claim(plan, item, owner, sha, record, fetch=index)
        if problem is not None:
            plan.fetches[index] = replace(plan.fetches[index], error=problem)

    def _attachment_wanted(self, item: PageItem) -> bool:
        """Whether an attachment carries the report: its page had no record of its own."""
        assert item.report_url is not None
        outcome = self.pages.get(item.report_url)
        if outcome == "report":
            return False
        if outcome == "unchanged":
            return not self._archived_page_is_report(item)
        return True

    def _archived_page_is_report(self, item: PageItem) -> bool:
        last = self.archive.last_fetch(item.report_url or "")
        if last is None or item.year is None:
            return False
        try:
            info = self.archive.report(item.agency_id, item.year)
        except NotFound:
            return False
        version = self.archive.version(info.id, info.latest_version)
        return version.document_sha == last.document_sha

    def _claim(
        self,
        plan: _Plan,
        item: PageItem,
        url: str,
        sha: str,
        record: parser.Report,
        fetch: int | None = None,
    ) -> str | None:
        """Queue the observation of ``url``'s report; returns why not, if it is not."""
        tally = self.tally_of(item.agency_id)
        year = item.year or record.year
        if year is None:
            tally.errors += 1
            return "no report year in the title or the document"
        key = (item.agency_id, year)
        if self.claimed.get(key, url) != url:
            tally.duplicates += 1
            return f"{year} report already taken from {self.claimed[key]} in this crawl"
        self.claimed[key] = url
        self.pages[url] = "report"
        observation = ReportObservation(
            agency_id=item.agency_id,
            year=year,
            url=url,
            title=item.title,
            published_on=item.published_on or item.list_date,
            list_date=item.list_date,
            seen_at=item.fetched_at,
            document_sha=sha,
            record=record,
            attachments=(sha,) if url != item.url else (),
        )
        plan.stores.append(_Store(observation, fetch, tally))
        return None

    def _restore(self, plan: _Plan, item: PageItem, fetch: int) -> None:
        """A removed report whose page (or attachment) answers again with the same bytes (a
        304) is present again: observe its latest version once more."""
        owner = item.report_url or item.url
        if self.pages.get(owner) == "report":
            return  # already observed in this crawl, which restored it
        removed = self.removed.get(item.agency_id)
        if removed is None:
            removed = self.removed[item.agency_id] = {
                r.url: r for r in self.archive.reports(agency_id=item.agency_id)
                if r.status == "removed"
            }  # fmt: skip
        info = removed.pop(owner, None)
        if info is None or self.claimed.get((info.agency_id, info.year), owner) != owner:
            return
        self.claimed[(info.agency_id, info.year)] = owner
        self.pages[owner] = "report"
        self.reserve.pop(owner, None)
        version = self.archive.version(info.id, info.latest_version)
        observation = ReportObservation(
            agency_id=info.agency_id,
            year=info.year,
            url=owner,
            title=info.title,
            published_on=info.published_on,
            list_date=item.list_date or info.list_date,
            seen_at=item.fetched_at,
            document_sha=version.document_sha,
            record=version.record,
        )
        plan.stores.append(_Store(observation, fetch, self.tally_of(item.agency_id), True))

    def _failure(self, plan: _Plan, item: FailureItem) -> None:
        tally = self.tally_of(item.agency_id)
        tally.errors += 1
        self._fetch(plan, item, error=item.error)
        if item.kind == "report" and item.status in (404, 410):
            tally.missing += 1
            self.archive.mark_missing(item.url, item.status, item.fetched_at)
