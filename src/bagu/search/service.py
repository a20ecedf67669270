"""`Searcher`: one open store and one loaded model, answering many queries (CLI, batch, web, ask).

Loads the embedder once; each query costs one embedding, one FTS5 query, one vec0 query and one
lookup of the hits' sections. Without a model (or without sqlite-vec) it searches lexically and the
results say so.
"""

from __future__ import annotations

import fnmatch
import re
import time
from collections.abc import Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from enum import StrEnum

import numpy as np

from bagu.search.coverage import absent_names, absent_terms, spellings, unheld_names
from bagu.search.embedders import Signal, one_thread
from bagu.search.glossary import glossary
from bagu.search.hybrid import (
    GENERIC_CALIBRATION,
    NAMED_HEADING_POOL,
    Evidence,
    Fused,
    calibration_for,
    confidence,
    fuse,
    idf_share,
    named_sections,
    with_named_headings,
)
from bagu.search.lexical import document_counts, lexical_ranking, section_terms, sections_holding
from bagu.search.results import SearchHit, SearchResults
from bagu.search.semantic import SignalScorer, SignalScores
from bagu.search.snippet import make_snippet
from bagu.search.tokenize import finest_terms, named_terms, query_terms, terms
from bagu.search.vector_sync import signal_progress
from bagu.store.db import connect, database_file
from bagu.store.links import summary_section_of
from bagu.store.queries import hit_sections, reference_sections, section_paths, section_places
from bagu.store.sqlite import sqlite3
from bagu.store.vectors import has_vector_extension, kinds_vectors, known_models, vectors_generation
from bagu.vault.anchors import written_anchor

CANDIDATES = 50
EXPANSION_WEIGHT = 0.5  # of a glossary expansion's BM25 against the query's own words'
COVERAGE_HITS = 5  # the confidence asks whether the query's names appear among this many top hits
REFERENCE_POOL = 10  # how many of the top hits are checked for pointing elsewhere
ABSTAIN_NOTICE = "your notes don't seem to cover this"
# what a search says it is sure of when the query names what no note mentions
ABSENT_NAME_CONFIDENCE = 0.05
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")  # pasted terminal noise: never part of a word


class SearchMode(StrEnum):
    LEXICAL = "lexical"
    SEMANTIC = "semantic"
    HYBRID = "hybrid"


# A signal searches once this share of its chunks has vectors: a note edited a moment ago (its
# chunks not yet embedded) must not turn a whole model off, and a model half way through a first
# index is not used yet.
COMPLETE_SHARE = 0.95
RELOAD_WHILE_EMBEDDING_S = 10.0


def _is_complete(progress: tuple[int, int]) -> bool:
    done, total = progress
    return total == 0 or done >= COMPLETE_SHARE * total


def _share(progress: tuple[int, int]) -> str:
    done, total = progress
    return f"{done / total:.0%}" if total else "done"


