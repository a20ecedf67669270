"""`bagu stats --reviews` and `bagu stats --map`: what a first review shows, and the summary page's
links by readiness."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.run import bagu
from tests.conftest import EXAMPLE_VAULT


def test_stats_map_shows_the_summary_pages_links_by_readiness(
    db_path: Path, tmp_path: Path
) -> None:
    bagu("index", str(EXAMPLE_VAULT), db=db_path)
    found = json.loads(
        bagu("stats", "--map", "-V", str(EXAMPLE_VAULT), "--json", db=db_path).stdout
    )
    assert found["page"] == "八股文.md" and found["headings"]
    assert all(
        link["readiness"] in ("unseen", "no-cards")
        for h in found["headings"]
        for link in h["links"]
    )
    printed = bagu("stats", "--map", "-V", str(EXAMPLE_VAULT), db=db_path).stdout
    assert "八股文.md" in printed and "unseen" in printed
    lonely = tmp_path / "lonely"
    lonely.mkdir()
    (lonely / "a.md").write_text("# A\n", encoding="utf-8")
    other_db = tmp_path / "other.db"
    bagu("index", str(lonely), db=other_db)
    none = bagu("stats", "--map", "-V", str(lonely), db=other_db)
    assert none.returncode == 2 and "no summary page" in none.stderr


def test_review_stats_after_a_first_review_say_why_there_is_no_retention_and_nothing_weak(
    db_path: Path,
) -> None:
    bagu("index", str(EXAMPLE_VAULT), db=db_path)
    bagu("review", "-V", str(EXAMPLE_VAULT), "--new-limit", "1", db=db_path, stdin="\n3\n")
    shown = bagu("stats", "--reviews", "-V", str(EXAMPLE_VAULT), db=db_path).stdout
    assert (
        "true retention not yet" in shown
        and "nothing is weak yet" in shown
        and "—" not in shown.split("\n")[0]
    )
