"""Write a repaired note back to the vault: only on request, atomically, with a backup first.

The one place bagu changes a user's note. The new bytes go to a temporary file beside the note, are
flushed to disk, and replace the note with one rename, so a crash or Ctrl-C leaves either the old
note or the new one, never half of each. The old bytes are first copied under
`.bagu/backups/<time>/`. A note that changed since it was read is left alone, and so is one whose
real path is outside the vault (a symlink out of it): bagu writes only inside the vault. Temporary
files that a killed run left behind are removed by the next write to that folder and by the next
index.
"""

from __future__ import annotations

import contextlib
import glob
import hashlib
import os
import shutil
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from bagu.errors import NoteChanged, OutsideVaultWrite
from bagu.vault.scan import TEMP_SUFFIX, is_inside

BACKUP_DIR = Path(".bagu") / "backups"


def backup_folder(vault: Path, stamp: str) -> Path:
    return vault / BACKUP_DIR / stamp


def backup_stamp() -> str:
    """A backup folder's name: the UTC time to the microsecond, so two fixes never share one."""
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")


def replace_note(vault: Path, path: str, expected_sha256: str, data: bytes, backups: Path) -> Path:
    """Replace the note at vault-relative `path` with `data`; returns where its backup went."""
    root = vault.resolve()
    # a symlinked note inside the vault: write its target, keep the link
    note = (root / path).resolve()
    if not is_inside(root, note):
        raise OutsideVaultWrite(
            f"{path} is a symlink to a file outside the vault; bagu does not write there."
        )
    _remove_own_leftovers(note)
    original = note.read_bytes()
    if hashlib.sha256(original).hexdigest() != expected_sha256:
        raise NoteChanged(
            f"{path} changed since it was indexed; nothing was written. Run the fix again."
        )
    backup = backups / path
    backup.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(note, backup)
    mode = note.stat().st_mode & 0o7777
    handle, temporary = tempfile.mkstemp(
        prefix=f".{note.name}.", suffix=TEMP_SUFFIX, dir=note.parent
    )
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, note)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    with contextlib.suppress(OSError):  # make the rename itself durable where the platform allows
        directory = os.open(note.parent, os.O_RDONLY)
        try:
            os.fsync(directory)
        finally:
            os.close(directory)
    return backup


def _remove_own_leftovers(note: Path) -> None:
    """The temporary files of an earlier write of this note that was killed before its rename."""
    remove_leftovers(list(note.parent.glob(f".{glob.escape(note.name)}.*{TEMP_SUFFIX}")))


def remove_leftovers(paths: list[Path]) -> int:
    """Delete bagu's own temporary files (never a note); returns how many went."""
    removed = 0
    for path in paths:
        with contextlib.suppress(FileNotFoundError):
            if path.name.endswith(TEMP_SUFFIX) and not path.is_symlink():
                path.unlink()
                removed += 1
    return removed
