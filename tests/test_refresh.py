"""The refresh service: every refresh takes the index lock, embeds only when asked, and a caller's
own lock is taken only once the index lock is held."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from bagu.errors import StoreBusy
from bagu.refresh import Refresh, refresh_open, refresh_vault
from bagu.store.db import connect, index_lock
from bagu.store.queries import note_paths
from bagu.store.vectors import embedding_counts
from tests.conftest import WriteNote

NOTE = "# Redis\n\n## 持久化\n\n**RDB** 是快照，**AOF** 是追加日志。\n"


def test_a_refresh_embeds_nothing_unless_asked(
    write: WriteNote, vault: Path, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write("redis.md", NOTE)

    def no_models(*_: object) -> None:
        raise AssertionError("a refresh that was not asked to embed loaded the models")

    monkeypatch.setattr("bagu.search.embedders.load_signals", no_models)
    report = refresh_vault(vault, db_path)
    assert report.history is None
    conn = connect(db_path)
    try:
        assert note_paths(conn) == ["redis.md"]
        assert set(embedding_counts(conn)) == {"chunks"}  # no model has embedded anything
    finally:
        conn.close()


def test_a_refresh_on_an_open_connection_waits_for_the_index_lock(
    write: WriteNote, vault: Path, db_path: Path
) -> None:
    write("redis.md", NOTE)
    conn = connect(db_path)
    try:
        with index_lock(db_path), pytest.raises(StoreBusy, match="is updating"):
            refresh_open(conn, vault, db_path=db_path, refresh=Refresh(wait_s=0.2))
        assert note_paths(conn) == []  # nothing was read while another refresh held the lock
        refresh_open(conn, vault, db_path=db_path)
        assert note_paths(conn) == ["redis.md"]
    finally:
        conn.close()


def test_the_callers_lock_is_free_while_the_refresh_waits(
    write: WriteNote, vault: Path, db_path: Path
) -> None:
    write("redis.md", NOTE)
    guard = threading.Lock()
    conn = connect(db_path)
    done = threading.Event()

    def refresh() -> None:
        refresh_open(conn, vault, db_path=db_path, refresh=Refresh(wait_s=5.0), guard=guard)
        done.set()

    try:
        with index_lock(db_path):
            worker = threading.Thread(target=refresh)
            worker.start()
            time.sleep(0.3)  # the worker is waiting for the index lock now
            assert guard.acquire(blocking=False), "the caller's lock was held while waiting"
            guard.release()
            assert not done.is_set()
        worker.join(timeout=10)
        assert done.is_set() and note_paths(conn) == ["redis.md"]
    finally:
        conn.close()


def test_a_rebuild_needs_a_file_of_its_own(vault: Path, db_path: Path) -> None:
    conn = connect(db_path)
    try:
        with pytest.raises(ValueError, match="refresh_vault"):
            refresh_open(conn, vault, db_path=db_path, refresh=Refresh(rebuild=True))
    finally:
        conn.close()
