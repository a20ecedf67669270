"""FTS5 BM25 over sections: heading weighted above its ancestors' headings, which weigh above the
body.

The query is segmented like the index and turned into FTS5 syntax by `tokenize.fts_match` only.
Sections holding every term come first; when fewer than the list needs do, sections holding some of
them fill it, ranked by BM25 times the squared share of the query's terms they hold
(`三次握手 四次挥手` finds the note that mentions both, then each handshake's own section).
"""

from __future__ import annotations

from bagu.search.tokenize import fts_match
from bagu.store.sqlite import sqlite3

# Column weights for bm25(): heading, heading_path, body. A query that names a heading should land
# on it.
HEADING_WEIGHTS = (8.0, 3.0, 1.0)
# Sections with some of the terms: how many to look at per result wanted, and how steeply a missing
# term costs (BM25 already rises with each term matched; squaring the share puts a section with half
# the terms at a quarter of its score, so it fills the list below the full matches unless it is far
# stronger).
PARTIAL_POOL = 3
COVERAGE_POWER = 2
# A term in more than this share of the sections (and more than COMMON_FLOOR of them) finds no
# partial match worth its cost: the sections with some of the words are looked for by the query's
# rarer terms, whose posting lists stay short however large the vault grows.
COMMON_SHARE = 0.05
COMMON_FLOOR = 200


def lexical_ranking(
    conn: sqlite3.Connection, terms: list[str], k: int, path_glob: str | None = None
) -> tuple[list[tuple[int, float]], bool]:
    """(section id, score) best first, and whether some section holds every term."""
    distinct = list(dict.fromkeys(terms))
    if not distinct:
        return [], True
    full = _run(conn, fts_match(distinct, "AND"), k, path_glob)
    # the list is full: scoring every partial match costs ~4x
    if len(distinct) == 1 or len(full) >= k:
        return full, True
    scores = dict(full)
    counts = document_counts(conn, distinct)
    common = max(COMMON_FLOOR, COMMON_SHARE * _section_count(conn))
    seeds = [t for t in distinct if counts[t] <= common] or [min(distinct, key=counts.__getitem__)]
    partial = _run(conn, fts_match(seeds, "OR"), k * PARTIAL_POOL, path_glob)
    held = _terms_held(
        conn, [i for i, _ in partial if i not in scores], distinct, common=common, counts=counts
    )
    for section_id, score in partial:
        if section_id not in scores:
            scores[section_id] = score * (held.get(section_id, 1) / len(distinct)) ** COVERAGE_POWER
    ranked = sorted(scores.items(), key=lambda item: -item[1])
    return ranked[:k], bool(full)


def _section_count(conn: sqlite3.Connection) -> int:
    return int(conn.execute("SELECT count(*) FROM section_fts_docsize").fetchone()[0])


def _terms_held(
    conn: sqlite3.Connection,
    section_ids: list[int],
    terms: list[str],
    *,
    common: float,
    counts: dict[str, int],
) -> dict[int, int]:
    """How many of `terms` each section holds. A rare term's posting list is read whole and
    intersected here (FTS5 answers `MATCH ? AND rowid IN (…)` by testing every candidate on its own,
    twenty times slower); a common one is looked for in the candidates' own indexed text, whose cost
    does not grow with the vault."""
    wanted = set(section_ids)
    held: dict[int, int] = dict.fromkeys(section_ids, 0)
    if not wanted:
        return held
    frequent = [t for t in terms if counts.get(t, 0) > common]
    for term in (t for t in terms if t not in frequent):
        for (section_id,) in conn.execute(
            "SELECT rowid FROM section_fts WHERE section_fts MATCH ?", (fts_match([term]),)
        ):
            if section_id in wanted:
                held[section_id] += 1
    if frequent:
        for section_id, words in _indexed_words(conn, section_ids).items():
            held[section_id] += sum(term in words for term in frequent)
    return held


def _run(
    conn: sqlite3.Connection, match: str, k: int, path_glob: str | None
) -> list[tuple[int, float]]:
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


