"""Read-only views of the store: stats, the section listing, and the sections search hits and cards
name."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from bagu.store.links import StoredLink, load_links
from bagu.store.sqlite import sqlite3
from bagu.vault.model import Anchors, BilingualPair, CodeBlock, Link, Section
from bagu.vault.prose import only_references


@dataclass(frozen=True, slots=True)
class FolderStats:
    folder: str
    notes: int
    sections: int
    links: int
    megabytes: float
    languages: dict[str, int]


def folder_stats(conn: sqlite3.Connection) -> list[FolderStats]:
    """Counts per top-level folder (notes at the root are grouped under '.')."""
    rows = conn.execute(
        """
        SELECT CASE WHEN instr(d.path, '/') > 0 THEN substr(d.path, 1, instr(d.path, '/') - 1)
                    ELSE '.' END AS folder,
               d.lang, count(*) AS notes, sum(d.size) AS bytes,
               sum((SELECT count(*) FROM sections s WHERE s.document_id = d.id)) AS sections,
               sum((SELECT count(*) FROM links l WHERE l.document_id = d.id)) AS links
        FROM documents d GROUP BY folder, d.lang ORDER BY folder
        """
    )
    merged: dict[str, dict[str, Any]] = {}
    for row in rows:
        entry = merged.setdefault(
            row["folder"], {"notes": 0, "sections": 0, "links": 0, "bytes": 0, "languages": {}}
        )
        entry["notes"] += row["notes"]
        entry["sections"] += row["sections"]
        entry["links"] += row["links"]
        entry["bytes"] += row["bytes"]
        entry["languages"][row["lang"]] = row["notes"]
    return [
        FolderStats(
            folder,
            e["notes"],
            e["sections"],
            e["links"],
            round(e["bytes"] / 1e6, 3),
            e["languages"],
        )
        for folder, e in merged.items()
    ]


def note_paths(conn: sqlite3.Connection) -> list[str]:
    """Every indexed note's vault-relative path, sorted."""
    return [row[0] for row in conn.execute("SELECT path FROM documents ORDER BY path")]


@dataclass(frozen=True, slots=True)
class ListedSection:
    """A section as `bagu sections` lists it: where it is and every anchor it can be linked by."""

    path: str
    heading: str
    level: int
    heading_path: tuple[str, ...]
    line_start: int
    line_end: int
    anchors: Anchors

    def to_dict(self) -> dict[str, Any]:
        a = self.anchors
        return {
            "path": self.path,
            "heading": self.heading,
            "level": self.level,
            "heading_path": list(self.heading_path),
            "line_start": self.line_start,
            "line_end": self.line_end,
            "anchors": {
                "raw": a.raw,
                "text": a.text,
                "github": a.github,
                "kramdown": a.kramdown,
                "explicit": list(a.explicit),
            },
        }


def list_sections(conn: sqlite3.Connection, path: str | None = None) -> list[ListedSection]:
    """Every section (optionally of one note, or of the notes under a folder), in document order."""
    sql = (
        "SELECT d.path, s.heading, s.level, s.heading_path, s.line_start, s.line_end, "
        "s.anchor_raw, s.anchor_text,"
        " s.anchor_github, s.anchor_kramdown, s.explicit_ids FROM sections s JOIN documents d ON "
        "d.id = s.document_id"
    )
    params: list[str] = []
    if path:
        prefix = path.rstrip("/")
        sql += " WHERE d.path = ? OR d.path LIKE ? ESCAPE '\\'"
        escaped = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        params = [prefix, escaped + "/%"]
    sql += " ORDER BY d.path, s.ordinal"
    return [
        ListedSection(
            path=row["path"],
            heading=row["heading"],
            level=row["level"],
            heading_path=tuple(json.loads(row["heading_path"])),
            line_start=row["line_start"],
            line_end=row["line_end"],
            anchors=_anchors(row),
        )
        for row in conn.execute(sql, params)
    ]


def load_section(
    conn: sqlite3.Connection, path: str, heading_path: Sequence[str]
) -> Section | None:
    """One note's section by heading path (the first one, when a heading repeats); None when it is
    gone."""
    wanted = tuple(heading_path)
    return next(
        (
            s
            for p, s in load_sections(conn, _glob_literal(path))
            if p == path and s.heading_path == wanted
        ),
        None,
    )


