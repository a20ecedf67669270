"""Chunks and their embeddings in the store: sqlite-vec `vec0` tables, one per embedding model.

A model's name and dimension are recorded when it is first used; vectors of another model never mix
with them. Chunks are re-cut only for sections whose content changed, and a chunk is embedded once
per model, so re-indexing or switching back to a model re-embeds only what is missing.
"""

from __future__ import annotations

import hashlib
import json
import re
import struct
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from bagu.store.db import transaction
from bagu.store.sqlite import sqlite3

ChunkCutter = Callable[[str, tuple[str, ...], str], list[tuple[str, str]]]


def has_vector_extension(conn: sqlite3.Connection) -> bool:
    try:
        conn.execute("SELECT vec_version()").fetchone()
    except sqlite3.OperationalError:
        return False
    return True


def _vec_table(name: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")[:40]
    return f"vec_{slug}_{hashlib.sha1(name.encode()).hexdigest()[:8]}"


@dataclass(frozen=True, slots=True)
class ModelInfo:
    name: str
    dimension: int
    vec_table: str


def known_models(conn: sqlite3.Connection) -> list[ModelInfo]:
    return [
        ModelInfo(*row)
        for row in conn.execute("SELECT name, dimension, vec_table FROM embedding_models")
    ]


def ensure_model(conn: sqlite3.Connection, name: str, dimension: int) -> ModelInfo:
    """The model's vector table, created on first use. A known name with another dimension is
    refused."""
    row = conn.execute(
        "SELECT name, dimension, vec_table FROM embedding_models WHERE name = ?", (name,)
    ).fetchone()
    if row is not None:
        info = ModelInfo(*row)
        if info.dimension != dimension:
            raise ValueError(
                f"model {name} was recorded with dimension {info.dimension}, not {dimension}"
            )
        return info
    info = ModelInfo(name, dimension, _vec_table(name))
    with transaction(conn):
        conn.execute(
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {info.vec_table} USING vec0(embedding "
            f"float[{dimension}])"
        )
        conn.execute(
            "INSERT INTO embedding_models(name, dimension, vec_table, created_at) VALUES (?, ?, "
            "?, ?)",
            (name, dimension, info.vec_table, datetime.now(UTC).isoformat(timespec="seconds")),
        )
    return info


def sync_chunks(conn: sqlite3.Connection, cut: ChunkCutter) -> int:
    """Re-cut the chunks of every section whose content changed since it was cut; returns sections
    re-cut."""
    stale = conn.execute(
        "SELECT s.id, d.path, s.heading_path, s.body, s.content_sha256 FROM sections s"
        " JOIN documents d ON d.id = s.document_id"
        " WHERE NOT EXISTS (SELECT 1 FROM chunks c WHERE c.section_id = s.id AND c.section_sha = "
        "s.content_sha256)"
    ).fetchall()
    if not stale:
        _drop_orphan_vectors(conn)
        return 0
    with transaction(conn):
        for row in stale:
            conn.execute("DELETE FROM chunks WHERE section_id = ?", (row["id"],))
            pieces = cut(row["path"], tuple(json.loads(row["heading_path"])), row["body"])
            conn.executemany(
                "INSERT INTO chunks(section_id, ordinal, kind, text, section_sha) VALUES (?, ?, "
                "?, ?, ?)",
                [
                    (row["id"], i, kind, text, row["content_sha256"])
                    for i, (kind, text) in enumerate(pieces)
                ],
            )
    _drop_orphan_vectors(conn)
    return len(stale)


def _drop_orphan_vectors(conn: sqlite3.Connection) -> None:
    """vec0 tables cannot cascade: remove vectors whose chunk is gone."""
    if not has_vector_extension(conn):
        return
    with transaction(conn):
        for info in known_models(conn):
            conn.execute(
                f"DELETE FROM {info.vec_table} WHERE rowid NOT IN (SELECT chunk_id FROM embedded "
                f"WHERE model = ?)",
                (info.name,),
            )


def pending_chunks(
    conn: sqlite3.Connection,
    model: str,
    kinds: tuple[str, ...],
    per_section: dict[str, int] | None = None,
) -> list[tuple[int, str]]:
    """Chunks of these kinds this model has not embedded yet: titles first (short, and the strongest
    signal). `per_section` limits a kind to each section's first chunks of it (kind → how many;
    absent or 0: all)."""
    marks = ",".join("?" * len(kinds))
    rows = conn.execute(
        f"SELECT c.id, c.text, c.kind, c.ordinal FROM chunks c WHERE c.kind IN ({marks}) AND NOT "
        f"EXISTS"
        " (SELECT 1 FROM embedded e WHERE e.chunk_id = c.id AND e.model = ?) ORDER BY c.kind != "
        "'title', c.id",
        (*kinds, model),
    )
    limits = per_section or {}
    return [(row[0], row[1]) for row in rows if _within(row[2], row[3], limits)]


def _within(kind: str, ordinal: int, limits: dict[str, int]) -> bool:
    """Whether a chunk is among its section's first `limits[kind]` chunks of its kind. A section's
    chunks are numbered from 0, its title first, so body chunk n has ordinal n."""
    limit = limits.get(kind, 0)
    return not limit or (ordinal if kind != "title" else ordinal + 1) <= limit


def _pack(vector: Sequence[float]) -> bytes:
    return struct.pack(f"{len(vector)}f", *vector)


def save_vectors(
    conn: sqlite3.Connection, info: ModelInfo, rows: Iterable[tuple[int, Sequence[float]]]
) -> None:
    with transaction(conn):
        for chunk_id, vector in rows:
            conn.execute(f"DELETE FROM {info.vec_table} WHERE rowid = ?", (chunk_id,))
            conn.execute(
                f"INSERT INTO {info.vec_table}(rowid, embedding) VALUES (?, ?)",
                (chunk_id, _pack(vector)),
            )
            conn.execute(
                "INSERT OR IGNORE INTO embedded(chunk_id, model) VALUES (?, ?)",
                (chunk_id, info.name),
            )


def signal_vectors(
    conn: sqlite3.Connection, info: ModelInfo, kind: str
) -> tuple[list[int], list[bytes]]:
    """(section id per chunk, packed float32 vector per chunk) for every embedded chunk of one
    kind."""
    return kinds_vectors(conn, info, [kind])[kind]


def kinds_vectors(
    conn: sqlite3.Connection, info: ModelInfo, kinds: Sequence[str]
) -> dict[str, tuple[list[int], list[bytes]]]:
    """`signal_vectors` for several kinds of one model, from one scan of its table: titles and
    bodies share it, and a scan of a 4,500-note vault's 370,000 USE vectors takes ~15 s
    (`bench_first_run.py --notes 4500`).

    Read as two plain scans joined in Python: joining vec0 row by row costs ~0.3 ms a row.
    """
    marks = ",".join("?" * len(kinds))
    chunk_sections = {
        row[0]: (row[1], row[2])
        for row in conn.execute(
            f"SELECT id, section_id, kind FROM chunks WHERE kind IN ({marks})", list(kinds)
        )
    }
    found: dict[str, tuple[list[int], list[bytes]]] = {kind: ([], []) for kind in kinds}
    for chunk_id, blob in conn.execute(f"SELECT rowid, embedding FROM {info.vec_table}"):
        held = chunk_sections.get(chunk_id)
        if held is not None:
            sections, blobs = found[held[1]]
            sections.append(held[0])
            blobs.append(blob)
    return found


def vectors_generation(conn: sqlite3.Connection) -> str:
    """Changes whenever vectors are added or removed, so a long-lived searcher knows to reload."""
    row = conn.execute("SELECT count(*), coalesce(max(chunk_id), 0) FROM embedded").fetchone()
    return f"{row[0]}:{row[1]}"


def embedding_counts(conn: sqlite3.Connection) -> dict[str, int]:
    counts = {"chunks": conn.execute("SELECT count(*) FROM chunks").fetchone()[0]}
    for name, count in conn.execute("SELECT model, count(*) FROM embedded GROUP BY model"):
        counts[name] = count
    return counts


def chunks_by_kind(
    conn: sqlite3.Connection, per_section: dict[str, int] | None = None
) -> dict[str, int]:
    """How many chunks of each kind (title, body) the index holds, within `per_section` (see
    pending_chunks)."""
    counts: dict[str, int] = {}
    limits = per_section or {}
    for kind, ordinal, count in conn.execute(
        "SELECT kind, ordinal, count(*) FROM chunks GROUP BY kind, ordinal"
    ):
        if _within(kind, ordinal, limits):
            counts[kind] = counts.get(kind, 0) + count
    return counts


def embedded_by_kind(
    conn: sqlite3.Connection, per_section: dict[str, int] | None = None
) -> dict[tuple[str, str], int]:
    """(model, chunk kind) → how many of those chunks the model has embedded, within
    `per_section`."""
    counts: dict[tuple[str, str], int] = {}
    limits = per_section or {}
    rows = conn.execute(
        "SELECT e.model, c.kind, c.ordinal, count(*) FROM embedded e JOIN chunks c ON c.id = "
        "e.chunk_id"
        " GROUP BY e.model, c.kind, c.ordinal"
    )
    for model, kind, ordinal, count in rows:
        if _within(kind, ordinal, limits):
            counts[(model, kind)] = counts.get((model, kind), 0) + count
    return counts