def _vocabulary(conn: sqlite3.Connection) -> None:
    """FTS5's own vocabulary of the sections, as a per-connection fts5vocab table
    (`temp.section_vocab`)."""
    conn.execute(
        "CREATE VIRTUAL TABLE IF NOT EXISTS temp.section_vocab USING fts5vocab(main, "
        "section_fts, row)"
    )


def document_counts(conn: sqlite3.Connection, terms: list[str]) -> dict[str, int]:
    """How many sections contain each term (FTS5's own vocabulary)."""
    _vocabulary(conn)
    counts = {}
    for term in dict.fromkeys(terms):
        row = conn.execute("SELECT doc FROM temp.section_vocab WHERE term = ?", (term,)).fetchone()
        counts[term] = int(row[0]) if row else 0
    return counts


def terms_around(conn: sqlite3.Connection, term: str) -> list[str]:
    """The indexed terms that start with the same character as `term` and are at most one longer or
    shorter: where a one-edit spelling of it would be."""
    _vocabulary(conn)
    rows = conn.execute(
        "SELECT term FROM temp.section_vocab WHERE term >= ? AND term < ? AND length(term) "
        "BETWEEN ? AND ?",
        (term[0], chr(ord(term[0]) + 1), len(term) - 1, len(term) + 1),
    )
    return [word for (word,) in rows]


def sections_holding(
    conn: sqlite3.Connection, terms: list[str], *, within: int | None = None
) -> int:
    """How many sections hold every one of `terms` (within `within` tokens of each other when
    given, or anywhere in the section's headings: `Compaction › Leveled` holds `leveled
    compaction`, the heading path being one title)."""
    if not terms:
        return 0
    return int(
        conn.execute(
            "SELECT count(*) FROM section_fts WHERE section_fts MATCH ?",
            (fts_match(terms, within=within, or_in=TITLE_COLUMNS),),
        ).fetchone()[0]
    )


# The FTS columns that title a section: its heading, and the note's title and path with the parent
# headings.
TITLE_COLUMNS = ("heading", "heading_path")


def section_terms(conn: sqlite3.Connection, section_ids: list[int]) -> set[str]:
    """Every indexed term of these sections (heading, heading path and body, as segmented for
    FTS5)."""
    return {term for words in _indexed_words(conn, section_ids).values() for term in words}


def notes_of(conn: sqlite3.Connection, section_ids: list[int]) -> list[int]:
    """The ids of the notes these sections belong to."""
    if not section_ids:
        return []
    marks = ",".join("?" * len(section_ids))
    rows = conn.execute(
        f"SELECT DISTINCT document_id FROM sections WHERE id IN ({marks})", section_ids
    )
    return [int(document_id) for (document_id,) in rows]


def notes_hold(conn: sqlite3.Connection, note_ids: list[int], term: str) -> bool:
    """Whether some section of these notes holds `term`: one FTS5 lookup that stops at the first
    section found, however long the notes (reading a 1 MB note's 8,000 sections to ask cost 50 ms
    a query)."""
    if not note_ids:
        return False
    marks = ",".join("?" * len(note_ids))
    row = conn.execute(
        "SELECT 1 FROM section_fts f JOIN sections s ON s.id = f.rowid WHERE section_fts MATCH ? "
        f"AND s.document_id IN ({marks}) LIMIT 1",
        [fts_match([term]), *note_ids],
    ).fetchone()
    return row is not None


def _indexed_words(conn: sqlite3.Connection, section_ids: list[int]) -> dict[int, set[str]]:
    """Each of these sections' indexed terms: its heading, heading path and body as segmented for
    FTS5."""
    if not section_ids:
        return {}
    marks = ",".join("?" * len(section_ids))
    rows = conn.execute(
        f"SELECT rowid, heading || ' ' || heading_path || ' ' || body FROM section_fts WHERE "
        f"rowid IN ({marks})",
        section_ids,
    )
    return {int(section_id): set(text.split()) for section_id, text in rows}