def child_sections(conn: sqlite3.Connection, path: str, section: Section) -> list[Section]:
    """The sections right under `section` in its note (one heading level down), in note order."""
    return [
        s
        for p, s in load_sections(conn, _glob_literal(path))
        if p == path
        and len(s.heading_path) == len(section.heading_path) + 1
        and s.heading_path[:-1] == section.heading_path
    ]


def _glob_literal(path: str) -> str:
    """`path` as a GLOB pattern matching only itself."""
    return "".join(f"[{ch}]" if ch in "*?[" else ch for ch in path)


def load_sections(
    conn: sqlite3.Connection, path_glob: str | None = None, *, with_links: bool = False
) -> list[tuple[str, Section]]:
    """Every stored section rebuilt as the vault model (with its spans, and its links when asked),
    with its note's path, in note order."""
    sql = (
        "SELECT d.path, s.* FROM sections s JOIN documents d ON d.id = s.document_id"
        + (" WHERE d.path GLOB ?" if path_glob else "")
        + " ORDER BY d.path, s.ordinal"
    )
    links = _links_by_section(load_links(conn)) if with_links else defaultdict(list)
    return [
        (
            row["path"],
            replace(_section(row), links=tuple(links[row["id"]])) if with_links else _section(row),
        )
        for row in conn.execute(sql, (path_glob,) if path_glob else ())
    ]


def _links_by_section(stored: Iterable[StoredLink]) -> defaultdict[int, list[Link]]:
    """Each section id → the links written in it, in the order given."""
    links: defaultdict[int, list[Link]] = defaultdict(list)
    for link in stored:
        links[link.section_id].append(link.link)
    return links


def sections_by_id(
    conn: sqlite3.Connection, ids: Sequence[int], *, with_links: bool = False
) -> dict[int, tuple[str, Section]]:
    """Sections (with their note's path, and their links when asked) by section id, as search
    hits name them."""
    rows = _rows_by_id(conn, "d.path, s.*", ids)
    if not with_links:
        return {row["id"]: (row["path"], _section(row)) for row in rows}
    links = _links_by_section(
        stored
        for path in dict.fromkeys(row["path"] for row in rows)
        for stored in load_links(conn, path)
    )
    return {
        row["id"]: (row["path"], replace(_section(row), links=tuple(links[row["id"]])))
        for row in rows
    }


def _rows_by_id(conn: sqlite3.Connection, columns: str, ids: Sequence[int]) -> list[sqlite3.Row]:
    """These columns of the sections (`s`) with these ids, joined to their notes (`d`)."""
    if not ids:
        return []
    marks = ",".join("?" * len(ids))
    sql = (
        f"SELECT {columns} FROM sections s JOIN documents d ON d.id = s.document_id WHERE s.id IN "
        f"({marks})"
    )
    return conn.execute(sql, list(ids)).fetchall()


def reference_sections(conn: sqlite3.Connection, ids: Sequence[int]) -> set[int]:
    """The sections among these that only point elsewhere (`prose.only_references`)."""
    if not ids:
        return set()
    marks = ",".join("?" * len(ids))
    titles: defaultdict[int, list[str]] = defaultdict(list)
    for row in conn.execute(
        f"SELECT section_id, text FROM links WHERE section_id IN ({marks})", list(ids)
    ):
        titles[int(row["section_id"])].append(row["text"])
    return {
        int(row["id"])
        for row in _rows_by_id(conn, "s.id, s.body", ids)
        if only_references(row["body"] or "", titles[int(row["id"])])
    }


@dataclass(frozen=True, slots=True)
class HitSection:
    """What a search hit shows of its section: where it is, how to link to it, and its text for the
    snippet."""

    path: str
    heading: str
    heading_path: tuple[str, ...]
    anchor_raw: str
    anchor_text: str
    anchor_github: str
    line_start: int
    body: str


