"""Jinja2 templates and the helpers they share (URLs into the viewer, grades, the CSRF token)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.templating import Jinja2Templates
from markupsafe import Markup, escape
from starlette.responses import HTMLResponse

from bagu.review.grade import Grade
from bagu.web.render import file_url, note_url
from bagu.web.state import AppState

HERE = Path(__file__).parent
templates = Jinja2Templates(directory=HERE / "templates")
templates.env.globals.update(note_url=note_url, file_url=file_url)


def highlight(snippet: str, spans: list[list[int]]) -> Markup:
    """The snippet escaped, with the matched terms (character offsets) in <mark>."""
    out, at = [], 0
    for start, end in sorted(spans):
        if start < at:
            continue
        out += [
            escape(snippet[at:start]),
            Markup("<mark>"),
            escape(snippet[start:end]),
            Markup("</mark>"),
        ]
        at = end
    out.append(escape(snippet[at:]))
    return Markup("").join(out)


templates.env.filters["highlight"] = highlight


def app_state(request: Request) -> AppState:
    state: AppState = request.app.state.bagu
    return state


def page(request: Request, name: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    state = app_state(request)
    context.setdefault("live", False)
    return templates.TemplateResponse(
        request,
        name,
        {
            "csrf_token": state.csrf_token,
            "version": state.version,
            "vault_name": state.vault.name,
            **context,
        },
        status_code=status_code,
    )


def grade_json(grade: Grade) -> dict[str, Any]:
    return {
        "score": grade.score,
        "proposed_rating": int(grade.rating),
        "reason": grade.reason,
        "points": [
            {
                "text": p.point.text,
                "credit": p.credit,
                "how": p.how,
                "mark": p.mark,
                "explanation": p.explanation,
            }
            for p in grade.points
        ],
    }
