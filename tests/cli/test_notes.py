"""`bagu index`, `search`, `sections` and `stats` on real files: JSON fields, rebuilds that carry
the review history, and (as real processes) two indexers at once and Ctrl-C mid-index."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bagu.errors import StoreBusy
from bagu.store.sqlite import sqlite3
from tests.cli.run import BAGU, bagu
from tests.conftest import EXAMPLE_VAULT, WriteNote


def test_index_search_sections_stats_json(db_path: Path) -> None:
    report = json.loads(bagu("index", str(EXAMPLE_VAULT), "--json", db=db_path).stdout)
    assert report["files_seen"] == report["parsed"] == 17
    assert {
        "files_seen",
        "parsed",
        "unchanged",
        "renamed",
        "removed",
        "skipped",
        "sections",
        "links",
        "seconds",
    } <= set(report)
    again = json.loads(bagu("index", str(EXAMPLE_VAULT), "--json", db=db_path).stdout)
    assert (again["parsed"], again["unchanged"]) == (0, 17)

    found = json.loads(bagu("search", "三次握手", "--json", db=db_path).stdout)
    top = found["results"][0]
    assert (top["path"], top["anchor"], top["line"]) == (
        "network/tcp-handshake.md",
        "三次握手 Three-way Handshake",
        3,
    )
    assert {"path", "heading", "anchor", "line", "snippet", "score"} <= set(top)

    rows = json.loads(bagu("sections", "network/tcp-handshake.md", "--json", db=db_path).stdout)
    assert rows[0] == {
        "path": "network/tcp-handshake.md",
        "heading": "TCP 连接管理",
        "level": 1,
        "heading_path": ["TCP 连接管理"],
        "line_start": 1,
        "line_end": 2,
        "anchors": {
            "raw": "TCP 连接管理",
            "text": "TCP 连接管理",
            "github": "tcp-连接管理",
            "kramdown": "tcp-连接管理",
            "explicit": [],
        },
    }
    stats = json.loads(bagu("stats", "--json", db=db_path).stdout)
    assert sum(f["notes"] for f in stats["folders"]) == 17
    human = bagu("search", "Redis 持久化", db=db_path)
    assert human.returncode == 0 and "redis-persistence.md" in human.stdout


def _review_some(db_path: Path, count: int) -> dict[str, tuple[str, int]]:
    """Rate `count` due cards Good, suspend one more; returns {card key: (due, reviews)} as
    stored."""
    from bagu.review.scheduler import Rating
    from bagu.review.session import rate_card
    from bagu.store.db import connect
    from bagu.store.reviews import due_cards

    conn = connect(db_path)
    try:
        now = datetime.now(UTC)
        queue = due_cards(conn, now, new_limit=count + 1, review_limit=0)
        for card in queue[:count]:
            rate_card(conn, card, rating=Rating.GOOD, now=now, retention=0.9)
        conn.execute("UPDATE cards SET status = 'suspended' WHERE id = ?", (queue[count].id,))
        return _history(conn)
    finally:
        conn.close()


def _history(conn: sqlite3.Connection) -> dict[str, tuple[str, int]]:
    rows = conn.execute(
        "SELECT c.key, c.status, s.due, (SELECT count(*) FROM reviews r WHERE r.card_id = c.id)"
        " FROM cards c LEFT JOIN card_state s ON s.card_id = c.id"
        " WHERE s.due IS NOT NULL OR c.status != 'active'"
    )
    return {row[0]: (f"{row[1]} {row[2]}", row[3]) for row in rows}


def test_rebuild_carries_reviews_schedules_and_suspensions_over(
    db_path: Path, tmp_path: Path
) -> None:
    vault = tmp_path / "vault"
    shutil.copytree(EXAMPLE_VAULT, vault, ignore=shutil.ignore_patterns(".bagu"))
    assert bagu("index", str(vault), db=db_path).returncode == 0
    before = _review_some(db_path, 6)
    assert len(before) == 7 and sum(reviews for _, reviews in before.values()) == 6
    rebuilt = bagu("index", str(vault), "--rebuild", "--json", db=db_path)
    assert rebuilt.returncode == 0, rebuilt.stderr
    history = json.loads(rebuilt.stdout)["history"]
    assert (history["cards"], history["reviews"], history["suspended"], history["kept"]) == (
        7,
        6,
        1,
        7,
    )
    assert "carried over 7 card(s) with history: 6 review(s)" in rebuilt.stderr
    with sqlite3.connect(db_path) as conn:
        # same cards, same due dates, same review counts, same suspension
        assert _history(conn) == before
    moved = [
        p for p in db_path.parent.glob("bagu.db.broken-*") if not p.name.endswith(("-wal", "-shm"))
    ]
    assert len(moved) == 1
    with sqlite3.connect(moved[0]) as old:
        assert _history(old) == before  # the old file is left as it was


def test_rebuild_retires_carried_cards_whose_section_is_gone_and_says_so(
    db_path: Path, tmp_path: Path
) -> None:
    vault = tmp_path / "vault"
    shutil.copytree(EXAMPLE_VAULT, vault, ignore=shutil.ignore_patterns(".bagu"))
    bagu("index", str(vault), db=db_path)
    before = _review_some(db_path, 6)
    with sqlite3.connect(db_path) as conn:
        first = conn.execute(
            "SELECT json_extract(sources, '$[0].path') FROM cards WHERE key = ?",
            (next(iter(before)),),
        )
        gone = first.fetchone()[0]
        paths = conn.execute("SELECT key, json_extract(sources, '$[0].path') FROM cards").fetchall()
        from_gone = sum(path == gone for key, path in paths if key in before)
    (vault / gone).unlink()
    rebuilt = bagu("index", str(vault), "--rebuild", "--json", db=db_path)
    history = json.loads(rebuilt.stdout)["history"]
    assert (history["kept"], history["retired"]) == (7 - from_gone, from_gone) and from_gone >= 1
    assert f"{from_gone} retired with their history (their section is gone)" in rebuilt.stderr


def test_rebuild_of_an_unreadable_index_says_its_history_stays_behind(db_path: Path) -> None:
    db_path.parent.mkdir(parents=True)
    db_path.write_bytes(os.urandom(8192))
    rebuilt = bagu("index", str(EXAMPLE_VAULT), "--rebuild", db=db_path)
    assert rebuilt.returncode == 0
    assert "could not be read" in rebuilt.stderr and "broken-" in rebuilt.stderr


def _big_vault(write: WriteNote, notes: int) -> None:
    body = "".join(
        f"## 小节 {j}\n\nRedis 持久化 RDB AOF 快照 snapshot fork copy-on-write 段落 {j}.\n\n"
        for j in range(300)
    )
    for i in range(notes):
        write(f"n/{i:03}.md", f"# 笔记 {i}\n\n{body}")


def test_two_indexers_at_once_the_second_says_so(
    db_path: Path, vault: Path, write: WriteNote
) -> None:
    _big_vault(write, 60)
    first = subprocess.Popen(
        [*BAGU, "--db", str(db_path), "index", str(vault), "--json"],
        stdout=subprocess.PIPE,
        text=True,
    )
    lock = db_path.with_name("bagu.db.lock")
    deadline = time.monotonic() + 30
    while not (lock.exists() and lock.read_text()) and time.monotonic() < deadline:
        time.sleep(0.05)
    second = bagu("index", str(vault), db=db_path)
    assert (
        second.returncode == StoreBusy.exit_code == 75 and "another `bagu index`" in second.stderr
    )
    assert first.wait(120) == 0
    waited = bagu("index", str(vault), "--wait", "60", "--json", db=db_path)
    assert json.loads(waited.stdout)["unchanged"] == 60


def test_ctrl_c_mid_index_leaves_a_consistent_store_and_resumes(
    db_path: Path, vault: Path, write: WriteNote
) -> None:
    _big_vault(write, 120)
    process = subprocess.Popen(
        [*BAGU, "--db", str(db_path), "index", str(vault), "--json"],
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        time.sleep(0.2)
        if db_path.exists():
            with sqlite3.connect(db_path) as probe:
                try:
                    if probe.execute("SELECT count(*) FROM documents").fetchone()[0] >= 32:
                        break
                except sqlite3.OperationalError:
                    continue
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=60)
    if process.returncode == 0:
        pytest.skip("indexing finished before the interrupt arrived")
    assert process.returncode == 130 and "run `bagu index` again" in stderr
    with sqlite3.connect(db_path) as check:
        assert check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        done = check.execute("SELECT count(*) FROM documents").fetchone()[0]
        assert done % 32 == 0 and 0 < done < 120
        orphans = check.execute(
            "SELECT count(*) FROM sections WHERE document_id NOT IN (SELECT id FROM documents)"
        )
        assert orphans.fetchone()[0] == 0
    resumed = json.loads(bagu("index", str(vault), "--json", db=db_path).stdout)
    assert (resumed["unchanged"], resumed["parsed"]) == (done, 120 - done)


def test_rebuild_carries_a_cards_edited_wording_over(db_path: Path, tmp_path: Path) -> None:
    vault = tmp_path / "vault"
    shutil.copytree(EXAMPLE_VAULT, vault, ignore=shutil.ignore_patterns(".bagu"))
    bagu("index", str(vault), db=db_path)
    cards = json.loads(bagu("cards", "list", "-V", str(vault), "--json", db=db_path).stdout)
    key = cards[0]["key"]
    assert (
        bagu("cards", "edit", key, "-V", str(vault), "--front", "我的提问", db=db_path).returncode
        == 0
    )
    rebuilt = bagu("index", str(vault), "--rebuild", "--json", db=db_path)
    assert rebuilt.returncode == 0, rebuilt.stderr
    after = json.loads(bagu("cards", "list", "-V", str(vault), "--json", db=db_path).stdout)
    assert next(c for c in after if c["key"] == key)["front"] == "我的提问"


def test_search_json_has_the_documented_fields(db_path: Path) -> None:
    bagu("index", str(EXAMPLE_VAULT), "--json", db=db_path)
    data = json.loads(
        bagu("search", "三次握手", "-V", str(EXAMPLE_VAULT), "--json", db=db_path).stdout
    )
    assert {"query", "terms", "mode", "notice", "confidence", "abstained", "results"} <= set(data)
    # BAGU_EMBEDDER=none in tests
    assert data["mode"] == "lexical" and "no embedding model" in data["notice"]
    top = data["results"][0]
    assert {
        "path",
        "heading",
        "heading_path",
        "anchor",
        "line",
        "snippet",
        "highlights",
        "score",
    } <= set(top)


def test_batch_answers_each_line_in_order_and_reports_bad_lines(
    db_path: Path, tmp_path: Path
) -> None:
    bagu("index", str(EXAMPLE_VAULT), "--json", db=db_path)
    queries = tmp_path / "q.jsonl"
    queries.write_text(
        '{"id": "a", "query": "三次握手"}\nnot json\n\n{"id": 7, "query": "Redis 持久化"}\n',
        encoding="utf-8",
    )
    result = bagu(
        "search", "--batch", str(queries), "-V", str(EXAMPLE_VAULT), "-k", "2", db=db_path
    )
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line.get("id") for line in lines] == ["a", None, 7]
    assert lines[1] == {"line": 2, "error": 'expected {"id": ..., "query": "..."}'}
    assert (
        lines[0]["results"][0]["path"] == "network/tcp-handshake.md"
        and len(lines[2]["results"]) <= 2
    )


def test_search_without_query_or_batch_is_a_clear_error(db_path: Path) -> None:
    bagu("index", str(EXAMPLE_VAULT), "--json", db=db_path)
    result = bagu("search", "-V", str(EXAMPLE_VAULT), db=db_path)
    assert result.returncode == 2 and "QUERY" in result.stderr and "Traceback" not in result.stderr
