"""Vouch for Chinese→English pairs with the multilingual encoder: a real translation is close in its space."""

from __future__ import annotations

import numpy as np

from bagu.cards.generate import TranslationScore
from bagu.search.embed import Embedder


def translation_score(embedder: Embedder | None) -> TranslationScore | None:
    """Cosine of the two sentences under a cross-lingual embedder; None (no pair cards) without one."""
    if embedder is None:
        return None

    def score(zh: str, en: str) -> float:
        vectors = embedder.embed_documents([zh, en])
        return float(np.dot(vectors[0], vectors[1]))

    return score
