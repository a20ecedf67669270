"""FTS5 BM25 over sections: heading weighted above its ancestors' headings, which weigh above the body.

The query is segmented like the index and turned into FTS5 syntax by `tokenize.fts_match` only.
All terms are required first; when that finds nothing, any term may match (ranked by BM25).
"""

from __future__ import annotations

import json

from bagu.search.results import SearchHit, SearchResults
from bagu.search.snippet import make_snippet
from bagu.search.tokenize import fts_match, query_terms
from bagu.store.sqlite import sqlite3

# Column weights for bm25(): heading, heading_path, body. A query that names a heading should land on it.
HEADING_WEIGHTS = (8.0, 3.0, 1.0)


def search_sections(conn: sqlite3.Connection, query: str, k: int = 10, path_glob: str | None = None) -> SearchResults:
    terms = query_terms(query)
    if not terms:
        return SearchResults(query, (), "lexical", (), "the query has no searchable words")
    rows: list[sqlite3.Row] = []
    mode = "lexical"
    for operator in ("AND", "OR"):
        rows = _run(conn, fts_match(terms, operator), k, path_glob)
        if rows or len(terms) == 1:
            break
        mode = "lexical-any"
    hits = []
    for row in rows:
        snippet = make_snippet(row["body"] or row["heading"], terms)
        hits.append(
            SearchHit(
                section_id=row["id"],
                path=row["path"],
                heading=row["heading"],
                heading_path=tuple(json.loads(row["heading_path"])),
                anchor=row["anchor_raw"],
                github_anchor=row["anchor_github"],
                line=row["line_start"],
                snippet=snippet.text,
                highlights=snippet.highlights,
                score=round(-float(row["rank"]), 4),
            )
        )
    notice = (
        "no section contains every word; showing sections with some of them" if mode == "lexical-any" and hits else None
    )
    return SearchResults(query, tuple(terms), mode, tuple(hits), notice)


def _run(conn: sqlite3.Connection, match: str, k: int, path_glob: str | None) -> list[sqlite3.Row]:
    weights = ", ".join(str(w) for w in HEADING_WEIGHTS)
    sql = (
        f"SELECT s.id, d.path, s.heading, s.heading_path, s.anchor_raw, s.anchor_github, s.line_start, s.body,"
        f" bm25(section_fts, {weights}) AS rank"
        " FROM section_fts JOIN sections s ON s.id = section_fts.rowid JOIN documents d ON d.id = s.document_id"
        " WHERE section_fts MATCH ?"
    )
    params: list[object] = [match]
    if path_glob:
        sql += " AND d.path GLOB ?"
        params.append(path_glob)
    sql += " ORDER BY rank LIMIT ?"
    params.append(k)
    return list(conn.execute(sql, params))
