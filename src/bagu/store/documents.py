"""Write and read the vault model: documents, their sections (stable ids) and links, plus FTS rows.

Section rows keep their id across edits and renames, keyed by (document, heading path, occurrence),
because cards and reviews will point at them. FTS rows are rewritten only for sections whose text
changed.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime

from bagu.store.rows import insert_row, insert_rows, update_row
from bagu.store.sqlite import sqlite3
from bagu.vault.model import Document, Link, Section

Segmenter = Callable[[str], str]


@dataclass(frozen=True, slots=True)
class IndexedFile:
    id: int
    path: str
    sha256: str
    size: int
    mtime_ns: int


def indexed_files(conn: sqlite3.Connection) -> dict[str, IndexedFile]:
    rows = conn.execute("SELECT id, path, sha256, size, mtime_ns FROM documents")
    return {row["path"]: IndexedFile(*row) for row in rows}


def _content_sha(section: Section, context: str) -> str:
    payload = json.dumps([section.heading_path, section.body, context], ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _spans_json(section: Section) -> str:
    spans = {
        "bold": section.bold,
        "highlights": section.highlights,
        "list_items": section.list_items,
        "list_shape": section.list_shape,
        "code_blocks": [asdict(c) for c in section.code_blocks],
        "tables": section.tables,
        "bilingual_pairs": [asdict(p) for p in section.bilingual_pairs],
    }
    return json.dumps(spans, ensure_ascii=False)


def save_document(conn: sqlite3.Connection, doc: Document, lang: str, segment: Segmenter) -> int:
    """Insert or update one parsed note and everything hanging off it. Call inside a transaction."""
    assert doc.source is not None
    src, fm = doc.source, doc.front_matter
    fm_json = None
    if fm is not None:
        fm_json = json.dumps({"raw": fm.raw} if fm.error else fm.data, ensure_ascii=False)
    values = {
        "title": doc.title,
        "sha256": src.sha256,
        "size": src.size,
        "mtime_ns": src.mtime_ns,
        "encoding": src.encoding,
        "has_bom": int(src.has_bom),
        "newline": src.newline,
        "line_count": doc.line_count,
        "front_matter_format": fm.format if fm else None,
        "front_matter": fm_json,
        "front_matter_error": fm.error if fm else None,
        "lang": lang,
        "indexed_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    row = conn.execute("SELECT id FROM documents WHERE path = ?", (doc.path,)).fetchone()
    if row is None:
        doc_id = insert_row(conn, "documents", {"path": doc.path, **values})
    else:
        doc_id = int(row[0])
        update_row(conn, "documents", doc_id, values)
    _save_sections(conn, doc_id, doc, segment)
    return doc_id


def _save_sections(
    conn: sqlite3.Connection, doc_id: int, doc: Document, segment: Segmenter
) -> None:
    existing = {
        (row["heading_path"], row["occurrence"]): (row["id"], row["content_sha256"])
        for row in conn.execute(
            "SELECT id, heading_path, occurrence, content_sha256 FROM sections WHERE document_id "
            "= ?",
            (doc_id,),
        )
    }
    conn.execute("DELETE FROM links WHERE document_id = ?", (doc_id,))
    kept: set[int] = set()
    context = fts_context(doc.title, doc.path)
    for section in doc.sections:
        heading_path = json.dumps(section.heading_path, ensure_ascii=False)
        content_sha = _content_sha(section, context)
        a = section.anchors
        values = {
            "ordinal": section.ordinal,
            "level": section.level,
            "heading": section.heading,
            "line_start": section.line_start,
            "line_end": section.line_end,
            "body": section.body,
            "anchor_raw": a.raw,
            "anchor_text": a.text,
            "anchor_github": a.github,
            "anchor_kramdown": a.kramdown,
            "explicit_ids": json.dumps(a.explicit, ensure_ascii=False),
            "block_ids": json.dumps(section.block_ids),
            "spans": _spans_json(section),
            "content_sha256": content_sha,
        }
        previous = existing.get((heading_path, section.occurrence))
        if previous is None:
            key = {
                "document_id": doc_id,
                "heading_path": heading_path,
                "occurrence": section.occurrence,
            }
            section_id = insert_row(conn, "sections", {**key, **values})
            text_changed = True
        else:
            section_id, old_sha = previous
            update_row(conn, "sections", section_id, values)
            text_changed = old_sha != content_sha
        kept.add(section_id)
        if text_changed:
            conn.execute("DELETE FROM section_fts WHERE rowid = ?", (section_id,))
            _insert_fts(
                conn,
                section_id,
                section.heading,
                section.heading_path,
                section.body,
                context,
                segment,
            )
        insert_rows(conn, "links", [_link_row(doc_id, section_id, link) for link in section.links])
    stale = [section_id for section_id, _ in existing.values() if section_id not in kept]
    _delete_sections(conn, stale)


def _link_row(doc_id: int, section_id: int, link: Link) -> dict[str, object]:
    return {
        "document_id": doc_id,
        "section_id": section_id,
        "line": link.line,
        "col": link.column,
        "kind": link.kind.value,
        "text": link.text,
        "raw_target": link.raw_target,
        "target_path": link.path,
        "target_anchor": link.anchor,
        "is_external": int(link.is_external),
        "is_loose": int(link.is_loose),
    }


def _delete_sections(conn: sqlite3.Connection, section_ids: list[int]) -> None:
    conn.executemany("DELETE FROM section_fts WHERE rowid = ?", [(i,) for i in section_ids])
    conn.executemany("DELETE FROM sections WHERE id = ?", [(i,) for i in section_ids])


def rename_document(conn: sqlite3.Connection, doc_id: int, new_path: str, mtime_ns: int) -> None:
    """A moved note keeps its row, so its sections keep their ids (and later, their cards)."""
    conn.execute(
        "UPDATE documents SET path = ?, mtime_ns = ? WHERE id = ?", (new_path, mtime_ns, doc_id)
    )


def touch_document(conn: sqlite3.Connection, doc_id: int, mtime_ns: int) -> None:
    conn.execute("UPDATE documents SET mtime_ns = ? WHERE id = ?", (mtime_ns, doc_id))


def delete_document(conn: sqlite3.Connection, doc_id: int) -> None:
    ids = [
        row[0] for row in conn.execute("SELECT id FROM sections WHERE document_id = ?", (doc_id,))
    ]
    _delete_sections(conn, ids)
    conn.execute("DELETE FROM documents WHERE id = ?", (doc_id,))


def fts_context(title: str, path: str) -> str:
    """The note's title and path count as context for every section (a front-matter title is often
    the topic)."""
    return f"{title} {path.rsplit('.', 1)[0].replace('/', ' ')}"


def fts_columns(
    heading: str, heading_path: Sequence[str], body: str, context: str
) -> tuple[str, str, str]:
    """The texts of a section's FTS row before segmentation: its heading; the note's title and path
    with the parent headings; its body."""
    return heading, " ".join((context, *heading_path[:-1])), body


def _insert_fts(
    conn: sqlite3.Connection,
    section_id: int,
    heading: str,
    heading_path: Sequence[str],
    body: str,
    context: str,
    segment: Segmenter,
) -> None:
    texts = fts_columns(heading, heading_path, body, context)
    conn.execute(
        "INSERT INTO section_fts(rowid, heading, heading_path, body) VALUES (?, ?, ?, ?)",
        (section_id, *(segment(text) for text in texts)),
    )


def resegment_all(conn: sqlite3.Connection, segment: Segmenter) -> None:
    """Rewrite every FTS row from the sections table: the segmenter changed, the notes did not."""
    conn.execute("DELETE FROM section_fts")
    rows = conn.execute(
        "SELECT s.id, s.heading, s.heading_path, s.body, d.title, d.path"
        " FROM sections s JOIN documents d ON d.id = s.document_id"
    )
    for row in rows.fetchall():
        context = fts_context(row["title"], row["path"])
        _insert_fts(
            conn,
            row["id"],
            row["heading"],
            json.loads(row["heading_path"]),
            row["body"],
            context,
            segment,
        )
