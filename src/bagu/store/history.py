"""Carry a person's study history from an old index into a rebuilt one: cards, schedules, reviews.

The vault is the source of truth for notes, but review history exists only in the database, so
`bagu index --rebuild` must not leave it behind in the moved-aside file. The cards that have history
(a schedule, reviews, a suspension) are copied with their ids before the new index syncs its cards;
the sync then re-matches them to the freshly generated cards exactly as it does after an edit
(cards/identity.py), so a card whose section still exists keeps its schedule and one whose section
is gone is retired with its history kept. Interviews are recorded as reviews, so they come along.
It reads the old file read-only and never changes it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from bagu.store.db import transaction
from bagu.store.sqlite import sqlite3

_CARD_COLUMNS = (
    "id, key, kind, front, back, sibling_key, status, source_changed, sources, created_at, "
    "updated_at"
)
_REVIEW_COLUMNS = "card_id, reviewed_at, rating, answer, grade, elapsed_ms, state_before"


@dataclass(slots=True)
class CarriedHistory:
    """What came over from the old index; `error` says why nothing could, when it could not be
    read."""

    source: Path
    cards: list[int] = field(default_factory=list)
    reviews: int = 0
    schedules: int = 0
    suspended: int = 0
    error: str | None = None
    kept: int = 0  # after the new index's card sync: carried cards whose section still exists
    retired: int = 0  # carried cards whose section is gone: history kept, no longer scheduled

    def to_json(self) -> dict[str, object]:
        return {
            "source": str(self.source),
            "cards": len(self.cards),
            "reviews": self.reviews,
            "schedules": self.schedules,
            "suspended": self.suspended,
            "kept": self.kept,
            "retired": self.retired,
            "error": self.error,
        }


def _read_old(path: Path) -> tuple[list[sqlite3.Row], list[sqlite3.Row], list[sqlite3.Row]]:
    source = sqlite3.connect(f"file:{quote(str(path))}?mode=ro", uri=True)
    source.row_factory = sqlite3.Row
    try:
        tables = {
            row[0] for row in source.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        }
        if "cards" not in tables:  # an index from before cards existed: nothing to carry
            return [], [], []
        columns = {row[1] for row in source.execute("PRAGMA table_info(cards)")}
        # A person's edits of a card are history too (schema 6); an older index has none.
        edits = "front_edit, back_edit" if {"front_edit", "back_edit"} <= columns else "NULL, NULL"
        edited = (
            " OR front_edit IS NOT NULL OR back_edit IS NOT NULL" if edits != "NULL, NULL" else ""
        )
        cards = source.execute(
            f"SELECT {_CARD_COLUMNS}, {edits} FROM cards WHERE status = 'suspended'"
            f" OR id IN (SELECT card_id FROM card_state) OR id IN (SELECT card_id FROM "
            f"reviews){edited} ORDER BY id"
        ).fetchall()
        states = source.execute(
            "SELECT card_id, fsrs, due FROM card_state ORDER BY card_id"
        ).fetchall()
        reviews = source.execute(f"SELECT {_REVIEW_COLUMNS} FROM reviews ORDER BY id").fetchall()
        return cards, states, reviews
    finally:
        source.close()


def carry_history(conn: sqlite3.Connection, old: Path) -> CarriedHistory:
    """Copy the old index's cards with history into `conn`, a new index that has no cards yet."""
    carried = CarriedHistory(old)
    try:
        cards, states, reviews = _read_old(old)
    except sqlite3.DatabaseError as exc:
        carried.error = str(exc)
        return carried
    with transaction(conn):
        conn.executemany(
            f"INSERT INTO cards({_CARD_COLUMNS}, front_edit, back_edit) VALUES "
            f"({', '.join('?' * 13)})",
            cards,
        )
        conn.executemany("INSERT INTO card_state(card_id, fsrs, due) VALUES (?, ?, ?)", states)
        conn.executemany(
            f"INSERT INTO reviews({_REVIEW_COLUMNS}) VALUES ({', '.join('?' * 7)})", reviews
        )
    carried.cards = [row["id"] for row in cards]
    carried.schedules, carried.reviews = len(states), len(reviews)
    carried.suspended = sum(row["status"] == "suspended" for row in cards)
    return carried


def settle_history(conn: sqlite3.Connection, carried: CarriedHistory) -> None:
    """After the card sync: how many carried cards found their section again and how many were
    retired."""
    statuses = _statuses(conn, carried.cards)
    carried.retired = sum(status == "retired" for status in statuses)
    carried.kept = len(statuses) - carried.retired


def _statuses(conn: sqlite3.Connection, card_ids: Sequence[int]) -> list[str]:
    found: list[str] = []
    for start in range(0, len(card_ids), 500):
        batch = card_ids[start : start + 500]
        rows = conn.execute(
            f"SELECT status FROM cards WHERE id IN ({', '.join('?' * len(batch))})", batch
        )
        found.extend(row[0] for row in rows)
    return found
