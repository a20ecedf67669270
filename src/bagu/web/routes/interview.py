"""A mock interview in the browser: the same `InterviewRun` as `bagu interview`, held between
requests.

Runs live in memory (the last few), keyed by an unguessable id; each graded answer is already in the
review log, and finishing writes the same Markdown and HTML report under `.bagu/reports/`.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, HTTPException, Request
from starlette.responses import HTMLResponse

from bagu.coach.interview import Turn
from bagu.coach.report import report_body
from bagu.coach.session import InterviewPlan, InterviewRun, parse_topics
from bagu.web.render import note_url, sanitize
from bagu.web.schemas import InterviewAnswerIn, InterviewIn, InterviewOut
from bagu.web.state import AppState
from bagu.web.templating import app_state, grade_json, page

router = APIRouter()


def _start(state: AppState, body: InterviewIn) -> tuple[str, InterviewRun]:
    plan = InterviewPlan(parse_topics(body.topics), body.n, body.lang, body.follow_ups, body.seed)
    with state.db():
        run = InterviewRun.start(state.conn, state.vault, plan, state.client)
    return state.keep_interview(run), run


def _run(state: AppState, key: str) -> InterviewRun:
    run = state.interviews.get(key)
    if run is None:
        raise HTTPException(
            404, "no such interview (they are kept in memory until the server stops)"
        )
    return run


def _answer(state: AppState, key: str, body: InterviewAnswerIn) -> InterviewRun:
    run = _run(state, key)
    if run.current is None:
        raise HTTPException(409, "this interview has no question left; finish it")
    with state.db():
        run.answer(body.answer, body.seconds)
    return run


def _report_html(state: AppState, run: InterviewRun) -> str:
    """Writes the report files, and returns the report for the page with links into the viewer."""
    with state.db():
        figures = run.report_figures()
        run.write_report(state.config.db_path.parent / "reports", state.vault, figures)
        markdown = run.report_markdown(
            lambda path, anchor: f"<{note_url(path, anchor or None)}>", figures
        )
    return sanitize(report_body(markdown))


def _finish(state: AppState, key: str) -> dict[str, Any]:
    """Stop asking; the report (files and page) when anything was answered."""
    run = _run(state, key)
    run.queue.clear()
    return _state_json(key, run, _report_html(state, run) if run.session.turns else None)


def _turn_json(turn: Turn) -> dict[str, Any]:
    source = f"{turn.question.path}:{turn.question.section.line_start}"
    return {
        "prompt": turn.question.prompt,
        "rating": int(turn.grade.rating),
        "grader": turn.grader,
        "source": source,
        **grade_json(turn.grade),
    }


def _state_json(key: str, run: InterviewRun, report: str | None = None) -> dict[str, Any]:
    question = run.current
    return {
        "id": key,
        "question": None
        if question is None
        else {
            "prompt": question.prompt,
            "path": question.path,
            "heading_path": list(question.section.heading_path),
            "follow_up": question.follow_up_of is not None,
        },
        "asked": run.main_questions_asked,
        "turns": [_turn_json(t) for t in run.session.turns],
        "score": run.session.score if run.session.turns else None,
        "notices": list(run.notices),
        "report": report,
    }


@router.get("/interview", response_class=HTMLResponse, include_in_schema=False)
def interview_page(request: Request) -> HTMLResponse:
    return page(request, "interview.html")


@router.post("/interview", response_class=HTMLResponse, include_in_schema=False)
def interview_start(
    request: Request,
    topics: Annotated[str, Form(max_length=500)] = "",
    n: Annotated[int, Form(ge=1, le=50)] = 3,
    lang: Annotated[str, Form(pattern="^(zh|en)$")] = "zh",
    follow_ups: Annotated[int, Form(ge=0, le=2)] = 0,
) -> HTMLResponse:
    state = app_state(request)
    key, run = _start(
        state, InterviewIn(topics=list(parse_topics(topics)), n=n, lang=lang, follow_ups=follow_ups)
    )
    return page(request, "_interview.html", key=key, run=_state_json(key, run))


@router.post("/interview/{key}/answer", response_class=HTMLResponse, include_in_schema=False)
def interview_answer(
    request: Request,
    key: str,
    answer: Annotated[str, Form(max_length=20_000)] = "",
    seconds: Annotated[float, Form(ge=0)] = 0,
) -> HTMLResponse:
    state = app_state(request)
    run = _answer(state, key, InterviewAnswerIn(answer=answer, seconds=seconds))
    report = _report_html(state, run) if run.current is None else None
    return page(request, "_interview.html", key=key, run=_state_json(key, run, report))


@router.post("/interview/{key}/finish", response_class=HTMLResponse, include_in_schema=False)
def interview_finish(request: Request, key: str) -> HTMLResponse:
    return page(request, "_interview.html", key=key, run=_finish(app_state(request), key))


@router.post("/api/interviews", response_model=InterviewOut, tags=["interview"])
def api_start(request: Request, body: InterviewIn) -> dict[str, Any]:
    """Start a mock interview: questions weighted toward weak and never-reviewed sections."""
    key, run = _start(app_state(request), body)
    return _state_json(key, run)


@router.post("/api/interviews/{key}/answers", response_model=InterviewOut, tags=["interview"])
def api_answer(request: Request, key: str, body: InterviewAnswerIn) -> dict[str, Any]:
    """Answer the current question: graded, recorded as a review, follow-ups queued."""
    state = app_state(request)
    return _state_json(key, _answer(state, key, body))


@router.post("/api/interviews/{key}/finish", response_model=InterviewOut, tags=["interview"])
def api_finish(request: Request, key: str) -> dict[str, Any]:
    """Stop asking; write the report (Markdown and HTML under .bagu/reports/) and return it as
    HTML."""
    return _finish(app_state(request), key)
