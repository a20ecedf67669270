"""Keep the vector index in step with the sections: cut changed sections into chunks, embed what is missing.

Called after `index_vault`; costs nothing when no section changed and every model has its chunks.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from bagu.search.chunks import chunk_section
from bagu.search.embed import Embedder, Signal
from bagu.store.sqlite import sqlite3
from bagu.store.vectors import ensure_model, has_vector_extension, pending_chunks, save_vectors, sync_chunks

BATCH = 32


@dataclass(frozen=True, slots=True)
class EmbedReport:
    models: tuple[str, ...]
    sections_recut: int
    embedded: int
    seconds: float


def embed_vault(
    conn: sqlite3.Connection, signals: list[Signal], on_progress: Callable[[int, int, str], None] | None = None
) -> EmbedReport:
    """Embed every chunk a signal's model lacks; each batch is committed, so Ctrl-C loses one batch at most."""
    started = time.perf_counter()
    if not has_vector_extension(conn):
        raise RuntimeError("sqlite-vec is not loaded")
    recut = sync_chunks(conn, chunk_section)
    kinds: dict[str, tuple[Embedder, set[str]]] = {}
    for signal in signals:
        kinds.setdefault(signal.embedder.name, (signal.embedder, set()))[1].add(signal.kind)
    work = [(embedder, pending_chunks(conn, name, tuple(sorted(k)))) for name, (embedder, k) in kinds.items()]
    total, done = sum(len(todo) for _, todo in work), 0
    for embedder, todo in work:
        info = ensure_model(conn, embedder.name, embedder.dimension)
        for start in range(0, len(todo), BATCH):
            batch = todo[start : start + BATCH]
            vectors = embedder.embed_documents([text for _, text in batch])
            save_vectors(conn, info, [(cid, v.tolist()) for (cid, _), v in zip(batch, vectors, strict=True)])
            done += len(batch)
            if on_progress is not None:
                on_progress(done, total, embedder.name)
    return EmbedReport(tuple(kinds), recut, total, time.perf_counter() - started)
