"""The dashboard's pages (Chinese, server-rendered). Every page reads; none writes."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import partial
from typing import TYPE_CHECKING, Any, Protocol, TypeVar
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from gkwatch import access, labels, queries, render, summary, timeliness
from gkwatch.diff import compare
from gkwatch.web import charts
from gkwatch.web.app import html

if TYPE_CHECKING:
    from storage import Archive

router = APIRouter(include_in_schema=False)

#: Rows of the timeliness grid on one page; beyond that the region pages take over.
GRID_LIMIT = 60
#: Findings listed on one page of the findings view.
PAGE_SIZE = 100
#: Agencies of a region's timeliness grid on one page (a city can hold thousands).
REGION_PAGE_SIZE = 100

#: The key figures charted on an agency page: (title, table, row, column) or a prose key.
KEY_FIGURES: tuple[tuple[str, str, str, str], ...] = (
    ("本年新收申请（件）", "applications", "new_received", "total"),
    ("予以公开（件）", "applications", "granted", "total"),
    ("行政复议（件）", "appeals", "review", "total"),
    ("行政诉讼·直接起诉（件）", "appeals", "litigation_direct", "total"),
    ("行政处罚决定（件）", "active", "punishment", "decisions"),
    ("主动公开信息（条）", "prose", "active_items", ""),
)


def _archive(request: Request) -> Archive:
    archive: Archive = request.app.state.archive
    return archive


class _Page(Protocol):
    @property
    def total(self) -> int: ...


P = TypeVar("P", bound=_Page)


def paged(fetch: Callable[[int], P], page: int, size: int) -> tuple[P, int, int]:
    """``fetch(offset)`` for page ``page`` (1-based) of ``size`` rows: (what it returned, the
    page shown, the number of pages). Past the end (the list shrank, or a hand-made link)
    the last page is shown."""
    page = max(page, 1)
    shown = fetch((page - 1) * size)
    pages = max(1, -(-shown.total // size))
    if page > pages:
        page = pages
        shown = fetch((page - 1) * size)
    return shown, page, pages


def grid_rows(
    cells: Iterable[queries.Timeliness], limit: int | None = None
) -> tuple[list[int], list[dict[str, Any]], int]:
    """Group grid cells by agency: (years, rows of {agency, cells: {year: cell}}, total rows)."""
    rows: dict[str, dict[str, Any]] = {}
    years: set[int] = set()
    for cell in cells:
        years.add(cell.year)
        row = rows.setdefault(cell.agency.id, {"agency": cell.agency, "cells": {}})
        row["cells"][cell.year] = cell
    ordered = sorted(rows.values(), key=lambda r: (r["agency"].region, r["agency"].id))
    total = len(ordered)
    return sorted(years), ordered[:limit] if limit else ordered, total


@router.get("/", response_class=HTMLResponse)
def overview(request: Request) -> HTMLResponse:
    data = summary.build(
        _archive(request),
        access.today(),
        first_year=request.app.state.first_year,
        grid_limit=GRID_LIMIT,
        with_regions=False,  # the page shows none
    )
    years, rows, _ = grid_rows(data.grid)
    kinds = sorted(data.by_kind_severity)
    return html(
        request,
        "overview.html",
        {
            "title": "总览",
            "data": data,
            "kinds": kinds,
            "years": years,
            "rows": rows,
            "total_rows": data.grid_agencies,
            "bars": charts.status_bars(data.by_year),
        },
    )


@router.get("/agencies", response_class=HTMLResponse)
def agency_list(
    request: Request,
    region: str | None = None,
    level: str | None = None,
    q: str | None = None,
    page: int = 1,
) -> HTMLResponse:
    fetch = partial(
        _archive(request).agencies_page,
        region=region or None,
        level=level or None,
        search=(q or "").strip() or None,
        limit=PAGE_SIZE,
    )
    shown, page, pages = paged(lambda offset: fetch(offset=offset), page, PAGE_SIZE)
    query = {"region": region or "", "level": level or "", "q": q or ""}
    return html(
        request,
        "agencies.html",
        {
            "title": "机关",
            "agencies": shown.agencies,
            "total": shown.total,
            "page": page,
            "pages": pages,
            "query": query,
        },
    )


@router.get("/agencies/{agency_id}", response_class=HTMLResponse)
def agency(request: Request, agency_id: str) -> HTMLResponse:
    archive = _archive(request)
    found = archive.agency(agency_id)
    grid = queries.timeliness_grid(
        archive,
        today=access.today(),
        agencies=[found],
        agency_id=agency_id,
        first_year=request.app.state.first_year,
    )
    records = {info.year: record for info, record in archive.latest_records(agency_ids=[found.id])}
    failing = {year: len(r.failing_identities) for year, r in records.items()}
    years = sorted({c.year for c in grid} | set(records))
    figures = [
        charts.line_chart([(y, _figure(records.get(y), spec)) for y in years], spec[0])
        for spec in KEY_FIGURES
    ]
    return html(
        request,
        "agency.html",
        {
            "title": found.name,
            "agency": found,
            "grid": sorted(grid, key=lambda c: c.year, reverse=True),
            "failing": failing,
            "templates": {y: r.template for y, r in records.items()},
            "charts": figures,
            "findings": archive.findings(agency_id=agency_id),
        },
    )


def _figure(record: Any, spec: tuple[str, str, str, str]) -> float | None:
    if record is None:
        return None
    _, table, row, column = spec
    value = record.prose.get(row) if table == "prose" else record.cell(table, row, column)
    return None if value is None else float(value)


@router.get("/reports/{agency_id}/{year}", response_class=HTMLResponse)
def report(request: Request, agency_id: str, year: int, version: int | None = None) -> HTMLResponse:
    archive = _archive(request)
    view = queries.report_view(archive, agency_id, year, version=version, today=access.today())
    pairs = list(zip(view.versions, view.versions[1:], strict=False))
    diffs = [compare(a.record, b.record, a.number, b.number) for a, b in reversed(pairs)]
    return html(
        request,
        "report.html",
        {
            "title": f"{view.agency.name} {year} 年度报告",
            "view": view,
            "record": view.record,
            "tables": render.tables(view.record),
            "prose": render.prose(view.record),
            "diffs": diffs,
            "findings": archive.findings(agency_id=agency_id, year=year),
        },
    )


@router.get("/reports/{agency_id}/{year}/document")
def document(request: Request, agency_id: str, year: int, version: int | None = None) -> Response:
    """The stored original bytes of the report (as fetched), for reading or download."""
    archive = _archive(request)
    view = queries.report_view(archive, agency_id, year, version=version, today=access.today())
    stored = archive.document(view.version.document_sha)
    media = stored.content_type or "application/octet-stream"
    # served as an attachment unless plain or PDF: a stored page must not run in our origin
    inline = media.split(";")[0].strip() in {"application/pdf", "text/plain"}
    disposition = "inline" if inline else "attachment"
    name = f"{agency_id}-{year}-v{view.version.number}{_suffix(media)}"
    return Response(
        stored.data,
        media_type=media,
        headers={
            "Content-Disposition": f'{disposition}; filename="{name}"',
            "X-Content-Type-Options": "nosniff",
            "Content-Security-Policy": "sandbox",
        },
    )


def _suffix(media: str) -> str:
    kind = media.split(";")[0].strip()
    return {
        "text/html": ".html",
        "application/pdf": ".pdf",
        "text/plain": ".txt",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
        "application/msword": ".doc",
    }.get(kind, "")


@router.get("/findings", response_class=HTMLResponse)
def findings(
    request: Request,
    kind: str | None = None,
    severity: str | None = None,
    state: str = "open",
    agency: str | None = None,
    year: str | None = None,
    region: str | None = None,
    page: int = 1,
) -> HTMLResponse:
    archive = _archive(request)
    year_value = int(year) if year and year.strip().isdigit() else None
    fetch = partial(
        archive.findings_page,
        kind=kind or None,
        severity=severity or None,
        state={"open": "open", "resolved": "resolved"}.get(state),
        agency_id=agency or None,
        year=year_value,
        region=region or None,
        limit=PAGE_SIZE,
    )
    shown, page, pages = paged(lambda offset: fetch(offset=offset), page, PAGE_SIZE)
    query = {
        "kind": kind or "",
        "severity": severity or "",
        "state": state,
        "agency": agency or "",
        "year": year or "",
        "region": region or "",
    }
    # the same filters for the API's JSON and CSV (which leave out what is not set)
    api = {k: v for k, v in query.items() if v and k not in ("state", "year")}
    if state in ("open", "resolved"):
        api["state"] = state
    if year_value is not None:
        api["year"] = str(year_value)
    return html(
        request,
        "findings.html",
        {
            "title": "发现的问题",
            "findings": shown.findings,
            "total": shown.total,
            "page": page,
            "pages": pages,
            "query": query,
            "api_query": urlencode(api),
            "kinds": sorted(
                set(labels.KINDS) | set(archive.finding_kinds()) | ({kind} if kind else set())
            ),
            "regions": sorted({p for r in archive.regions() for p in summary.region_path(r)}),
        },
    )


@router.get("/regions", response_class=HTMLResponse)
def regions(request: Request) -> HTMLResponse:
    rollups = summary.regions(
        _archive(request), access.today(), first_year=request.app.state.first_year
    )
    return html(request, "regions.html", {"title": "地区", "regions": rollups})


@router.get("/regions/{region:path}", response_class=HTMLResponse)
def region(request: Request, region: str, page: int = 1) -> HTMLResponse:
    archive = _archive(request)
    if not any(t.agencies for t in archive.agency_tallies(region=region)):
        raise LookupError(f"没有地区为 {region!r} 的机关")
    today, first_year = access.today(), request.app.state.first_year
    fetch = partial(
        archive.grid_agencies,
        first_year=first_year,
        before_year=today.year,
        region=region,
        limit=REGION_PAGE_SIZE,
    )
    shown, page, pages = paged(lambda offset: fetch(offset=offset), page, REGION_PAGE_SIZE)
    grid = queries.timeliness_grid(
        archive, today=today, agencies=shown.agencies, first_year=first_year
    )
    years, rows, _ = grid_rows(grid)
    # the chart covers every agency of the region, not the page: counted by the database
    statuses = timeliness.counted(
        archive, today=today, first_year=first_year, region=region, by_region=False
    )
    by_year: dict[int, dict[str, int]] = {}
    for (_, year, status), n in statuses.items():
        by_year.setdefault(year, {})[status] = n
    open_findings = archive.findings_page(state="open", region=region, limit=50)
    within = region.strip("/") + "/"
    return html(
        request,
        "region.html",
        {
            "title": region,
            "region": region,
            "subregions": [
                r
                for r in summary.regions(archive, today, first_year=first_year, region=region)
                if r.region.startswith(within)
            ],
            "years": years,
            "rows": rows,
            "total_rows": shown.total,
            "page": page,
            "pages": pages,
            "bars": charts.status_bars(by_year),
            "findings": open_findings.findings,
            "open_findings": open_findings.total,
        },
    )
