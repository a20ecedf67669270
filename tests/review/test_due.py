"""The due queue: siblings (a translation pair's two directions) never share a session or a day."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from bagu.review.scheduler import Rating, schedule
from bagu.store.cards import write_card_sync
from bagu.store.reviews import due_cards, record_review
from bagu.store.sqlite import sqlite3

SOURCE = json.dumps([{"path": "a.md", "heading_path": ["A"], "line_start": 1, "line_end": 3, "span": "x"}])
NOW = datetime(2026, 11, 25, 9, tzinfo=UTC)


def _cards(conn: sqlite3.Connection) -> None:
    write_card_sync(
        conn, [], [], [],
        [
            ("k-zh", "zh-en", "用英文说: 进程", "process", "k-en", SOURCE),
            ("k-en", "en-zh", "用中文说: process", "进程", "k-zh", SOURCE),
            ("k-other", "cloze", "Redis 的持久化有 RDB 和 ［…］", "AOF", None, SOURCE),
        ],
        NOW.isoformat(),
    )  # fmt: skip


def test_only_one_of_two_siblings_is_queued(conn: sqlite3.Connection) -> None:
    _cards(conn)
    assert [card.key for card in due_cards(conn, NOW, 10, 10)] == ["k-zh", "k-other"]


def test_a_reviewed_cards_sibling_is_buried_until_tomorrow(conn: sqlite3.Connection) -> None:
    _cards(conn)
    first = due_cards(conn, NOW, 10, 10)[0]
    state, due = schedule(first.state, Rating.EASY, NOW)
    record_review(conn, first, state, due, int(Rating.EASY), NOW)
    assert [card.key for card in due_cards(conn, NOW + timedelta(hours=1), 10, 10)] == ["k-other"]
    tomorrow = [card.key for card in due_cards(conn, NOW + timedelta(days=1), 10, 10)]
    assert "k-en" in tomorrow
