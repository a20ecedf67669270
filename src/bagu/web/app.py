"""The FastAPI app: pages (Jinja2 + htmx), the JSON API under /api/, vendored static files,
security.

`create_app` builds everything from a WebConfig, so tests make an app on a temporary vault and the
CLI's `bagu serve` runs the same object under uvicorn.
"""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException
from starlette.responses import Response

from bagu import __version__
from bagu.errors import BaguError
from bagu.search.embedders import Signal, load_signals
from bagu.web.embedding_worker import EmbeddingWorker
from bagu.web.routes import ask, interview, links, notes, review, search, stats, system
from bagu.web.security import problem, security_middleware
from bagu.web.state import AppState, WebConfig
from bagu.web.templating import HERE, page
from bagu.web.watch import start_watcher


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/") or "text/html" not in request.headers.get(
        "accept", ""
    )


def create_app(config: WebConfig, signals: list[Signal] | None = None) -> FastAPI:
    state = AppState(config, load_signals() if signals is None else signals)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        stop = threading.Event()
        if config.embed_in_background and state.signals:
            state.embedding = EmbeddingWorker(config.db_path, config.vault, state.signals)
            state.embedding.start()
        watcher = start_watcher(state, stop) if config.watch else None
        try:
            yield
        finally:
            stop.set()
            if watcher is not None:
                watcher.join(timeout=5)
            if state.embedding is not None:
                state.embedding.stop()
            state.close()

    app = FastAPI(
        title="bagu",
        version=__version__,
        description="Search, ask, review and interview from your Markdown notes. POST requests "
        "need the "
        "X-CSRF-Token header (GET /api/csrf) or, when the server has a token, 'Authorization: "
        "Bearer TOKEN'.",
        docs_url=None,
        redoc_url=None,
        openapi_url="/api/openapi.json",
        lifespan=lifespan,
    )
    app.state.bagu = state
    app.middleware("http")(security_middleware(state))
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    for module in (search, notes, links, ask, review, interview, stats, system):
        app.include_router(module.router)

    @app.exception_handler(BaguError)
    async def bagu_error(request: Request, exc: BaguError) -> Response:
        if _is_api(request):
            return problem(exc.http_status, type(exc).__name__, str(exc))
        return page(request, "error.html", status_code=exc.http_status, message=str(exc))

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        if _is_api(request):
            return problem(exc.status_code, "Error", exc.detail)
        return page(request, "error.html", status_code=exc.status_code, message=str(exc.detail))

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        return problem(422, "Unprocessable Content", jsonable_errors(exc))

    return app


def jsonable_errors(exc: RequestValidationError) -> list[dict[str, object]]:
    return [{"loc": list(e.get("loc", ())), "msg": str(e.get("msg", ""))} for e in exc.errors()]
