"""The summary page as a map of what you know: each of its links, and each heading above them, by
the FSRS recall of the cards behind the section the link points at.

A link is `solid` when those cards' mean recall now is at or above the retention FSRS schedules for
(0.9 by default: reviews keep it there), `weak` below 0.7 (more likely forgotten than a card FSRS
would let slip), `fading` between, `unseen` when none of its cards was reviewed yet, and `no-cards`
when its section made no card. Pure: the page's links (resolved), its headings and the section
memories come in; the map comes out.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from bagu.links.resolve import Resolution
from bagu.review.stats import SectionMemory
from bagu.store.links import StoredLink
from bagu.vault.model import HeadingTarget

WEAK_BELOW = 0.7


class Readiness(StrEnum):
    SOLID = "solid"
    FADING = "fading"
    WEAK = "weak"
    UNSEEN = "unseen"
    NO_CARDS = "no-cards"


def readiness(memory: SectionMemory | None, cards: int, target: float) -> Readiness:
    if not cards:
        return Readiness.NO_CARDS
    if memory is None or memory.recall is None:
        return Readiness.UNSEEN
    if memory.recall >= target:
        return Readiness.SOLID
    return Readiness.WEAK if memory.recall < WEAK_BELOW else Readiness.FADING


@dataclass(frozen=True, slots=True)
class MapLink:
    line: int
    text: str
    path: str
    heading_path: tuple[str, ...]
    readiness: Readiness
    recall: float | None
    cards: int
    section_id: int = 0  # the section it points at

    def to_dict(self) -> dict[str, object]:
        return {
            "line": self.line,
            "text": self.text,
            "path": self.path,
            "heading_path": list(self.heading_path),
            "readiness": self.readiness.value,
            "recall": None if self.recall is None else round(self.recall, 3),
            "cards": self.cards,
        }


@dataclass(slots=True)
class MapHeading:
    heading_path: tuple[str, ...]
    line: int
    level: int
    links: list[MapLink] = field(default_factory=list)

    @property
    def counts(self) -> Counter[str]:
        return Counter(link.readiness.value for link in self.links)

    def to_dict(self) -> dict[str, object]:
        return {
            "heading_path": list(self.heading_path),
            "line": self.line,
            "level": self.level,
            "counts": dict(self.counts),
            "links": [link.to_dict() for link in self.links],
        }


@dataclass(slots=True)
class SyllabusMap:
    page: str
    target_retention: float
    headings: list[MapHeading] = field(default_factory=list)

    def by_section(self) -> dict[int, Readiness]:
        """Section pointed at → its readiness: what the note viewer colours the page's links by."""
        return {
            link.section_id: link.readiness for heading in self.headings for link in heading.links
        }

    @property
    def counts(self) -> Counter[str]:
        total: Counter[str] = Counter()
        for heading in self.headings:
            total.update(heading.counts)
        return total

    def to_dict(self) -> dict[str, object]:
        return {
            "page": self.page,
            "target_retention": self.target_retention,
            "counts": dict(self.counts),
            "headings": [heading.to_dict() for heading in self.headings],
        }


def syllabus_map(
    page: str,
    links: Sequence[tuple[StoredLink, Resolution]],
    headings: Sequence[HeadingTarget],
    sections: Mapping[int, tuple[str, tuple[str, ...]]],
    memories: Mapping[tuple[str, tuple[str, ...]], SectionMemory],
    card_counts: Mapping[tuple[str, tuple[str, ...]], int],
    *,
    target: float,
) -> SyllabusMap:
    """The map of `page`: its headings in order, each with the links written under it that reach a
    section of another note (`sections`: section id → its note and heading path; `headings`: the
    page's own)."""
    rows = {h.section_id: MapHeading(h.heading_path, h.line, len(h.heading_path)) for h in headings}
    for stored, resolution in links:
        reached = sections.get(resolution.section_id) if resolution.section_id is not None else None
        if (
            resolution.is_broken
            or reached is None
            or reached[0] == page
            or stored.section_id not in rows
        ):
            continue
        memory, cards = memories.get(reached), card_counts.get(reached, 0)
        rows[stored.section_id].links.append(
            MapLink(
                stored.link.line,
                stored.link.text,
                reached[0],
                reached[1],
                readiness(memory, cards, target),
                memory.recall if memory else None,
                cards,
                resolution.section_id or 0,
            )
        )
    return SyllabusMap(
        page, target, [rows[h.section_id] for h in headings if rows[h.section_id].links]
    )


def section_index(
    headings: Mapping[str, Sequence[HeadingTarget]],
) -> dict[int, tuple[str, tuple[str, ...]]]:
    """Section id → (note, heading path), for every section of the vault."""
    return {h.section_id: (path, h.heading_path) for path, found in headings.items() for h in found}
