"""Semantic scores for a query: each signal's similarity to every section, z-scored so signals add up.

Cosines of different models live on different scales (e5's crowd near 0.85, USE's spread from 0.2 to
0.9), so a section's best-chunk cosine becomes a z-score against all sections for that query: "how
unusually close". The vectors are read from the store's sqlite-vec tables once per `SignalScorer` and
scored with one matrix product (~2 ms for 10,000 chunks), reloaded when `bagu index` embeds more.
The best cosine itself is kept too: z-scores say which section stands out, not whether any is close.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from bagu.search.embedders import Signal
from bagu.store.sqlite import sqlite3
from bagu.store.vectors import ModelInfo, signal_vectors


class SectionScores:
    """One signal's z-scored best cosine of every section, kept as arrays: at 82,000 sections a dict made
    for each query cost more than the matrix product (benchmarks/bench_first_run.py --random-vectors)."""

    def __init__(self, sections: np.ndarray, z: np.ndarray) -> None:
        self.sections, self.z = sections, z  # sections sorted ascending, z aligned with them

    def top(self, n: int) -> list[int]:
        """The `n` best sections, best first."""
        if n <= 0 or not len(self.z):
            return []
        chosen = np.argpartition(-self.z, n - 1)[:n] if n < len(self.z) else np.arange(len(self.z))
        return [int(i) for i in self.sections[chosen[np.argsort(-self.z[chosen], kind="stable")]]]

    def at(self, section_ids: np.ndarray) -> np.ndarray:
        """The z-score of each of these sections (0.0 for a section this signal has no vector of)."""
        if not len(self.sections):
            return np.zeros(len(section_ids))
        where = np.minimum(np.searchsorted(self.sections, section_ids), len(self.sections) - 1)
        return np.where(self.sections[where] == section_ids, self.z[where], 0.0)


class SignalScores(NamedTuple):
    z: SectionScores  # section → z-scored best cosine
    best: float  # the highest cosine of any section, on the model's own scale (0.0 when none)


class SignalScorer:
    def __init__(self, conn: sqlite3.Connection, signal: Signal, info: ModelInfo) -> None:
        self.signal, self.info = signal, info
        section_ids, blobs = signal_vectors(conn, info, signal.kind)
        order = np.argsort(np.asarray(section_ids, dtype=np.int64), kind="stable")
        ids = np.asarray(section_ids, dtype=np.int64)[order]
        matrix = np.frombuffer(b"".join(blobs), dtype=np.float32).reshape(-1, info.dimension) if blobs else None
        self.matrix = matrix[order] if matrix is not None else np.zeros((0, info.dimension), np.float32)
        # Chunks are grouped by section: `starts` marks each section's first chunk for a per-section max.
        self.sections, self.starts = np.unique(ids, return_index=True)

    @property
    def key(self) -> str:
        """`model/kind`, as calibrations name the signal."""
        return self.signal.key  # the stored model's name is the embedder's

    def scores(self, query: np.ndarray) -> SignalScores:
        """Every section's z-scored best cosine (empty when nothing of this kind is embedded)."""
        if not len(self.sections):
            return SignalScores(SectionScores(self.sections, np.zeros(0)), 0.0)
        best = np.maximum.reduceat(self.matrix @ query, self.starts)
        z = (best - best.mean()) / (best.std() + 1e-6)
        return SignalScores(SectionScores(self.sections, z), float(best.max()))
