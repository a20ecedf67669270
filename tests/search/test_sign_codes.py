"""Sign codes: the coarse first pass a large vault's signals take before scoring candidates
exactly."""

from __future__ import annotations

import numpy as np

from bagu.search.sign_codes import SignCodes


def _shared_direction(count: int, dimension: int, seed: int = 0) -> np.ndarray:
    """Unit vectors that all lean one way, as e5's do (their cosines crowd near 0.85)."""
    rng = np.random.default_rng(seed)
    common = rng.standard_normal(dimension)
    vectors = 3 * common / np.linalg.norm(common) + rng.standard_normal(
        (count, dimension)
    ) / np.sqrt(dimension)
    return (vectors / np.linalg.norm(vectors, axis=1, keepdims=True)).astype(np.float32)


def test_the_nearest_codes_hold_the_best_vectors_though_every_vector_leans_one_way() -> None:
    vectors = _shared_direction(4000, 128)
    codes = SignCodes(vectors)
    rng = np.random.default_rng(1)
    found = []
    for row in rng.choice(len(vectors), 40, replace=False):
        query = vectors[row] + rng.standard_normal(128).astype(np.float32) * 0.02
        best = set(np.argsort(-(vectors @ query))[:10].tolist())
        found.append(len(best & set(codes.nearest(query, 200).tolist())) / 10)
    assert np.mean(found) >= 0.55  # 0.64; raw signs, without centring, find 0.36


def test_asking_for_as_many_rows_as_there_are_returns_every_row() -> None:
    vectors = _shared_direction(30, 64)
    assert sorted(SignCodes(vectors).nearest(vectors[0], 30).tolist()) == list(range(30))


def test_a_dimension_that_is_not_a_multiple_of_64_is_padded_not_lost() -> None:
    vectors = _shared_direction(500, 100)
    codes = SignCodes(vectors)
    assert codes.words.shape == (2, 500)
    assert 7 in codes.nearest(vectors[7], 5).tolist()
