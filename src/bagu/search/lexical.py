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


def document_counts(conn: sqlite3.Connection, terms: list[str]) -> dict[str, int]:
    """How many sections contain each term (FTS5's own vocabulary, through a per-connection fts5vocab table)."""
    conn.execute("CREATE VIRTUAL TABLE IF NOT EXISTS temp.section_vocab USING fts5vocab(main, section_fts, row)")
    counts = {}
    for term in dict.fromkeys(terms):
        row = conn.execute("SELECT doc FROM temp.section_vocab WHERE term = ?", (term,)).fetchone()
        counts[term] = int(row[0]) if row else 0
    return counts


def section_terms(conn: sqlite3.Connection, section_ids: list[int]) -> set[str]:
    """Every indexed term of these sections (heading, heading path and body, as segmented for FTS5)."""
    if not section_ids:
        return set()
    marks = ",".join("?" * len(section_ids))
    rows = conn.execute(
        f"SELECT heading || ' ' || heading_path || ' ' || body FROM section_fts WHERE rowid IN ({marks})", section_ids
    )
    return {term for (text,) in rows for term in text.split()}
