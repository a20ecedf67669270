"""Semantic scores for a query: nearest sections by one signal, and comparable (z-scored) similarities.

Cosines of different models live on different scales (e5's crowd near 0.85, USE's spread from 0.2 to
0.9), so each signal's similarity is turned into a z-score against that query's similarity to a fixed
sample of the stored vectors. Then signals can be summed, and a z-score means "how unusually close".
"""

from __future__ import annotations

import numpy as np

from bagu.search.embed import Signal
from bagu.store.sqlite import sqlite3
from bagu.store.vectors import ModelInfo, nearest_chunks, sample_vectors, section_vectors

SAMPLE = 512
# Chunks fetched per wanted section: a section has one title chunk and several body chunks.
OVERFETCH = 4


def _unpack(blobs: list[bytes], dimension: int) -> np.ndarray:
    if not blobs:
        return np.zeros((0, dimension), np.float32)
    return np.frombuffer(b"".join(blobs), dtype=np.float32).reshape(-1, dimension)


class SignalScorer:
    def __init__(self, conn: sqlite3.Connection, signal: Signal, info: ModelInfo) -> None:
        self.conn, self.signal, self.info = conn, signal, info
        self.sample = _unpack(sample_vectors(conn, info, signal.kind, SAMPLE), info.dimension)

    def nearest(self, query: np.ndarray, k: int) -> list[tuple[int, float]]:
        """(section id, best cosine among its chunks of this kind), best first, at most k sections."""
        best: dict[int, float] = {}
        for _, section_id, kind, cosine in nearest_chunks(self.conn, self.info, query.tolist(), k * OVERFETCH):
            if kind == self.signal.kind and cosine > best.get(section_id, -2.0):
                best[section_id] = cosine
        return sorted(best.items(), key=lambda item: -item[1])[:k]

    def zscores(self, query: np.ndarray, section_ids: list[int]) -> dict[int, float]:
        """z-scored best cosine of each section (sections without a chunk of this kind are left out)."""
        if not section_ids:
            return {}
        rows = section_vectors(self.conn, self.info, section_ids, self.signal.kind)
        vectors = _unpack([blob for _, blob in rows], self.info.dimension)
        cosines = vectors @ query if len(vectors) else np.zeros(0, np.float32)
        reference = self.sample @ query if len(self.sample) else np.zeros(1, np.float32)
        mean, spread = float(reference.mean()), float(reference.std()) + 1e-6
        best: dict[int, float] = {}
        for (section_id, _), cosine in zip(rows, cosines, strict=True):
            best[section_id] = max(best.get(section_id, -1e9), (float(cosine) - mean) / spread)
        return best
