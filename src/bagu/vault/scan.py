"""Find the notes of a vault on disk and read them safely.

Walks the folder (following symlinked folders once, never in a loop), applies `.baguignore`
(gitignore syntax) and the folders no one wants indexed, and reads each note's bytes once so that
its hash, its text and its parse all describe the same version of the file.

Nothing outside the vault's real folder is ever listed or read: a symlink whose target lies outside
is skipped with one warning, and `read_note` checks the real path again at the moment it opens the
file. A folder that cannot be listed is reported, not taken for empty, so its notes keep their
index.
"""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pathspec

from bagu.errors import NoteUnreadable, UndecodableNote
from bagu.vault.decode import decode_note
from bagu.vault.model import SourceInfo
from bagu.vault.names import is_note_path

SKIPPED_DIRS = frozenset({".git", ".obsidian", ".bagu", ".trash", "node_modules", ".hg", ".svn"})
IGNORE_FILE = ".baguignore"
MIB = 1024 * 1024
# Real notes are kilobytes to a few MB (Typora's inline base64 images). Indexing costs about 1 s and
# up to 75 MB of memory per MB of note (one flat section is the worst shape:
# benchmarks/bench_huge_note.py), so 10 MB keeps one note under ~1 GB; larger files are logs or
# exports, skipped with a message.
DEFAULT_MAX_MB = 10
DEFAULT_MAX_BYTES = DEFAULT_MAX_MB * MIB
TEMP_SUFFIX = ".bagu-tmp"  # vault/write.py's temporary files: never notes, removed when left behind
_READ_ATTEMPTS = 3


@dataclass(frozen=True, slots=True)
class NoteFile:
    """A note found by the walk: its vault-relative POSIX path, where it is on disk, and the vault's
    real root."""

    path: str
    absolute: Path
    root: Path


def note_in_vault(vault: Path, path: str) -> NoteFile:
    """The note at vault-relative `path`, for reading; `read_note` refuses it if it leads outside
    the vault."""
    root = vault.resolve()
    return NoteFile(path, root / path, root)


@dataclass(frozen=True, slots=True)
class NoteContent:
    text: str
    source: SourceInfo
    warning: str | None = None  # decoded, but not cleanly (a note mixing UTF-8 and GBK)


@dataclass(frozen=True, slots=True)
class ScanProblem:
    """Something in the vault that was not indexed, said once: a symlink out of the vault, an
    unreadable folder."""

    path: str
    message: str


@dataclass(slots=True)
class VaultScan:
    """What a walk of the vault found: the notes, what it had to skip, and bagu's own leftovers."""

    notes: list[NoteFile] = field(default_factory=list)
    other_files: set[str] = field(default_factory=set)
    folders: set[str] = field(default_factory=set)
    problems: list[ScanProblem] = field(default_factory=list)
    # "db/": could not be read, so its notes are kept
    unlisted_folders: list[str] = field(default_factory=list)
    # temporary files of an interrupted `bagu fix --apply`
    leftovers: list[Path] = field(default_factory=list)

    def is_unlisted(self, path: str) -> bool:
        """Whether `path` lies in a folder the walk could not read (so it may exist without being
        seen)."""
        return any(path.startswith(folder) for folder in self.unlisted_folders)


def _load_ignore(root: Path) -> pathspec.GitIgnoreSpec:
    try:
        lines = (root / IGNORE_FILE).read_text(encoding="utf-8-sig").splitlines()
    except OSError:
        lines = []
    return pathspec.GitIgnoreSpec.from_lines(lines)


def is_inside(root: Path, path: Path | str) -> bool:
    """Whether `path`, every symlink followed, lies in the real folder `root` (already resolved)."""
    return Path(os.path.realpath(path)).is_relative_to(root)


def is_leftover(name: str) -> bool:
    return name.startswith(".") and name.endswith(TEMP_SUFFIX)


