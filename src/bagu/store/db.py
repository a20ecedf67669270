"""Open the SQLite store: WAL, foreign keys, busy timeout, forward-only migrations, clear refusals.

The vault is the source of truth; this file is derived from it. So a corrupt database is never
"repaired" in place: the CLI offers to move it aside and rebuild.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path

from bagu.errors import SchemaTooNew, StoreBusy, StoreError
from bagu.store.migrations import MIGRATIONS, SCHEMA_VERSION
from bagu.store.sqlite import sqlite3

DB_ENV = "BAGU_DB"
DEFAULT_DB = Path(".bagu") / "bagu.db"
_CORRUPT_ADVICE = (
    "Your notes are untouched. Run `bagu index --rebuild` to move this file aside and rebuild it "
    "from the vault."
)


def default_db_path(vault: Path) -> Path:
    """`--db` wins, then `BAGU_DB`, then `<vault>/.bagu/bagu.db`."""
    env = os.environ.get(DB_ENV)
    return Path(env) if env else vault / DEFAULT_DB


def explain_database_error(path: Path | None, exc: sqlite3.DatabaseError) -> StoreError:
    """The error a person can act on: only a damaged file is worth a rebuild; a read-only, locked or
    full one is not (a rebuild would fail the same way, or set the history aside for nothing)."""
    text = str(exc).lower()
    where = str(path) if path is not None else "the index database"
    if "locked" in text or "busy" in text:
        return StoreBusy(f"{where} is locked by another process; try again when it has finished.")
    if "readonly" in text or "read-only" in text:
        return StoreError(
            f"{where} is read-only ({exc}); bagu keeps its index there. Make the file and its "
            f"folder writable, "
            "or pass --db FILE (or BAGU_DB) somewhere writable. Your notes are untouched."
        )
    if "unable to open" in text:
        return StoreError(
            f"{where} cannot be opened ({exc}); check that its folder is writable, or pass --db "
            f"FILE."
        )
    if "disk is full" in text or "disk i/o" in text:
        return StoreError(
            f"{where}: {exc}. Free some disk space or check the disk; the index is as it was."
        )
    return StoreError(f"{where} is not a usable bagu database ({exc}). {_CORRUPT_ADVICE}")


def database_file(conn: sqlite3.Connection) -> Path | None:
    """The file `conn` has open as its main database; None for one in memory or a temporary one."""
    for row in conn.execute("PRAGMA database_list"):
        if row[1] == "main":
            return Path(row[2]) if row[2] else None
    return None


def connect(path: Path, *, busy_timeout_s: float = 5.0, create: bool = True) -> sqlite3.Connection:
    """Open (and create or migrate) the store at `path`. Autocommit; use `transaction()` for
    writes."""
    if not create and not path.exists():
        raise StoreError(f"no index at {path}. Run `bagu index VAULT` first.")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(
            f"cannot create {path.parent} for the index ({exc.strerror}); pass --db FILE."
        ) from exc
    conn = sqlite3.connect(
        path, isolation_level=None, timeout=busy_timeout_s, check_same_thread=False
    )
    conn.row_factory = sqlite3.Row
    try:
        conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_s * 1000)}")
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise SchemaTooNew(
                f"{path} was written by a newer bagu (schema {version}; this bagu knows up "
                f"to {SCHEMA_VERSION}). "
                "Upgrade bagu, or point --db at another file."
            )
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute("PRAGMA foreign_keys = ON")
        if version < SCHEMA_VERSION:
            _migrate(conn, version)
        _load_vector_extension(conn)
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise explain_database_error(path, exc) from exc
    except BaseException:
        conn.close()
        raise
    return conn


def _load_vector_extension(conn: sqlite3.Connection) -> None:
    """sqlite-vec, when it can be loaded; without it semantic search is off and says so, the rest
    works."""
    try:
        import sqlite_vec

        conn.enable_load_extension(True)
        sqlite_vec.load(conn)
        conn.enable_load_extension(False)
    except (ImportError, AttributeError, sqlite3.OperationalError):
        pass


def _migrate(conn: sqlite3.Connection, version: int) -> None:
    with transaction(conn):
        if version == 0:
            has_tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
            if has_tables:
                raise StoreError(
                    "the database has tables but no bagu schema version; it is not a bagu index."
                )
            for statement in _statements(
                resources.files("bagu.store").joinpath("schema.sql").read_text("utf-8")
            ):
                conn.execute(statement)
            version = 1
        for target, statements in MIGRATIONS:
            if target > version:
                for statement in statements:
                    conn.execute(statement)
                version = target
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        set_meta(conn, "created_by", "bagu")


def _statements(script: str) -> list[str]:
    """Split a schema script into statements, so they all run inside one transaction."""
    statements, current = [], ""
    for line in script.splitlines(keepends=True):
        if line.lstrip().startswith("--") and not current:
            continue
        current += line
        if sqlite3.complete_statement(current):
            statements.append(current.strip())
            current = ""
    return [s for s in statements if s]


@contextlib.contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """BEGIN IMMEDIATE … COMMIT, rolled back on any exception including KeyboardInterrupt."""
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as exc:
        raise StoreBusy(
            f"the index is locked by another process ({exc}); try again when it has finished."
        ) from exc
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    else:
        conn.execute("COMMIT")


def get_meta(conn: sqlite3.Connection, key: str) -> str | None:
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    return None if row is None else str(row[0])


def set_meta(conn: sqlite3.Connection, key: str, value: str) -> None:
    conn.execute(
        "INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = "
        "excluded.value",
        (key, value),
    )


@contextlib.contextmanager
def index_lock(db_path: Path, wait_s: float = 0.0) -> Iterator[None]:
    """One indexer per database: a second `bagu index` waits up to `wait_s`, then says who holds
    it."""
    db_path.parent.mkdir(parents=True, exist_ok=True)
    lock_path = db_path.with_name(db_path.name + ".lock")
    handle = open(lock_path, "a+")  # noqa: SIM115 - held for the duration of the context
    deadline = time.monotonic() + wait_s
    try:
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    handle.seek(0)
                    holder = handle.read().strip() or "another process"
                    raise StoreBusy(
                        f"another `bagu index` ({holder}) is updating {db_path}; "
                        "wait for it to finish or pass --wait SECONDS."
                    ) from None
                time.sleep(0.1)
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()} since {datetime.now(UTC).isoformat(timespec='seconds')}")
        handle.flush()
        yield
    finally:
        handle.close()


def move_aside(path: Path) -> Path:
    """Rename a broken database (and its WAL files) out of the way; nothing is deleted."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    target = path.with_name(f"{path.name}.broken-{stamp}")
    for suffix in ("", "-wal", "-shm"):
        source = Path(str(path) + suffix)
        if source.exists():
            source.rename(Path(str(target) + suffix))
    return target
