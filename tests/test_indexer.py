"""Incremental indexing on real files and a real SQLite store, including the ways it can go
wrong."""

from __future__ import annotations

import codecs
import json
import os
from pathlib import Path

import pytest

from bagu.indexer import index_vault
from bagu.store.queries import load_sections
from bagu.store.sqlite import sqlite3
from bagu.update import update_index
from tests.conftest import DenyListing, WriteNote


def section_ids(conn: sqlite3.Connection, path: str) -> dict[str, int]:
    rows = conn.execute(
        "SELECT s.heading, s.id FROM sections s JOIN documents d ON d.id = s.document_id WHERE "
        "d.path = ?",
        (path,),
    )
    return {row[0]: row[1] for row in rows}


def count(conn: sqlite3.Connection, table: str) -> int:
    return int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


@pytest.fixture
def small_vault(write: WriteNote) -> None:
    write(
        "net/tcp.md",
        "# TCP\n\n## 三次握手\n\nSYN, SYN+ACK, ACK.\n\n## 四次挥手\n\nFIN "
        "[x](../db/redis.md#RDB)\n",
    )
    write("db/redis.md", "---\ntitle: Redis\n---\n## RDB\n\n快照 snapshot\n\n## AOF\n\n日志 log\n")
    write("index.md", "# Index\n\n[[tcp#三次握手]]\n")


@pytest.mark.usefixtures("small_vault")
def test_second_run_parses_nothing_and_one_touched_file_is_the_only_one_parsed(
    conn: sqlite3.Connection, vault: Path
) -> None:
    first = index_vault(conn, vault)
    assert (first.files_seen, first.parsed, first.sections, first.links) == (3, 3, 6, 2)
    second = index_vault(conn, vault)
    assert (second.parsed, second.unchanged) == (0, 3)
    (vault / "db/redis.md").write_text(
        "---\ntitle: Redis\n---\n## RDB\n\n快照 changed\n\n## AOF\n\n日志 log\n"
    )
    third = index_vault(conn, vault)
    assert third.parsed_paths == ["db/redis.md"]


@pytest.mark.usefixtures("small_vault")
def test_edit_keeps_section_ids_and_updates_search_text(
    conn: sqlite3.Connection, vault: Path
) -> None:
    index_vault(conn, vault)
    before = section_ids(conn, "db/redis.md")
    (vault / "db/redis.md").write_text(
        "---\ntitle: Redis\n---\n## RDB\n\nfork 子进程\n\n## AOF\n\n日志 log\n\n## 混合\n"
    )
    index_vault(conn, vault)
    after = section_ids(conn, "db/redis.md")
    assert after["RDB"] == before["RDB"] and after["AOF"] == before["AOF"]
    assert "混合" in after
    hits = conn.execute(
        "SELECT rowid FROM section_fts WHERE section_fts MATCH '\"进程\"'"
    ).fetchall()
    assert [h[0] for h in hits] == [after["RDB"]]
    assert not conn.execute(
        "SELECT rowid FROM section_fts WHERE section_fts MATCH '\"快照\"'"
    ).fetchall()


@pytest.mark.usefixtures("small_vault")
def test_rename_keeps_document_and_section_identity(conn: sqlite3.Connection, vault: Path) -> None:
    index_vault(conn, vault)
    before = section_ids(conn, "db/redis.md")
    (vault / "db/redis.md").rename(vault / "db/redis-persistence.md")
    report = index_vault(conn, vault)
    assert (report.renamed, report.parsed, report.removed) == (1, 0, 0)
    assert section_ids(conn, "db/redis-persistence.md") == before


@pytest.mark.usefixtures("small_vault")
def test_deleted_note_is_removed_with_its_sections_links_and_fts_rows(
    conn: sqlite3.Connection, vault: Path
) -> None:
    index_vault(conn, vault)
    (vault / "net/tcp.md").unlink()
    report = index_vault(conn, vault)
    assert report.removed == 1
    assert (count(conn, "documents"), count(conn, "sections"), count(conn, "links")) == (2, 3, 1)
    assert count(conn, "section_fts") == 3


