"""The syllabus a summary page defines: the sections it links to, in the order it links to them.

A vault topped by a summary page (`八股文.md`, an index of `file.md#heading` links) says with that
page what matters and in which order; new cards are introduced in that order (store/reviews.py). A
summary is a note that links into many of the others; a vault may have two. Pure apart from the
resolution tables it is given; links to itself, to missing notes or to other summaries add nothing.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence

from bagu.links.resolve import NoteTargets, resolve_link
from bagu.store.links import StoredLink

# A summary links into at least this many other notes, and at least this share of the vault's notes:
# 八股文.md reaches 60 of the corpus's 116 notes; the next most linked-from note reaches 4.
SUMMARY_MIN_NOTES = 5
SUMMARY_MIN_SHARE = 0.1


def summary_pages(links: Sequence[StoredLink], targets: NoteTargets) -> list[str]:
    """The notes that link into many others, by path."""
    reached: dict[str, set[str]] = defaultdict(set)
    for stored in links:
        if (target := _other_note(stored, targets)) is not None:
            reached[stored.source_path].add(target)
    return sorted(path for path, notes in reached.items() if len(notes) >= _needed(targets))


def is_summary_page(path: str, links: Sequence[StoredLink], targets: NoteTargets) -> bool:
    """Whether the note at `path` is one of `summary_pages`, resolving only its own links."""
    reached = {
        target
        for s in links
        if s.source_path == path and (target := _other_note(s, targets)) is not None
    }
    return len(reached) >= _needed(targets)


def _other_note(stored: StoredLink, targets: NoteTargets) -> str | None:
    """The other note a link leads to, if any."""
    if stored.link.is_external:
        return None
    resolution = resolve_link(stored.source_path, stored.link, targets)
    return (
        resolution.target_path if resolution.target_path not in (None, stored.source_path) else None
    )


def _needed(targets: NoteTargets) -> int:
    return max(SUMMARY_MIN_NOTES, math.ceil(SUMMARY_MIN_SHARE * len(targets.headings)))


def summary_links(links: Sequence[StoredLink], targets: NoteTargets) -> list[tuple[int, int]]:
    """(the summary's section a link is written in, the section it leads to) for each link of each
    summary into another note's section, in the order the summaries link to them."""
    summaries = summary_pages(links, targets)
    pairs: list[tuple[int, int]] = []
    for summary in summaries:
        for stored in (s for s in links if s.source_path == summary and not s.link.is_external):
            resolution = resolve_link(summary, stored.link, targets)
            if resolution.section_id is None or resolution.target_path in summaries:
                continue
            pairs.append((stored.section_id, resolution.section_id))
    return pairs


def ranks_of(pairs: Sequence[tuple[int, int]]) -> dict[int, int]:
    """Section id → its position in the syllabus of these `summary_links`: the linked section and
    the summary section the link is written in share the link's position (the earliest one
    wins)."""
    ranks: dict[int, int] = {}
    for position, (summary_section, linked) in enumerate(pairs):
        ranks.setdefault(linked, position)
        ranks.setdefault(summary_section, position)
    return ranks


def syllabus_ranks(links: Sequence[StoredLink], targets: NoteTargets) -> dict[int, int]:
    """Section id → its position in the syllabus: each summary's links in order (`ranks_of`)."""
    return ranks_of(summary_links(links, targets))


def linked_from(pairs: Sequence[tuple[int, int]]) -> dict[int, int]:
    """Section id of each section these `summary_links` lead to → the summary's section holding the
    first such link: the summary's own take on that topic."""
    linked: dict[int, int] = {}
    for summary_section, section in pairs:
        linked.setdefault(section, summary_section)
    return linked
