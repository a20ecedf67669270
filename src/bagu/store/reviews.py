"""Review state and the review log: what is due, record an answer, undo the last one."""

from __future__ import annotations

import fnmatch
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bagu.store.card_sources import CardSource, sources_from_json
from bagu.store.db import transaction
from bagu.store.sqlite import sqlite3

# The columns of a DueCard, in field order.
# A person's edit of a card's front or back wins over the generated text.
_DUE_COLUMNS = (
    "c.id, c.key, c.kind, coalesce(c.front_edit, c.front), coalesce(c.back_edit, c.back), "
    "c.sources, s.fsrs,"
    " c.sibling_key"
)
# A card whose sibling (a translation pair's other direction) was reviewed today is buried until
# tomorrow.
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
    sources: tuple[CardSource, ...]
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


@dataclass(frozen=True, slots=True)
class CardFilter:
    """Which cards a session draws from: notes matching a glob (`db/` is the folder), topics,
    kinds."""

    path: str | None = None
    topics: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()

    @property
    def is_everything(self) -> bool:
        return self.path is None and not self.topics and not self.kinds

    def admits(self, card: DueCard) -> bool:
        if self.kinds and card.kind not in self.kinds:
            return False
        if self.path is not None and not any(
            _path_matches(s.path, self.path) for s in card.sources
        ):
            return False
        if self.topics:
            haystack = " ".join(
                f"{s.path} {' '.join(s.heading_path)}" for s in card.sources
            ).casefold()
            return any(topic.casefold() in haystack for topic in self.topics)
        return True


def _due_card(row: Sequence[Any]) -> DueCard:
    """A card row in `_DUE_COLUMNS` order, its sources parsed."""
    card_id, key, kind, front, back, sources, state, sibling = row
    return DueCard(card_id, key, kind, front, back, sources_from_json(sources), state, sibling)


def _path_matches(path: str, pattern: str) -> bool:
    if pattern.endswith("/"):
        return path.startswith(pattern)
    return fnmatch.fnmatchcase(path, pattern) or path.startswith(pattern.rstrip("/") + "/")


def due_cards(
    conn: sqlite3.Connection,
    now: datetime,
    new_limit: int,
    review_limit: int,
    selection: CardFilter = CardFilter(),
) -> list[DueCard]:
    """Due reviews (most overdue first), then new cards up to what is left of today's new-card
    limit.

    New cards come in syllabus order: those from the sections a summary page links to, in its order,
    then the rest as they were made (cards/syllabus.py sets the rank at each card sync).
    """
    stamp = now.isoformat()
    day = now.date().isoformat()
    reviews = conn.execute(
        f"SELECT {_DUE_COLUMNS} FROM cards c JOIN card_state s ON s.card_id = c.id"
        f" WHERE c.status = 'active' AND s.due <= ?{_NOT_BURIED} ORDER BY s.due",
        (stamp, day),
    )
    new_today = conn.execute(
        "SELECT count(*) FROM reviews WHERE state_before IS NULL AND substr(reviewed_at, 1, 10) "
        "= ?",
        (day,),
    ).fetchone()[0]
    fresh = conn.execute(
        f"SELECT {_DUE_COLUMNS} FROM cards c LEFT JOIN card_state s ON s.card_id = c.id"
        f" WHERE c.status = 'active' AND s.card_id IS NULL{_NOT_BURIED}"
        " ORDER BY c.syllabus_rank IS NULL, c.syllabus_rank, c.id",
        (day,),
    )
    chosen = [card for card in (_due_card(row) for row in reviews) if selection.admits(card)][
        :review_limit
    ]
    new = [card for card in (_due_card(row) for row in fresh) if selection.admits(card)]
    chosen += new[: max(0, new_limit - new_today)]
    queue: list[DueCard] = []
    for card in chosen:
        # siblings are never in one session
        if not any(card.is_sibling_of(other) for other in queue):
            queue.append(card)
    return queue


def record_review(
    conn: sqlite3.Connection,
    card: DueCard,
    *,
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
            "INSERT INTO reviews(card_id, reviewed_at, rating, answer, grade, elapsed_ms, "
            "state_before)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (card.id, now.isoformat(), rating, answer, grade, elapsed_ms, card.state),
        )
        conn.execute(
            "INSERT INTO card_state(card_id, fsrs, due) VALUES (?, ?, ?)"
            " ON CONFLICT(card_id) DO UPDATE SET fsrs = excluded.fsrs, due = excluded.due",
            (card.id, state, due.isoformat()),
        )


