"""The FastAPI application: pages (Chinese, server-rendered), the JSON API, static files."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from gkwatch import labels, queries
from gkwatch.errors import QueryError

if TYPE_CHECKING:
    from storage import Archive

PACKAGE = Path(__file__).resolve().parent.parent
TEMPLATES = Jinja2Templates(directory=str(PACKAGE / "templates"))
TEMPLATES.env.globals["labels"] = labels


def create_app(
    open_archive: Callable[[], Archive], *, first_year: int = queries.FIRST_YEAR
) -> FastAPI:
    """The dashboard over the archive ``open_archive()`` returns (opened at start-up).

    Every page reads the archive when asked: archive-wide views (overview, regions, findings)
    come from set-based queries (``storage.aggregates``), fast enough on 100 000 reports that
    no in-memory snapshot is kept, so pages never lag the archive.
    """

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        archive = open_archive()
        app.state.archive = archive
        app.state.first_year = first_year
        _warm_up()
        try:
            yield
        finally:
            archive.close()

    app = FastAPI(
        title="gkwatch",
        summary="政府信息公开工作年度报告监测 — 只读 JSON API",
        version=_version(),
        lifespan=lifespan,
        docs_url=None,  # Swagger UI loads from a CDN; /api/docs is a local page instead
        redoc_url=None,
        openapi_url="/openapi.json",
    )
    app.mount("/static", StaticFiles(directory=str(PACKAGE / "web" / "static")), name="static")

    from gkwatch.web import api, pages

    app.include_router(api.router)
    app.include_router(pages.router)
    app.add_exception_handler(LookupError, _not_found)
    app.add_exception_handler(QueryError, _bad_request)
    return app


def _warm_up() -> None:
    """Work every server does once, done at start-up rather than on the first visitor's
    request: compile the templates (~0.1 s) and load the deadline rule (``monitor`` brings
    Apprise in, ~0.08 s). Nothing here reads the archive."""
    from gkwatch import timeliness

    for name in TEMPLATES.env.list_templates(extensions=["html"]):
        TEMPLATES.get_template(name)
    timeliness.deadline("city", None, 2024)


def _version() -> str:
    from gkwatch import __version__

    return __version__


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api") or request.url.path == "/openapi.json"


def _error(request: Request, status: int, title: str, exc: Exception) -> Response:
    if _wants_json(request):
        return JSONResponse({"detail": str(exc)}, status_code=status)
    return TEMPLATES.TemplateResponse(
        request, "error.html", {"title": title, "message": str(exc)}, status_code=status
    )


async def _not_found(request: Request, exc: Exception) -> Response:
    return _error(request, 404, "未找到", exc)


async def _bad_request(request: Request, exc: Exception) -> Response:
    return _error(request, 400, "请求有误", exc)


def html(request: Request, name: str, context: dict[str, Any]) -> HTMLResponse:
    response: HTMLResponse = TEMPLATES.TemplateResponse(request, name, context)
    return response