@pytest.mark.usefixtures("small_vault")
def test_interrupt_mid_index_keeps_committed_batches_and_next_run_resumes(
    conn: sqlite3.Connection, vault: Path, write: WriteNote
) -> None:
    for i in range(10):
        write(f"many/n{i:02}.md", f"# Note {i}\n\ntext {i}\n")

    def interrupt(done: int, total: int, path: str) -> None:
        if done == 7:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        index_vault(conn, vault, on_progress=interrupt, batch_size=4)
    assert count(conn, "documents") == 4  # the first batch; the second was rolled back whole
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    report = index_vault(conn, vault, batch_size=4)
    assert (report.unchanged, report.parsed) == (4, 9)
    assert count(conn, "documents") == 13


@pytest.mark.usefixtures("small_vault")
def test_file_deleted_or_rewritten_while_indexing(conn: sqlite3.Connection, vault: Path) -> None:
    def meddle(done: int, total: int, path: str) -> None:
        if path == "db/redis.md":
            (vault / "index.md").unlink()
            (vault / "net/tcp.md").write_text("# TCP rewritten\n")

    report = index_vault(conn, vault, on_progress=meddle)
    assert [(w.path, w.message) for w in report.warnings] == [
        ("index.md", "disappeared while indexing")
    ]
    assert section_ids(conn, "net/tcp.md") == {
        "TCP rewritten": section_ids(conn, "net/tcp.md")["TCP rewritten"]
    }
    follow_up = index_vault(conn, vault)
    assert (follow_up.parsed, follow_up.removed, follow_up.warnings) == (0, 0, [])