def undo_last_review(conn: sqlite3.Connection) -> int | None:
    """Remove the latest review and restore the card's state before it; returns the card id (None:
    nothing)."""
    with transaction(conn):
        row = conn.execute(
            "SELECT id, card_id, state_before FROM reviews ORDER BY id DESC LIMIT 1"
        ).fetchone()
        if row is None:
            return None
        conn.execute("DELETE FROM reviews WHERE id = ?", (row["id"],))
        if row["state_before"] is None:
            conn.execute("DELETE FROM card_state WHERE card_id = ?", (row["card_id"],))
        else:
            due = json.loads(row["state_before"])["due"]
            conn.execute(
                "UPDATE card_state SET fsrs = ?, due = ? WHERE card_id = ?",
                (row["state_before"], due, row["card_id"]),
            )
        return int(row["card_id"])


def load_due_card(conn: sqlite3.Connection, card_id: int) -> DueCard:
    row = conn.execute(
        f"SELECT {_DUE_COLUMNS} FROM cards c LEFT JOIN card_state s ON s.card_id = c.id WHERE "
        f"c.id = ?",
        (card_id,),
    ).fetchone()
    if row is None:
        raise LookupError(f"no card {card_id}")
    return _due_card(row)


def scheduled_cards(conn: sqlite3.Connection) -> list[ScheduledCard]:
    """Every active card with its FSRS state (None: never reviewed) and its first source."""
    found = []
    for row in conn.execute(
        "SELECT c.id, s.fsrs, c.sources FROM cards c LEFT JOIN card_state s ON s.card_id = c.id"
        " WHERE c.status = 'active' ORDER BY c.id"
    ):
        source = sources_from_json(row[2])[0]
        found.append(ScheduledCard(row[0], row[1], source.path, source.heading_path))
    return found


def review_log(conn: sqlite3.Connection) -> list[LoggedReview]:
    return [
        LoggedReview(row[0], datetime.fromisoformat(row[1]), row[2], row[3])
        for row in conn.execute(
            "SELECT card_id, reviewed_at, rating, state_before FROM reviews ORDER BY id"
        )
    ]


def card_by_key(conn: sqlite3.Connection, key: str) -> DueCard | None:
    """The live card whose key is `key` or starts with it (4+ characters, taken literally, unique);
    None when there is none."""
    if len(key) < 4:
        return None
    rows = conn.execute(
        f"SELECT {_DUE_COLUMNS} FROM cards c LEFT JOIN card_state s ON s.card_id = c.id"
        " WHERE instr(c.key, ?) = 1 AND c.status != 'retired' LIMIT 2",
        (key,),
    ).fetchall()
    return _due_card(rows[0]) if len(rows) == 1 else None


_FSRS_STATES = {1: "learning", 2: "review", 3: "relearning"}


@dataclass(frozen=True, slots=True)
class CardSchedule:
    """Where a card stands with FSRS, as an Anki user reads it off the card browser."""

    state: str  # new | learning | review | relearning
    due: datetime | None
    interval_days: float | None  # from the last review to the next
    reviews: int
    lapses: int  # Again while in review: the card was known and then forgotten

    def to_dict(self) -> dict[str, object]:
        return {
            "state": self.state,
            "due": self.due.isoformat() if self.due else None,
            "interval_days": None if self.interval_days is None else round(self.interval_days, 2),
            "reviews": self.reviews,
            "lapses": self.lapses,
        }


def card_schedules(conn: sqlite3.Connection) -> dict[int, CardSchedule]:
    """Card id → its schedule, for every card (one never reviewed is `new`, due now)."""
    counts = {
        row[0]: (row[1], row[2])
        for row in conn.execute(
            "SELECT card_id, count(*), sum(rating = 1 AND state_before IS NOT NULL"
            " AND json_extract(state_before, '$.state') = 2) FROM reviews GROUP BY card_id"
        )
    }
    schedules = {}
    for card_id, fsrs, due in conn.execute(
        "SELECT c.id, s.fsrs, s.due FROM cards c LEFT JOIN card_state s ON s.card_id = c.id"
    ):
        reviews, lapses = counts.get(card_id, (0, 0))
        if fsrs is None:
            schedules[card_id] = CardSchedule("new", None, None, reviews, lapses or 0)
            continue
        state = json.loads(fsrs)
        next_due = datetime.fromisoformat(due)
        last = state.get("last_review")
        interval = (
            (next_due - datetime.fromisoformat(last)).total_seconds() / 86400 if last else None
        )
        schedules[card_id] = CardSchedule(
            _FSRS_STATES.get(state.get("state"), "learning"),
            next_due,
            interval,
            reviews,
            lapses or 0,
        )
    return schedules
