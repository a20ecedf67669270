"""The link report (`bagu check`) with a diff preview of any repair; writing one needs an explicit
confirm.

Applying goes through the same plan and writer as `bagu fix --only PATH:LINE:COL@N --apply`: backup,
atomic replace, refusal when the note changed since it was read, then a re-index.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from starlette.responses import HTMLResponse

from bagu.links.graph import FixPlan, check_vault, plan_fixes
from bagu.links.resolve import AnchorStyle
from bagu.refresh import SERVER_LOCK_WAIT_S, write_fixes
from bagu.web.schemas import FixIn, FixOut
from bagu.web.templating import app_state, page

router = APIRouter()

Only = Annotated[list[str], Query(description="PATH:LINE[:COL][@N], as `bagu fix --only`")]


def _plan(request: Request, only: list[str]) -> FixPlan:
    state = app_state(request)
    with state.db():
        report = check_vault(state.conn, state.vault)
    return plan_fixes(state.vault, report, only)


def _fix(request: Request, only: list[str], confirm: bool) -> dict[str, Any]:
    state = app_state(request)
    plan = _plan(request, only)
    result: dict[str, Any] = {
        "diff": "".join(patch.diff() for patch, _ in plan.patches),
        "edits": plan.edits,
        "refused": [
            f"{item.source_path}:{item.link.line}: {reason}" for item, reason in plan.refused
        ],
        "unmatched": plan.unmatched,
        "applied": False,
        "backup": None,
    }
    if confirm and plan.patches:
        backups = write_fixes(
            state.vault, plan, db_path=state.config.db_path, wait_s=SERVER_LOCK_WAIT_S
        )
        state.reindex()
        result.update(applied=True, backup=str(backups))
    return result


@router.get("/links", response_class=HTMLResponse, include_in_schema=False)
def links_page(request: Request) -> HTMLResponse:
    state = app_state(request)
    with state.db():
        report = check_vault(state.conn, state.vault)
    return page(request, "links.html", report=report.to_json(), live=True)


@router.get("/links/preview", response_class=HTMLResponse, include_in_schema=False)
def links_preview(request: Request, only: Annotated[str, Query(max_length=2000)]) -> HTMLResponse:
    return page(request, "_fix.html", fix=_fix(request, [only], confirm=False), only=only)


@router.post("/links/apply", response_class=HTMLResponse, include_in_schema=False)
def links_apply(
    request: Request,
    only: Annotated[str, Form(max_length=2000)],
    confirm: Annotated[str, Form()] = "",
) -> HTMLResponse:
    return page(
        request, "_fix.html", fix=_fix(request, [only], confirm=confirm == "yes"), only=only
    )


@router.get("/api/links", tags=["links"])
def api_links(request: Request, style: AnchorStyle = AnchorStyle.ANY) -> dict[str, object]:
    """The same JSON as `bagu check --json`."""
    state = app_state(request)
    with state.db():
        return check_vault(state.conn, state.vault, style).to_json()


@router.get("/api/links/fix", response_model=FixOut, tags=["links"])
def api_fix_preview(request: Request, only: Only) -> dict[str, Any]:
    """The unified diff `bagu fix --only …` would apply; nothing is written."""
    return _fix(request, only, confirm=False)


@router.post("/api/links/fix", response_model=FixOut, tags=["links"])
def api_fix(request: Request, body: FixIn) -> dict[str, Any]:
    """Write the chosen repairs when `confirm` is true (backup first), then re-index."""
    return _fix(request, body.only, body.confirm)