def hit_sections(conn: sqlite3.Connection, ids: Sequence[int]) -> dict[int, HitSection]:
    """The sections a search returns, by id (one query, no spans parsed)."""
    columns = (
        "s.id, d.path, s.heading, s.heading_path, s.anchor_raw, s.anchor_text, s.anchor_github, "
        "s.line_start, s.body"
    )
    rows = _rows_by_id(conn, columns, ids)
    return {
        int(row["id"]): HitSection(
            path=row["path"],
            heading=row["heading"],
            heading_path=tuple(json.loads(row["heading_path"])),
            anchor_raw=row["anchor_raw"],
            anchor_text=row["anchor_text"],
            anchor_github=row["anchor_github"],
            line_start=int(row["line_start"]),
            body=row["body"] or "",
        )
        for row in rows
    }


def section_places(
    conn: sqlite3.Connection, ids: Sequence[int]
) -> dict[int, tuple[str, tuple[str, ...]]]:
    """Each section's note path and heading path, by section id."""
    return {
        int(row[0]): (str(row[1]), tuple(json.loads(row[2])))
        for row in _rows_by_id(conn, "s.id, d.path, s.heading_path", ids)
    }


def section_paths(conn: sqlite3.Connection, ids: Sequence[int]) -> dict[int, str]:
    """Each section's note path, by section id."""
    return {int(row[0]): str(row[1]) for row in _rows_by_id(conn, "s.id, d.path", ids)}


def _anchors(row: sqlite3.Row) -> Anchors:
    return Anchors(
        raw=row["anchor_raw"],
        text=row["anchor_text"],
        github=row["anchor_github"],
        kramdown=row["anchor_kramdown"],
        explicit=tuple(json.loads(row["explicit_ids"])),
    )


def _section(row: sqlite3.Row) -> Section:
    """A stored section row rebuilt as the vault model, with its spans."""
    spans = json.loads(row["spans"])
    anchors = _anchors(row)
    return Section(
        ordinal=row["ordinal"],
        level=row["level"],
        heading=row["heading"],
        heading_path=tuple(json.loads(row["heading_path"])),
        occurrence=row["occurrence"],
        line_start=row["line_start"],
        line_end=row["line_end"],
        body=row["body"],
        anchors=anchors,
        bold=tuple(spans.get("bold", ())),
        highlights=tuple(spans.get("highlights", ())),
        list_items=tuple(spans.get("list_items", ())),
        list_shape=tuple((int(group), int(depth)) for group, depth in spans.get("list_shape", ())),
        code_blocks=tuple(CodeBlock(**c) for c in spans.get("code_blocks", ())),
        tables=tuple(tuple(tuple(row) for row in table) for table in spans.get("tables", ())),
        bilingual_pairs=tuple(BilingualPair(**p) for p in spans.get("bilingual_pairs", ())),
        block_ids=tuple(json.loads(row["block_ids"])),
    )


def note_titles(conn: sqlite3.Connection) -> dict[str, str]:
    """Every note's title (front matter, first H1, or file name), by path."""
    return {row[0]: row[1] for row in conn.execute("SELECT path, title FROM documents")}


def document_title(conn: sqlite3.Connection, path: str) -> str | None:
    """The title of an indexed note; None when the index has no note at `path`."""
    row = conn.execute("SELECT title FROM documents WHERE path = ?", (path,)).fetchone()
    return None if row is None else str(row["title"])


def index_counts(conn: sqlite3.Connection) -> tuple[int, int, int]:
    """(notes, sections, active cards) in the index."""
    row = conn.execute(
        "SELECT (SELECT count(*) FROM documents), (SELECT count(*) FROM sections),"
        " (SELECT count(*) FROM cards WHERE status = 'active')"
    ).fetchone()
    return int(row[0]), int(row[1]), int(row[2])


def common_terms(conn: sqlite3.Connection, more_than: float) -> dict[str, int]:
    """Terms in the heading or the body of more than `more_than` sections, with that count, from
    FTS5's own vocabulary: the larger of the two columns' counts (on the corpus and its 10x copy,
    the same weak words as segmenting every section again)."""
    conn.execute(
        "CREATE VIRTUAL TABLE IF NOT EXISTS temp.section_vocab_columns USING fts5vocab(main, "
        "section_fts, col)"
    )
    counts: dict[str, int] = {}
    rows = conn.execute(
        "SELECT term, max(doc) FROM temp.section_vocab_columns WHERE col IN ('heading', 'body') "
        "GROUP BY term"
        " HAVING max(doc) > ?",
        (more_than,),
    )
    for term, count in rows:
        counts[str(term)] = int(count)
    return counts
