"""Vouch for Chinese→English pairs with the multilingual encoder: a real translation is close in its
space."""

from __future__ import annotations

from bagu.cards.generate import TranslationScore
from bagu.search.embedders import Embedder, text_similarity


def translation_score(embedder: Embedder | None) -> TranslationScore | None:
    """Cosine of the two sentences under a cross-lingual embedder; None (no pair cards) without
    one."""
    return text_similarity(embedder)
