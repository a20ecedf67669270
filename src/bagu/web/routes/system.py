"""The app's own routes: index status (live reload), the CSRF token for API clients, and the token
login."""

from __future__ import annotations

from html import escape
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request, Response
from starlette.responses import HTMLResponse, RedirectResponse

from bagu.store.queries import index_counts
from bagu.web.schemas import StatusOut
from bagu.web.security import TOKEN_COOKIE, safe_next, same_token
from bagu.web.templating import app_state, page

router = APIRouter()


@router.get("/status", include_in_schema=False)
def status(request: Request, v: int = -1) -> Response:
    """htmx polls this from live pages; when the index changed since the page was drawn, the page
    reloads."""
    state = app_state(request)
    if v != state.version:
        return Response(status_code=200, headers={"HX-Refresh": "true"})
    return Response(status_code=204)


@router.get("/status/embedding", include_in_schema=False)
def embedding_status(request: Request) -> Response:
    """The header's line while `bagu serve` embeds in the background; 286 (htmx: stop polling) once
    done."""
    worker = app_state(request).embedding
    if worker is None or worker.progress.phase == "done" or worker.progress.phase.startswith("off"):
        return Response(status_code=286)
    return Response(escape(worker.progress.summary), media_type="text/html")


@router.get("/favicon.ico", include_in_schema=False)
def favicon() -> RedirectResponse:
    return RedirectResponse("/static/favicon.svg", status_code=301)


@router.get("/api/status", response_model=StatusOut, tags=["system"])
def api_status(request: Request) -> dict[str, Any]:
    """Index version (bumped by each re-index), sizes, and whether semantic search is on."""
    state = app_state(request)
    with state.db():
        notes, sections, cards = index_counts(state.conn)
        state.searcher.refresh()
        semantic = (
            "off: " + (state.searcher.unavailable or "") if not state.searcher.is_semantic else "on"
        )
    return {
        "version": state.version,
        "notes": notes,
        "sections": sections,
        "cards": cards,
        "semantic": semantic,
        "embedding": None if state.embedding is None else state.embedding.progress.to_json(),
        "notice": state.index_notice,
    }


@router.get("/api/csrf", tags=["system"])
def api_csrf(request: Request) -> dict[str, str]:
    """The token to send as X-CSRF-Token on POST requests (not needed with an Authorization
    header)."""
    return {"csrf_token": app_state(request).csrf_token, "header": "X-CSRF-Token"}


@router.get("/login", response_class=HTMLResponse, include_in_schema=False)
def login_page(request: Request, next: str = "/") -> HTMLResponse:
    return page(request, "login.html", next=safe_next(next), failed=False)


@router.post("/login", include_in_schema=False)
def login(
    request: Request,
    token: Annotated[str, Form(max_length=500)],
    next: Annotated[str, Form()] = "/",
) -> Response:
    expected = app_state(request).config.token
    if expected is None or not same_token(token, expected):
        return page(request, "login.html", status_code=401, next=safe_next(next), failed=True)
    response = RedirectResponse(safe_next(next), status_code=303)
    response.set_cookie(TOKEN_COOKIE, token, httponly=True, samesite="strict", secure=False)
    return response
