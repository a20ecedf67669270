"""Cards in the store: rows in, rows out, one transaction per sync. Notes are never touched.

The cards stage decides what happens to each card (cards/identity.py); this module only writes it
down. `sources` is a JSON list of {path, heading_path, line_start, line_end, span}, read back as
`CardSource`s (store/card_sources.py).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from bagu.errors import BaguError
from bagu.store.card_sources import CardSource, sources_from_json, sources_json
from bagu.store.db import get_meta, set_meta, transaction
from bagu.store.sqlite import sqlite3


class CardContent(Protocol):
    """What the store keeps of a generated card (`cards.generate.Card` is one); its sources become
    JSON here."""

    @property
    def key(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def front(self) -> str: ...
    @property
    def back(self) -> str: ...
    @property
    def sibling(self) -> str | None: ...
    @property
    def sources(self) -> tuple[CardSource, ...]: ...


def _content(card: CardContent) -> dict[str, object]:
    return {
        "key": card.key,
        "kind": str(card.kind),
        "front": card.front,
        "back": card.back,
        "sibling_key": card.sibling,
        "sources": sources_json(card.sources),
    }


@dataclass(frozen=True, slots=True)
class NoteCard:
    card_id: int
    kind: str
    front: str
    back: str


def cards_of_note(conn: sqlite3.Connection, path: str) -> dict[tuple[str, ...], list[NoteCard]]:
    """The active cards made from one note, by the heading path of the section they come from."""
    rows = conn.execute(
        "SELECT DISTINCT c.id, c.kind, coalesce(c.front_edit, c.front) AS front, "
        "coalesce(c.back_edit, c.back) AS back,"
        " json_extract(s.value, '$.heading_path') AS heading_path"
        " FROM cards c, json_each(c.sources) s"
        " WHERE c.status = 'active' AND json_extract(s.value, '$.path') = ? ORDER BY c.id",
        (path,),
    )
    found: dict[tuple[str, ...], list[NoteCard]] = {}
    for row in rows:
        card = NoteCard(row["id"], row["kind"], row["front"], row["back"])
        found.setdefault(tuple(json.loads(row["heading_path"])), []).append(card)
    return found


@dataclass(frozen=True, slots=True)
class StoredCardRow:
    """A card as stored: the generated text, the person's edits, where it comes from and its
    status."""

    id: int
    key: str
    kind: str
    front: str
    back: str
    front_edit: str | None
    back_edit: str | None
    sources: tuple[CardSource, ...]
    sibling_key: str | None
    status: str
    source_changed: bool

    @property
    def shown_front(self) -> str:
        return self.front_edit or self.front

    @property
    def shown_back(self) -> str:
        return self.back_edit or self.back

    @property
    def is_edited(self) -> bool:
        return self.front_edit is not None or self.back_edit is not None


def stored_card_rows(
    conn: sqlite3.Connection, *, include_retired: bool = True
) -> list[StoredCardRow]:
    sql = (
        "SELECT id, key, kind, front, back, front_edit, back_edit, sources, sibling_key, status, "
        "source_changed"
        " FROM cards" + ("" if include_retired else " WHERE status != 'retired'") + " ORDER BY id"
    )
    return [_stored(row) for row in conn.execute(sql)]


def _stored(row: sqlite3.Row) -> StoredCardRow:
    card_id, key, kind, front, back, front_edit, back_edit, sources, sibling, status, changed = row
    return StoredCardRow(
        card_id,
        key,
        kind,
        front,
        back,
        front_edit,
        back_edit,
        sources_from_json(sources),
        sibling,
        status,
        bool(changed),
    )


def write_card_sync(
    conn: sqlite3.Connection,
    *,
    retired: Sequence[int],
    resourced: Sequence[tuple[int, CardContent]],
    updated: Sequence[tuple[int, CardContent, bool]],
    inserted: Sequence[CardContent],
    stamp: str,
) -> None:
    """Apply one sync: retire cards by id; give a card whose content is unchanged its new sources
    and topic line (`resourced`); give a re-paired card its new content, flagged when its source
    changed (`updated`); insert new cards. A card that comes back from retirement becomes active
    again; history is never deleted."""
    revive = "status = CASE status WHEN 'retired' THEN 'active' ELSE status END"
    with transaction(conn):
        conn.executemany(
            "UPDATE cards SET status = 'retired', updated_at = :stamp WHERE id = :id AND status "
            "!= 'retired'",
            [{"stamp": stamp, "id": card_id} for card_id in retired],
        )
        conn.executemany(
            "UPDATE cards SET updated_at = CASE WHEN sources = :sources AND front = :front AND "
            "status != 'retired'"
            f" THEN updated_at ELSE :stamp END, sources = :sources, front = :front, {revive} "
            f"WHERE id = :id",
            [
                {
                    "sources": sources_json(card.sources),
                    "front": card.front,
                    "stamp": stamp,
                    "id": card_id,
                }
                for card_id, card in resourced
            ],
        )
        conn.executemany(
            "UPDATE cards SET key = :key, kind = :kind, front = :front, back = :back, "
            "sibling_key = :sibling_key,"
            " sources = :sources, source_changed = max(source_changed, :changed), "
            f"{revive}, updated_at = :stamp WHERE id = :id",
            [
                {**_content(card), "changed": int(changed), "stamp": stamp, "id": card_id}
                for card_id, card, changed in updated
            ],
        )
        conn.executemany(
            _INSERT.format(or_ignore=""), [{**_content(card), "stamp": stamp} for card in inserted]
        )


_INSERT = (
    "INSERT {or_ignore}INTO cards(key, kind, front, back, sibling_key, sources, created_at, "
    "updated_at)"
    " VALUES (:key, :kind, :front, :back, :sibling_key, :sources, :stamp, :stamp)"
)


def insert_cards(conn: sqlite3.Connection, cards: Sequence[CardContent], stamp: str) -> int:
    """Add cards that are not there yet (by key); returns how many were added."""
    with transaction(conn):
        before = conn.total_changes
        conn.executemany(
            _INSERT.format(or_ignore="OR IGNORE "),
            [{**_content(card), "stamp": stamp} for card in cards],
        )
        return conn.total_changes - before


def edit_card(
    conn: sqlite3.Connection, key: str, *, front: str | None, back: str | None, reset: bool = False
) -> int:
    """Put a person's own wording over a card's front and/or back (`reset`: back to the generated
    ones)."""
    with transaction(conn):
        if reset:
            cursor = conn.execute(
                "UPDATE cards SET front_edit = NULL, back_edit = NULL WHERE key = ?", (key,)
            )
        else:
            cursor = conn.execute(
                "UPDATE cards SET front_edit = coalesce(?, front_edit), back_edit = coalesce(?, "
                "back_edit)"
                " WHERE key = ?",
                (front, back, key),
            )
        return cursor.rowcount


def set_card_status(conn: sqlite3.Connection, key: str, status: str) -> int:
    """Suspend or unsuspend the live card with exactly this key (see `unique_card_key`); returns how
    many."""
    with transaction(conn):
        cursor = conn.execute(
            "UPDATE cards SET status = ? WHERE key = ? AND status != 'retired'", (status, key)
        )
        return cursor.rowcount


# Candidates named when a prefix is ambiguous, as git names the objects an abbreviated hash could
# be.
SHOWN_CANDIDATES = 5


def unique_card_key(conn: sqlite3.Connection, prefix: str, *, include_retired: bool = False) -> str:
    """The one card key that is `prefix` or starts with it, the prefix taken literally (`_` and `%`
    are characters, not wildcards); an unknown or ambiguous prefix is an error that lists the
    candidates."""
    retired = "" if include_retired else " AND status != 'retired'"
    rows = conn.execute(
        f"SELECT key, front FROM cards WHERE instr(key, ?) = 1{retired} ORDER BY key LIMIT ?",
        (prefix, SHOWN_CANDIDATES + 1),
    ).fetchall()
    keys = [row[0] for row in rows]
    if prefix in keys or len(keys) == 1:
        return prefix if prefix in keys else keys[0]
    if not keys or not prefix:
        raise BaguError(f"no card with key {prefix!r}; `bagu cards list` shows the keys")
    listed = "; ".join(f"{key} {front[:40]!r}" for key, front in rows[:SHOWN_CANDIDATES])
    more = ", and more" if len(keys) > SHOWN_CANDIDATES else ""
    raise BaguError(f"key {prefix!r} is ambiguous, it starts {listed}{more}: give more of the key")


# (note path, heading path), as a card's sources name a section
SectionKey = tuple[str, tuple[str, ...]]


def ranks_by_section(conn: sqlite3.Connection, ranks: dict[int, int]) -> dict[SectionKey, int]:
    """Syllabus ranks by section id turned into ranks by (note path, heading path), the name cards
    use."""
    keyed: dict[SectionKey, int] = {}
    rows = conn.execute(
        "SELECT s.id, d.path, s.heading_path FROM sections s JOIN documents d ON d.id = "
        "s.document_id ORDER BY s.id"
    )
    for section_id, path, heading_path in rows:
        if section_id in ranks:
            key = (path, tuple(json.loads(heading_path)))
            keyed[key] = min(ranks[section_id], keyed.get(key, ranks[section_id]))
    return keyed


def summary_keys(conn: sqlite3.Connection) -> dict[SectionKey, SectionKey]:
    """Each note section a summary page links to → the summary's section holding the link, by
    (note path, heading path) (`update` saves them by id before the cards sync)."""
    rows = conn.execute(
        "SELECT d.path, s.heading_path, sd.path, ss.heading_path FROM summary_sections m"
        " JOIN sections s ON s.id = m.section_id JOIN documents d ON d.id = s.document_id"
        " JOIN sections ss ON ss.id = m.summary_section_id"
        " JOIN documents sd ON sd.id = ss.document_id"
    )
    return {
        (path, tuple(json.loads(heading_path))): (summary_path, tuple(json.loads(summary_heading)))
        for path, heading_path, summary_path, summary_heading in rows
    }


def set_syllabus_ranks(conn: sqlite3.Connection, ranks: dict[SectionKey, int]) -> int:
    """Give each active card the earliest syllabus position among its source sections; returns how
    many got one."""
    updates: list[tuple[int | None, int]] = []
    for card_id, sources in conn.execute("SELECT id, sources FROM cards WHERE status = 'active'"):
        keys = [(source["path"], tuple(source["heading_path"])) for source in json.loads(sources)]
        positions = [ranks[key] for key in keys if key in ranks]
        updates.append((min(positions) if positions else None, card_id))
    with transaction(conn):
        conn.executemany("UPDATE cards SET syllabus_rank = ? WHERE id = ?", updates)
    return sum(rank is not None for rank, _ in updates)


def has_cards(conn: sqlite3.Connection) -> bool:
    return conn.execute("SELECT 1 FROM cards LIMIT 1").fetchone() is not None


def load_weak_words(conn: sqlite3.Connection) -> tuple[frozenset[str], int] | None:
    """The weak-word set the last card sync used and the section count it was computed on, if
    any."""
    raw = get_meta(conn, "card_weak_words")
    if raw is None:
        return None
    data = json.loads(raw)
    return frozenset(data["words"]), int(data["sections"])


def save_weak_words(conn: sqlite3.Connection, words: frozenset[str], sections: int) -> None:
    set_meta(
        conn,
        "card_weak_words",
        json.dumps({"words": sorted(words), "sections": sections}, ensure_ascii=False),
    )


def forget_weak_words(conn: sqlite3.Connection) -> None:
    """A new generator or setting computes its own weak words on its first sync."""
    conn.execute("DELETE FROM meta WHERE key = 'card_weak_words'")
