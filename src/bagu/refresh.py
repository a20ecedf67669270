"""The index-refresh service: the one way the CLI, the web app and `bagu.open_index` bring an index
in step with its vault.

It owns what every refresh shares, so no interface spells it out again:
- **the index lock**, taken before anything is read, so two refreshes (a `bagu index` and
  `serve --watch`, or a fix) never interleave; `wait_s` says how long to wait for another holder;
- **the defaults** (`Refresh`): the size above which a note is skipped, the wait, no rebuild;
- **the first-run rule**: a refresh embeds only when asked. `bagu index` asks; a refresh a command
  needs on its way (`check`, `fix`, `serve` before it answers, the web app after a fix) does not,
  so it takes seconds on a 400-note vault and never loads a model. Vectors come later, from
  `bagu index` or the web app's background worker;
- **a rebuild**: the old file moved aside under the lock, its review history carried into the new
  index.

`update.py` holds the steps themselves (notes, vectors, cards), without the lock.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from bagu.store.db import connect, index_lock, move_aside
from bagu.store.sqlite import sqlite3
from bagu.vault.scan import DEFAULT_MAX_MB, MIB

if TYPE_CHECKING:
    from bagu.indexer import IndexReport, ProgressCallback
    from bagu.links.graph import FixPlan
    from bagu.search.embedders import Signal

# A person at a terminal waits this long for another refresh before being told who holds the lock.
LOCK_WAIT_S = 10.0
# The web app's requests and its watcher wait longer: a person clicked, and a CLI refresh is short.
SERVER_LOCK_WAIT_S = 30.0


@dataclass(frozen=True, slots=True, kw_only=True)
class Refresh:
    """What one refresh does; the defaults are the ones every interface uses."""

    # vectors too (loads the models, minutes on a large vault); off for every refresh but `index`
    embed: bool = False
    # move the index file aside and build a new one, carrying the review history over
    rebuild: bool = False
    wait_s: float = LOCK_WAIT_S
    # a note larger than this is skipped with a warning
    max_file_mb: float = DEFAULT_MAX_MB

    @property
    def max_bytes(self) -> int:
        return int(self.max_file_mb * MIB)


@dataclass(frozen=True, slots=True, kw_only=True)
class ProgressHooks:
    """Where a refresh reports its stages (`None`: quietly)."""

    on_index: ProgressCallback | None = None
    on_embed: ProgressCallback | None = None


QUIET = ProgressHooks()
# every refresh but `bagu index`'s: the notes and cards, no vectors, no model loaded
NOTES_ONLY = Refresh()


def refresh_vault(
    vault: Path,
    db_path: Path,
    refresh: Refresh = NOTES_ONLY,
    *,
    progress: ProgressHooks = QUIET,
) -> IndexReport:
    """Refresh the index file at `db_path` on a connection of its own (the CLI's way); the models
    are loaded only when `refresh.embed`, and only once the lock is held. With `refresh.rebuild`,
    `report.history` says what was carried over from the file moved aside."""
    from bagu.indexer import require_vault
    from bagu.search.embedders import load_signals
    from bagu.store.history import carry_history, settle_history

    require_vault(vault)
    with index_lock(db_path, wait_s=refresh.wait_s):
        moved = move_aside(db_path) if refresh.rebuild and db_path.exists() else None
        conn = connect(db_path)
        try:
            history = None if moved is None else carry_history(conn, moved)
            signals = load_signals() if refresh.embed else []
            report = _update(conn, vault, signals, refresh, progress)
            if history is not None:
                settle_history(conn, history)
                report.history = history
            return report
        finally:
            conn.close()


def refresh_open(
    conn: sqlite3.Connection,
    vault: Path,
    *,
    db_path: Path,
    signals: Sequence[Signal] = (),
    refresh: Refresh = NOTES_ONLY,
    progress: ProgressHooks = QUIET,
    guard: AbstractContextManager[object] | None = None,
) -> IndexReport:
    """Refresh through a connection the caller keeps open, with models it already holds (the web
    app's and `bagu.open_index`'s way). `guard` is the caller's own lock on that connection, taken
    only once the index lock is held, so waiting for another refresh never blocks the caller's
    readers. A rebuild needs a file of its own: use `refresh_vault`."""
    if refresh.rebuild:
        raise ValueError("a rebuild replaces the index file: use refresh_vault")
    with index_lock(db_path, wait_s=refresh.wait_s), guard or nullcontext():
        return _update(conn, vault, signals, refresh, progress)


def _update(
    conn: sqlite3.Connection,
    vault: Path,
    signals: Sequence[Signal],
    refresh: Refresh,
    progress: ProgressHooks,
) -> IndexReport:
    from bagu.update import update_index

    return update_index(
        conn,
        vault,
        list(signals) if refresh.embed else [],
        max_bytes=refresh.max_bytes,
        embed=refresh.embed,
        on_index=progress.on_index,
        on_embed=progress.on_embed,
    )


def write_fixes(vault: Path, plan: FixPlan, *, db_path: Path, wait_s: float = LOCK_WAIT_S) -> Path:
    """Write a fix plan's notes (atomically, after a backup) under the index lock, so no refresh
    cleans up their temporary files meanwhile; returns the backup folder. Refresh next: the notes
    changed."""
    from bagu.links.graph import apply_fixes
    from bagu.vault.write import backup_folder, backup_stamp

    stamp = backup_stamp()
    with index_lock(db_path, wait_s=wait_s):
        apply_fixes(vault, plan, stamp)
    return backup_folder(vault, stamp)