class Searcher:
    def __init__(self, conn: sqlite3.Connection, signals: list[Signal]) -> None:
        self.conn = conn
        self.signals = signals
        self.scorers: list[SignalScorer] = []
        self.unavailable: str | None = None
        self.generation = ""
        self.calibration = GENERIC_CALIBRATION
        self._loaded_at = 0.0
        self._written: tuple[int, int] | None = None
        # the models' in a hybrid search, the expansion's in a lexical
        self._pool: ThreadPoolExecutor | None = None
        self._file = database_file(conn)
        # the expansion's, opened in the worker thread
        self._second: sqlite3.Connection | None = None
        self._load()

    def refresh(self) -> None:
        """Reload the vectors when `bagu index` or a background worker embedded more since they were
        loaded."""
        if self.signals and self._stale():
            self._load()

    def _stale(self) -> bool:
        """Vectors were added or removed since the load; while a model is still embedding (every
        batch changes the count) the vectors are reloaded at most every RELOAD_WHILE_EMBEDDING_S,
        not on every search. Counting the vectors costs 30 ms at 450,000 of them, so it is skipped
        while nothing at all was written to the database since the last look (SQLite's data_version
        for other connections, this one's changes)."""
        written = self._write_marker()
        if written == self._written:
            return False
        if vectors_generation(self.conn) == self.generation:
            self._written = written  # the vectors are as loaded, as of these writes
            return False
        if not self.unavailable or time.monotonic() - self._loaded_at >= RELOAD_WHILE_EMBEDDING_S:
            return True
        # a waiting signal just completed: use it now
        progress = signal_progress(self.conn, self.signals)
        using = {scorer.key for scorer in self.scorers}
        return any(_is_complete(p) and key not in using for key, p in progress.items())

    def _write_marker(self) -> tuple[int, int]:
        return self.conn.execute("PRAGMA data_version").fetchone()[0], self.conn.total_changes

    def _load(self) -> None:
        self._loaded_at = time.monotonic()
        self._written = self._write_marker()
        self.scorers, self.unavailable = [], None
        if not self.signals:
            self.unavailable = (
                "no embedding model is installed: lexical search only (pip install 'bagu[models]')"
            )
            return
        if not has_vector_extension(self.conn):
            self.unavailable = "sqlite-vec could not be loaded: lexical search only"
            return
        models = {m.name: m for m in known_models(self.conn)}
        progress = signal_progress(self.conn, self.signals)
        ready = [
            s for s in self.signals if s.embedder.name in models and _is_complete(progress[s.key])
        ]
        waiting = [s for s in self.signals if s not in ready]
        self.generation = vectors_generation(self.conn)
        if waiting:
            parts = [
                f"{s.key} "
                f"{_share(progress[s.key]) if s.embedder.name in models else 'not embedded yet'}"
                for s in waiting
            ]
            using = ", ".join(s.key for s in ready) or "lexical search only"
            self.unavailable = (
                f"still embedding ({'; '.join(parts)}): searching with {using} until `bagu index` "
                "(or a running `bagu serve`) finishes them"
            )
        if not ready:
            return
        vectors = {
            name: kinds_vectors(
                self.conn, models[name], [s.kind for s in ready if s.embedder.name == name]
            )
            for name in dict.fromkeys(s.embedder.name for s in ready)
        }  # one scan of each model's table for its titles and bodies
        self.scorers = [
            SignalScorer(s, models[s.embedder.name], vectors[s.embedder.name][s.kind])
            for s in ready
        ]
        self.calibration = calibration_for([scorer.key for scorer in self.scorers])

    @property
    def section_count(self) -> int:
        """How many sections a search scores: those the signals hold, or every section without a
        model."""
        if self.scorers:
            return max(len(scorer.sections) for scorer in self.scorers)
        return int(self.conn.execute("SELECT count(*) FROM sections").fetchone()[0])

    @property
    def is_semantic(self) -> bool:
        return bool(self.scorers)

    def search(
        self,
        query: str,
        k: int = 10,
        mode: SearchMode = SearchMode.HYBRID,
        path_glob: str | None = None,
    ) -> SearchResults:
        # a pasted essay is not a better query; it is a slower one
        query = _CONTROL.sub(" ", query[:2000])
        self.refresh()
        terms = query_terms(query)
        notice = None
        if mode is not SearchMode.LEXICAL and not self.scorers:
            notice, mode = self.unavailable, SearchMode.LEXICAL
        elif mode is not SearchMode.LEXICAL:
            # some signals still embedding: say which ones this search did without
            notice = self.unavailable
        if not terms and (mode is SearchMode.LEXICAL or not query.strip()):
            return SearchResults(
                query,
                terms=(),
                mode=mode.value,
                notice="the query has no searchable words",
                confidence=0.0,
                abstained=True,
            )
        lexical: list[tuple[int, float]] = []
        every_word = False
        # The models embed the query and score every section while SQLite ranks it lexically: both
        # let go of the GIL, so on two cores a hybrid query costs about the longer of the two, not
        # their sum. The models use one thread for it (`one_thread`): a second would wait for the
        # core SQLite is using.
        semantic = (
            self._worker().submit(self._semantic, query) if mode is not SearchMode.LEXICAL else None
        )
        # what the glossary calls the query's terms in the other language: searched beside them,
        # and words a heading may name them by
        translated = _translated(query)
        if mode is not SearchMode.SEMANTIC:
            lexical, every_word = self._lexical(
                terms, translated, path_glob, spare_core=semantic is None
            )
            if not every_word and lexical and mode is SearchMode.LEXICAL:
                notice = "no section contains every word; showing sections with some of them"
        if mode is SearchMode.LEXICAL:
            ranking = self._references_last([Fused(i, score, 0.0, 0.0) for i, score in lexical])
            sure = None
        else:
            assert semantic is not None
            ranking, best_cosines = self._fused(
                semantic.result(), lexical if mode is SearchMode.HYBRID else []
            )
            if path_glob:
                ranking = self._filter(ranking[: CANDIDATES * 4], path_glob)
            ranking = self._references_last(ranking)
            evidence = self._evidence(query, terms, every_word, ranking, best_cosines)
            sure = confidence(
                ranking[0] if ranking else None, evidence, self.section_count, self.calibration
            )
        # Nothing matched at all (lexical search for words no note has): as sure a "not covered" as
        # it gets. A query naming a thing no note mentions is not covered either, whatever its other
        # words found.
        absent = absent_names(self.conn, query) or absent_terms(self.conn, query)
        # ... and one naming a thing the vault mentions, but none of the notes this search found
        unheld = (
            []
            if absent
            else unheld_names(self.conn, query, [f.section_id for f in ranking[:COVERAGE_HITS]])
        )
        if (absent or unheld) and sure is not None:
            sure = min(sure, ABSENT_NAME_CONFIDENCE)
        abstained = (
            not ranking
            or bool(absent or unheld)
            or (sure is not None and sure < self.calibration.threshold)
        )
        if not ranking:
            sure = 0.0 if sure is None else sure
        if abstained:
            notice = (
                f"{ABSTAIN_NOTICE} (no note mentions {absent[0]})"
                if absent
                else f"{ABSTAIN_NOTICE} (the notes found never mention {unheld[0]})"
                if unheld
                else ABSTAIN_NOTICE
            )
        if mode is not SearchMode.LEXICAL:
            # whether the notes cover the query is the fused evidence's to say (the coverage checks
            # above included); which of the sections found speaks first is also their headings'
            ranking = with_named_headings(ranking, self._named_headings(terms, translated, ranking))
        shown = [(f.section_id, f.score) for f in ranking[:k]]
        hits = self._hits(shown if path_glob else self._with_summary(shown, k), terms)
        confidence_value = None if sure is None else round(sure, 3)
        return SearchResults(
            query,
            terms=tuple(terms),
            mode=mode.value,
            hits=tuple(hits),
            notice=notice,
            confidence=confidence_value,
            abstained=abstained,
        )

    def _lexical(
        self,
        terms: list[str],
        translated: list[str],
        path_glob: str | None,
        *,
        spare_core: bool = False,
    ) -> tuple[list[tuple[int, float]], bool]:
        """BM25 over the query's terms, plus EXPANSION_WEIGHT times BM25 over what the glossary
        calls its terms in the other language (`translated`: `phantom read` also looks for 幻读):
        an expansion helps a section the query's own words miss, and cannot outweigh the query's
        own words. Whether some section holds every word is said of the query's own terms."""
        expansion = [t for t in translated if t not in terms]
        beside = self._rank_beside(expansion, path_glob) if expansion and spare_core else None
        lexical, every_word = lexical_ranking(self.conn, terms, CANDIDATES, path_glob)
        if not expansion:
            return lexical, every_word
        expanded = (
            beside.result()
            if beside
            else lexical_ranking(self.conn, expansion, CANDIDATES, path_glob)
        )
        scores = dict(lexical)
        for section_id, score in expanded[0]:
            scores[section_id] = scores.get(section_id, 0.0) + EXPANSION_WEIGHT * score
        return sorted(scores.items(), key=lambda item: -item[1])[:CANDIDATES], every_word

    def _rank_beside(
        self, terms: list[str], path_glob: str | None
    ) -> Future[tuple[list[tuple[int, float]], bool]] | None:
        """`lexical_ranking` of `terms` on a second connection in a thread of its own, while this
        one ranks the query's own words: SQLite lets go of the GIL, so in a lexical search (the
        other core idle) the glossary's expansion costs no time of its own (10x vault: p95 47-55 to
        40-42 ms). A hybrid search does not: the models use that core, and the three threads were
        slower than two (116-139 against 106-111 ms). None for a database with no file to open twice
        (in memory)."""
        if self._file is None:
            return None
        return self._worker().submit(self._rank_on_second, terms, path_glob)

    def _rank_on_second(
        self, terms: list[str], path_glob: str | None
    ) -> tuple[list[tuple[int, float]], bool]:
        if self._second is None:
            assert self._file is not None
            self._second = connect(self._file, create=False)
        return lexical_ranking(self._second, terms, CANDIDATES, path_glob)

    def assess(self, query: str) -> tuple[Fused | None, Evidence, int]:
        """What the confidence of a hybrid search weighs: its top hit, the evidence and the sections
        scored (benchmarks/fit_calibration.py fits each calibration on these)."""
        terms = query_terms(query)
        lexical, every_word = self._lexical(terms, _translated(query), None)
        ranking, best_cosines = self._fused(self._semantic(query), lexical)
        evidence = self._evidence(query, terms, every_word, ranking, best_cosines)
        return (ranking[0] if ranking else None), evidence, self.section_count

    def _worker(self) -> ThreadPoolExecutor:
        if self._pool is None:
            self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="bagu-search")
        return self._pool

    def _fused(
        self, semantic: dict[str, tuple[SignalScores, float]], lexical: list[tuple[int, float]]
    ) -> tuple[list[Fused], dict[str, float]]:
        """The hybrid ranking, and each signal's best cosine (what the confidence asks of it)."""
        ranking = fuse(lexical, [(s.z, w) for s, w in semantic.values()])
        return ranking, {key: s.best for key, (s, _) in semantic.items()}

    def _evidence(
        self,
        query: str,
        terms: list[str],
        every_word: bool,
        ranking: list[Fused],
        best_cosines: Mapping[str, float],
    ) -> Evidence:
        counts = document_counts(self.conn, finest_terms(terms))
        named = set(named_terms(query, terms))
        named_counts = {t: n for t, n in counts.items() if t in named}
        plain_counts = {t: n for t, n in counts.items() if t not in named}
        concepts = self._concepts(query)
        top_ids = [f.section_id for f in ranking[:COVERAGE_HITS]]
        top_terms = section_terms(self.conn, top_ids) if named or concepts else set()
        for label, (count, renderings) in concepts.items():
            named_counts[label] = count
            if any(rendering <= top_terms for rendering in renderings):
                top_terms.add(label)
        return Evidence(
            every_word_matched=every_word,
            covered=idf_share(named_counts, self.section_count, top_terms),
            plain_known=idf_share(
                plain_counts, self.section_count, {t for t, n in plain_counts.items() if n}
            ),
            best_cosines=best_cosines,
        )

    def _concepts(self, query: str) -> dict[str, tuple[int, list[frozenset[str]]]]:
        """The glossary's technical terms an English query names (`three-phase commit`,
        `random forest`), each with the section count of its most used rendering in either language
        and the terms of every rendering: a named thing like TCP or 幻读, whose absence from the top
        hits says they are about something else, though plain English words carry no such weight."""
        found = []
        for entry in glossary().entries_in(query):
            said = {v.casefold() for v in entry.en if _says_english(query, v)}
            if not said:
                continue  # named in Chinese: already among the named terms
            named = any(_names_english(query, variant) for variant in entry.en)
            # every term of a rendering, not only its finest: 三阶段提交 is not 阶段 and 提交 (两阶
            # 段提交 has those)
            # ... as notes write them, a field's or flag's name included (`livenessProbe`)
            renderings = [
                frozenset(terms(written))
                for v in (*entry.zh, *entry.en)
                for written in spellings(v)
            ]
            renderings = [r for r in renderings if r]
            used = max((sections_holding(self.conn, sorted(r)) for r in renderings), default=0)
            found.append((entry, said, named, used, renderings))
        # a plain word is used when the vault says any of its senses (`parameter`: 参数, or 形参)
        used_words = {word for _, said, _, used, _ in found if used for word in said}
        concepts: dict[str, tuple[int, list[frozenset[str]]]] = {}
        for entry, said, named, used, renderings in found:
            # a plain word of the glossary (`metaclass`, `branch`) counts only when the vault never
            # says it in either language: elsewhere in the vault it may be any section's word
            if named or not said & used_words:
                concepts[f"≡{entry.en[0]}"] = (used, renderings)
        return concepts

    def _semantic(self, query: str) -> dict[str, tuple[SignalScores, float]]:
        """`model/kind` → that signal's scores and its weight in the fusion; one embedding per
        model."""
        vectors: dict[str, np.ndarray] = {}
        signals = {}
        with one_thread():
            for scorer in self.scorers:
                embedder = scorer.signal.embedder
                if embedder.name not in vectors:
                    vectors[embedder.name] = embedder.embed_query(query)
                signals[scorer.key] = (scorer.scores(vectors[embedder.name]), scorer.signal.weight)
        return signals

    def _named_headings(
        self, terms: list[str], translated: list[str], ranking: list[Fused]
    ) -> set[int]:
        """The sections among the first NAMED_HEADING_POOL whose own heading the query names in
        full, in its words or in the glossary's other language for them (`translated`)."""
        places = section_places(self.conn, [f.section_id for f in ranking[:NAMED_HEADING_POOL]])
        return named_sections(places, {t.casefold() for t in (*terms, *translated)}, query_terms)

    def _with_summary(self, shown: list[tuple[int, float]], k: int) -> list[tuple[int, float]]:
        """The summary page's section on the top hit's topic, second, when the results lack it: a
        relevant answer too (the summary's own take beside the detail section), which the ranking
        left out of the top ten (dev set: nDCG@10 0.775 → 0.780, MRR unchanged)."""
        if len(shown) < 2 or k < 2:
            return shown
        summary = summary_section_of(self.conn, shown[0][0])
        if summary is None or summary in {section_id for section_id, _ in shown}:
            return shown
        return [shown[0], (summary, shown[1][1]), *shown[1 : k - 1]]

    def _references_last(self, ranking: list[Fused]) -> list[Fused]:
        """The ranking with the sections among its first REFERENCE_POOL that only point elsewhere
        (a `参考` list whose address spells `index-condition-pushdown`) moved to its end: they say
        where an answer is and none of it (probe3: ranked first for 2 of 20 questions, and ask then
        answered with the addresses)."""
        top = ranking[:REFERENCE_POOL]
        pointers = reference_sections(self.conn, [f.section_id for f in top])
        if not pointers:
            return ranking
        kept = [f for f in top if f.section_id not in pointers]
        return [*kept, *ranking[REFERENCE_POOL:], *(f for f in top if f.section_id in pointers)]

    def _filter(self, ranking: list[Fused], path_glob: str) -> list[Fused]:
        if not ranking:
            return ranking
        paths = section_paths(self.conn, [f.section_id for f in ranking])
        return [f for f in ranking if fnmatch.fnmatchcase(paths.get(f.section_id, ""), path_glob)]

    def _hits(self, ranking: list[tuple[int, float]], terms: list[str]) -> list[SearchHit]:
        sections = hit_sections(self.conn, [i for i, _ in ranking])
        hits = []
        for section_id, score in ranking:
            section = sections.get(section_id)
            if section is None:
                continue
            snippet = make_snippet(section.body or section.heading, terms)
            hits.append(
                SearchHit(
                    section_id=section_id,
                    path=section.path,
                    heading=section.heading,
                    heading_path=section.heading_path,
                    anchor=written_anchor(section.anchor_raw, section.anchor_text),
                    github_anchor=section.anchor_github,
                    line=section.line_start,
                    snippet=snippet.text,
                    highlights=snippet.highlights,
                    score=round(score, 4),
                )
            )
        return hits


def _translated(query: str) -> list[str]:
    """The query terms of what the glossary calls the query's terms in the other language."""
    return query_terms(" ".join(glossary().other_language(query)))


def _says_english(query: str, variant: str) -> bool:
    """The query holds this English variant of a glossary term, as a word or phrase of its own."""
    return bool(
        re.search(
            rf"(?<![A-Za-z0-9]){re.escape(variant)}(?:e?s)?(?![A-Za-z0-9])", query, re.IGNORECASE
        )
    )


def _names_english(query: str, variant: str) -> bool:
    """The query names this English variant of a glossary term, as a phrase of two words or more or
    as one word with a capital or a digit (`ZGC`, `BERT`): a single plain word (`index`, `commit`)
    is no name."""
    if not _says_english(query, variant):
        return False
    return len(variant.split()) > 1 or "-" in variant or bool(re.search(r"[A-Z0-9]", variant))


def search_sections(
    conn: sqlite3.Connection, query: str, k: int = 10, path_glob: str | None = None
) -> SearchResults:
    """Lexical search without a model: the cheapest path, for the CLI demo and tests."""
    return Searcher(conn, []).search(query, k, SearchMode.LEXICAL, path_glob)