def test_bad_notes_are_reported_once_each_and_indexing_continues(
    conn: sqlite3.Connection, vault: Path, write: WriteNote
) -> None:
    write("good.md", "# Good\n")
    write("gbk.md", "# 垃圾回收\n\n引用计数法的缺点是无法处理循环引用。\n".encode("gbk"))
    write("utf16.md", codecs.BOM_UTF16_LE + "# UTF16 标题\n".encode("utf-16-le"))
    write("bom.md", codecs.BOM_UTF8 + b"# BOM\n")
    write("crlf.md", b"# A\r\nx\r\n## B\rmixed\n")
    write("image.md", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00")
    write("empty.md", b"")
    write("broken-fm.md", "---\ntitle: [oops\n---\n# Body still indexed\n")
    report = index_vault(conn, vault)
    warnings = {w.path: w.message for w in report.warnings}
    assert set(warnings) == {"image.md", "broken-fm.md"}
    assert "binary" in warnings["image.md"]
    assert "YAML front matter does not parse" in warnings["broken-fm.md"]
    encodings = dict(conn.execute("SELECT path, encoding FROM documents").fetchall())
    assert encodings["gbk.md"] == "gbk" and encodings["utf16.md"] == "utf-16-le"
    assert "Body still indexed" in section_ids(conn, "broken-fm.md")
    assert set(section_ids(conn, "crlf.md")) == {"A", "B"}
    assert set(section_ids(conn, "gbk.md")) == {"垃圾回收"}


def test_a_20_mb_note_is_indexed_with_the_limit_raised(
    conn: sqlite3.Connection, vault: Path, write: WriteNote
) -> None:
    paragraph = (
        "## 小节 {i}\n\n" + "Redis 持久化 RDB AOF 快照 snapshot fork copy-on-write. " * 40 + "\n\n"
    )
    blob = "".join(paragraph.replace("{i}", str(i)) for i in range(8400))
    write("huge.md", blob)
    assert (vault / "huge.md").stat().st_size > 20_000_000
    skipped = index_vault(conn, vault)
    assert (
        skipped.parsed == 0
        and "over the 10 MB limit (raise it with --max-file-mb)" in skipped.warnings[0].message
    )
    report = index_vault(conn, vault, max_bytes=21 * 1024 * 1024)
    assert (report.parsed, report.sections) == (1, 8400)


def test_notes_over_the_size_limit_are_skipped_with_a_warning(
    conn: sqlite3.Connection, vault: Path, write: WriteNote
) -> None:
    write("big.md", "# Big\n" + "x" * 5000)
    report = index_vault(conn, vault, max_bytes=1000)
    assert report.skipped == 1 and "--max-file-mb" in report.warnings[0].message


@pytest.mark.usefixtures("small_vault")
def test_an_unreadable_folder_keeps_its_indexed_notes(
    conn: sqlite3.Connection,
    vault: Path,
    deny_listing: DenyListing,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    index_vault(conn, vault)
    before = section_ids(conn, "db/redis.md")
    deny_listing("db")
    report = index_vault(conn, vault)
    assert report.removed == 0 and section_ids(conn, "db/redis.md") == before
    assert [
        (w.path, "Permission denied" in w.message and "kept" in w.message) for w in report.warnings
    ] == [("db/", True)]
    monkeypatch.undo()
    (vault / "db" / "redis.md").unlink()
    assert index_vault(conn, vault).removed == 1  # readable again: a note that is really gone goes


@pytest.mark.skipif(os.geteuid() == 0, reason="root lists folders whatever their mode")
@pytest.mark.usefixtures("small_vault")
def test_a_folder_without_read_permission_keeps_its_notes(
    conn: sqlite3.Connection, vault: Path
) -> None:
    index_vault(conn, vault)
    (vault / "db").chmod(0)
    try:
        report = index_vault(conn, vault)
    finally:
        (vault / "db").chmod(0o755)
    assert report.removed == 0 and "RDB" in section_ids(conn, "db/redis.md")


def test_a_symlink_out_of_the_vault_is_dropped_from_an_existing_index(
    conn: sqlite3.Connection, vault: Path, write: WriteNote, tmp_path: Path
) -> None:
    write("a.md", "# A\n")
    (tmp_path / "secret.md").write_text("# SECRET heading\n", "utf-8")
    target = write("b.md", "# B\n")
    index_vault(conn, vault)
    target.unlink()
    os.symlink(tmp_path / "secret.md", target)
    report = index_vault(conn, vault)
    assert [(w.path, "outside the vault" in w.message) for w in report.warnings] == [("b.md", True)]
    paths = [row[0] for row in conn.execute("SELECT path FROM documents ORDER BY path")]
    assert paths == ["a.md"]
    assert not conn.execute(
        "SELECT rowid FROM section_fts WHERE section_fts MATCH 'secret'"
    ).fetchall()


def test_index_removes_the_temporary_files_of_a_killed_fix(
    conn: sqlite3.Connection, vault: Path, write: WriteNote
) -> None:
    write("n.md", "# n\n")
    write("sub/.n.md.abc123.bagu-tmp", "# half-written\n")
    write("sub/.keep.bagu-tmp.md", "# a note of the user's that only looks like one\n")
    report = index_vault(conn, vault)
    assert not (vault / "sub/.n.md.abc123.bagu-tmp").exists()
    assert (vault / "sub/.keep.bagu-tmp.md").exists()
    assert "removed 1 temporary file" in report.warnings[0].message
    assert sorted(row[0] for row in conn.execute("SELECT path FROM documents")) == [
        "n.md",
        "sub/.keep.bagu-tmp.md",
    ]


@pytest.mark.parametrize("depth", [20, 40, 120])
def test_text_nested_deep_in_quotes_and_lists_is_indexed(
    conn: sqlite3.Connection, vault: Path, write: WriteNote, depth: int
) -> None:
    quotes = "> " * depth + "deepquote 深层引用\n"
    items = (
        "".join("  " * i + f"- level{i}\n" for i in range(depth))
        + "  " * depth
        + "- deepitem 深层列表\n"
    )
    write("deep.md", f"# Deep\n\n{quotes}\n{items}\nafterwards 之后\n")
    report = index_vault(conn, vault)
    assert report.warnings == []
    body = conn.execute("SELECT body FROM sections").fetchone()[0]
    assert "deepquote" in body and "deepitem" in body and "afterwards" in body


def test_text_nested_beyond_the_parser_limit_is_reported(
    conn: sqlite3.Connection, vault: Path, write: WriteNote
) -> None:
    write("abyss.md", "# Abyss\n\n" + "> " * 400 + "lost\n\nkept 保留\n")
    report = index_vault(conn, vault)
    assert [(w.path, "nested more than 256 levels" in w.message) for w in report.warnings] == [
        ("abyss.md", True)
    ]
    assert "kept" in conn.execute("SELECT body FROM sections").fetchone()[0]


def test_a_note_mixing_utf8_and_gbk_is_indexed_readably_with_a_warning(
    conn: sqlite3.Connection, vault: Path, write: WriteNote
) -> None:
    write(
        "mixed.md",
        "# 三次握手\n\n客户端发送 SYN。\n\n".encode()
        + "## 四次挥手\n\n主动关闭方进入 TIME_WAIT。\n".encode("gbk"),
    )
    report = index_vault(conn, vault)
    assert [(w.path, "UTF-8 and GBK" in w.message) for w in report.warnings] == [("mixed.md", True)]
    assert set(section_ids(conn, "mixed.md")) == {"三次握手", "四次挥手"}


def test_a_run_killed_before_the_card_sync_is_finished_by_the_next_one(
    conn: sqlite3.Connection, vault: Path, write: WriteNote
) -> None:
    """Found by benchmarks/bench_kill.py: the notes were committed, the cards never caught up."""
    write(
        "n.md",
        "# Redis\n\n## 为什么 Redis 这么快\n\n数据在内存中，单线程处理命令，没有锁竞争和上下文切"
        "换。\n",
    )
    update_index(conn, vault, [])
    write("n.md", "# Redis\n\n## 持久化有哪些方式\n\nRDB 快照和 AOF 日志两种方式，可以混合使用。\n")
    index_vault(conn, vault)  # as if killed right after the notes were committed
    update_index(conn, vault, [])  # nothing left to parse, but the cards are behind
    fronts = " ".join(
        row[0] + row[1]
        for row in conn.execute("SELECT front, back FROM cards WHERE status = 'active'")
    )
    assert "持久化" in fronts and "这么快" not in fronts


def test_an_index_from_an_older_parser_parses_every_note_once_more(
    conn: sqlite3.Connection, vault: Path, write: WriteNote
) -> None:
    write("n.md", "# N\n\n## 要点\n\n- a\n  - a1\n- b\n")
    index_vault(conn, vault)
    conn.execute("UPDATE sections SET spans = json_remove(spans, '$.list_shape')")
    conn.execute("UPDATE meta SET value = '1' WHERE key = 'parser'")
    assert index_vault(conn, vault).parsed == 1
    assert index_vault(conn, vault).parsed == 0
    spans = json.loads(
        conn.execute("SELECT spans FROM sections WHERE heading = '要点'").fetchone()[0]
    )
    assert spans["list_shape"] == [[0, 0], [0, 1], [0, 0]]


def test_a_sections_tables_come_back_from_the_store(
    conn: sqlite3.Connection, vault: Path, write: WriteNote
) -> None:
    write(
        "n.md",
        "# N\n\n## 区别\n\n| | RDB | AOF |\n|---|---|---|\n| 方式 | 快照 | 日志 |\n| 恢复 | 快 | "
        "慢 |\n",
    )
    index_vault(conn, vault)
    ((_, section),) = [(p, s) for p, s in load_sections(conn) if s.heading == "区别"]
    assert section.tables == ((("", "RDB", "AOF"), ("方式", "快照", "日志"), ("恢复", "快", "慢")),)


def test_the_weak_words_read_from_the_index_are_those_of_segmenting_every_section(
    conn: sqlite3.Connection, vault: Path, write: WriteNote
) -> None:
    """A sync reads how many sections use each term from FTS5's vocabulary instead of segmenting
    them again."""
    from bagu.cards.generate import WEAK_WORD_SHARE, weak_words, weak_words_of
    from bagu.store.queries import common_terms

    for n in range(70):
        text = "问题在于缓存的一致性。" if n % 4 == 0 else f"第{n}节讲别的内容，比如网络第{n}层。"
        write(f"n{n}.md", f"# 笔记{n}\n\n## 小节 {n}\n\n{text}\n")
    index_vault(conn, vault)
    sections = [s for _, s in load_sections(conn)]
    counted = common_terms(conn, WEAK_WORD_SHARE * len(sections))
    assert weak_words_of(counted, len(sections)) == weak_words(sections) != frozenset()
