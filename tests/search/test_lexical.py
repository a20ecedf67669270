"""Lexical search over a real index: Chinese and English queries, and user text that looks like FTS5 syntax."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bagu.indexer import index_vault
from bagu.search.service import search_sections
from bagu.search.snippet import make_snippet
from bagu.search.tokenize import fts_match, query_terms
from bagu.store.sqlite import sqlite3
from tests.conftest import EXAMPLE_VAULT


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> sqlite3.Connection:
    from bagu.store.db import connect

    conn = connect(tmp_path_factory.mktemp("db") / "bagu.db")
    index_vault(conn, EXAMPLE_VAULT)
    return conn


@pytest.mark.parametrize(
    ("query", "path", "heading"),
    [
        ("三次握手", "network/tcp-handshake.md", "三次握手 Three-way Handshake"),
        ("为什么要三次握手", "network/tcp-handshake.md", "三次握手 Three-way Handshake"),
        ("why does TIME_WAIT last 2MSL", "network/tcp-handshake.md", "为什么 TIME_WAIT 要等待 2MSL"),
        ("redis 哨兵 选主", "db/redis-sentinel.md", "哨兵如何选主"),
        ("epoll_wait", "os/epoll.md", "epoll"),
        ("GOMAXPROCS", "language/go-scheduler.md", "GMP 模型"),
        ("B+树", "db/mysql-index.md", "为什么使用 B+树"),
    ],
)
def test_queries_land_on_the_section_that_answers_them(
    example: sqlite3.Connection, query: str, path: str, heading: str
) -> None:
    top = search_sections(example, query, k=3).hits[0]
    assert (top.path, top.heading) == (path, heading)
    assert top.highlights, "the snippet marks what matched"
    start, end = top.highlights[0]
    assert top.snippet[start:end]


def test_path_filter(example: sqlite3.Connection) -> None:
    hits = search_sections(example, "握手", k=10, path_glob="network/http*").hits
    assert hits and {h.path for h in hits} == {"network/http.md"}


@pytest.mark.parametrize(
    "query",
    [
        '"',
        '"unbalanced',
        "*",
        "a*",
        "NEAR",
        "NEAR(a b)",
        "-x",
        "a:b",
        "heading:tcp",
        "(",
        "a OR",
        "AND",
        "^x",
        "'",
        "{a b}",
    ],
)
def test_fts_syntax_in_queries_is_plain_text(example: sqlite3.Connection, query: str) -> None:
    search_sections(example, query)  # must not raise sqlite3.OperationalError


@settings(max_examples=200, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=30))
def test_any_text_is_a_valid_query(example: sqlite3.Connection, query: str) -> None:
    terms = query_terms(query)
    if terms:
        example.execute("SELECT count(*) FROM section_fts WHERE section_fts MATCH ?", (fts_match(terms),)).fetchone()


def test_query_terms_drop_question_words_but_not_everything() -> None:
    assert query_terms("为什么要三次握手") == ["三次", "握手"]
    assert query_terms("why") == ["why"]
    assert query_terms("sync.Mutex") == ["sync", "mutex", "sync_mutex"]


def test_snippet_highlights_identifiers_written_with_their_separator() -> None:
    snippet = make_snippet("大量 TIME_WAIT 可以通过 net.ipv4.tcp_tw_reuse 缓解", ["time_wait"])
    assert [snippet.text[s:e] for s, e in snippet.highlights] == ["TIME_WAIT"]


def test_missing_index_is_a_clear_error(tmp_path: Path) -> None:
    from bagu.errors import StoreError
    from bagu.store.db import connect

    with pytest.raises(StoreError, match="bagu index"):
        connect(tmp_path / "none.db", create=False)
