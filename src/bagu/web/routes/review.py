"""Review in the browser: type an answer, see it graded against the notes, rate with 1–4, undo.

The queue is the store's (`due_cards`), asked again after each rating, exactly as `bagu review`
does; grading and scheduling are `review/session.py`'s. Nothing is held per browser tab.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Form, HTTPException, Query, Request
from starlette.responses import HTMLResponse

from bagu.coach.session import parse_topics
from bagu.review.scheduler import DESIRED_RETENTION, Rating
from bagu.review.session import grade_card, rate_card
from bagu.store.reviews import CardFilter, DueCard, due_cards, load_due_card, undo_last_review
from bagu.web.schemas import AnswerIn, GradeOut, NextCard, RatedOut, RatingIn, UndoOut
from bagu.web.state import AppState
from bagu.web.templating import app_state, grade_json, page

router = APIRouter()


def _card_json(card: DueCard, remaining: int) -> dict[str, Any]:
    return {
        "card_id": card.id,
        "kind": card.kind,
        "front": card.front,
        "sources": [source.to_dict() for source in card.sources],
        "remaining": remaining,
    }


def selection_of(request: Request) -> CardFilter:
    """`?path=db/&topics=redis,kafka&kind=cloze`: the same filters as `bagu review`, kept in every
    form's URL."""
    params = request.query_params
    kinds = tuple(kind for kind in params.getlist("kind") if kind)
    return CardFilter(params.get("path") or None, parse_topics(params.get("topics")), kinds)


def _filter_query(request: Request) -> str:
    """The filters of this page (`?path=…&kind=…`), for the URLs its forms post to."""
    return f"?{request.url.query}" if request.url.query else ""


def _queue(state: AppState, selection: CardFilter) -> list[DueCard]:
    with state.db():
        return due_cards(
            state.conn,
            datetime.now(UTC),
            state.config.new_limit,
            state.config.review_limit,
            selection,
        )


def _next(request: Request) -> dict[str, Any]:
    queue = _queue(app_state(request), selection_of(request))
    if not queue:
        return {
            "card": None,
            "message": "Nothing is due. Come back later.",
            "filter_query": _filter_query(request),
        }
    return {
        "card": _card_json(queue[0], len(queue)),
        "message": None,
        "filter_query": _filter_query(request),
    }


def _load(state: AppState, card_id: int) -> DueCard:
    try:
        return load_due_card(state.conn, card_id)
    except LookupError as exc:
        raise HTTPException(404, f"no card {card_id}") from exc


def _grade(state: AppState, card_id: int, answer: str) -> dict[str, Any]:
    with state.db():
        card = _load(state, card_id)
        grade = (
            grade_card(state.conn, card, answer, state.similarity.similarity())
            if answer.strip()
            else None
        )
    result = {
        "card_id": card.id,
        "back": card.back,
        "sources": [s.to_dict() for s in card.sources],
        "notice": None,
    }
    if grade is None:
        result.update(score=0.0, proposed_rating=int(Rating.GOOD), reason="", points=[])
    else:
        result.update(grade_json(grade), notice=state.similarity.notice)
    return result


def _rate(state: AppState, card_id: int, body: RatingIn) -> dict[str, Any]:
    with state.db():
        card = _load(state, card_id)
        due = rate_card(
            state.conn,
            card,
            rating=Rating(body.rating),
            now=datetime.now(UTC),
            retention=DESIRED_RETENTION,
            answer=body.answer,
            grade=body.grade,
            elapsed_ms=body.elapsed_ms,
        )
    return {"card_id": card_id, "rating": body.rating, "due": due.isoformat()}


def _undo(state: AppState) -> int | None:
    with state.db():
        return undo_last_review(state.conn)


@router.get("/review", response_class=HTMLResponse, include_in_schema=False)
def review_page(request: Request) -> HTMLResponse:
    selection = selection_of(request)
    return page(request, "review.html", selection=selection, **_next(request))


@router.post("/review/{card_id}/grade", response_class=HTMLResponse, include_in_schema=False)
def review_grade(
    request: Request,
    card_id: int,
    answer: Annotated[str, Form(max_length=20_000)] = "",
    elapsed_ms: Annotated[int, Form()] = 0,
) -> HTMLResponse:
    graded = _grade(app_state(request), card_id, answer)
    return page(
        request,
        "_graded.html",
        graded=graded,
        answer=answer,
        elapsed_ms=elapsed_ms,
        filter_query=_filter_query(request),
    )


@router.post("/review/{card_id}/rate", response_class=HTMLResponse, include_in_schema=False)
def review_rate(
    request: Request,
    card_id: int,
    rating: Annotated[int, Form(ge=1, le=4)],
    answer: Annotated[str, Form(max_length=20_000)] = "",
    grade: Annotated[float | None, Form(ge=0, le=1)] = None,
    elapsed_ms: Annotated[int | None, Form(ge=0)] = None,
) -> HTMLResponse:
    state = app_state(request)
    rated = _rate(
        state,
        card_id,
        RatingIn(rating=rating, answer=answer or None, grade=grade, elapsed_ms=elapsed_ms),
    )
    return page(request, "_card.html", rated=rated, **_next(request))


@router.post("/review/undo", response_class=HTMLResponse, include_in_schema=False)
def review_undo(request: Request) -> HTMLResponse:
    state = app_state(request)
    card_id = _undo(state)
    if card_id is None:
        return page(request, "_card.html", undone=False, **_next(request))
    with state.db():
        card = _load(state, card_id)
    remaining = len([c for c in _queue(state, selection_of(request)) if c.id != card.id]) + 1
    card_json = _card_json(card, remaining)
    return page(
        request,
        "_card.html",
        undone=True,
        card=card_json,
        message=None,
        filter_query=_filter_query(request),
    )


@router.get("/api/review/next", response_model=NextCard, tags=["review"])
def api_next(
    request: Request,
    path: str | None = None,
    topics: str | None = None,
    kind: Annotated[list[str] | None, Query()] = None,
) -> dict[str, Any]:
    """The next due card (most overdue first, then new cards in syllabus order up to today's limit),
    from notes matching `path` (a glob; `db/` is the folder), `topics` (comma-separated) and `kind`;
    no back."""
    found = _next(request)
    found.pop("filter_query")
    return found


@router.post("/api/review/{card_id}/grade", response_model=GradeOut, tags=["review"])
def api_grade(request: Request, card_id: int, body: AnswerIn) -> dict[str, Any]:
    """Grade a typed answer against the card's key points; proposes a rating, records nothing."""
    return _grade(app_state(request), card_id, body.answer)


@router.post("/api/review/{card_id}/rate", response_model=RatedOut, tags=["review"])
def api_rate(request: Request, card_id: int, body: RatingIn) -> dict[str, Any]:
    """Rate the card (1–4): FSRS schedules it and the review is logged."""
    return _rate(app_state(request), card_id, body)


@router.post("/api/review/undo", response_model=UndoOut, tags=["review"])
def api_undo(request: Request) -> dict[str, Any]:
    """Take back the latest review: the card's state before it is restored."""
    return {"card_id": _undo(app_state(request))}
