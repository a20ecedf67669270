"""A scripted terminal review session in a real pty: typed answer, reveal, rating, undo, quit."""

from __future__ import annotations

import json
import os
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bagu.review.scheduler import Rating, new_state, schedule
from bagu.store.db import connect
from tests.cli.run import bagu
from tests.conftest import EXAMPLE_VAULT

pexpect = pytest.importorskip("pexpect")


def test_schedule_moves_due_dates_by_rating() -> None:
    now = datetime(2026, 11, 24, tzinfo=UTC)
    again_state, again_due = schedule(None, Rating.AGAIN, now, fuzz=False)
    _, easy_due = schedule(None, Rating.EASY, now, fuzz=False)
    assert again_due < easy_due and easy_due - now >= timedelta(days=1)
    later_state, later_due = schedule(again_state, Rating.GOOD, again_due, fuzz=False)
    assert later_due > again_due and json.loads(later_state)["last_review"]
    assert json.loads(new_state(now))["due"].startswith("2026-11-24")


def test_a_review_session_in_a_terminal(db_path: Path) -> None:
    bagu("index", str(EXAMPLE_VAULT), "--json", db=db_path)
    child = pexpect.spawn(
        sys.executable,
        [
            "-m",
            "bagu",
            "--db",
            str(db_path),
            "review",
            "-V",
            str(EXAMPLE_VAULT),
            "--new-limit",
            "3",
        ],
        encoding="utf-8",
        timeout=60,
        dimensions=(40, 120),
        env={**os.environ, "TERM": "dumb", "NO_COLOR": "1"},  # plain text to match against
    )
    child.expect("1/3")
    child.expect("your answer")
    child.sendline("单线程，数据在内存里")  # a typed, multi-line answer
    child.expect(">")
    child.sendline("没有锁竞争")
    child.expect(">")
    child.sendline("")
    child.expect(r"grade \d+%")  # graded against the notes, the rating proposed
    child.expect("rate")
    child.sendline("3")
    child.expect("next review")
    child.expect("2/3")
    child.expect("your answer")
    child.sendline("")  # just reveal
    child.expect("rate")
    child.sendline("1")
    child.expect("3/3")
    child.expect("your answer")
    child.sendline("u")  # undo the second card's review
    child.expect("undone")
    child.expect("your answer")
    child.sendline("q")
    child.expect("Reviewed 1 card")
    child.expect(pexpect.EOF)

    conn = connect(db_path)
    reviews = conn.execute(
        "SELECT rating, answer, elapsed_ms, state_before, grade FROM reviews"
    ).fetchall()
    assert [(r[0], r[1]) for r in reviews] == [(3, "单线程，数据在内存里\n没有锁竞争")]
    assert 0.0 <= reviews[0][4] <= 1.0
    assert reviews[0][2] > 0 and reviews[0][3] is None
    assert conn.execute("SELECT count(*) FROM card_state").fetchone()[0] == 1
    due = conn.execute("SELECT due FROM card_state").fetchone()[0]
    assert due > datetime.now(UTC).isoformat()
