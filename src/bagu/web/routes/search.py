"""Search: the page with search-as-you-type, its results fragment, and `GET /api/search`."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from starlette.responses import HTMLResponse, RedirectResponse

from bagu.search.service import SearchMode
from bagu.store.queries import folder_stats
from bagu.web.schemas import SearchResponse
from bagu.web.templating import app_state, page

router = APIRouter()

QueryText = Annotated[
    str, Query(max_length=10_000, description="words or a question, Chinese or English")
]
K = Annotated[int, Query(ge=1, le=200)]


def _path_glob(folder: str | None) -> str | None:
    folder = (folder or "").strip().strip("/")
    return f"{folder}/*" if folder else None


def _search(request: Request, q: str, k: int, mode: SearchMode, path: str | None) -> dict[str, Any]:
    state = app_state(request)
    with state.db():
        return state.searcher.search(q, k=k, mode=mode, path_glob=path).to_json()


@router.get("/", include_in_schema=False)
def home() -> RedirectResponse:
    return RedirectResponse("/search", status_code=303)


@router.get("/search", response_class=HTMLResponse, include_in_schema=False)
def search_page(
    request: Request, q: QueryText = "", mode: SearchMode = SearchMode.HYBRID, folder: str = ""
) -> HTMLResponse:
    state = app_state(request)
    with state.db():
        folders = sorted(
            {f.folder.split("/")[0] for f in folder_stats(state.conn) if f.folder not in ("", ".")}
        )
    results = _search(request, q, 10, mode, _path_glob(folder)) if q.strip() else None
    return page(
        request,
        "search.html",
        q=q,
        mode=mode.value,
        folder=folder,
        folders=folders,
        results=results,
        live=True,
    )


@router.get("/search/results", response_class=HTMLResponse, include_in_schema=False)
def search_results(
    request: Request, q: QueryText = "", mode: SearchMode = SearchMode.HYBRID, folder: str = ""
) -> HTMLResponse:
    results = _search(request, q, 10, mode, _path_glob(folder)) if q.strip() else None
    return page(request, "_results.html", q=q, results=results)


@router.get("/api/search", response_model=SearchResponse, tags=["search"])
def api_search(
    request: Request,
    q: QueryText,
    k: K = 10,
    mode: SearchMode = SearchMode.HYBRID,
    path: Annotated[
        str | None, Query(description="only notes whose path matches this glob")
    ] = None,
) -> dict[str, Any]:
    """The same JSON as `bagu search --json`."""
    return _search(request, q, k, mode, path)
