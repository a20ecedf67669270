"""Bring the stored cards in step with the notes: generate, re-match identities, write the plan.

Review history hangs off a card's id, so re-matching (cards/identity.py) is what keeps it through
edits.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from bagu.cards.generate import (
    WEAK_WORD_SHARE,
    Card,
    CardKind,
    TranslationScore,
    generate_candidates,
    generate_cards,
    weak_words_of,
)
from bagu.cards.identity import StoredCard, SyncPlan, plan_sync
from bagu.cards.quality import Assessment
from bagu.search.embedders import TextSimilarity
from bagu.store.cards import (
    SectionKey,
    insert_cards,
    load_weak_words,
    save_weak_words,
    stored_card_rows,
    summary_keys,
    write_card_sync,
)
from bagu.store.queries import common_terms, load_sections, note_titles
from bagu.store.sqlite import sqlite3
from bagu.vault.model import Section

PAIR_KINDS = frozenset({CardKind.ZH_EN.value, CardKind.EN_ZH.value})


def stored_cards(conn: sqlite3.Connection) -> list[StoredCard]:
    return [
        StoredCard(row.id, row.key, row.kind, row.front, row.back, row.sources)
        for row in stored_card_rows(conn)
    ]


def save_written(conn: sqlite3.Connection, cards: list[Card], now: datetime) -> int:
    """Store accepted LLM-written cards (never retired by a sync); returns how many were new."""
    return insert_cards(conn, cards, now.isoformat(timespec="seconds"))


def dropped_candidates(
    conn: sqlite3.Connection, syllabus: frozenset[SectionKey] = frozenset()
) -> list[tuple[Card, Assessment]]:
    """The candidates the quality model does not make, each with why (pair cards need a model: not
    listed)."""
    sections = load_sections(conn, with_links=True)
    candidates = generate_candidates(
        sections,
        None,
        note_titles(conn),
        syllabus,
        weak=stable_weak_words(conn, sections, remember=False),
        summarised=summary_keys(conn),
    )
    return [(card, verdict) for card, verdict in candidates if not verdict.is_made]


# The weak-word set is recomputed when the vault's section count has moved this far from the count
# it was computed on (a vault that doubled has other common words); between, it stays, and so do the
# cards.
WEAK_WORDS_DRIFT = 0.25


def stable_weak_words(
    conn: sqlite3.Connection, sections: Sequence[tuple[str, Section]], *, remember: bool = True
) -> frozenset[str]:
    """The vault's too-common words as the last sync computed them, unless the vault has grown or
    shrunk by more than a quarter since (or a new generator runs): a new note must not flip the
    cards of old ones."""
    stored = load_weak_words(conn)
    if stored is not None:
        words, counted = stored
        if counted and abs(len(sections) - counted) <= WEAK_WORDS_DRIFT * counted:
            return words
    words = weak_words_of(common_terms(conn, WEAK_WORD_SHARE * len(sections)), len(sections))
    if remember:
        save_weak_words(conn, words, len(sections))
    return words


def sync_cards(
    conn: sqlite3.Connection,
    now: datetime,
    translation: TranslationScore | None = None,
    *,
    pairs: bool = True,
    syllabus: frozenset[SectionKey] = frozenset(),
) -> SyncPlan:
    """Generate every card from the index and re-anchor the stored ones; returns what happened to
    each.

    Without an encoder no pair cards can be made, so stored pair cards are left as they are rather
    than retired; with the translation drill turned off (`pairs=False`) none are made and the stored
    ones are retired.
    """
    # the person's own
    stored = [card for card in stored_cards(conn) if card.kind != CardKind.WRITTEN.value]
    if not pairs:
        translation = None
    elif translation is None:
        stored = [card for card in stored if card.kind not in PAIR_KINDS]
    sections = load_sections(conn, with_links=True)
    # every pair's two sentences embedded in batches, up front
    if isinstance(translation, TextSimilarity):
        translation.prime(
            [text for _, s in sections for pair in s.bilingual_pairs for text in (pair.zh, pair.en)]
        )
    weak = stable_weak_words(conn, sections)
    cards = generate_cards(
        sections,
        translation,
        note_titles(conn),
        syllabus,
        weak=weak,
        summarised=summary_keys(conn),
    )
    plan = plan_sync(stored, cards)
    write_card_sync(
        conn,
        retired=plan.retired,
        resourced=[*plan.kept, *plan.moved],
        updated=[(i, c, True) for i, c in plan.changed]
        + [(i, c, False) for i, c in plan.rematched],
        inserted=plan.new,
        stamp=now.isoformat(timespec="seconds"),
    )
    return plan
