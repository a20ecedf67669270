"""A coarse first pass over many vectors: one bit per dimension, compared by Hamming distance.

Each vector is kept as the signs of its difference from the mean vector (centring matters: USE's and
e5's vectors share a large common direction, so their raw signs hardly differ from one another). The
Hamming distance between a query's signs and a vector's estimates the angle between the query and
the vector's difference from the mean, which ranks vectors as the query's dot product with them
does: q·v = q·(v − μ) + q·μ, and q·μ is the same for every vector. The query is centred on the
same mean before its signs are taken, as e5's queries share that direction too: on the corpus index
(`benchmarks/experiment_sign_codes.py`) the 1.4% nearest rows by code held 61–70% of e5's ten best
chunks that way and 17–25% without it
(USE: 85–95% either way). The codes are kept a 64-bit word of dimensions at a time across all
vectors, so a query costs one XOR and one popcount per word and vector: 3 ms for 290,000 vectors of
512 dimensions on 2 cores, where the matrix product takes 38 ms.

Pure: the caller rescores the nearest rows exactly (`semantic.SignalScorer`).
"""

from __future__ import annotations

import numpy as np


class SignCodes:
    def __init__(self, matrix: np.ndarray) -> None:
        self.mean = matrix.mean(axis=0, dtype=np.float64).astype(np.float32)
        # (words per vector, vectors)
        self.words = np.ascontiguousarray(_packed(matrix > self.mean).T)

    def __len__(self) -> int:
        return int(self.words.shape[1])

    def nearest(self, query: np.ndarray, count: int) -> np.ndarray:
        """The rows of the `count` vectors whose codes are closest to the query's, in no particular
        order."""
        if count >= len(self):
            return np.arange(len(self))
        code = _packed((query > self.mean)[np.newaxis, :])[0]
        distance = np.zeros(len(self), dtype=np.uint16)
        for word, bits in zip(self.words, code, strict=True):
            distance += np.bitwise_count(word ^ bits)
        return np.argpartition(distance, count - 1)[:count]


def _packed(signs: np.ndarray) -> np.ndarray:
    """Rows of booleans as rows of 64-bit words (zero bits pad the last word)."""
    packed = np.packbits(signs, axis=1)
    padding = -packed.shape[1] % 8
    if padding:
        packed = np.pad(packed, ((0, 0), (0, padding)))
    return packed.view(np.uint64)
