"""Where the user stands: due forecast, reviews per day, true retention, mastery per topic, weakest
sections.

Pure: the review log and the cards' FSRS states in, figures out; `now` is passed in. Mastery is
FSRS's retrievability (the predicted chance of recall now), averaged over the reviewed cards of a
topic; a topic is the note's top folder (or the note itself at the vault's root). Cards never
reviewed have no retrievability and are counted apart, not as zeros.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bagu.review.scheduler import Rating, due_of, is_graduated, retrievability
from bagu.store.reviews import LoggedReview, ScheduledCard
from bagu.vault.names import post_title

# A section still above this recall was reviewed a moment ago: listing it among the weakest says
# nothing.
FRESH_RECALL = 0.95


@dataclass(frozen=True, slots=True)
class TopicMastery:
    topic: str
    cards: int
    reviewed: int
    # mean retrievability of the reviewed cards; None when none is reviewed yet
    mastery: float | None


@dataclass(frozen=True, slots=True)
class WeakSection:
    path: str
    heading_path: tuple[str, ...]
    mastery: float
    lapses: int


@dataclass(frozen=True, slots=True)
class SectionMemory:
    """What the review log says about a section's cards: FSRS recall now (None: never reviewed),
    lapses."""

    recall: float | None = None
    lapses: int = 0


@dataclass(frozen=True, slots=True)
class ReviewStats:
    cards: int
    reviewed_cards: int
    reviews: int
    true_retention: float | None  # share of reviews of graduated cards not answered Again
    due_now: int
    # (day, cards due that day), next days
    forecast: list[tuple[str, int]] = field(default_factory=list)
    per_day: list[tuple[str, int]] = field(default_factory=list)  # (day, reviews), past days
    topics: list[TopicMastery] = field(default_factory=list)
    weakest: list[WeakSection] = field(default_factory=list)


def topic_of(path: str) -> str:
    folder, _, _ = path.partition("/")
    return folder if "/" in path else post_title(path)


def review_stats(
    cards: list[ScheduledCard],
    log: list[LoggedReview],
    now: datetime,
    days: int = 14,
    weakest: int = 10,
) -> ReviewStats:
    today = now.date()
    due_days: dict[str, int] = defaultdict(int)
    due_now = 0
    recall: dict[int, float] = {}
    for card in cards:
        if card.state is None:
            continue
        due = due_of(card.state)
        due_now += due <= now
        day = max(due.date(), today).isoformat()
        due_days[day] += 1
        recall[card.card_id] = retrievability(card.state, now)
    forecast = [
        ((today + timedelta(d)).isoformat(), due_days.get((today + timedelta(d)).isoformat(), 0))
        for d in range(days)
    ]
    per_day_counts: dict[str, int] = defaultdict(int)
    graduated = kept = 0
    for review in log:
        per_day_counts[review.reviewed_at.date().isoformat()] += 1
        if is_graduated(review.state_before):
            graduated += 1
            kept += review.rating != Rating.AGAIN
    per_day = [
        (
            (today - timedelta(d)).isoformat(),
            per_day_counts.get((today - timedelta(d)).isoformat(), 0),
        )
        for d in reversed(range(days))
    ]
    return ReviewStats(
        cards=len(cards),
        reviewed_cards=len(recall),
        reviews=len(log),
        true_retention=kept / graduated if graduated else None,
        due_now=due_now,
        forecast=forecast,
        per_day=per_day,
        topics=_topics(cards, recall),
        weakest=_weakest(_memories(cards, recall, _lapses(log)), weakest),
    )


def _topics(cards: list[ScheduledCard], recall: dict[int, float]) -> list[TopicMastery]:
    grouped: dict[str, list[ScheduledCard]] = defaultdict(list)
    for card in cards:
        grouped[topic_of(card.path)].append(card)
    topics = []
    for topic, members in grouped.items():
        values = [recall[c.card_id] for c in members if c.card_id in recall]
        topics.append(
            TopicMastery(
                topic, len(members), len(values), sum(values) / len(values) if values else None
            )
        )
    # weakest reviewed topics first, then those not started
    return sorted(topics, key=lambda t: (t.mastery is None, t.mastery or 0.0, t.topic))


def _weakest(
    memories: dict[tuple[str, tuple[str, ...]], SectionMemory], limit: int
) -> list[WeakSection]:
    sections = [
        WeakSection(path, heading_path, memory.recall, memory.lapses)
        for (path, heading_path), memory in memories.items()
        if memory.recall is not None
    ]
    return sorted(sections, key=lambda s: (s.mastery, -s.lapses))[:limit]


def _lapses(log: list[LoggedReview]) -> dict[int, int]:
    """Per card: how often it was answered Again after it had graduated."""
    lapses: dict[int, int] = defaultdict(int)
    for review in log:
        if is_graduated(review.state_before) and review.rating == Rating.AGAIN:
            lapses[review.card_id] += 1
    return lapses


def _memories(
    cards: list[ScheduledCard], recall: dict[int, float], lapses: dict[int, int]
) -> dict[tuple[str, tuple[str, ...]], SectionMemory]:
    grouped: dict[tuple[str, tuple[str, ...]], list[ScheduledCard]] = defaultdict(list)
    for card in cards:
        grouped[(card.path, card.heading_path)].append(card)
    memories = {}
    for key, members in grouped.items():
        recalls = [recall[c.card_id] for c in members if c.card_id in recall]
        mean = sum(recalls) / len(recalls) if recalls else None
        memories[key] = SectionMemory(mean, sum(lapses[c.card_id] for c in members))
    return memories


def section_memories(
    cards: list[ScheduledCard], log: list[LoggedReview], now: datetime
) -> dict[tuple[str, tuple[str, ...]], SectionMemory]:
    """Per source section: mean FSRS recall of its reviewed cards (None: none reviewed) and their
    lapses."""
    recall = {c.card_id: retrievability(c.state, now) for c in cards if c.state is not None}
    return _memories(cards, recall, _lapses(log))
