"""Stats: reviews per day, due forecast, retention and topic mastery as server-side SVG;
`/api/stats` as JSON."""

from __future__ import annotations

from dataclasses import asdict
from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from starlette.responses import HTMLResponse

from bagu.review.scheduler import DESIRED_RETENTION
from bagu.review.stats import FRESH_RECALL, ReviewStats, review_stats
from bagu.review.vault_map import vault_map
from bagu.store.links import load_links
from bagu.store.reviews import review_log, scheduled_cards
from bagu.web.charts import bar_chart, mastery_heatmap, retention_gauge
from bagu.web.state import AppState
from bagu.web.templating import app_state, page

router = APIRouter()


def _stats(state: AppState) -> ReviewStats:
    with state.db():
        return review_stats(scheduled_cards(state.conn), review_log(state.conn), datetime.now(UTC))


@router.get("/stats", response_class=HTMLResponse, include_in_schema=False)
def stats_page(request: Request) -> HTMLResponse:
    figures = _stats(app_state(request))
    charts = {
        "per_day": bar_chart(figures.per_day, "reviews per day, last 14 days"),
        "forecast": bar_chart(figures.forecast, "cards due per day, next 14 days"),
        "retention": retention_gauge(figures.true_retention, DESIRED_RETENTION),
        "mastery": mastery_heatmap(figures.topics),
    }
    return page(
        request, "stats.html", figures=figures, charts=charts, fresh=FRESH_RECALL, live=True
    )


@router.get("/api/stats", tags=["stats"])
def api_stats(request: Request) -> dict[str, Any]:
    """The same JSON as `bagu stats --reviews --json`."""
    return asdict(_stats(app_state(request)))


@router.get("/map", response_class=HTMLResponse, include_in_schema=False)
def map_page(request: Request) -> HTMLResponse:
    state = app_state(request)
    with state.db():
        found = vault_map(state.conn, state.targets(), load_links(state.conn))
    return page(request, "map.html", found=found.to_dict() if found else None, live=True)


@router.get("/api/map", tags=["stats"])
def api_map(request: Request) -> dict[str, Any]:
    """The summary page as a map: each heading's links by the FSRS recall of the cards behind them
    (the same JSON as `bagu stats --map --json`); 404 when the vault has no summary page."""
    state = app_state(request)
    with state.db():
        found = vault_map(state.conn, state.targets(), load_links(state.conn))
    if found is None:
        raise HTTPException(
            404, "this vault has no summary page (a note that links into many others) to map"
        )
    return found.to_dict()
