"""The store refuses what it cannot safely use, with messages that say what to do."""

from __future__ import annotations

import importlib
import threading
from importlib import resources
from pathlib import Path

import pytest

from bagu.errors import SchemaTooNew, StoreBusy, StoreError
from bagu.store.db import connect, explain_database_error, index_lock, move_aside, transaction
from bagu.store.migrations import SCHEMA_VERSION
from bagu.store.sqlite import sqlite3


def test_new_store_is_wal_with_foreign_keys_and_current_schema(db_path: Path) -> None:
    conn = connect(db_path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"documents", "sections", "links", "section_fts", "meta"} <= tables


def test_database_from_a_newer_bagu_is_refused_untouched(db_path: Path) -> None:
    first = connect(db_path)
    first.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    first.close()
    before = db_path.read_bytes()
    with pytest.raises(SchemaTooNew, match="newer bagu"):
        connect(db_path)
    assert db_path.read_bytes() == before


def test_corrupt_file_gets_a_clear_error_and_rebuild_advice(db_path: Path) -> None:
    db_path.parent.mkdir(parents=True)
    db_path.write_bytes(b"this is not sqlite at all" * 100)
    with pytest.raises(StoreError, match="--rebuild"):
        connect(db_path)


def test_foreign_sqlite_database_is_not_adopted(db_path: Path) -> None:
    db_path.parent.mkdir(parents=True)
    other = sqlite3.connect(db_path)
    other.execute("CREATE TABLE photos(id)")
    other.commit()
    other.close()
    with pytest.raises(StoreError, match="not a bagu index"):
        connect(db_path)


def test_locked_database_times_out_with_a_clear_error(db_path: Path) -> None:
    connect(db_path).close()
    holder = sqlite3.connect(db_path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        conn = connect(db_path, busy_timeout_s=0.2)
        with pytest.raises(StoreBusy, match="locked by another process"), transaction(conn):
            pass
    finally:
        holder.execute("ROLLBACK")


def test_transaction_rolls_back_on_keyboard_interrupt(db_path: Path) -> None:
    conn = connect(db_path)
    with pytest.raises(KeyboardInterrupt), transaction(conn):
        conn.execute("INSERT INTO meta(key, value) VALUES ('x', 'y')")
        raise KeyboardInterrupt
    assert conn.execute("SELECT count(*) FROM meta WHERE key = 'x'").fetchone()[0] == 0


def test_index_lock_lets_one_indexer_in(db_path: Path) -> None:
    entered = threading.Event()
    release = threading.Event()

    def hold() -> None:
        with index_lock(db_path):
            entered.set()
            release.wait(5)

    thread = threading.Thread(target=hold)
    thread.start()
    entered.wait(5)
    try:
        with (
            pytest.raises(StoreBusy, match="another `bagu index`"),
            index_lock(db_path, wait_s=0.2),
        ):
            pass
    finally:
        release.set()
        thread.join()
    with index_lock(db_path, wait_s=0.2):
        pass


def test_move_aside_keeps_the_broken_file(db_path: Path) -> None:
    db_path.parent.mkdir(parents=True)
    db_path.write_bytes(b"garbage")
    moved = move_aside(db_path)
    assert not db_path.exists() and moved.read_bytes() == b"garbage"


def test_version_1_database_migrates_forward_keeping_its_rows(db_path: Path) -> None:
    db_path.parent.mkdir(parents=True)
    raw = sqlite3.connect(db_path)
    raw.executescript(resources.files("bagu.store").joinpath("schema.sql").read_text("utf-8"))
    raw.execute("INSERT INTO meta(key, value) VALUES ('created_by', 'bagu'), ('vault_root', '/v')")
    raw.execute("PRAGMA user_version = 1")
    raw.commit()
    raw.close()
    conn = connect(db_path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert conn.execute("SELECT value FROM meta WHERE key = 'vault_root'").fetchone()[0] == "/v"
    conn.execute(
        "INSERT INTO external_links(url, outcome, checked_at) VALUES ('https://a', 'ok', 'now')"
    )


def _real_error(db_path: Path, uri_mode: str, statement: str) -> sqlite3.DatabaseError:
    connect(db_path).close()
    conn = sqlite3.connect(f"file:{db_path}?mode={uri_mode}", uri=True, timeout=0)
    try:
        conn.execute(statement)
    except sqlite3.DatabaseError as exc:
        return exc
    finally:
        conn.close()
    raise AssertionError(f"{statement} did not fail")


def test_a_read_only_index_is_explained_without_advising_a_rebuild(db_path: Path) -> None:
    exc = _real_error(db_path, "ro", "INSERT INTO meta(key, value) VALUES ('k', 'v')")
    error = explain_database_error(db_path, exc)
    assert "read-only" in str(error) and "--db" in str(error) and "--rebuild" not in str(error)


def test_a_locked_index_is_explained_without_advising_a_rebuild(db_path: Path) -> None:
    connect(db_path).close()
    holder = sqlite3.connect(db_path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        exc = _real_error(db_path, "rw", "INSERT INTO meta(key, value) VALUES ('k', 'v')")
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    error = explain_database_error(db_path, exc)
    assert isinstance(error, StoreBusy) and "--rebuild" not in str(error)


def test_only_a_damaged_file_is_worth_a_rebuild(db_path: Path) -> None:
    error = explain_database_error(
        db_path, sqlite3.DatabaseError("database disk image is malformed")
    )
    assert "--rebuild" in str(error)
    full = explain_database_error(db_path, sqlite3.OperationalError("database or disk is full"))
    assert "disk space" in str(full) and "--rebuild" not in str(full)


def test_the_cli_says_what_is_wrong_with_a_read_only_index(
    db_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A write that fails after the store opened (the file was made read-only meanwhile) reaches
    main()."""
    # the module; `bagu.cli.app` the attribute is the Typer app
    cli_app = importlib.import_module("bagu.cli.app")

    exc = _real_error(db_path, "ro", "INSERT INTO meta(key, value) VALUES ('k', 'v')")

    def fail(**_: object) -> None:
        raise exc

    monkeypatch.setattr(cli_app, "app", fail)
    # the commands would register on `fail`
    monkeypatch.setattr(cli_app, "load_commands", lambda args: None)
    with pytest.raises(SystemExit) as exit_info:
        cli_app.main()
    assert exit_info.value.code == StoreError.exit_code
    message = capsys.readouterr().err
    assert "read-only" in message and "--rebuild" not in message and "Traceback" not in message
