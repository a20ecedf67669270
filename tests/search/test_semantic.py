"""The vector store and the searcher with a tiny deterministic embedder: no model needed, every path
tested."""

from __future__ import annotations

import hashlib
import sqlite3 as stdlib_sqlite3
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from bagu.indexer import index_vault
from bagu.search import semantic
from bagu.search.embedders import Signal
from bagu.search.semantic import SignalScorer
from bagu.search.service import Searcher, SearchMode
from bagu.search.vector_sync import embed_vault
from bagu.store.sqlite import sqlite3
from bagu.store.vectors import ensure_model, kinds_vectors, known_models, signal_vectors
from tests.conftest import WriteNote


class CharEmbedder:
    """Bag of characters hashed into 16 dimensions: similar text → similar vectors,
    deterministically."""

    dimension = 16

    def __init__(self, name: str = "chars-16") -> None:
        self.name = name

    def _one(self, text: str) -> np.ndarray:
        vector = np.zeros(self.dimension, np.float32)
        for ch in text:
            vector[int(hashlib.md5(ch.encode()).hexdigest(), 16) % self.dimension] += 1
        return vector / max(float(np.linalg.norm(vector)), 1e-9)

    def embed_documents(self, texts: Sequence[str]) -> np.ndarray:
        return np.array([self._one(t) for t in texts], dtype=np.float32).reshape(-1, self.dimension)

    def embed_query(self, text: str) -> np.ndarray:
        return self._one(text)


NOTES = {
    "a.md": "# 缓存\n\n## 缓存雪崩\n\n大量缓存同时过期。\n\n## 缓存穿透\n\n查询不存在的数据。\n",
    "b.md": "# 网络\n\n## 三次握手\n\nSYN, SYN+ACK, ACK.\n",
}


@pytest.fixture
def embedded(vault: Path, write: WriteNote, conn: sqlite3.Connection) -> list[Signal]:
    for path, text in NOTES.items():
        write(path, text)
    index_vault(conn, vault)
    signals = [Signal(CharEmbedder(), "title"), Signal(CharEmbedder(), "body")]
    embed_vault(conn, signals)
    return signals


def test_vectors_live_in_a_vec0_table_with_model_and_dimension(
    conn: sqlite3.Connection, embedded: list[Signal]
) -> None:
    (info,) = known_models(conn)
    assert (info.name, info.dimension) == ("chars-16", 16)
    sql = conn.execute(
        "SELECT sql FROM sqlite_master WHERE name = ?", (info.vec_table,)
    ).fetchone()[0]
    assert "vec0" in sql and "float[16]" in sql
    chunks = conn.execute("SELECT count(*) FROM chunks").fetchone()[0]
    assert conn.execute(f"SELECT count(*) FROM {info.vec_table}").fetchone()[0] == chunks
    with pytest.raises(ValueError, match="dimension 16"):
        ensure_model(conn, "chars-16", 32)


def test_deleted_notes_take_their_vectors_with_them(
    vault: Path, conn: sqlite3.Connection, embedded: list[Signal]
) -> None:
    (vault / "b.md").unlink()
    index_vault(conn, vault)
    embed_vault(conn, embedded)
    (info,) = known_models(conn)
    chunks = conn.execute("SELECT count(*) FROM chunks").fetchone()[0]
    assert conn.execute(f"SELECT count(*) FROM {info.vec_table}").fetchone()[0] == chunks


def test_searcher_reloads_after_more_is_embedded(
    vault: Path, write: WriteNote, conn: sqlite3.Connection, embedded: list[Signal]
) -> None:
    searcher = Searcher(conn, embedded)
    before = searcher.search("缓存雪崩", mode=SearchMode.SEMANTIC)
    write("c.md", "# 锁\n\n## 间隙锁\n\n防止幻读。\n")
    index_vault(conn, vault)
    embed_vault(conn, embedded)
    after = searcher.search("间隙锁", mode=SearchMode.SEMANTIC)
    assert before.hits and after.hits[0].path == "c.md"


def test_a_database_embedded_with_another_model_falls_back_with_a_prompt(
    conn: sqlite3.Connection, embedded: list[Signal]
) -> None:
    other = Searcher(conn, [Signal(CharEmbedder("another-model"), "title")])
    results = other.search("缓存雪崩")
    assert results.mode == "lexical" and results.hits[0].heading == "缓存雪崩"
    assert (
        results.notice is not None
        and "bagu index" in results.notice
        and "another-model" in results.notice
    )


def test_no_model_means_lexical_search_that_says_so(
    conn: sqlite3.Connection, embedded: list[Signal]
) -> None:
    results = Searcher(conn, []).search("缓存雪崩")
    assert results.mode == "lexical" and results.hits[0].heading == "缓存雪崩"
    assert results.notice is not None and "no embedding model" in results.notice


def test_vectors_are_readable_by_plain_sqlite_as_blobs(
    db_path: Path, embedded: list[Signal]
) -> None:
    """The index stays an ordinary SQLite file: tables other than vec0 open without the
    extension."""
    raw = stdlib_sqlite3.connect(db_path)
    assert raw.execute("SELECT count(*) FROM chunks WHERE kind = 'title'").fetchone()[0] == 5
    raw.close()


def test_a_signal_past_exact_up_to_scores_candidates_and_any_other_section_on_demand(
    conn: sqlite3.Connection, embedded: list[Signal], monkeypatch: pytest.MonkeyPatch
) -> None:
    body = embedded[1]
    info = next(m for m in known_models(conn) if m.name == body.embedder.name)
    exact = SignalScorer.load(conn, body, info)
    monkeypatch.setattr(semantic, "EXACT_UP_TO", 0)
    monkeypatch.setattr(semantic, "RESCORED_CHUNKS", 1)
    coarse = SignalScorer.load(conn, body, info)
    query = body.embedder.embed_query("大量缓存同时过期")
    want, got = exact.scores(query), coarse.scores(query)
    assert exact.codes is None and coarse.codes is not None
    assert len(got.z.sections) == 1 < len(want.z.sections)  # one candidate chunk was rescored
    # a lexical hit outside the candidates is scored exactly, not as if it had no vector (0.0)
    np.testing.assert_allclose(got.z.at(want.z.sections), want.z.z, atol=1e-5)
    assert got.z.at(np.array([10**9])).tolist() == [0.0]  # a section without a vector of this kind


def test_one_scan_reads_each_kind_as_reading_it_alone_would(
    conn: sqlite3.Connection, embedded: list[Signal]
) -> None:
    info = next(m for m in known_models(conn) if m.name == embedded[0].embedder.name)
    both = kinds_vectors(conn, info, ["title", "body"])
    assert both == {kind: signal_vectors(conn, info, kind) for kind in ("title", "body")}
    assert len(both["title"][0]) == 5 and both["body"][0]
