"""Bring the store in step with the vault: parse only what changed, keep identity through renames.

The pipeline's one orchestrator (vault → store, with search's segmenter for FTS rows); the CLI and
the web app call `index_vault` and never re-implement it. Work is committed in batches, each a
transaction, so an interrupted run leaves the last committed state and the next run picks up from
there.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from bagu.errors import NoteUnreadable, VaultNotFound
from bagu.prepare import Prepared, prepare, prepared_in_parallel
from bagu.search.tokenize import SEGMENTER_VERSION, segment
from bagu.store.db import get_meta, set_meta, transaction
from bagu.store.documents import (
    IndexedFile,
    delete_document,
    indexed_files,
    rename_document,
    resegment_all,
    save_document,
    touch_document,
)
from bagu.store.history import CarriedHistory
from bagu.store.sqlite import sqlite3
from bagu.vault.scan import DEFAULT_MAX_BYTES, NoteFile, VaultScan, hash_note, scan_vault
from bagu.vault.write import remove_leftovers

BATCH_SIZE = 32
# Set in the same transaction as any change to the notes, cleared once the cards are in step with
# them: a run killed between the two leaves it set, so the next run syncs the cards even if no note
# changed.
CARDS_PENDING = "cards_pending"
# Bumped when parsing records more of a note or reads it better (2: the shape of its lists, 3: its
# tables, 4: emphasis CommonMark leaves open beside CJK punctuation, 5: math, footnotes and Typora's
# parenthesised heading targets, 7: English-first renderings as candidates, 8: a note of several H1s
# titled by its file, 9: an Obsidian callout's `[!type]` marker is no text): every note is parsed
# again once.
PARSER_VERSION = "9"


@dataclass(frozen=True, slots=True)
class NoteWarning:
    path: str
    message: str


@dataclass(slots=True)
class IndexReport:
    files_seen: int = 0
    parsed: int = 0
    unchanged: int = 0
    renamed: int = 0
    removed: int = 0
    skipped: int = 0
    sections: int = 0
    links: int = 0
    seconds: float = 0.0
    embedded: int = 0
    embed_seconds: float = 0.0
    semantic: str = "off"  # the embedding models in use, or why semantic search is off
    cards: dict[str, int] = field(default_factory=dict)  # kept / moved / changed / new / retired
    parsed_paths: list[str] = field(default_factory=list)
    warnings: list[NoteWarning] = field(default_factory=list)
    history: CarriedHistory | None = None  # what `--rebuild` carried over from the old index

    def to_json(self) -> dict[str, object]:
        return {
            "files_seen": self.files_seen,
            "parsed": self.parsed,
            "unchanged": self.unchanged,
            "renamed": self.renamed,
            "removed": self.removed,
            "skipped": self.skipped,
            "sections": self.sections,
            "links": self.links,
            "seconds": round(self.seconds, 3),
            "embedded": self.embedded,
            "embed_seconds": round(self.embed_seconds, 3),
            "semantic": self.semantic,
            "cards": self.cards,
            "parsed_paths": self.parsed_paths,
            "warnings": [{"path": w.path, "message": w.message} for w in self.warnings],
            **({} if self.history is None else {"history": self.history.to_json()}),
        }


ProgressCallback = Callable[[int, int, str], None]


def _batches(items: list[NoteFile], size: int) -> Iterator[list[NoteFile]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


class _Indexer:
    def __init__(self, conn: sqlite3.Connection, max_bytes: int) -> None:
        self.conn = conn
        self.max_bytes = max_bytes
        self.report = IndexReport()
        self.known = indexed_files(conn)
        self.missing_by_hash: dict[str, list[IndexedFile]] = {}
        # An index that predates this parser version parses every note once more; a new one never
        # needs to.
        self.reparse = bool(self.known) and get_meta(conn, "parser") != PARSER_VERSION

    def run(
        self, vault: Path, on_progress: ProgressCallback | None, batch_size: int
    ) -> IndexReport:
        started = time.perf_counter()
        if not self.known:
            with transaction(self.conn):
                set_meta(self.conn, "parser", PARSER_VERSION)
        if get_meta(self.conn, "segmenter") != SEGMENTER_VERSION:
            with transaction(self.conn):
                resegment_all(self.conn, segment)
                set_meta(self.conn, "segmenter", SEGMENTER_VERSION)
        scan = scan_vault(vault)
        self._note_scan_problems(scan)
        notes = scan.notes
        self.report.files_seen = len(notes)
        seen = {note.path for note in notes}
        for path, indexed in self.known.items():
            if path not in seen and not scan.is_unlisted(path):
                self.missing_by_hash.setdefault(indexed.sha256, []).append(indexed)
        done = 0
        # A first index (or a full re-parse) parses in worker processes while this one writes.
        ahead = (
            prepared_in_parallel(notes, self.max_bytes) if not self.known or self.reparse else None
        )
        for batch in _batches(notes, batch_size):
            with transaction(self.conn):
                for note in batch:
                    if on_progress is not None:
                        on_progress(done, len(notes), note.path)
                    self._index_one(note, next(ahead) if ahead is not None else None)
                    done += 1
                if self.report.parsed or self.report.renamed:
                    set_meta(self.conn, CARDS_PENDING, "1")
        with transaction(self.conn):
            for leftovers in self.missing_by_hash.values():
                for indexed in leftovers:
                    delete_document(self.conn, indexed.id)
                    self.report.removed += 1
                    set_meta(self.conn, CARDS_PENDING, "1")
            set_meta(self.conn, "vault_root", str(vault.resolve()))
            set_meta(self.conn, "parser", PARSER_VERSION)
            set_meta(self.conn, "indexed_at", datetime.now(UTC).isoformat(timespec="seconds"))
        if on_progress is not None:
            on_progress(done, len(notes), "")
        self.report.sections = self.conn.execute("SELECT count(*) FROM sections").fetchone()[0]
        self.report.links = self.conn.execute("SELECT count(*) FROM links").fetchone()[0]
        self.report.seconds = time.perf_counter() - started
        return self.report

    def _note_scan_problems(self, scan: VaultScan) -> None:
        """Warn once per skipped path; remove the temporary files an interrupted fix left beside the
        notes."""
        for problem in scan.problems:
            self.report.warnings.append(NoteWarning(problem.path, problem.message))
            self.report.skipped += 1
        removed = remove_leftovers(scan.leftovers)
        if removed:
            self.report.warnings.append(
                NoteWarning(
                    ".",
                    f"removed {removed} temporary file(s) an interrupted `bagu fix --apply` left "
                    f"behind",
                )
            )

    def _index_one(self, note: NoteFile, ready: Prepared | None = None) -> None:
        indexed = self.known.get(note.path)
        try:
            sha256, _size, mtime_ns = hash_note(note)
            if indexed is not None and indexed.sha256 == sha256 and not self.reparse:
                if indexed.mtime_ns != mtime_ns:
                    touch_document(self.conn, indexed.id, mtime_ns)
                self.report.unchanged += 1
                return
            if indexed is None and self.missing_by_hash.get(sha256):
                moved = self.missing_by_hash[sha256].pop()
                rename_document(self.conn, moved.id, note.path, mtime_ns)
                self.report.renamed += 1
                return
        except NoteUnreadable as exc:
            self._skip(note, str(exc), indexed)
            return
        prepared = (
            ready
            if ready is not None and ready.path == note.path
            else prepare(note, self.max_bytes)
        )
        if prepared.doc is None:
            self._skip(
                note, prepared.unreadable or prepared.unparsable or "could not be read", indexed
            )
            return
        doc = prepared.doc
        save_document(self.conn, doc, prepared.language, prepared.segment)
        if doc.front_matter is not None and doc.front_matter.error:
            self.report.warnings.append(
                NoteWarning(note.path, doc.front_matter.error + "; the body was indexed")
            )
        self.report.warnings.extend(NoteWarning(note.path, warning) for warning in doc.warnings)
        if prepared.warning is not None:
            self.report.warnings.append(NoteWarning(note.path, prepared.warning))
        self.report.parsed += 1
        self.report.parsed_paths.append(note.path)

    def _skip(self, note: NoteFile, reason: str, indexed: IndexedFile | None) -> None:
        kept = "; the previously indexed version is kept" if indexed is not None else ""
        self.report.warnings.append(NoteWarning(note.path, reason + kept))
        self.report.skipped += 1


def require_vault(vault: Path) -> None:
    if not vault.is_dir():
        raise VaultNotFound(f"{vault} is not a folder. Pass the folder that holds your notes.")


def index_vault(
    conn: sqlite3.Connection,
    vault: Path,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    on_progress: ProgressCallback | None = None,
    batch_size: int = BATCH_SIZE,
) -> IndexReport:
    """Index `vault` into `conn` incrementally; returns what was done and what was wrong with the
    notes."""
    require_vault(vault)
    return _Indexer(conn, max_bytes).run(vault, on_progress, batch_size)
