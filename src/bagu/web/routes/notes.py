"""The note viewer (`/note/PATH`), its JSON (`/api/notes/PATH`), and vault files such as images
(`/file/PATH`).

Only notes the index knows are rendered, and only files `web/files.py` admits are sent; the text is
read from disk on each view, so the viewer shows the note as it is now.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Request
from starlette.responses import FileResponse, HTMLResponse

from bagu.errors import NoteUnreadable, OutsideVault
from bagu.links.check import note_links
from bagu.links.syllabus import is_summary_page
from bagu.review.vault_map import vault_map
from bagu.store.cards import cards_of_note
from bagu.store.links import load_links
from bagu.store.queries import document_title, load_sections
from bagu.vault.scan import note_in_vault, read_note
from bagu.web.files import media_type, vault_file
from bagu.web.render import render_note
from bagu.web.templating import app_state, page

router = APIRouter()


def _note(request: Request, path: str) -> dict[str, Any]:
    state = app_state(request)
    with state.db():
        title = document_title(state.conn, path)
        if title is None:
            raise HTTPException(404, f"the index has no note {path!r}")
        try:
            vault_file(state.vault, path)
            text = read_note(note_in_vault(state.vault, path)).text
        except (OutsideVault, NoteUnreadable) as exc:
            raise HTTPException(404, f"{path}: {exc}") from exc
        sections = [s for _, s in load_sections(state.conn, path)]
        targets = state.targets()
        cards = cards_of_note(state.conn, path)
        links = load_links(state.conn)
        summary = (
            vault_map(state.conn, targets, links, page=path)
            if is_summary_page(path, links, targets)
            else None
        )
        readiness = {i: r.value for i, r in summary.by_section().items()} if summary else None
        rendered = render_note(
            path,
            text,
            sections,
            targets,
            cards,
            remote_images=state.config.remote_images,
            readiness=readiness,
        )
        graph = note_links(path, links, targets)
    backlinks = [
        {"path": s.source_path, "line": s.link.line, "text": s.link.text, "anchor": s.link.anchor}
        for s, _ in graph.backlinks
    ]
    return {
        "path": path,
        "title": title,
        "html": rendered.html,
        "outline": rendered.outline,
        "sections": sections,
        "cards": cards,
        "backlinks": backlinks,
        "broken_links": sum(r.is_broken for _, r in graph.outgoing),
        "remote_images_as_links": rendered.html.count('class="external remote-image"'),
        "map_counts": dict(summary.counts) if summary else None,
        # heading line → readiness counts of the links under it, for the outline of a summary page
        "map_headings": {h.line: dict(h.counts) for h in summary.headings} if summary else {},
    }


@router.get("/note/{path:path}", response_class=HTMLResponse, include_in_schema=False)
def note_page(request: Request, path: str, line: int | None = None) -> HTMLResponse:
    note = _note(request, path)
    folders = path.split("/")[:-1]
    crumbs = [("/".join(folders[: i + 1]), name) for i, name in enumerate(folders)]
    return page(request, "note.html", note=note, crumbs=crumbs, line=line, live=True)


@router.get("/api/notes/{path:path}", tags=["notes"])
def api_note(request: Request, path: str) -> dict[str, Any]:
    """A note's sections (with every anchor), its cards per section, backlinks, and sanitized
    HTML."""
    note = _note(request, path)
    cards = note["cards"]
    return {
        "path": note["path"],
        "title": note["title"],
        "html": note["html"],
        "backlinks": note["backlinks"],
        "broken_links": note["broken_links"],
        "sections": [
            {
                "heading": s.heading,
                "heading_path": list(s.heading_path),
                "level": s.level,
                "line_start": s.line_start,
                "line_end": s.line_end,
                "anchors": {
                    "raw": s.anchors.raw,
                    "github": s.anchors.github,
                    "kramdown": s.anchors.kramdown,
                },
                "cards": [
                    {"card_id": c.card_id, "kind": c.kind, "front": c.front, "back": c.back}
                    for c in cards.get(s.heading_path, [])
                ],
            }
            for s in note["sections"]
        ],
    }


@router.get("/file/{path:path}", include_in_schema=False)
def vault_file_response(request: Request, path: str) -> FileResponse:
    try:
        real = vault_file(app_state(request).vault, path)
    except OutsideVault as exc:
        raise HTTPException(404, str(exc)) from exc
    kind, inline = media_type(real)
    disposition = "inline" if inline else "attachment"
    return FileResponse(
        real, media_type=kind, filename=real.name, content_disposition_type=disposition
    )
