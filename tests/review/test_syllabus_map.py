"""The summary page as a map: each link by the FSRS recall of the cards behind the section it points
at."""

from __future__ import annotations

from bagu.review.stats import SectionMemory
from bagu.review.syllabus_map import Readiness, readiness


def test_readiness_follows_the_retention_fsrs_keeps() -> None:
    assert readiness(SectionMemory(0.95), 3, target=0.9) is Readiness.SOLID
    # at the target: reviews keep it there
    assert readiness(SectionMemory(0.9), 3, target=0.9) is Readiness.SOLID
    assert readiness(SectionMemory(0.8), 3, target=0.9) is Readiness.FADING
    assert readiness(SectionMemory(0.5), 3, target=0.9) is Readiness.WEAK
    assert readiness(SectionMemory(None), 3, target=0.9) is Readiness.UNSEEN
    assert readiness(None, 3, target=0.9) is Readiness.UNSEEN
    assert readiness(None, 0, target=0.9) is Readiness.NO_CARDS
