"""The JSON API under ``/api``: the same questions as the command line, the same JSON shapes."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response, StreamingResponse

from gkwatch import access, exporting, queries, render, summary
from gkwatch.diff import compare
from gkwatch.errors import QueryError

if TYPE_CHECKING:
    from storage import Archive

router = APIRouter(prefix="/api", tags=["api"])

Level = Literal["province", "city", "county", "township", "department"]
StatusFilter = Literal["published", "on_time", "late", "missing", "not_due"]
Severity = Literal["high", "medium", "low"]
State = Literal["open", "resolved"]

#: A page of a list (findings, agencies) unless ``limit`` says otherwise: an archive holds
#: 10 000s of each, and a client that wants them all follows the ``Link: rel="next"`` header
#: (or exports CSV).
PAGE_SIZE = 100
MAX_PAGE_SIZE = 1000


def _archive(request: Request) -> Archive:
    archive: Archive = request.app.state.archive
    return archive


@router.get("/overview", summary="Counts, open findings by kind and severity, timeliness by year")
def overview(request: Request) -> dict[str, Any]:
    data = summary.build(
        _archive(request), access.today(), first_year=request.app.state.first_year, grid_limit=0
    )
    return data.to_dict()


@router.get(
    "/agencies",
    summary="Agencies of the registry (gkwatch agencies), by id, a page at a time",
    description=(
        "`q`: a piece of the id or the name. Paged like /api/findings: `limit` (default "
        f"{PAGE_SIZE}, at most {MAX_PAGE_SIZE}), `offset`, `X-Total-Count`, `Link` rel=next."
    ),
)
def agencies(
    request: Request,
    response: Response,
    region: str | None = None,
    level: Level | None = None,
    q: str | None = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = PAGE_SIZE,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> list[dict[str, Any]]:
    page = _archive(request).agencies_page(
        region=region or None,
        level=level,
        search=(q or "").strip() or None,
        limit=limit,
        offset=offset,
    )
    _page_headers(request, response, page.total, offset, limit, len(page.agencies))
    return [render.agency_json(a) for a in page.agencies]


@router.get("/agencies/{agency_id}", summary="One agency")
def agency(request: Request, agency_id: str) -> dict[str, Any]:
    return render.agency_json(_archive(request).agency(agency_id))


@router.get("/reports", summary="Reports per agency and year with timeliness (gkwatch reports)")
def reports(
    request: Request,
    agency: str | None = None,
    year: int | None = None,
    region: str | None = None,
    status: StatusFilter | None = None,
) -> list[dict[str, Any]]:
    grid = queries.timeliness_grid(
        _archive(request),
        today=access.today(),
        first_year=request.app.state.first_year,
        agency_id=agency,
        region=region,
        years=[year] if year is not None else None,
    )
    return [render.timeliness_json(r) for r in queries.filter_status(grid, status)]


@router.get("/reports/{agency_id}/{year}", summary="One report, as gkwatch show --json")
def report(
    request: Request, agency_id: str, year: int, version: int | None = None
) -> dict[str, Any]:
    view = queries.report_view(
        _archive(request), agency_id, year, version=version, today=access.today()
    )
    return render.report_view_json(view)


@router.get("/reports/{agency_id}/{year}/diff", summary="Changes between versions (gkwatch diff)")
def diff(
    request: Request,
    agency_id: str,
    year: int,
    old: Annotated[int | None, Query(alias="from")] = None,
    new: Annotated[int | None, Query(alias="to")] = None,
) -> dict[str, Any]:
    view = queries.report_view(_archive(request), agency_id, year, today=access.today())
    by_number = {v.number: v for v in view.versions}
    if old is None and new is None:
        pairs = list(zip(view.versions, view.versions[1:], strict=False))
    else:
        first = old if old is not None else min(by_number)
        last = new if new is not None else max(by_number)
        missing = [n for n in (first, last) if n not in by_number]
        if missing:
            raise QueryError(f"{agency_id} {year} has no version {missing[0]}")
        pairs = [(by_number[first], by_number[last])]
    return {
        "agency_id": agency_id,
        "year": year,
        "versions": len(by_number),
        "diffs": [compare(a.record, b.record, a.number, b.number).to_dict() for a, b in pairs],
    }


@router.get(
    "/findings",
    summary="Findings of the checks (gkwatch findings), newest first, a page at a time",
    description=(
        f"At most `limit` findings (default {PAGE_SIZE}, at most {MAX_PAGE_SIZE}) from "
        "`offset`. The `X-Total-Count` header gives the number matching; a `Link` header "
        'with rel="next" the next page while there is one.'
    ),
)
def findings(
    request: Request,
    response: Response,
    kind: str | None = None,
    severity: Severity | None = None,
    open: bool = False,
    state: State | None = None,
    since: str | None = None,
    agency: str | None = None,
    year: int | None = None,
    region: str | None = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = PAGE_SIZE,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> list[dict[str, Any]]:
    page = _archive(request).findings_page(
        kind=kind or None,
        severity=severity,
        state=_state(open, state),
        since=queries.parse_since(since or None),
        agency_id=agency or None,
        year=year,
        region=region or None,
        limit=limit,
        offset=offset,
    )
    _page_headers(request, response, page.total, offset, limit, len(page.findings))
    return [render.finding_json(f) for f in page.findings]


def _page_headers(
    request: Request, response: Response, total: int, offset: int, limit: int, shown: int
) -> None:
    """``X-Total-Count``, and ``Link: <…>; rel="next"`` while there is a next page."""
    response.headers["X-Total-Count"] = str(total)
    if offset + shown < total:
        following = request.url.include_query_params(offset=offset + limit, limit=limit)
        response.headers["Link"] = f'<{following}>; rel="next"'


def _state(open_only: bool, state: State | None) -> State | None:
    if open_only and state == "resolved":
        raise QueryError("open=true and state=resolved ask for nothing; give one of them")
    return "open" if open_only else state


@router.get("/regions", summary="Agencies rolled up by region")
def regions(request: Request) -> list[dict[str, Any]]:
    rollups = summary.regions(
        _archive(request), access.today(), first_year=request.app.state.first_year
    )
    return [r.to_dict() for r in rollups]


@router.get(
    "/export/{what}.csv",
    summary="Cells, reports or findings as CSV (UTF-8 with BOM), as gkwatch export",
    description=(
        "`cells`: every cell of the latest version of each report, streamed (filter by "
        "`agency`, `year`, `region`, `level`); `reports`: the timeliness of every agency-year; "
        "`findings`: the findings matching `kind`, `severity`, `open`/`state`, `agency`, "
        "`year`, `region`, newest first."
    ),
    response_class=Response,
)
def export_csv(
    request: Request,
    what: Literal["cells", "reports", "findings"],
    region: str | None = None,
    agency: str | None = None,
    year: Annotated[list[int] | None, Query()] = None,
    level: Level | None = None,
    kind: str | None = None,
    severity: Severity | None = None,
    open: bool = False,
    state: State | None = None,
) -> Response:
    archive = _archive(request)
    region, agency = region or None, agency or None
    headers = {"Content-Disposition": f'attachment; filename="gkwatch-{what}.csv"'}
    media_type = "text/csv; charset=utf-8"
    if what == "cells":
        agencies = (
            [archive.agency(agency)] if agency else archive.agencies(region=region, level=level)
        )
        rows = exporting.cell_rows(archive, agencies, year)
        chunks = exporting.csv_chunks(rows, exporting.CELL_COLUMNS)
        # streamed: the cells of a whole province are far more than a response should hold
        return StreamingResponse(chunks, media_type=media_type, headers=headers)
    if what == "reports":
        grid = queries.timeliness_grid(
            archive,
            today=access.today(),
            agency_id=agency,
            region=region,
            level=level,
            years=year,
            first_year=request.app.state.first_year,
        )
        text = exporting.csv_text(exporting.report_rows(grid), exporting.REPORT_COLUMNS)
    else:
        found = archive.findings_page(
            kind=kind or None,
            severity=severity,
            state=_state(open, state),
            region=region,
            agency_id=agency,
            year=year[0] if year and len(year) == 1 else None,
        ).findings
        if year:
            found = tuple(f for f in found if f.year in year)
        text = exporting.csv_text(exporting.finding_rows(found), exporting.FINDING_COLUMNS)
    return Response(text.encode("utf-8"), media_type=media_type, headers=headers)


@router.get("/docs", response_class=HTMLResponse, include_in_schema=False)
def docs(request: Request) -> HTMLResponse:
    from gkwatch.web.app import html

    schema = request.app.openapi()
    endpoints = [
        {
            "method": method.upper(),
            "path": path,
            "summary": op.get("summary", ""),
            "params": [
                {
                    "name": p["name"],
                    "in": p["in"],
                    "required": p.get("required", False),
                    "type": _type_of(p.get("schema", {})),
                }
                for p in op.get("parameters", [])
            ],
        }
        for path, ops in schema["paths"].items()
        for method, op in ops.items()
    ]
    return html(request, "api_docs.html", {"endpoints": endpoints, "title": "API 文档"})


def _type_of(schema: dict[str, Any]) -> str:
    if "enum" in schema:
        return " | ".join(str(v) for v in schema["enum"])
    if "anyOf" in schema:
        return " | ".join(_type_of(s) for s in schema["anyOf"] if s.get("type") != "null")
    return str(schema.get("type", ""))
