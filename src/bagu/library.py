"""bagu for scripts: one vault's index and what the CLI does with it, as methods that return typed
data.

    import bagu

    with bagu.open_index("~/notes") as index:
        index.refresh()  # parse what changed; embeds only when asked (`embed=True`)
        for hit in index.search("三次握手").hits:
            print(hit.path, hit.heading, hit.line)
        broken = [link for link in index.check_links().broken]
        deck = index.cards()
        grade = index.grade("什么是幻读？", "另一个事务插入了新行", reference="**幻读**：两次范围查
        询之间…")

It holds no logic of its own: each method calls the service the CLI and the web app call, and
nothing is imported before it is used (`import bagu` stays as light as `bagu --version`). Notes are
never written.
"""

from __future__ import annotations

from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from bagu.store.db import connect, default_db_path
from bagu.store.sqlite import sqlite3

if TYPE_CHECKING:
    from bagu.indexer import IndexReport
    from bagu.links.check import LinkReport
    from bagu.review.grade import Grade, Similarity
    from bagu.search.embedders import Signal
    from bagu.search.results import SearchResults
    from bagu.search.service import Searcher
    from bagu.store.cards import StoredCardRow


def open_index(vault: str | Path, *, db: str | Path | None = None, models: bool = False) -> Index:
    """The index of `vault` (created when there is none: `refresh()` fills it). `db` defaults to the
    file the CLI uses (`VAULT/.bagu/bagu.db`); `models` loads the installed embedding models for
    hybrid search and for grading by meaning, which costs seconds; without them search is lexical
    and grading by words."""
    from bagu.indexer import require_vault

    root = Path(vault).expanduser()
    require_vault(root)
    path = Path(db).expanduser() if db is not None else default_db_path(root)
    return Index(root, connect(path), db_path=path, models=models)


class Index:
    """An open index: close it (or use it as a context manager) when done."""

    def __init__(
        self, vault: Path, conn: sqlite3.Connection, *, db_path: Path, models: bool = False
    ) -> None:
        self.vault = vault
        self.conn = conn
        self.db_path = db_path
        self._signals: list[Signal] | None = None if models else []
        self._searcher: Searcher | None = None

    def refresh(self, *, embed: bool = False) -> IndexReport:
        """Index the notes that changed (and, with `embed`, embed what has no vector yet); cards
        follow. Under the index lock, like every refresh: a `bagu index` running meanwhile is waited
        for."""
        from bagu.refresh import Refresh, refresh_open

        signals = self.signals if embed else []
        report = refresh_open(
            self.conn,
            self.vault,
            db_path=self.db_path,
            signals=signals,
            refresh=Refresh(embed=embed),
        )
        if self._searcher is not None:
            self._searcher.refresh()
        return report

    def search(
        self, query: str, *, k: int = 10, mode: str = "hybrid", path_glob: str | None = None
    ) -> SearchResults:
        """The sections that answer `query`, best first, with how sure the search is (`mode`:
        hybrid, lexical or semantic; hybrid falls back to lexical without models, and the results
        say so)."""
        from bagu.search.service import SearchMode

        return self._search_service().search(query, k, SearchMode(mode), path_glob)

    def check_links(self) -> LinkReport:
        """Every link resolved as the vault's publisher resolves it, broken ones with ranked
        repairs."""
        from bagu.links.graph import check_vault

        return check_vault(self.conn, self.vault)

    def cards(self, *, include_retired: bool = False) -> list[StoredCardRow]:
        """The deck as stored: generated text, the person's edits, sources and status."""
        from bagu.store.cards import stored_card_rows

        return stored_card_rows(self.conn, include_retired=include_retired)

    def grade(self, question: str, answer: str, *, reference: str) -> Grade:
        """Grade a typed answer against `reference` (Markdown, read as a note's section is): a
        rating, a score and the points hit, missed and contradicted."""
        from bagu.review.batch import reference_from_markdown
        from bagu.review.grade import grade_answer

        points = reference_from_markdown(reference).key_points()
        return grade_answer(question, answer, points, self._similarity())

    @property
    def signals(self) -> list[Signal]:
        if self._signals is None:
            from bagu.search.embedders import load_signals

            self._signals = load_signals()
        return self._signals

    def _search_service(self) -> Searcher:
        if self._searcher is None:
            from bagu.search.service import Searcher

            self._searcher = Searcher(self.conn, self.signals)
        return self._searcher

    def _similarity(self) -> Similarity | None:
        from bagu.search.embedders import text_similarity
        from bagu.update import translation_encoder

        return text_similarity(translation_encoder(self.signals))

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Index:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()
