"""Review state and the review log: what is due, record an answer, undo the last one."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from bagu.store.db import transaction
from bagu.store.sqlite import sqlite3

# The columns of a DueCard, in field order.
_DUE_COLUMNS = "c.id, c.key, c.kind, c.front, c.back, c.sources, s.fsrs, c.sibling_key"
# A card whose sibling (a translation pair's other direction) was reviewed today is buried until tomorrow.
_NOT_BURIED = (
    " AND NOT EXISTS (SELECT 1 FROM reviews r JOIN cards o ON o.id = r.card_id"
    " WHERE (o.key = c.sibling_key OR o.sibling_key = c.key) AND substr(r.reviewed_at, 1, 10) = ?)"
)


@dataclass(frozen=True, slots=True)
class DueCard:
    id: int
    key: str
    kind: str
    front: str
    back: str
    sources: str  # JSON
    state: str | None  # FSRS state JSON; None for a card never reviewed
    sibling: str | None = None  # key of the card made from the same fact

    def is_sibling_of(self, other: DueCard) -> bool:
        return other.key == self.sibling or other.sibling == self.key


@dataclass(frozen=True, slots=True)
class ScheduledCard:
    """A card as the stats see it: its FSRS state (None: never reviewed) and its first source."""

    card_id: int
    state: str | None
    path: str
    heading_path: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class LoggedReview:
    card_id: int
    reviewed_at: datetime
    rating: int
    state_before: str | None


def due_cards(conn: sqlite3.Connection, now: datetime, new_limit: int, review_limit: int) -> list[DueCard]:
    """Due reviews (most overdue first), then new cards up to what is left of today's new-card limit."""
    stamp = now.isoformat()
    day = now.date().isoformat()
    reviews = conn.execute(
        f"SELECT {_DUE_COLUMNS} FROM cards c JOIN card_state s ON s.card_id = c.id"
        f" WHERE c.status = 'active' AND s.due <= ?{_NOT_BURIED} ORDER BY s.due LIMIT ?",
        (stamp, day, review_limit),
    ).fetchall()
    new_today = conn.execute(
        "SELECT count(*) FROM reviews WHERE state_before IS NULL AND substr(reviewed_at, 1, 10) = ?", (day,)
    ).fetchone()[0]
    fresh = conn.execute(
        f"SELECT {_DUE_COLUMNS} FROM cards c LEFT JOIN card_state s ON s.card_id = c.id"
        f" WHERE c.status = 'active' AND s.card_id IS NULL{_NOT_BURIED}"
        " ORDER BY c.id LIMIT ?",
        (day, max(0, new_limit - new_today)),
    ).fetchall()
    queue: list[DueCard] = []
    for card in (DueCard(*row) for row in [*reviews, *fresh]):
        if not any(card.is_sibling_of(other) for other in queue):  # siblings are never in one session
            queue.append(card)
    return queue


def record_review(
    conn: sqlite3.Connection,
    card: DueCard,
    state: str,
    due: datetime,
    rating: int,
    now: datetime,
    answer: str | None = None,
    grade: float | None = None,
    elapsed_ms: int | None = None,
) -> None:
    with transaction(conn):
        conn.execute(
            "INSERT INTO reviews(card_id, reviewed_at, rating, answer, grade, elapsed_ms, state_before)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (card.id, now.isoformat(), rating, answer, grade, elapsed_ms, card.state),
        )
        conn.execute(
            "INSERT INTO card_state(card_id, fsrs, due) VALUES (?, ?, ?)"
            " ON CONFLICT(card_id) DO UPDATE SET fsrs = excluded.fsrs, due = excluded.due",
            (card.id, state, due.isoformat()),
        )


def undo_last_review(conn: sqlite3.Connection) -> int | None:
    """Remove the latest review and restore the card's state before it; returns the card id (None: nothing)."""
    with transaction(conn):
        row = conn.execute("SELECT id, card_id, state_before FROM reviews ORDER BY id DESC LIMIT 1").fetchone()
        if row is None:
            return None
        conn.execute("DELETE FROM reviews WHERE id = ?", (row["id"],))
        if row["state_before"] is None:
            conn.execute("DELETE FROM card_state WHERE card_id = ?", (row["card_id"],))
        else:
            due = json.loads(row["state_before"])["due"]
            conn.execute(
                "UPDATE card_state SET fsrs = ?, due = ? WHERE card_id = ?", (row["state_before"], due, row["card_id"])
            )
        return int(row["card_id"])


def load_due_card(conn: sqlite3.Connection, card_id: int) -> DueCard:
    row = conn.execute(
        f"SELECT {_DUE_COLUMNS} FROM cards c LEFT JOIN card_state s ON s.card_id = c.id WHERE c.id = ?",
        (card_id,),
    ).fetchone()
    if row is None:
        raise LookupError(f"no card {card_id}")
    return DueCard(*row)


def scheduled_cards(conn: sqlite3.Connection) -> list[ScheduledCard]:
    """Every active card with its FSRS state (None: never reviewed) and its first source."""
    found = []
    for row in conn.execute(
        "SELECT c.id, s.fsrs, c.sources FROM cards c LEFT JOIN card_state s ON s.card_id = c.id"
        " WHERE c.status = 'active' ORDER BY c.id"
    ):
        source = json.loads(row[2])[0]
        found.append(ScheduledCard(row[0], row[1], source["path"], tuple(source["heading_path"])))
    return found


def review_log(conn: sqlite3.Connection) -> list[LoggedReview]:
    return [
        LoggedReview(row[0], datetime.fromisoformat(row[1]), row[2], row[3])
        for row in conn.execute("SELECT card_id, reviewed_at, rating, state_before FROM reviews ORDER BY id")
    ]
