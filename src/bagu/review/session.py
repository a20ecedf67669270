"""One review step, shared by `bagu review` and the web app: grade a typed answer, rate, schedule,
log.

The queue itself is not kept here: both interfaces ask `due_cards` for the next card after each
rating, so a review in the terminal and one in the browser see the same schedule.
"""

from __future__ import annotations

from datetime import datetime

from bagu.review.grade import Grade, Reference, Similarity, grade_answer
from bagu.review.scheduler import Rating, schedule
from bagu.search.embedders import load_embedder, text_similarity
from bagu.store.queries import load_section
from bagu.store.reviews import DueCard, record_review
from bagu.store.sqlite import sqlite3

WORDS_ONLY = "no embedding model: answers are graded by their words only"


def grade_card(
    conn: sqlite3.Connection, card: DueCard, answer: str, similarity: Similarity | None
) -> Grade:
    """Grade a typed answer against the card and the spans of its (first) source section."""
    source = card.sources[0]
    section = load_section(conn, source.path, source.heading_path)
    points = Reference.of_card(card.kind, card.back, section).key_points()
    return grade_answer(card.front, answer, points, similarity)


def rate_card(
    conn: sqlite3.Connection,
    card: DueCard,
    *,
    rating: Rating,
    now: datetime,
    retention: float,
    answer: str | None = None,
    grade: float | None = None,
    elapsed_ms: int | None = None,
) -> datetime:
    """Schedule the card with FSRS and log the review (undoable); returns when it is due next."""
    state, due = schedule(card.state, rating, now, retention)
    record_review(
        conn,
        card,
        state=state,
        due=due,
        rating=int(rating),
        now=now,
        answer=answer or None,
        grade=grade,
        elapsed_ms=elapsed_ms,
    )
    return due


class LazySimilarity:
    """Loads the embedder on the first typed answer only; `notice` says when grading is by words
    alone."""

    def __init__(self) -> None:
        self._loaded = False
        self._similarity: Similarity | None = None
        self.notice: str | None = None

    def similarity(self) -> Similarity | None:
        if not self._loaded:
            self._loaded = True
            self._similarity = text_similarity(load_embedder())
            self.notice = None if self._similarity is not None else WORDS_ONLY
        return self._similarity
