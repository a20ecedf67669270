"""Read the link graph back from the store: every note's headings as link targets, and every link.

`bagu check` and the web report resolve links from here instead of re-parsing the vault, so a check
after an incremental index costs queries, not parsing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from bagu.store.db import transaction
from bagu.store.sqlite import sqlite3
from bagu.vault.model import Anchors, HeadingTarget, Link, LinkKind


@dataclass(frozen=True, slots=True)
class StoredLink:
    source_path: str
    section_id: int
    link: Link


def load_headings(conn: sqlite3.Connection) -> dict[str, list[HeadingTarget]]:
    """Each indexed note's sections in document order (a note with no heading has its level-0
    section)."""
    headings: dict[str, list[HeadingTarget]] = {
        path: [] for (path,) in conn.execute("SELECT path FROM documents")
    }
    rows = conn.execute(
        "SELECT d.path, s.id, s.heading_path, s.line_start, s.anchor_raw, s.anchor_text, "
        "s.anchor_github,"
        " s.anchor_kramdown, s.explicit_ids, s.block_ids FROM sections s JOIN documents d ON "
        "d.id = s.document_id"
        " ORDER BY d.path, s.ordinal"
    )
    for row in rows:
        anchors = Anchors(
            row["anchor_raw"],
            row["anchor_text"],
            row["anchor_github"],
            row["anchor_kramdown"],
            tuple(json.loads(row["explicit_ids"])),
        )
        target = HeadingTarget(
            row["id"],
            tuple(json.loads(row["heading_path"])),
            anchors,
            tuple(json.loads(row["block_ids"])),
            row["line_start"],
        )
        headings[row["path"]].append(target)
    return headings


def load_front_matter(conn: sqlite3.Connection) -> dict[str, dict[str, object]]:
    """Each note's front matter that parsed, by path (what a publisher's permalinks are made
    from)."""
    found: dict[str, dict[str, object]] = {}
    for row in conn.execute(
        "SELECT path, front_matter FROM documents WHERE front_matter IS NOT NULL AND "
        "front_matter_error IS NULL"
    ):
        data = json.loads(row["front_matter"])
        if isinstance(data, dict):
            found[row["path"]] = data
    return found


def load_links(conn: sqlite3.Connection, source_path: str | None = None) -> list[StoredLink]:
    """Every link (or those written in one note), ordered by note, line and column."""
    sql = (
        "SELECT d.path, l.section_id, l.line, l.col, l.kind, l.text, l.raw_target, "
        "l.target_path, l.target_anchor,"
        " l.is_external, l.is_loose FROM links l JOIN documents d ON d.id = l.document_id"
    )
    params: tuple[str, ...] = ()
    if source_path is not None:
        sql += " WHERE d.path = ?"
        params = (source_path,)
    sql += " ORDER BY d.path, l.line, l.col"
    return [
        StoredLink(
            row["path"],
            row["section_id"],
            Link(
                row["line"],
                row["col"],
                LinkKind(row["kind"]),
                row["text"],
                row["raw_target"],
                row["target_path"],
                row["target_anchor"],
                bool(row["is_external"]),
                bool(row["is_loose"]),
            ),
        )
        for row in conn.execute(sql, params)
    ]


def load_section_bodies(conn: sqlite3.Connection, paths: set[str]) -> dict[int, str]:
    """Section id → body text for the sections of the given notes."""
    bodies: dict[int, str] = {}
    for path in sorted(paths):
        rows = conn.execute(
            "SELECT s.id, s.body FROM sections s JOIN documents d ON d.id = s.document_id WHERE "
            "d.path = ?",
            (path,),
        )
        bodies.update((row["id"], row["body"]) for row in rows)
    return bodies


@dataclass(frozen=True, slots=True)
class ExternalAnswer:
    """What an external URL answered when last checked."""

    url: str
    outcome: str  # 'ok' | 'broken' | 'error' | 'blocked'
    http_status: int | None
    final_url: str | None
    detail: str
    checked_at: str  # ISO 8601, UTC


def load_external_answers(conn: sqlite3.Connection, urls: set[str]) -> dict[str, ExternalAnswer]:
    found: dict[str, ExternalAnswer] = {}
    for url in sorted(urls):
        row = conn.execute(
            "SELECT url, outcome, http_status, final_url, detail, checked_at FROM external_links "
            "WHERE url = ?",
            (url,),
        ).fetchone()
        if row is not None:
            found[url] = ExternalAnswer(*row)
    return found


def save_external_answers(conn: sqlite3.Connection, answers: list[ExternalAnswer]) -> None:
    with transaction(conn):
        conn.executemany(
            "INSERT OR REPLACE INTO external_links(url, outcome, http_status, final_url, detail, "
            "checked_at)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            [
                (a.url, a.outcome, a.http_status, a.final_url, a.detail, a.checked_at)
                for a in answers
            ],
        )


def save_summary_sections(conn: sqlite3.Connection, linked: dict[int, int]) -> None:
    """Replace the table of sections a summary links to (section id → the summary's section)."""
    with transaction(conn):
        conn.execute("DELETE FROM summary_sections")
        conn.executemany(
            "INSERT INTO summary_sections (section_id, summary_section_id) VALUES (?, ?)",
            sorted(linked.items()),
        )


def summary_section_of(conn: sqlite3.Connection, section_id: int) -> int | None:
    """The summary's section that links to this one, if a summary page does."""
    row = conn.execute(
        "SELECT summary_section_id FROM summary_sections WHERE section_id = ?", (section_id,)
    ).fetchone()
    return None if row is None else int(row[0])
