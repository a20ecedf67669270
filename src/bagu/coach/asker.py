"""`Asker`: search, load the cited sections, and answer extractively or with the configured LLM.

One per process (CLI) or per app (web): the searcher's models load once. An LLM that fails
(unreachable, key refused, busy, nonsense) degrades to the extractive answer with one notice, never
a traceback.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

from bagu.coach.cited_answer import (
    Answer,
    Relevance,
    asks_for_a_list,
    checked_generation,
    extract_answer,
    generation_messages,
    retrieve,
)
from bagu.coach.llm import ChatClient
from bagu.errors import LLMError, NoteUnreadable
from bagu.search.embedders import Embedder, text_similarity
from bagu.search.results import SearchResults
from bagu.search.service import Searcher
from bagu.store.db import get_meta
from bagu.store.queries import child_sections, sections_by_id
from bagu.vault.scan import note_in_vault, read_note

# as the parser counts lines (not str.splitlines: form feeds)
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def relevance_of(embedder: Embedder | None) -> Relevance | None:
    if embedder is None:
        return None

    def relevance(question: str, sentences: Sequence[str]) -> list[float]:
        vectors = embedder.embed_documents([question, *sentences])
        return [float(v) for v in vectors[1:] @ vectors[0]]

    return relevance


def note_lines(root: Path | None) -> Callable[[str], Sequence[str] | None]:
    """The lines of a vault note as the parser counts them (None when it cannot be read now)."""

    def lines(path: str) -> Sequence[str] | None:
        if root is None:
            return None
        try:
            return _LINE_BREAK.split(read_note(note_in_vault(root, path)).text)
        except NoteUnreadable:
            return None

    return lines


class Asker:
    def __init__(self, searcher: Searcher, client: ChatClient | None = None) -> None:
        self.searcher = searcher
        self.client = client
        root = get_meta(searcher.conn, "vault_root")
        self.note_lines = note_lines(Path(root) if root else None)
        embedder = next(
            (s.embedder for s in searcher.signals if s.embedder.name.startswith("use")), None
        )
        self.relevance = relevance_of(embedder if searcher.is_semantic else None)
        self.renders = text_similarity(embedder if searcher.is_semantic else None)

    def search(self, question: str, path_glob: str | None = None) -> SearchResults:
        return self.searcher.search(question, k=10, path_glob=path_glob)

    def ask(
        self,
        question: str,
        path_glob: str | None = None,
        on_token: Callable[[str], None] | None = None,
    ) -> Answer:
        """Answer `question`; with `on_token`, a generated answer is streamed to it as it
        arrives."""
        results = self.search(question, path_glob)
        found = sections_by_id(
            self.searcher.conn, [hit.section_id for hit in results.hits], with_links=True
        )
        sections = [
            found[hit.section_id][1] if hit.section_id in found else None for hit in results.hits
        ]
        retrieved = retrieve(results, sections, self.note_lines)
        members = (
            child_sections(self.searcher.conn, retrieved[0].citation.path, retrieved[0].section)
            if retrieved and asks_for_a_list(question)
            else []
        )
        extractive = extract_answer(
            question, results, retrieved, self.relevance, members, renders=self.renders
        )
        if self.client is None or extractive.abstained:
            return extractive
        messages = generation_messages(question, retrieved)
        try:
            if on_token is None:
                reply = self.client.chat(messages)
            else:
                pieces = []
                for piece in self.client.stream(messages):
                    pieces.append(piece)
                    on_token(piece)
                reply = "".join(pieces)
        except LLMError as exc:
            return replace(extractive, notice=f"{exc} — answered from the notes without the model")
        return checked_generation(question, reply, results, retrieved)
