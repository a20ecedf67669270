"""Find the notes of a vault on disk and read them safely.

Walks the folder (following symlinked folders once, never in a loop), applies `.baguignore`
(gitignore syntax) and the folders no one wants indexed, and reads each note's bytes once so that
its hash, its text and its parse all describe the same version of the file.
"""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pathspec

from bagu.errors import UndecodableNote
from bagu.vault.decode import decode_note
from bagu.vault.model import SourceInfo
from bagu.vault.names import is_note_path

SKIPPED_DIRS = frozenset({".git", ".obsidian", ".bagu", ".trash", "node_modules", ".hg", ".svn"})
IGNORE_FILE = ".baguignore"
DEFAULT_MAX_BYTES = 64 * 1024 * 1024
_READ_ATTEMPTS = 3


@dataclass(frozen=True, slots=True)
class NoteFile:
    """A note found by the walk: its vault-relative POSIX path and where it is on disk."""

    path: str
    absolute: Path


@dataclass(frozen=True, slots=True)
class NoteContent:
    text: str
    source: SourceInfo


class NoteUnreadable(Exception):
    """A note could not be read (gone, unreadable, not a regular file, too large, not text)."""


def _load_ignore(root: Path) -> pathspec.GitIgnoreSpec:
    try:
        lines = (root / IGNORE_FILE).read_text(encoding="utf-8-sig").splitlines()
    except OSError:
        lines = []
    return pathspec.GitIgnoreSpec.from_lines(lines)


def _walk_entries(root: Path) -> Iterator[tuple[str, Path, bool]]:
    """(vault-relative path, absolute path, is_folder) for everything not ignored, each real folder once.

    Real folders are walked first and symlinked folders afterwards, so an entry is listed under its
    real path and a link back up the tree (a loop) adds nothing.
    """
    root = root.resolve()
    ignore = _load_ignore(root)
    visited: set[tuple[int, int]] = set()
    linked: list[tuple[Path, str]] = []

    def walk(folder: Path, relative: str) -> Iterator[tuple[str, Path, bool]]:
        try:
            info = folder.stat()
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError:
            return
        if (info.st_dev, info.st_ino) in visited:
            return
        visited.add((info.st_dev, info.st_ino))
        for entry in entries:
            rel = f"{relative}{entry.name}"
            try:
                is_dir = entry.is_dir()
                is_link = entry.is_symlink()
            except OSError:
                continue
            if is_dir:
                if entry.name in SKIPPED_DIRS or ignore.match_file(rel + "/"):
                    continue
                yield rel, Path(entry.path), True
                if is_link:
                    linked.append((Path(entry.path), rel + "/"))
                else:
                    yield from walk(Path(entry.path), rel + "/")
            elif not ignore.match_file(rel):
                yield rel, Path(entry.path), False

    yield from walk(root, "")
    while linked:
        folder, relative = linked.pop(0)
        yield from walk(folder, relative)


def walk_vault(root: Path) -> Iterator[NoteFile]:
    """Every note under `root`, in a stable order, each real folder visited once."""
    for rel, absolute, is_folder in _walk_entries(root):
        if not is_folder and is_note_path(rel):
            yield NoteFile(rel, absolute)


def list_vault_paths(root: Path) -> tuple[set[str], set[str]]:
    """(files that are not notes, folders): what a link may point at besides a note."""
    files: set[str] = set()
    folders: set[str] = set()
    for rel, _, is_folder in _walk_entries(root):
        if is_folder:
            folders.add(rel)
        elif not is_note_path(rel):
            files.add(rel)
    return files, folders


def read_note(note: NoteFile, max_bytes: int = DEFAULT_MAX_BYTES) -> NoteContent:
    """Read, hash and decode a note; re-read when it changes under us so hash and text agree."""
    for _ in range(_READ_ATTEMPTS):
        try:
            before = os.stat(note.absolute)
            if not stat.S_ISREG(before.st_mode):
                raise NoteUnreadable("is not a regular file")
            if before.st_size > max_bytes:
                raise NoteUnreadable(
                    f"is {before.st_size / 1e6:.1f} MB, over the {max_bytes / 1e6:.0f} MB limit (raise it with --max-file-mb)"
                )
            with open(note.absolute, "rb") as handle:
                data = handle.read(max_bytes + 1)
            after = os.stat(note.absolute)
        except FileNotFoundError as exc:
            raise NoteUnreadable("disappeared while indexing") from exc
        except OSError as exc:
            raise NoteUnreadable(f"cannot be read: {exc.strerror or exc}") from exc
        if (before.st_mtime_ns, before.st_size) == (after.st_mtime_ns, after.st_size) == (after.st_mtime_ns, len(data)):
            break
    else:
        raise NoteUnreadable("kept changing while being read; it will be indexed on the next run")
    try:
        decoded = decode_note(data)
    except UndecodableNote as exc:
        raise NoteUnreadable(str(exc)) from exc
    source = SourceInfo(
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        mtime_ns=after.st_mtime_ns,
        encoding=decoded.encoding,
        has_bom=decoded.has_bom,
        newline=decoded.newline,
    )
    return NoteContent(decoded.text, source)


def hash_note(note: NoteFile) -> tuple[str, int, int]:
    """(sha256, size, mtime_ns) without decoding: the cost of checking an unchanged note."""
    try:
        if not stat.S_ISREG(os.stat(note.absolute).st_mode):
            raise NoteUnreadable("is not a regular file")  # a FIFO would block open() forever
        with open(note.absolute, "rb") as handle:
            info = os.fstat(handle.fileno())
            digest = hashlib.file_digest(handle, "sha256").hexdigest()
    except FileNotFoundError as exc:
        raise NoteUnreadable("disappeared while indexing") from exc
    except OSError as exc:
        raise NoteUnreadable(f"cannot be read: {exc.strerror or exc}") from exc
    return digest, info.st_size, info.st_mtime_ns
