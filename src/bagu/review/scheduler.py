"""FSRS scheduling with the `fsrs` package: a card's state in, the next state and due time out.

Pure apart from the package: `now` is passed in (UTC), states travel as the package's own JSON.
"""

from __future__ import annotations

from datetime import datetime
from enum import IntEnum

import fsrs

DESIRED_RETENTION = 0.9
# a session's defaults, the same in `bagu review` and /review
NEW_PER_DAY = 20
REVIEWS_PER_SESSION = 200


class Rating(IntEnum):
    AGAIN = 1
    HARD = 2
    GOOD = 3
    EASY = 4


def new_state(now: datetime) -> str:
    """The state of a card never reviewed: due now."""
    return str(fsrs.Card(due=now).to_json())


def schedule(
    state: str | None,
    rating: Rating,
    now: datetime,
    retention: float = DESIRED_RETENTION,
    fuzz: bool = True,
) -> tuple[str, datetime]:
    """Apply one review; returns the new state (JSON) and when the card is next due."""
    scheduler = fsrs.Scheduler(desired_retention=retention, enable_fuzzing=fuzz)
    card = fsrs.Card.from_json(state) if state else fsrs.Card(due=now)
    card, _ = scheduler.review_card(card, fsrs.Rating(int(rating)), review_datetime=now)
    return str(card.to_json()), card.due


def retrievability(state: str, now: datetime) -> float:
    """How likely the card is recalled now (FSRS's forgetting curve)."""
    return float(
        fsrs.Scheduler().get_card_retrievability(fsrs.Card.from_json(state), current_datetime=now)
    )


def due_of(state: str) -> datetime:
    """When a card in this state is due."""
    return fsrs.Card.from_json(state).due


def is_graduated(state: str | None) -> bool:
    """Whether a card in this state had left learning (FSRS's Review state): true retention counts
    its reviews."""
    return state is not None and fsrs.Card.from_json(state).state == fsrs.State.Review
