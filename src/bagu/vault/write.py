"""Write a repaired note back to the vault: only on request, atomically, with a backup first.

The one place bagu changes a user's note. The new bytes go to a temporary file beside the note, are
flushed to disk, and replace the note with one rename, so a crash or Ctrl-C leaves either the old note
or the new one, never half of each. The old bytes are first copied under `.bagu/backups/<time>/`.
A note that changed since it was read is left alone.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import tempfile
from pathlib import Path

from bagu.errors import BaguError

BACKUP_DIR = Path(".bagu") / "backups"


class NoteChanged(BaguError):
    """The note on disk is not the version the repair was planned for."""


def backup_folder(vault: Path, stamp: str) -> Path:
    return vault / BACKUP_DIR / stamp


def replace_note(vault: Path, path: str, expected_sha256: str, data: bytes, backups: Path) -> Path:
    """Replace the note at vault-relative `path` with `data`; returns where its backup went."""
    note = (vault / path).resolve()  # a symlinked note: write its target, keep the link
    original = note.read_bytes()
    if hashlib.sha256(original).hexdigest() != expected_sha256:
        raise NoteChanged(f"{path} changed since it was indexed; nothing was written. Run the fix again.")
    backup = backups / path
    backup.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(note, backup)
    mode = note.stat().st_mode & 0o7777
    handle, temporary = tempfile.mkstemp(prefix=f".{note.name}.", suffix=".bagu-tmp", dir=note.parent)
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
