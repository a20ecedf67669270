"""Keep the vector index in step with the sections: cut changed sections into chunks, embed what is
missing.

Called after `index_vault`; costs nothing when no section changed and every model has its chunks.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from bagu.errors import EmbeddingMismatch
from bagu.search.chunks import chunk_section, clip_body
from bagu.search.embedders import Embedder, Signal
from bagu.store.sqlite import sqlite3
from bagu.store.vectors import (
    chunks_by_kind,
    embedded_by_kind,
    ensure_model,
    has_vector_extension,
    pending_chunks,
    save_vectors,
    sync_chunks,
)

BATCH = 32


@dataclass(frozen=True, slots=True)
class EmbedReport:
    models: tuple[str, ...]
    sections_recut: int
    embedded: int
    seconds: float


def batch_size(embedder: Embedder) -> int:
    """Chunks per model call and per commit: a remote server gets enough to fill its concurrent
    requests."""
    # OpenAIEmbedder's settings
    remote = getattr(embedder, "batch", 0) * getattr(embedder, "concurrency", 0)
    return max(BATCH, remote)


def embed_vault(
    conn: sqlite3.Connection,
    signals: list[Signal],
    on_progress: Callable[[int, int, str], None] | None = None,
    *,
    max_chunks: int | None = None,
) -> EmbedReport:
    """Embed every chunk a signal's model lacks, one model after the other in the signals' order
    (the fast one first), titles before bodies; each batch is committed, so Ctrl-C or a crash loses
    one batch at most and the next run resumes. `on_progress(done, total, model)` counts per model:
    one phase per model. `max_chunks` stops after about that many (a background worker embeds in
    slices between other work)."""
    started = time.perf_counter()
    if not has_vector_extension(conn):
        raise RuntimeError("sqlite-vec is not loaded")
    recut = sync_chunks(conn, chunk_section)
    kinds: dict[str, tuple[Embedder, set[str]]] = {}
    limits: dict[str, dict[str, int]] = {}
    clips: dict[str, int] = {}
    for signal in signals:
        kinds.setdefault(signal.embedder.name, (signal.embedder, set()))[1].add(signal.kind)
        limits.setdefault(signal.embedder.name, {})[signal.kind] = signal.per_section
        clips[signal.embedder.name] = max(clips.get(signal.embedder.name, 0), signal.body_chars)
    embedded = 0
    for name, (embedder, model_kinds) in kinds.items():
        todo = pending_chunks(conn, name, tuple(sorted(model_kinds)), limits[name])
        if max_chunks is not None:
            todo = todo[: max(0, max_chunks - embedded)]
        if not todo:
            continue
        info = ensure_model(conn, embedder.name, embedder.dimension)
        size = batch_size(embedder)
        for start in range(0, len(todo), size):
            batch = todo[start : start + size]
            vectors = embedder.embed_documents([clip_body(text, clips[name]) for _, text in batch])
            if len(vectors) != len(batch) or any(len(v) != embedder.dimension for v in vectors):
                raise EmbeddingMismatch(
                    f"{embedder.name} returned {len(vectors)} vectors for {len(batch)} texts, or "
                    f"vectors of another "
                    f"dimension than {embedder.dimension}: nothing of this batch was stored"
                )
            save_vectors(
                conn, info, [(cid, v.tolist()) for (cid, _), v in zip(batch, vectors, strict=True)]
            )
            embedded += len(batch)
            if on_progress is not None:
                on_progress(start + len(batch), len(todo), embedder.name)
    return EmbedReport(tuple(kinds), recut, embedded, time.perf_counter() - started)


def signal_progress(conn: sqlite3.Connection, signals: list[Signal]) -> dict[str, tuple[int, int]]:
    """`model/kind` → (chunks embedded, chunks of that kind): which signals are complete."""
    progress = {}
    for limit in sorted({s.per_section for s in signals}):
        chosen = [s for s in signals if s.per_section == limit]
        limits = {s.kind: limit for s in chosen}
        totals, done = chunks_by_kind(conn, limits), embedded_by_kind(conn, limits)
        progress.update(
            {s.key: (done.get((s.embedder.name, s.kind), 0), totals.get(s.kind, 0)) for s in chosen}
        )
    return progress
