"""The due queue: siblings (a translation pair's two directions) never share a session or a day."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bagu.cards.generate import Card, CardKind
from bagu.review.scheduler import Rating, schedule
from bagu.store.card_sources import CardSource
from bagu.store.cards import write_card_sync
from bagu.store.reviews import CardFilter, due_cards, record_review
from bagu.store.sqlite import sqlite3

NOW = datetime(2026, 11, 25, 9, tzinfo=UTC)


def _source(path: str, *heading: str) -> tuple[CardSource, ...]:
    return (CardSource(path, heading, 1, 3, "x"),)


def _store(conn: sqlite3.Connection, *cards: Card) -> None:
    write_card_sync(
        conn, retired=[], resourced=[], updated=[], inserted=cards, stamp=NOW.isoformat()
    )


def _cards(conn: sqlite3.Connection) -> None:
    source = _source("a.md", "A")
    _store(
        conn,
        Card("k-zh", CardKind.ZH_EN, "用英文说: 进程", "process", source, sibling="k-en"),
        Card("k-en", CardKind.EN_ZH, "用中文说: process", "进程", source, sibling="k-zh"),
        Card("k-other", CardKind.CLOZE, "Redis 的持久化有 RDB 和 ［…］", "AOF", source),
    )


def test_only_one_of_two_siblings_is_queued(conn: sqlite3.Connection) -> None:
    _cards(conn)
    assert [card.key for card in due_cards(conn, NOW, 10, 10)] == ["k-zh", "k-other"]


def test_a_reviewed_cards_sibling_is_buried_until_tomorrow(conn: sqlite3.Connection) -> None:
    _cards(conn)
    first = due_cards(conn, NOW, 10, 10)[0]
    state, due = schedule(first.state, Rating.EASY, NOW)
    record_review(conn, first, state=state, due=due, rating=int(Rating.EASY), now=NOW)
    assert [card.key for card in due_cards(conn, NOW + timedelta(hours=1), 10, 10)] == ["k-other"]
    tomorrow = [card.key for card in due_cards(conn, NOW + timedelta(days=1), 10, 10)]
    assert "k-en" in tomorrow


def _filtered_cards(conn: sqlite3.Connection) -> None:
    _store(
        conn,
        Card(
            "k-redis",
            CardKind.CLOZE,
            "Redis 持久化 ［…］",
            "AOF",
            _source("db/redis.md", "Redis", "持久化"),
        ),
        Card("k-dbx", CardKind.QUESTION, "db.md › 什么是事务", "ACID", _source("dbx.md", "事务")),
        Card(
            "k-kafka",
            CardKind.LIST,
            "Kafka 为什么快 — 列出 2 点",
            "1. 顺序写\n2. 零拷贝",
            _source("mq/kafka.md", "Kafka"),
        ),
        Card(
            "k-tcp",
            CardKind.CLOZE,
            "三次握手 ［…］",
            "SYN",
            _source("network/tcp.md", "TCP", "三次握手"),
        ),
    )


def test_a_session_draws_from_a_folder_topics_or_kinds(conn: sqlite3.Connection) -> None:
    _filtered_cards(conn)

    def keys(selection: CardFilter) -> list[str]:
        return [card.key for card in due_cards(conn, NOW, 10, 10, selection)]

    assert keys(CardFilter(path="db/")) == ["k-redis"]  # the folder, not dbx.md beside it
    assert keys(CardFilter(path="db")) == ["k-redis"]
    assert keys(CardFilter(path="*/kafka.md")) == ["k-kafka"]
    assert keys(CardFilter(topics=("kafka", "三次握手"))) == ["k-kafka", "k-tcp"]
    assert keys(CardFilter(kinds=("cloze",))) == ["k-redis", "k-tcp"]
    assert keys(CardFilter(path="network/", kinds=("list",))) == []


def test_new_cards_come_in_syllabus_order_then_the_rest(conn: sqlite3.Connection) -> None:
    _filtered_cards(conn)
    ids = {row[0]: row[1] for row in conn.execute("SELECT key, id FROM cards")}
    conn.execute("UPDATE cards SET syllabus_rank = 0 WHERE key = 'k-tcp'")
    conn.execute("UPDATE cards SET syllabus_rank = 1 WHERE key = 'k-kafka'")
    assert [card.key for card in due_cards(conn, NOW, 10, 10)] == [
        "k-tcp",
        "k-kafka",
        "k-redis",
        "k-dbx",
    ]
    assert [card.id for card in due_cards(conn, NOW, 2, 10)] == [ids["k-tcp"], ids["k-kafka"]]
