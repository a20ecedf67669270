"""`bagu cards` as a user runs it: cards appear after `bagu index`, suspend and unsuspend by key."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from tests.cli.run import bagu
from tests.conftest import EXAMPLE_VAULT


def test_index_makes_cards_and_they_can_be_suspended(db_path: Path) -> None:
    report = json.loads(bagu("index", str(EXAMPLE_VAULT), "--json", db=db_path).stdout)
    assert report["cards"]["new"] > 20
    cards = json.loads(bagu("cards", "list", "-V", str(EXAMPLE_VAULT), "--json", db=db_path).stdout)
    kinds = {c["kind"] for c in cards}
    # no model in tests: no pair cards
    assert {"question", "list"} <= kinds and "zh-en" not in kinds
    question = next(c for c in cards if c["kind"] == "question")
    assert question["sources"][0]["path"].endswith(".md") and question["back"]
    key = question["key"]
    assert (
        "1 card(s) suspended"
        in bagu("cards", "suspend", key[:8], "-V", str(EXAMPLE_VAULT), db=db_path).stdout
    )
    shown = json.loads(
        bagu("cards", "show", key, "-V", str(EXAMPLE_VAULT), "--json", db=db_path).stdout
    )
    assert shown["status"] == "suspended"
    bagu("cards", "unsuspend", key, "-V", str(EXAMPLE_VAULT), db=db_path)
    again = json.loads(bagu("index", str(EXAMPLE_VAULT), "--json", db=db_path).stdout)
    assert again["cards"] == {}  # nothing changed: no re-generation
    missing = bagu("cards", "show", "ffffffffffff", "-V", str(EXAMPLE_VAULT), db=db_path)
    assert missing.returncode == 2 and "no card" in missing.stderr


def test_cards_list_all_shows_what_the_quality_model_dropped_and_why(db_path: Path) -> None:
    bagu("index", str(EXAMPLE_VAULT), db=db_path)
    made = json.loads(bagu("cards", "list", "-V", str(EXAMPLE_VAULT), "--json", db=db_path).stdout)
    every = json.loads(
        bagu("cards", "list", "-V", str(EXAMPLE_VAULT), "--all", "--json", db=db_path).stdout
    )
    dropped = [c for c in every if c["status"] == "dropped"]
    assert dropped and all(c["reason"] for c in dropped)
    assert not {c["key"] for c in dropped} & {c["key"] for c in made}
    # the summary page's lists of links are references, not knowledge
    assert any(
        c["sources"][0]["path"] == "八股文.md" and "link titles" in c["reason"] for c in dropped
    )
    human = bagu(
        "cards", "list", "-V", str(EXAMPLE_VAULT), "--all", "--kind", "list", db=db_path
    ).stdout
    assert "dropped" in human


def test_a_key_prefix_is_literal_and_an_ambiguous_one_is_refused_with_the_candidates(
    db_path: Path,
) -> None:
    bagu("index", str(EXAMPLE_VAULT), db=db_path)
    cards = json.loads(bagu("cards", "list", "-V", str(EXAMPLE_VAULT), "--json", db=db_path).stdout)
    wildcards = bagu("cards", "suspend", "____", "-V", str(EXAMPLE_VAULT), db=db_path)
    # not LIKE's `_`
    assert wildcards.returncode == 2 and "no card with key '____'" in wildcards.stderr
    again = json.loads(bagu("cards", "list", "-V", str(EXAMPLE_VAULT), "--json", db=db_path).stdout)
    assert [c["status"] for c in again] == [c["status"] for c in cards]  # nothing was suspended
    first = cards[0]["key"][0]
    sharing = sorted(c["key"] for c in cards if c["key"].startswith(first))
    assert len(sharing) > 1
    ambiguous = bagu("cards", "show", first, "-V", str(EXAMPLE_VAULT), db=db_path)
    assert (
        ambiguous.returncode == 2
        and "ambiguous" in ambiguous.stderr
        and sharing[0] in ambiguous.stderr
    )
    # whole key
    assert (
        bagu("cards", "suspend", sharing[0], "-V", str(EXAMPLE_VAULT), db=db_path).returncode == 0
    )


def test_cards_list_shows_each_schedule_and_filters_due_new_and_suspended(db_path: Path) -> None:
    bagu("index", str(EXAMPLE_VAULT), db=db_path)
    listed = lambda *flags: json.loads(  # noqa: E731
        bagu("cards", "list", "-V", str(EXAMPLE_VAULT), "--json", *flags, db=db_path).stdout
    )
    new = listed("--new")
    assert new and all(
        c["schedule"]["state"] == "new" and c["schedule"]["reviews"] == 0 for c in new
    )
    reviewed = bagu(
        "review", "-V", str(EXAMPLE_VAULT), "--new-limit", "1", db=db_path, stdin="\n1\n"
    )  # reveal, rate Again: the card is learning and due again within minutes
    assert reviewed.returncode == 0, reviewed.stderr
    assert len(listed("--new")) == len(new) - 1
    learning = [c for c in listed() if c["schedule"]["reviews"] == 1]
    assert len(learning) == 1 and learning[0]["schedule"]["state"] == "learning"
    assert listed("--due") == [] or all(c["schedule"]["reviews"] for c in listed("--due"))
    bagu("cards", "suspend", learning[0]["key"], "-V", str(EXAMPLE_VAULT), db=db_path)
    assert [c["key"] for c in listed("--suspended")] == [learning[0]["key"]]
    wide = {"COLUMNS": "220"}
    table = bagu(
        "cards", "list", "-V", str(EXAMPLE_VAULT), "--suspended", db=db_path, env=wide
    ).stdout
    assert "interval" in table and "lapses" in table and "learning" in table


def test_a_card_edited_by_hand_keeps_its_wording_and_is_flagged_when_its_section_changes(
    tmp_path: Path,
) -> None:
    vault = tmp_path / "vault"
    shutil.copytree(EXAMPLE_VAULT, vault, ignore=shutil.ignore_patterns(".bagu"))
    db = tmp_path / "bagu.db"
    bagu("index", str(vault), db=db)
    listed = lambda: json.loads(bagu("cards", "list", "-V", str(vault), "--json", db=db).stdout)  # noqa: E731
    card = next(
        c
        for c in listed()
        if c["kind"] == "question" and c["sources"][0]["path"] == "network/tcp-handshake.md"
    )
    note = vault / card["sources"][0]["path"]
    before = note.read_bytes()
    edited = bagu(
        "cards",
        "edit",
        card["key"],
        "-V",
        str(vault),
        "--back",
        "SYN, SYN-ACK, ACK: both sides",
        db=db,
    )
    assert edited.returncode == 0, edited.stderr
    assert note.read_bytes() == before  # never written into the notes
    bagu("index", str(vault), db=db)  # nothing changed: the edit stays, unflagged
    again = next(c for c in listed() if c["key"] == card["key"])
    assert (
        again["back"] == "SYN, SYN-ACK, ACK: both sides"
        and again["edited"]
        and not again["source_changed"]
    )
    lines = note.read_text(encoding="utf-8").splitlines(keepends=True)
    lines.insert(
        card["sources"][0]["line_start"], "\n补充一句：握手之前客户端处于 CLOSED 状态。\n"
    )  # under its heading
    note.write_text("".join(lines), encoding="utf-8")
    bagu("index", str(vault), db=db)
    # the same card, perhaps under a new key
    changed = next(c for c in listed() if c["id"] == card["id"])
    assert changed["back"] == "SYN, SYN-ACK, ACK: both sides" and changed["source_changed"]
    wide = {"COLUMNS": "240"}
    table = bagu("cards", "list", "-V", str(vault), "--path", "network/", db=db, env=wide).stdout
    assert "look at your edit" in table
    bagu("cards", "edit", changed["key"], "-V", str(vault), "--reset", db=db)
    assert (
        next(c for c in listed() if c["id"] == card["id"])["back"]
        != "SYN, SYN-ACK, ACK: both sides"
    )
    # nothing to edit
    assert bagu("cards", "edit", changed["key"], "-V", str(vault), db=db).returncode == 2
