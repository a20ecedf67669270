"""Review figures from a real store after a simulated fortnight: forecast, per day, retention,
mastery."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bagu.review.scheduler import Rating, schedule
from bagu.review.stats import review_stats, topic_of
from bagu.store.db import connect
from bagu.store.reviews import due_cards, load_due_card, record_review, review_log, scheduled_cards
from tests.cli.run import bagu
from tests.conftest import EXAMPLE_VAULT

START = datetime(2026, 11, 1, 8, tzinfo=UTC)


def test_topic_is_the_top_folder_or_the_note() -> None:
    assert [topic_of(p) for p in ("db/redis.md", "a/b/c.md", "2021-01-02-k8s.md", "八股文.md")] == [
        "db",
        "a",
        "k8s",
        "八股文",
    ]


def test_stats_after_a_simulated_fortnight(db_path: Path) -> None:
    bagu("index", str(EXAMPLE_VAULT), db=db_path)
    conn = connect(db_path)
    cards = due_cards(conn, START, 6, 0)
    # learn six cards over a fortnight; one of them is forgotten whenever it has graduated, the
    # others remembered
    for day in range(14):
        now = START + timedelta(days=day)
        for card in cards:
            card = load_due_card(conn, card.id)
            if card.state is not None and json.loads(card.state)["due"] > now.isoformat():
                continue
            graduated = card.state is not None and json.loads(card.state)["state"] == 2
            rating = Rating.AGAIN if card.id == cards[0].id and graduated else Rating.GOOD
            state, due = schedule(card.state, rating, now, fuzz=False)
            record_review(conn, card, state=state, due=due, rating=int(rating), now=now)
    now = START + timedelta(days=14)
    stats = review_stats(scheduled_cards(conn), review_log(conn), now)
    assert stats.reviewed_cards == 6 and stats.cards > 6
    assert stats.reviews == len(review_log(conn)) >= 12
    assert stats.true_retention is not None and 0.0 < stats.true_retention < 1.0
    assert [day for day, _ in stats.per_day][-1] == now.date().isoformat()
    # the log's first day is 14 days ago
    assert sum(n for _, n in stats.per_day) == stats.reviews - sum(
        1 for r in review_log(conn) if r.reviewed_at.date() < (now - timedelta(days=13)).date()
    )
    dues = [json.loads(c.state)["due"][:10] for c in scheduled_cards(conn) if c.state]
    within = [
        max(day, now.date().isoformat())
        for day in dues
        if day < (now + timedelta(days=14)).date().isoformat()
    ]
    assert dict((d, n) for d, n in stats.forecast if n) == {d: within.count(d) for d in within}
    weakest = stats.weakest[0]
    first_source = cards[0].sources[0]
    assert (weakest.path, weakest.heading_path) == (first_source.path, first_source.heading_path)
    assert weakest.lapses >= 1
    reviewed_topics = [t for t in stats.topics if t.reviewed]
    assert reviewed_topics and all(0.0 < (t.mastery or 0) <= 1.0 for t in reviewed_topics)
    # reviewed topics come first
    assert stats.topics.index(reviewed_topics[-1]) < len(reviewed_topics)

    printed = json.loads(
        bagu("stats", "--reviews", "--json", "-V", str(EXAMPLE_VAULT), db=db_path).stdout
    )
    assert printed["reviewed_cards"] == 6 and len(printed["forecast"]) == 14
