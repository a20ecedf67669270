"""Keep a card's identity (and so its review history) through edits of the notes it comes from.

Pure: the stored cards and the freshly generated ones in, a `SyncPlan` out. A card whose content key
is unchanged is *kept* (even when its note moved or its section was reordered: the key ignores
position). The rest are paired greedily by kind, text similarity and where they come from (same
heading, same note name): a confident pair keeps the old card's id and history; the card is flagged
*source-changed* when its answer changed materially. Stored cards left unpaired are *retired*
(history kept), new ones are *new*.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from bagu.cards.generate import Card
from bagu.store.card_sources import CardSource
from bagu.vault.names import note_stem

# A pairing below this is two different cards, not one card edited (dev cases: a reworded paragraph
# scores 0.75–0.9, a renamed heading with the same body ~0.8, unrelated cards of one section < 0.5).
MIN_MATCH = 0.6
# The answer changed "materially" below this similarity: the user should look at the card again.
SAME_ANSWER = 0.9


@dataclass(frozen=True, slots=True)
class StoredCard:
    id: int
    key: str
    kind: str
    front: str
    back: str
    sources: tuple[CardSource, ...]


@dataclass(slots=True)
class SyncPlan:
    kept: list[tuple[int, Card]] = field(default_factory=list)
    # kept, but its note moved or was renamed
    moved: list[tuple[int, Card]] = field(default_factory=list)
    # re-paired; answer changed materially
    changed: list[tuple[int, Card]] = field(default_factory=list)
    # re-paired; answer essentially the same
    rematched: list[tuple[int, Card]] = field(default_factory=list)
    new: list[Card] = field(default_factory=list)
    retired: list[int] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {
            "kept": len(self.kept),
            "moved": len(self.moved),
            "changed": len(self.changed) + len(self.rematched),
            "source_changed": len(self.changed),
            "new": len(self.new),
            "retired": len(self.retired),
        }


def _similarity(old: StoredCard, new: Card) -> float:
    text = fuzz.ratio(f"{old.front}\n{old.back}", f"{new.front}\n{new.back}") / 100
    old_src, new_src = old.sources[0], new.sources[0]
    same_heading = float(old_src.heading_path[-1:] == new_src.heading_path[-1:])
    same_note = float(
        old_src.path == new_src.path or note_stem(old_src.path) == note_stem(new_src.path)
    )
    return 0.6 * text + 0.2 * same_heading + 0.2 * same_note


def plan_sync(stored: Sequence[StoredCard], generated: Sequence[Card]) -> SyncPlan:
    plan = SyncPlan()
    by_key = {card.key: card for card in generated}
    unpaired_old = []
    for old in stored:
        card = by_key.pop(old.key, None)
        if card is None:
            unpaired_old.append(old)
        elif {s.path for s in old.sources} != {s.path for s in card.sources}:
            plan.moved.append((old.id, card))
        else:
            plan.kept.append((old.id, card))
    remaining = list(by_key.values())
    pairs = sorted(
        (
            (_similarity(old, new), i, j)
            for i, old in enumerate(unpaired_old)
            for j, new in enumerate(remaining)
            if old.kind == new.kind
        ),
        reverse=True,
    )
    used_old: set[int] = set()
    used_new: set[int] = set()
    for score, i, j in pairs:
        if score < MIN_MATCH:
            break
        if i in used_old or j in used_new:
            continue
        used_old.add(i)
        used_new.add(j)
        old, new = unpaired_old[i], remaining[j]
        same_answer = fuzz.ratio(old.back, new.back) / 100 >= SAME_ANSWER
        (plan.rematched if same_answer else plan.changed).append((old.id, new))
    plan.new = [card for j, card in enumerate(remaining) if j not in used_new]
    plan.retired = [old.id for i, old in enumerate(unpaired_old) if i not in used_old]
    return plan