class _Walker:
    """Real folders first, symlinked folders afterwards, so an entry is listed under its real path
    and a link back up the tree (a loop) adds nothing."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.ignore = _load_ignore(root)
        self.visited: set[tuple[int, int]] = set()
        self.linked: list[tuple[Path, str]] = []
        self.scan = VaultScan()

    def run(self) -> VaultScan:
        self._walk(self.root, "")
        while self.linked:
            folder, relative = self.linked.pop(0)
            self._walk(folder, relative)
        return self.scan

    def _walk(self, folder: Path, relative: str) -> None:
        try:
            info = folder.stat()
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as exc:
            self.scan.unlisted_folders.append(relative)
            reason = exc.strerror or str(exc)
            self._problem(
                relative or ".",
                f"folder cannot be read ({reason}); its indexed notes are kept as they were",
            )
            return
        if (info.st_dev, info.st_ino) in self.visited:
            return
        self.visited.add((info.st_dev, info.st_ino))
        for entry in entries:
            self._visit(entry, f"{relative}{entry.name}")

    def _visit(self, entry: os.DirEntry[str], rel: str) -> None:
        try:
            is_dir = entry.is_dir()
            is_link = entry.is_symlink()
        except OSError:
            return
        if is_dir and (entry.name in SKIPPED_DIRS or self.ignore.match_file(rel + "/")):
            return
        if not is_dir and self.ignore.match_file(rel):
            return
        if is_link and not is_inside(self.root, entry.path):
            if is_dir or is_note_path(rel):
                self._problem(
                    rel,
                    "is a symlink to a place outside the vault; skipped (bagu reads only the "
                    "vault)",
                )
            return
        if is_dir:
            self.scan.folders.add(rel)
            if is_link:
                self.linked.append((Path(entry.path), rel + "/"))
            else:
                self._walk(Path(entry.path), rel + "/")
        elif is_note_path(rel):
            self.scan.notes.append(NoteFile(rel, Path(entry.path), self.root))
        elif is_leftover(entry.name) and not is_link:
            self.scan.leftovers.append(Path(entry.path))
        else:
            self.scan.other_files.add(rel)

    def _problem(self, path: str, message: str) -> None:
        self.scan.problems.append(ScanProblem(path, message))


def scan_vault(root: Path) -> VaultScan:
    """Walk `root` once: its notes in a stable order, the other files and folders links may name,
    what was skipped."""
    return _Walker(root.resolve()).run()


def walk_vault(root: Path) -> Iterator[NoteFile]:
    """Every note under `root`, in a stable order, each real folder visited once."""
    yield from scan_vault(root).notes


def list_vault_paths(root: Path) -> tuple[set[str], set[str]]:
    """(files that are not notes, folders): what a link may point at besides a note."""
    scan = scan_vault(root)
    return scan.other_files, scan.folders


def _check_inside(note: NoteFile) -> None:
    if not is_inside(note.root, note.absolute):
        raise NoteUnreadable("leads outside the vault (a symlink); bagu reads only the vault")


def read_note(note: NoteFile, max_bytes: int = DEFAULT_MAX_BYTES) -> NoteContent:
    """Read, hash and decode a note; re-read when it changes under us so hash and text agree."""
    for _ in range(_READ_ATTEMPTS):
        try:
            _check_inside(note)
            before = os.stat(note.absolute)
            if not stat.S_ISREG(before.st_mode):
                raise NoteUnreadable("is not a regular file")
            if before.st_size > max_bytes:
                raise NoteUnreadable(
                    f"is {before.st_size / MIB:.1f} MB, over the {max_bytes / MIB:g} MB limit "
                    "(raise it with --max-file-mb)"
                )
            with open(note.absolute, "rb") as handle:
                data = handle.read(max_bytes + 1)
            after = os.stat(note.absolute)
        except FileNotFoundError as exc:
            raise NoteUnreadable("disappeared while indexing") from exc
        except OSError as exc:
            raise NoteUnreadable(f"cannot be read: {exc.strerror or exc}") from exc
        if (
            (before.st_mtime_ns, before.st_size)
            == (after.st_mtime_ns, after.st_size)
            == (after.st_mtime_ns, len(data))
        ):
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
    return NoteContent(decoded.text, source, decoded.warning)


def hash_note(note: NoteFile) -> tuple[str, int, int]:
    """(sha256, size, mtime_ns) without decoding: the cost of checking an unchanged note."""
    try:
        _check_inside(note)
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


def read_included(root: Path, path: str, max_bytes: int = MIB) -> str | None:
    """A file another note includes (mdBook's `{{#include}}`), as text; None when it is missing, too
    large, not a file, or outside the vault."""
    candidate = root / path
    if not is_inside(root, str(candidate)):
        return None
    try:
        if not candidate.is_file() or candidate.stat().st_size > max_bytes:
            return None
        return candidate.read_bytes().decode("utf-8", errors="replace")
    except OSError:
        return None
