"""Useful first, complete later: a model half embedded is not searched, embedding resumes where it
stopped, and a model that answers with the wrong vectors stores nothing."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from bagu.errors import EmbeddingMismatch
from bagu.indexer import index_vault
from bagu.search.embedders import Signal
from bagu.search.service import Searcher, SearchMode
from bagu.search.vector_sync import embed_vault, signal_progress
from bagu.store.sqlite import sqlite3
from tests.conftest import WriteNote
from tests.search.test_semantic import CharEmbedder


@pytest.fixture
def indexed(vault: Path, write: WriteNote, conn: sqlite3.Connection) -> sqlite3.Connection:
    for n in range(12):
        write(
            f"n{n}.md",
            f"# 笔记 {n}\n\n## 缓存 {n}\n\n缓存第 {n} 条说明。\n\n## 网络 {n}\n\n握手第 {n} 步。\n",
        )
    index_vault(conn, vault)
    return conn


def test_a_model_half_embedded_is_not_searched_and_the_search_says_so(
    indexed: sqlite3.Connection,
) -> None:
    fast, slow = CharEmbedder("fast-16"), CharEmbedder("slow-16")
    signals = [
        Signal(fast, "title"),
        Signal(fast, "body"),
        Signal(slow, "title"),
        Signal(slow, "body"),
    ]
    embed_vault(indexed, signals[:2])  # the fast model complete
    embed_vault(indexed, signals[2:], max_chunks=10)  # the slow one a few chunks in (titles first)
    progress = signal_progress(indexed, signals)
    assert progress["slow-16/title"][0] == 10 and progress["slow-16/body"][0] == 0
    searcher = Searcher(indexed, signals)
    assert [s.key for s in searcher.scorers] == ["fast-16/title", "fast-16/body"]
    results = searcher.search("缓存", mode=SearchMode.HYBRID)
    assert results.hits and results.mode == "hybrid"
    assert (
        results.notice is not None
        and "still embedding" in results.notice
        and "slow-16/body 0%" in results.notice
    )


def test_embedding_resumes_where_it_stopped(indexed: sqlite3.Connection) -> None:
    signals = [Signal(CharEmbedder(), "title"), Signal(CharEmbedder(), "body")]
    first = embed_vault(indexed, signals, max_chunks=20)
    rest = embed_vault(indexed, signals)
    again = embed_vault(indexed, signals)
    total = sum(total for _, total in signal_progress(indexed, signals).values())
    assert (first.embedded, first.embedded + rest.embedded, again.embedded) == (20, total, 0)


class WrongDimension(CharEmbedder):
    def embed_documents(self, texts: Sequence[str]) -> np.ndarray:
        return np.zeros((len(texts), 8), dtype=np.float32)


class TooFew(CharEmbedder):
    def embed_documents(self, texts: Sequence[str]) -> np.ndarray:
        return super().embed_documents(texts)[:-1]


@pytest.mark.parametrize("embedder", [WrongDimension("wrong-16"), TooFew("few-16")])
def test_a_model_answering_with_the_wrong_vectors_stores_nothing(
    indexed: sqlite3.Connection, embedder: CharEmbedder
) -> None:
    signals = [Signal(embedder, "title")]
    with pytest.raises(EmbeddingMismatch, match="nothing of this batch was stored"):
        embed_vault(indexed, signals)
    assert signal_progress(indexed, signals)[f"{embedder.name}/title"][0] == 0


def test_a_disk_that_fills_up_mid_embedding_keeps_what_was_embedded(
    indexed: sqlite3.Connection,
) -> None:
    """SQLite says "database or disk is full" (here through max_page_count) when the second model
    needs room: the first model's vectors stay, the error says what to do, and once there is room
    the next run completes."""
    from bagu.store.db import explain_database_error

    fast, slow = CharEmbedder("fast-16"), CharEmbedder("slow-16")
    signals = [
        Signal(fast, "title"),
        Signal(fast, "body"),
        Signal(slow, "title"),
        Signal(slow, "body"),
    ]
    embed_vault(indexed, signals[:2])
    indexed.execute("PRAGMA journal_mode = DELETE")  # in WAL mode new pages go to the log first
    pages = indexed.execute("PRAGMA page_count").fetchone()[0]
    indexed.execute(f"PRAGMA max_page_count = {pages}")  # not one page more: the disk is "full"
    with pytest.raises(sqlite3.DatabaseError) as failed:
        embed_vault(indexed, signals)
    assert "full" in str(failed.value)
    assert "Free some disk space" in str(explain_database_error(None, failed.value))
    progress = signal_progress(indexed, signals)
    assert all(progress[key][0] == progress[key][1] for key in ("fast-16/title", "fast-16/body"))
    indexed.execute("PRAGMA max_page_count = 1073741823")
    embed_vault(indexed, signals)
    assert all(done == total for done, total in signal_progress(indexed, signals).values())


def test_a_signal_limited_to_each_sections_first_body_chunk_embeds_those_and_counts_them_complete(
    vault: Path, write: WriteNote, conn: sqlite3.Connection
) -> None:
    """The slow model embeds a section's first body chunk only
    (benchmarks/experiment_slow_signal.py)."""
    long_body = "。".join(
        f"第{n}句讲缓存淘汰和持久化的一个细节，足够长以便切成好几个正文块" for n in range(30)
    )
    write("n.md", f"# 笔记\n\n## 缓存\n\n{long_body}。\n\n## 网络\n\n握手。\n")
    index_vault(conn, vault)
    fast, slow = CharEmbedder("fast-16"), CharEmbedder("slow-16")
    signals = [
        Signal(fast, "body"),
        Signal(slow, "title"),
        Signal(slow, "body", 1.0, per_section=1),
    ]
    report = embed_vault(conn, signals)
    progress = signal_progress(conn, signals)
    bodies = progress["fast-16/body"][1]
    # two sections with a body: one chunk each
    assert bodies > 3 and progress["slow-16/body"] == (2, 2)
    assert report.embedded == bodies + progress["slow-16/title"][1] + 2
    assert embed_vault(conn, signals).embedded == 0  # complete: nothing more to do
    assert [s.key for s in Searcher(conn, signals).scorers] == [s.key for s in signals]


class RecordingEmbedder(CharEmbedder):
    """Remembers every text it was asked to embed."""

    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.seen: list[str] = []

    def embed_documents(self, texts: Sequence[str]) -> np.ndarray:
        self.seen.extend(texts)
        return super().embed_documents(texts)


def test_the_slow_model_reads_each_title_whole_and_the_start_of_each_first_body_chunk(
    vault: Path, write: WriteNote, conn: sqlite3.Connection
) -> None:
    """e5 sees the title line and ~100 characters of the body after it (E5_BODY_CHARS): tokens are
    its time."""
    sentences = "".join(f"第{n}句讲缓存淘汰的一个细节。" for n in range(12))
    write("n.md", f"# 笔记\n\n## 缓存\n\n{sentences}\n")
    index_vault(conn, vault)
    fast, slow = RecordingEmbedder("fast-16"), RecordingEmbedder("slow-16")
    embed_vault(
        conn,
        [Signal(fast, "body"), Signal(slow, "title"), Signal(slow, "body", 1.0, 1, body_chars=40)],
    )
    body = next(text for text in slow.seen if "\n" in text)
    title, _, clipped = body.partition("\n")
    assert title == "n › 笔记 › 缓存" and clipped.startswith("第0句") and clipped.endswith("。")
    assert 20 < len(clipped) <= 40  # cut at a sentence end, past half the limit
    # the fast model reads the whole chunk
    assert any(len(text.partition("\n")[2]) > 40 for text in fast.seen)
    assert "n › 笔记 › 缓存" in slow.seen  # the title is never cut
