"""`bagu export anki`: a real .apkg whose notes keep their GUIDs when the notes are edited and
re-exported."""

from __future__ import annotations

import sqlite3 as stdlib_sqlite3
import zipfile
from pathlib import Path

from bagu.cards.anki import card_guid
from tests.cards.test_identity import NOTE
from tests.cli.run import bagu
from tests.conftest import WriteNote


def _anki_notes(deck: Path, tmp: Path) -> dict[str, str]:
    """guid → fields of every note in the package's collection."""
    with zipfile.ZipFile(deck) as archive:
        archive.extract("collection.anki2", tmp)
    collection = stdlib_sqlite3.connect(tmp / "collection.anki2")
    try:
        return dict(collection.execute("SELECT guid, flds FROM notes").fetchall())
    finally:
        collection.close()


def test_re_export_after_an_edit_updates_the_same_anki_notes(
    vault: Path, write: WriteNote, db_path: Path, tmp_path: Path
) -> None:
    write("db/redis.md", NOTE)
    bagu("index", str(vault), db=db_path)
    deck = tmp_path / "out" / "redis.apkg"
    result = bagu("export", "anki", str(deck), "-V", str(vault), db=db_path)
    assert result.returncode == 0, result.stderr
    first = _anki_notes(deck, tmp_path / "first")
    assert len(first) == 3
    ids = [int(fields.split("\x1f")[4]) for fields in first.values()]
    assert set(first) == {card_guid(card_id) for card_id in ids}
    # the source travels with the card
    assert any("db/redis.md:" in fields for fields in first.values())

    write("db/redis.md", NOTE.replace("可以混合使用", "两者也可以混合使用"))  # reword a paragraph
    bagu("index", str(vault), db=db_path)
    bagu("export", "anki", str(deck), "-V", str(vault), db=db_path)
    second = _anki_notes(deck, tmp_path / "second")
    assert set(second) == set(first)  # same notes in Anki: updated in place, not duplicated
    changed = [guid for guid in first if first[guid] != second[guid]]
    assert len(changed) == 1 and "两者也可以混合使用" in second[changed[0]]
