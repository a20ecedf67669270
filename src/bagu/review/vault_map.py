"""The map of the vault's summary page from the index: the reads around review/syllabus_map.py,
shared by `bagu stats --map`, `/map` and `/api/map`."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import UTC, datetime

from bagu.links.resolve import NoteTargets, resolve_link
from bagu.links.syllabus import summary_pages
from bagu.review.scheduler import DESIRED_RETENTION
from bagu.review.stats import section_memories
from bagu.review.syllabus_map import SyllabusMap, section_index, syllabus_map
from bagu.store.links import StoredLink
from bagu.store.reviews import review_log, scheduled_cards
from bagu.store.sqlite import sqlite3


def vault_map(
    conn: sqlite3.Connection,
    targets: NoteTargets,
    links: Sequence[StoredLink],
    *,
    page: str | None = None,
    target: float = DESIRED_RETENTION,
) -> SyllabusMap | None:
    """The map of `page`, or of the vault's first summary page; None when the vault has none. The
    vault's targets and links come from the caller, who has them already (the web app keeps them per
    index version)."""
    page = page or next(iter(summary_pages(links, targets)), None)
    if page is None or page not in targets.headings:
        return None
    resolved = [(s, resolve_link(page, s.link, targets)) for s in links if s.source_path == page]
    cards = scheduled_cards(conn)
    memories = section_memories(cards, review_log(conn), datetime.now(UTC))
    counts = Counter((card.path, card.heading_path) for card in cards)
    return syllabus_map(
        page,
        resolved,
        targets.headings[page],
        section_index(targets.headings),
        memories,
        counts,
        target=target,
    )
