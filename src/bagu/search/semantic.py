"""Semantic scores for a query: each signal's similarity to every section, z-scored so signals add
up.

Cosines of different models live on different scales (e5's crowd near 0.85, USE's spread from 0.2 to
0.9), so a section's best-chunk cosine becomes a z-score against all sections for that query: "how
unusually close". The vectors are read from the store's sqlite-vec tables once per `SignalScorer`
and scored with one matrix product (~2 ms for 10,000 chunks), reloaded when `bagu index` embeds
more. The best cosine itself is kept too: z-scores say which section stands out, not whether any is
close.

Past EXACT_UP_TO chunks (a 4,500-note vault has 290,000 USE body chunks) the product over every
chunk is what a query waits for, so a signal first picks RESCORED_CHUNKS candidates by their sign
codes (`sign_codes`), scores those exactly, and takes the mean and spread of the z-scores from an
evenly spread sample of Z_SAMPLE_SECTIONS sections; a section asked for by name (a lexical hit) is
scored exactly.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import numpy as np

from bagu.search.embedders import Signal
from bagu.search.sign_codes import SignCodes
from bagu.store.sqlite import sqlite3
from bagu.store.vectors import ModelInfo, signal_vectors


class SectionScores:
    """One signal's z-scored best cosine of every section, kept as arrays: at 82,000 sections a dict
    made for each query cost more than the matrix product (benchmarks/bench_first_run.py
    --random-vectors)."""

    def __init__(
        self,
        sections: np.ndarray,
        z: np.ndarray,
        *,
        others: Callable[[np.ndarray], np.ndarray] | None = None,
    ) -> None:
        self.sections, self.z = sections, z  # sections sorted ascending, z aligned with them
        # the z-scores of sections outside `sections`, when those are only the candidates
        self.others = others

    def top(self, n: int) -> list[int]:
        """The `n` best sections, best first."""
        if n <= 0 or not len(self.z):
            return []
        chosen = np.argpartition(-self.z, n - 1)[:n] if n < len(self.z) else np.arange(len(self.z))
        return [int(i) for i in self.sections[chosen[np.argsort(-self.z[chosen], kind="stable")]]]

    def at(self, section_ids: np.ndarray) -> np.ndarray:
        """The z-score of each of these sections (0.0 for a section this signal has no vector
        of)."""
        if not len(self.sections):
            return np.zeros(len(section_ids))
        where, found = _positions(self.sections, section_ids)
        z = np.where(found, self.z[where], 0.0)
        if self.others is not None and not found.all():
            z[~found] = self.others(section_ids[~found])
        return z


class SignalScores(NamedTuple):
    z: SectionScores  # section → z-scored best cosine
    best: float  # the highest cosine of any section, on the model's own scale (0.0 when none)


# Chunks past which a signal scores candidates only: below it one matrix product costs less than the
# coarse pass, the rescoring and the sample together (about 6 ms on this 2-core machine, the product
# of 50,000 × 512).
EXACT_UP_TO = 50_000
RESCORED_CHUNKS = 4096
Z_SAMPLE_SECTIONS = 4096


class SignalScorer:
    def __init__(
        self, signal: Signal, info: ModelInfo, vectors: tuple[list[int], list[bytes]]
    ) -> None:
        """`vectors`: the section id and packed vector of each chunk
        (`store.vectors.kinds_vectors`)."""
        self.signal, self.info = signal, info
        section_ids, blobs = vectors
        order = np.argsort(np.asarray(section_ids, dtype=np.int64), kind="stable")
        ids = np.asarray(section_ids, dtype=np.int64)[order]
        matrix = (
            np.frombuffer(b"".join(blobs), dtype=np.float32).reshape(-1, info.dimension)
            if blobs
            else None
        )
        self.matrix = (
            matrix[order] if matrix is not None else np.zeros((0, info.dimension), np.float32)
        )
        # Chunks are grouped by section: `starts` marks each section's first chunk for a per-section
        # max.
        self.sections, self.starts = np.unique(ids, return_index=True)
        self.lengths = np.diff(self.starts, append=len(ids))  # each section's chunk count
        self.codes: SignCodes | None = None
        if len(self.matrix) > EXACT_UP_TO:
            self.codes = SignCodes(self.matrix)
            self.chunk_section = np.repeat(np.arange(len(self.sections)), self.lengths)
            sample = np.unique(
                np.linspace(0, len(self.sections) - 1, Z_SAMPLE_SECTIONS).astype(np.int64)
            )
            rows, self.sample_starts = self._rows_of(sample)
            # a copy in one block: gathering its rows for each query cost more
            self.sample = self.matrix[rows]

    @classmethod
    def load(cls, conn: sqlite3.Connection, signal: Signal, info: ModelInfo) -> SignalScorer:
        return cls(signal, info, signal_vectors(conn, info, signal.kind))

    @property
    def key(self) -> str:
        """`model/kind`, as calibrations name the signal."""
        return self.signal.key  # the stored model's name is the embedder's

    def scores(self, query: np.ndarray) -> SignalScores:
        """Every section's z-scored best cosine (empty when nothing of this kind is embedded)."""
        if not len(self.sections):
            return SignalScores(SectionScores(self.sections, np.zeros(0)), 0.0)
        if self.codes is not None:
            return self._candidate_scores(query)
        best = np.maximum.reduceat(self.matrix @ query, self.starts)
        z = (best - best.mean()) / (best.std() + 1e-6)
        return SignalScores(SectionScores(self.sections, z), float(best.max()))

    def _candidate_scores(self, query: np.ndarray) -> SignalScores:
        """The sections of the chunks nearest by sign code, scored exactly; every other section on
        demand."""
        assert self.codes is not None
        sampled = np.maximum.reduceat(self.sample @ query, self.sample_starts)
        mean, spread = float(sampled.mean()), float(sampled.std()) + 1e-6
        rows = self.codes.nearest(query, RESCORED_CHUNKS)
        positions, where = np.unique(self.chunk_section[rows], return_inverse=True)
        best = np.full(len(positions), -np.inf, dtype=np.float32)
        np.maximum.at(best, where, self.matrix[rows] @ query)

        def others(section_ids: np.ndarray) -> np.ndarray:
            return np.nan_to_num((self._best_of(section_ids, query) - mean) / spread, nan=0.0)

        z = (best - mean) / spread
        return SignalScores(
            SectionScores(self.sections[positions], z, others=others), float(best.max())
        )

    def _best_of(self, section_ids: np.ndarray, query: np.ndarray) -> np.ndarray:
        """Each section's best cosine, scored over all its chunks (nan for a section without vectors
        here)."""
        where, held = _positions(self.sections, section_ids)
        best = np.full(len(section_ids), np.nan)
        if held.any():
            rows, starts = self._rows_of(where[held])
            best[held] = np.maximum.reduceat(self.matrix[rows] @ query, starts)
        return best

    def _rows_of(self, positions: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The chunk rows of these sections (by position), and where each section's rows start among
        them."""
        lengths = self.lengths[positions]
        starts = np.concatenate([[0], np.cumsum(lengths)[:-1]]).astype(np.int64)
        rows = np.repeat(self.starts[positions] - starts, lengths) + np.arange(int(lengths.sum()))
        return rows, starts


def _positions(sections: np.ndarray, section_ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Where each id is (or would be) in the sorted, non-empty `sections`, and whether it is
    there."""
    where = np.minimum(np.searchsorted(sections, section_ids), len(sections) - 1)
    return where, sections[where] == section_ids
