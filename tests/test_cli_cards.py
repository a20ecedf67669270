"""`bagu cards` as a user runs it: cards appear after `bagu index`, suspend and unsuspend by key."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import EXAMPLE_VAULT
from tests.test_cli import bagu


def test_index_makes_cards_and_they_can_be_suspended(db_path: Path) -> None:
    report = json.loads(bagu("index", str(EXAMPLE_VAULT), "--json", db=db_path).stdout)
    assert report["cards"]["new"] > 20
    cards = json.loads(bagu("cards", "list", "-V", str(EXAMPLE_VAULT), "--json", db=db_path).stdout)
    kinds = {c["kind"] for c in cards}
    assert {"question", "list"} <= kinds and "zh-en" not in kinds  # no model in tests: no pair cards
    question = next(c for c in cards if c["kind"] == "question")
    assert question["sources"][0]["path"].endswith(".md") and question["back"]
    key = question["key"]
    assert "1 card(s) suspended" in bagu("cards", "suspend", key[:8], "-V", str(EXAMPLE_VAULT), db=db_path).stdout
    shown = json.loads(bagu("cards", "show", key, "-V", str(EXAMPLE_VAULT), "--json", db=db_path).stdout)
    assert shown["status"] == "suspended"
    bagu("cards", "unsuspend", key, "-V", str(EXAMPLE_VAULT), db=db_path)
    again = json.loads(bagu("index", str(EXAMPLE_VAULT), "--json", db=db_path).stdout)
    assert again["cards"] == {}  # nothing changed: no re-generation
    missing = bagu("cards", "show", "ffffffffffff", "-V", str(EXAMPLE_VAULT), db=db_path)
    assert missing.returncode == 2 and "no card" in missing.stderr
