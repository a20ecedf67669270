"""Does the vault mention what a query names? A product, protocol or API that no note contains is
not covered.

An uncovered question is most often about a named thing the notes never mention
(`Redis HyperLogLog`, `OAuth 2.0 with PKCE`, `io_uring vs epoll`), and the top hit is a section
that shares its generic words. A name is a Latin token written as names are (a capital, a digit or
an underscore: `HyperLogLog`, `PKCE`, `io_uring`, `ZGC`), not a plain English word. It is absent
when the term it indexes as occurs in no section, no indexed word is a letter away from it (a typo
like `Kafak` still finds Kafka), and the glossary gives it no rendering that some section holds
(`HyperLogLog` and 基数统计). On the dev set every query that named an absent thing was an uncovered
one (47 of 88 uncovered, 0 of 166 answerable), in both the tuning and the held-out part, which is
why it decides alone rather than as one more weight.
"""

from __future__ import annotations

import re

from rapidfuzz.distance import OSA

from bagu.search.glossary import glossary
from bagu.search.lexical import document_counts, sections_holding, terms_around
from bagu.search.tokenize import latin_tokens, terms
from bagu.store.sqlite import sqlite3

_NAME_MARK = re.compile(r"[A-Z0-9_]")
MIN_NEAR_CHARS = 5  # shorter names are one letter from too many words (ZGC / GC)


def absent_names(conn: sqlite3.Connection, query: str) -> list[str]:
    """The names in `query` that the vault never mentions, in the query's order."""
    absent = []
    for token in dict.fromkeys(latin_tokens(query)):
        if not (_NAME_MARK.search(token) and re.search(r"[A-Za-z]{2}", token)):
            continue
        own = [t for t in terms(token) if re.search(r"[a-z]", t) and len(t) >= 2]
        if not own:
            continue
        term = max(own, key=len)
        if document_counts(conn, [term])[term] or _spelt_near(conn, term) or _rendered(conn, token):
            continue
        absent.append(token)
    return absent


def _spelt_near(conn: sqlite3.Connection, term: str) -> bool:
    """An indexed word one edit away that starts like it (Kafak → kafka)."""
    if len(term) < MIN_NEAR_CHARS:
        return False
    return any(OSA.distance(term, word) <= 1 for word in terms_around(conn, term))


def _rendered(conn: sqlite3.Connection, token: str) -> bool:
    """The glossary names this very token (not a word inside it) and some section holds one of its
    renderings, its words in a row."""
    name = token.casefold()
    for entry in glossary().entries_in(token):
        variants = (*entry.zh, *entry.en)
        if name not in {v.casefold() for v in variants}:
            continue
        # a rendering of several words is held as a phrase, not word by word: `direct`,
        # `preference` and `optimization` apart are in many notes that never name DPO
        if any(
            sections_holding(conn, [" ".join(terms(v))]) for v in variants if v.casefold() != name
        ):
            return True
    return False
