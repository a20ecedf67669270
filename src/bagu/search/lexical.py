"""FTS5 BM25 over sections: heading weighted above its ancestors' headings, which weigh above the body.

The query is segmented like the index and turned into FTS5 syntax by `tokenize.fts_match` only.
All terms are required first; when that finds nothing, any term may match (ranked by BM25).
"""

from __future__ import annotations

from bagu.search.tokenize import fts_match
from bagu.store.sqlite import sqlite3

# Column weights for bm25(): heading, heading_path, body. A query that names a heading should land on it.
HEADING_WEIGHTS = (8.0, 3.0, 1.0)


def lexical_ranking(
    conn: sqlite3.Connection, terms: list[str], k: int, path_glob: str | None = None
) -> tuple[list[tuple[int, float]], bool]:
    """(section id, BM25 score) best first, and whether every term had to match (False: any term did)."""
    if not terms:
        return [], True
    rows: list[tuple[int, float]] = []
    for operator in ("AND", "OR"):
        rows = _run(conn, fts_match(terms, operator), k, path_glob)
        if rows or len(terms) == 1:
            return rows, operator == "AND"
    return rows, False


def _run(conn: sqlite3.Connection, match: str, k: int, path_glob: str | None) -> list[tuple[int, float]]:
    weights = ", ".join(str(w) for w in HEADING_WEIGHTS)
    sql = f"SELECT section_fts.rowid, bm25(section_fts, {weights}) AS rank FROM section_fts"
    params: list[object] = [match]
    if path_glob:
        sql += (
            " JOIN sections s ON s.id = section_fts.rowid JOIN documents d ON d.id = s.document_id"
            " WHERE section_fts MATCH ? AND d.path GLOB ?"
        )
        params.append(path_glob)
    else:
        sql += " WHERE section_fts MATCH ?"
    sql += " ORDER BY rank LIMIT ?"
    params.append(k)
    return [(int(row[0]), -float(row[1])) for row in conn.execute(sql, params)]
