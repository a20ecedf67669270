"""Review history survives edits: reword, rename, move, reorder are re-matched; a deleted section
retires."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from bagu.cards.sync import sync_cards
from bagu.errors import BaguError
from bagu.indexer import index_vault
from bagu.store.sqlite import sqlite3
from bagu.update import update_index
from tests.conftest import WriteNote

NOW = datetime(2026, 11, 24, tzinfo=UTC)
NOTE = """# Redis

## 为什么 Redis 这么快

数据在内存中，单线程处理命令，没有锁竞争和上下文切换。

## 持久化有哪些方式

RDB 快照和 AOF 日志两种方式，可以混合使用。

## 淘汰策略

- noeviction
- allkeys-lru
"""


def _sync(conn: sqlite3.Connection, vault: Path) -> dict[str, int]:
    index_vault(conn, vault)
    return sync_cards(conn, NOW).counts()


def _cards(conn: sqlite3.Connection) -> dict[str, tuple[int, str, int, int]]:
    """front → (id, status, source_changed, reviews)."""
    rows = conn.execute(
        "SELECT c.id, c.front, c.status, c.source_changed, (SELECT count(*) FROM reviews r WHERE "
        "r.card_id = c.id)"
        " FROM cards c"
    )
    return {row[1]: (row[0], row[2], row[3], row[4]) for row in rows}


def _review_everything(conn: sqlite3.Connection) -> None:
    conn.execute(
        "INSERT INTO reviews(card_id, reviewed_at, rating) SELECT id, "
        "'2026-11-20T00:00:00+00:00', 3 FROM cards"
    )


def test_first_sync_creates_cards_and_a_second_changes_nothing(
    vault: Path, write: WriteNote, conn: sqlite3.Connection
) -> None:
    write("db/redis.md", NOTE)
    assert _sync(conn, vault)["new"] == 3
    assert _sync(conn, vault) == {
        "kept": 3,
        "moved": 0,
        "changed": 0,
        "source_changed": 0,
        "new": 0,
        "retired": 0,
    }


def test_edits_keep_history_or_retire_it_exactly(
    vault: Path, write: WriteNote, conn: sqlite3.Connection
) -> None:
    write("db/redis.md", NOTE)
    _sync(conn, vault)
    _review_everything(conn)
    before = _cards(conn)
    fast, persist, evict = (
        "Redis › 为什么 Redis 这么快",
        "Redis › 持久化有哪些方式",
        "Redis › 淘汰策略 — 列出 2 点 (name the 2 points)",
    )

    # Reword a body paragraph: same card, flagged source-changed.
    write(
        "db/redis.md",
        NOTE.replace(
            "数据在内存中，单线程处理命令，没有锁竞争和上下文切换。",
            "全部数据放在内存里；命令由单线程执行，所以没有锁。",
        ),
    )
    assert _sync(conn, vault)["source_changed"] == 1
    after = _cards(conn)
    assert after[fast][0] == before[fast][0] and after[fast][2] == 1 and after[fast][3] == 1

    # Rename a heading: the answer is the same, so the card is re-matched without a flag.
    text = (
        (vault / "db/redis.md")
        .read_text(encoding="utf-8")
        .replace("## 持久化有哪些方式", "## Redis 如何持久化")
    )
    write("db/redis.md", text)
    counts = _sync(conn, vault)
    assert counts["changed"] == 1 and counts["source_changed"] == 0 and counts["new"] == 0
    renamed = _cards(conn)["Redis › Redis 如何持久化"]
    assert renamed[0] == before[persist][0] and renamed[2] == 0 and renamed[3] == 1

    # Move the note to another folder and reorder its sections: kept, nothing new.
    moved = text.replace("## 淘汰策略\n\n- noeviction\n- allkeys-lru\n", "")
    moved = moved.replace("# Redis\n", "# Redis\n\n## 淘汰策略\n\n- noeviction\n- allkeys-lru\n", 1)
    (vault / "db/redis.md").unlink()
    write("cache/redis.md", moved)
    counts = _sync(conn, vault)
    assert counts["new"] == 0 and counts["retired"] == 0 and counts["moved"] >= 1
    assert _cards(conn)[evict][0] == before[evict][0]

    # Delete a section: its card retires with its history.
    write("cache/redis.md", moved.replace("## 淘汰策略\n\n- noeviction\n- allkeys-lru\n", ""))
    assert _sync(conn, vault)["retired"] == 1
    retired = _cards(conn)[evict]
    assert retired[1] == "retired" and retired[3] == 1
    # nothing lost, nothing duplicated
    assert conn.execute("SELECT count(*) FROM reviews").fetchone()[0] == 3

    # The section comes back: the same card, active again.
    write("cache/redis.md", moved)
    _sync(conn, vault)
    assert _cards(conn)[evict][:2] == (before[evict][0], "active")


def test_without_an_encoder_pair_cards_are_left_alone(
    vault: Path, write: WriteNote, conn: sqlite3.Connection
) -> None:
    write(
        "a.md",
        "# A\n\n## 双语\n\nRDB 在某个时间点把内存数据生成快照写入磁盘。 RDB writes a "
        "point-in-time snapshot of memory to disk.\n",
    )
    index_vault(conn, vault)
    assert sync_cards(conn, NOW, lambda zh, en: 0.9).counts()["new"] == 1
    assert sync_cards(conn, NOW, None).counts()["retired"] == 0
    assert conn.execute("SELECT count(*) FROM cards WHERE status = 'active'").fetchone()[0] == 1


def test_the_translation_drill_can_be_turned_off_and_its_cards_keep_their_history(
    vault: Path, write: WriteNote, conn: sqlite3.Connection
) -> None:
    write(
        "a.md",
        "# A\n\n## 双语\n\nRDB 在某个时间点把内存数据生成快照写入磁盘。 RDB writes a "
        "point-in-time snapshot of memory to disk.\n",
    )
    update_index(conn, vault, [])
    assert sync_cards(conn, NOW, lambda zh, en: 0.9).counts()["new"] == 1
    _review_everything(conn)
    write("bagu.toml", "[cards]\ntranslation = false\n")
    report = update_index(conn, vault, [])  # no note changed; the setting did
    assert report.cards["retired"] == 1
    row = conn.execute(
        "SELECT c.status, count(r.id) FROM cards c JOIN reviews r ON r.card_id = c.id"
    ).fetchone()
    assert tuple(row) == ("retired", 1)
    write("bagu.toml", "[cards]\ntranslation = 'no'\n")
    with pytest.raises(BaguError, match="translation must be true or false"):
        update_index(conn, vault, [])


def test_a_new_generator_resyncs_every_card_and_survivors_keep_their_ids(
    vault: Path, write: WriteNote, conn: sqlite3.Connection
) -> None:
    write("redis.md", NOTE)
    update_index(conn, vault, [])
    before = {
        row[0]: row[1]
        for row in conn.execute("SELECT id, front FROM cards WHERE status = 'active'")
    }
    conn.execute(
        "UPDATE cards SET front = substr(front, instr(front, char(10)) + 1) WHERE kind = 'cloze'"
    )
    conn.execute("UPDATE meta SET value = 'an older generator' WHERE key = 'card_generator'")
    report = update_index(conn, vault, [])
    after = {
        row[0]: row[1]
        for row in conn.execute("SELECT id, front FROM cards WHERE status = 'active'")
    }
    assert report.cards and after == before  # same ids, and the topic lines are back


def test_a_new_note_does_not_flip_the_cards_of_unchanged_sections(
    vault: Path, write: WriteNote
) -> None:
    """The vault's too-common words decide which blanks test nothing; a note added elsewhere must
    not push a word over the line and retire a card of a section nobody touched (issue 18, identity
    stays stable)."""
    from bagu.store.db import connect
    from bagu.update import update_index

    for n in range(60):  # 60 sections; 缓冲区 in exactly 6 of them: a tenth, not more, so not weak
        extra = "数据先写入缓冲区再落盘。" if n < 5 else ""
        write(f"n{n}.md", f"# 笔记{n}\n\n第{n}条说明，讲另一件事情。{extra}\n")
    write("a.md", "# 写入\n\nKafka 先把消息写入**缓冲区**，再由后台线程批量发送。\n")
    conn = connect(vault / ".bagu" / "bagu.db")
    try:
        update_index(conn, vault, [])
        query = "SELECT status FROM cards WHERE kind = 'cloze' AND back = '缓冲区'"
        assert [r[0] for r in conn.execute(query)] == ["active"]
        for n in range(3):  # three more sections with 缓冲区: 9 of 63 would make it weak
            write(f"new{n}.md", f"# 新笔记{n}\n\n缓冲区满了就阻塞。\n")
        update_index(conn, vault, [])
        assert [r[0] for r in conn.execute(query)] == ["active"]
    finally:
        conn.close()
