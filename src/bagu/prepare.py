"""Read, parse and segment notes in worker processes on a first index, while the main process writes
them.

Parsing (markdown-it) and Chinese segmentation (rjieba) are most of a first index, and both are
pure: a note's text in, a `Prepared` out. On a fresh index of many notes they run in a process pool,
one note per task, in the vault's order; the main process writes each one as it arrives, so memory
holds a few notes at a time. A small or incremental run parses in-process (starting workers costs
more than it saves).
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import partial

from bagu.errors import NoteUnreadable
from bagu.fork_map import fork_workers
from bagu.search.tokenize import segment, terms
from bagu.store.documents import fts_columns, fts_context
from bagu.vault.includes import expand_includes
from bagu.vault.language import detect_language
from bagu.vault.markdown import parse_document
from bagu.vault.model import Document
from bagu.vault.scan import NoteFile, read_included, read_note

# below this a pool's start-up (a second of imports per worker) is not won back
PARALLEL_MIN_NOTES = 64


@dataclass(frozen=True, slots=True)
class Prepared:
    path: str
    doc: Document | None = None
    language: str = ""
    # text → its FTS terms, for the writer to reuse
    segmented: dict[str, str] = field(default_factory=dict)
    warning: str | None = None  # the decoder's (mixed encodings)
    unreadable: str | None = None  # why the note could not be read
    unparsable: str | None = None  # why it could not be parsed

    def segment(self, text: str) -> str:
        """The FTS terms of `text`: computed by the worker, or here when it was not one of the texts
        foreseen."""
        found = self.segmented.get(text)
        return found if found is not None else segment(text)


def prepare(note: NoteFile, max_bytes: int) -> Prepared:
    """Read, decode, parse and segment one note; never raises for a bad note."""
    try:
        content = read_note(note, max_bytes)
        doc = expand_includes(
            parse_document(note.path, content.text, content.source),
            partial(read_included, note.root),
        )
    except NoteUnreadable as exc:
        return Prepared(note.path, unreadable=str(exc))
    except (RecursionError, ValueError) as exc:
        return Prepared(note.path, unparsable=f"could not be parsed ({type(exc).__name__}: {exc})")
    language = detect_language("\n".join(s.heading + "\n" + s.body for s in doc.sections))
    context = fts_context(doc.title, doc.path)
    segmented: dict[str, str] = {}
    for section in doc.sections:
        for text in fts_columns(section.heading, section.heading_path, section.body, context):
            if text not in segmented:
                segmented[text] = segment(text)
    return Prepared(note.path, doc, language, segmented, content.warning)


def _prepare_job(job: tuple[NoteFile, int]) -> Prepared:
    return prepare(*job)


def prepared_in_parallel(notes: list[NoteFile], max_bytes: int) -> Iterator[Prepared]:
    """`prepare` for each note, in order; in worker processes when there are enough notes and
    cores."""
    workers = fork_workers()
    if len(notes) < PARALLEL_MIN_NOTES or not workers:
        yield from (prepare(note, max_bytes) for note in notes)
        return
    # load the segmenter's dictionary once, before the fork, so workers share it
    terms("预热 warm up")
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
        yield from pool.map(_prepare_job, [(note, max_bytes) for note in notes], chunksize=4)
