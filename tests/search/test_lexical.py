"""Lexical search over a real index: Chinese and English queries, and user text that looks like FTS5
syntax."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bagu.indexer import index_vault
from bagu.search.hybrid import idf_share
from bagu.search.lexical import document_counts, section_terms
from bagu.search.service import ABSTAIN_NOTICE, search_sections
from bagu.search.snippet import make_snippet
from bagu.search.tokenize import finest_terms, fts_match, named_terms, query_terms, terms
from bagu.store.sqlite import sqlite3
from tests.conftest import WriteNote


@pytest.mark.parametrize(
    ("query", "path", "heading"),
    [
        ("三次握手", "network/tcp-handshake.md", "三次握手 Three-way Handshake"),
        ("为什么要三次握手", "network/tcp-handshake.md", "三次握手 Three-way Handshake"),
        (
            "why does TIME_WAIT last 2MSL",
            "network/tcp-handshake.md",
            "为什么 TIME_WAIT 要等待 2MSL",
        ),
        ("redis 哨兵 选主", "db/redis-sentinel.md", "哨兵如何选主"),
        ("epoll_wait", "os/epoll.md", "epoll"),
        ("GOMAXPROCS", "language/go-scheduler.md", "GMP 模型"),
        ("B+树", "db/mysql-index.md", "为什么使用 B+树"),
        ("http2 多路复用", "network/http.md", "HTTP/1.1 vs HTTP/2"),  # the note writes HTTP/2
        ("http1.1 队头阻塞", "network/http.md", "HTTP/1.1 vs HTTP/2"),
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
        example.execute(
            "SELECT count(*) FROM section_fts WHERE section_fts MATCH ?", (fts_match(terms),)
        ).fetchone()


def test_query_terms_drop_question_words_but_not_everything() -> None:
    assert query_terms("为什么要三次握手") == ["三次", "握手"]
    assert query_terms("why") == ["why"]
    assert query_terms("sync.Mutex") == ["sync", "mutex", "sync_mutex"]


def test_a_word_glued_to_its_version_has_the_terms_of_the_word_and_the_number() -> None:
    assert terms("http2") == terms("HTTP/2") == ["http", "2"]
    assert set(terms("GPT-4")) == set(terms("gpt4")) == {"gpt", "4"}
    assert set(query_terms("http1.1")) >= set(terms("HTTP/1.1"))
    # not a version: kept whole
    assert terms("k8s") == ["k8s"] and "time_wait" in terms("TIME_WAIT")


def test_snippet_highlights_identifiers_written_with_their_separator() -> None:
    snippet = make_snippet("大量 TIME_WAIT 可以通过 net.ipv4.tcp_tw_reuse 缓解", ["time_wait"])
    assert [snippet.text[s:e] for s, e in snippet.highlights] == ["TIME_WAIT"]


def test_snippet_highlights_whole_words_not_pieces_of_them() -> None:
    """Terms are stems (epoll → epol, Redis → redi) and numbers: a highlight covers the whole word
    the stem came from, and a number never lights up inside a longer one (the 2 of HTTP/2 is not the
    2 of 502)."""
    snippet = make_snippet(
        "用epoll实现，Redis replication 与 HTTP/2；状态码 502，xepol",
        ["epol", "redi", "replic", "2"],
    )
    assert [snippet.text[s:e] for s, e in snippet.highlights] == [
        "epoll",
        "Redis",
        "replication",
        "2",
    ]


def test_missing_index_is_a_clear_error(tmp_path: Path) -> None:
    from bagu.errors import StoreError
    from bagu.store.db import connect

    with pytest.raises(StoreError, match="bagu index"):
        connect(tmp_path / "none.db", create=False)


def test_question_words_are_dropped_in_their_stemmed_form_too() -> None:
    # "does" is the term "doe" and "differences" is "differ" once stemmed; neither may be required
    # to match.
    assert query_terms("how does the Go scheduler work") == ["go", "schedul"]
    assert query_terms("what are the differences between redo log and binlog") == [
        "redo",
        "log",
        "binlog",
    ]


def test_chinese_function_words_are_dropped_from_queries() -> None:
    # stopwords-iso's Chinese list plus spoken words: under AND every one of these would have to
    # match.
    assert query_terms("把 pod 调度到指定节点该怎么配置") == ["pod", "调度", "指定", "节点", "配置"]
    assert query_terms("tcp 断开连接为啥要四步") == ["tcp", "断开", "连接", "断开连接", "四步"]
    # nothing else left: the query is kept as it is
    assert query_terms("为什么") == ["什么", "为什么"]


def test_finest_terms_drop_compounds_whose_parts_are_there() -> None:
    assert finest_terms(query_terms("分布式系统的一致性")) == ["分布", "布式", "系统", "一致"]
    assert finest_terms(query_terms("TIME_WAIT")) == ["time", "wait"]
    assert finest_terms(["效率", "效率高", "epol"]) == ["效率", "epol"]


def test_named_terms_are_chinese_words_and_names_not_plain_english() -> None:
    def named(query: str) -> list[str]:
        return named_terms(query, query_terms(query))

    assert named("what is a zombie process") == []
    assert named("Rust borrow checker and lifetimes") == ["rust"]
    assert named("ＴＣＰ 三次握手") == ["tcp", "三次", "握手"]
    assert named("how does sync.Mutex work") == ["sync", "mutex", "sync_mutex"]
    # Hyphens and a full stop do not make a name; capitals, digits and identifier characters do.
    assert named("single-tower versus two-tower models for text matching.") == []
    assert named("why does TCP need a three-way handshake") == ["tcp"]
    # the verb a question opens with is capitalised by its place
    assert named("Walk me through how kube-scheduler assigns a Pod") == ["pod"]
    assert named("Explain why Redis is fast") == ["redi"]
    assert set(named("C++ 虚函数 and TIME_WAIT")) == {
        "c",
        "虚",
        "函数",
        "time_wait",
        "time",
        "wait",
    }


def test_idf_share_weighs_the_query_terms_found_in_the_top_hits(
    example: sqlite3.Connection,
) -> None:
    counts = document_counts(example, query_terms("握手 epoll sourdough"))
    assert counts["sourdough"] == 0
    assert counts["握手"] >= 2 and counts["epol"] >= 1  # the index holds stemmed terms
    sections = example.execute("SELECT count(*) FROM sections").fetchone()[0]
    weight = {term: math.log((sections + 1) / (count + 0.5)) for term, count in counts.items()}

    handshake = example.execute(
        "SELECT rowid FROM section_fts WHERE section_fts MATCH '握手' ORDER BY bm25(section_fts) "
        "LIMIT 1"
    ).fetchone()[0]
    found = section_terms(example, [handshake])
    assert "握手" in found and "sourdough" not in found
    share = idf_share(counts, sections, found)
    expected = sum(w for term, w in weight.items() if term in found) / sum(weight.values())
    assert share == pytest.approx(expected) and 0 < share < 1
    # The unknown word weighs most: it is the rarest.
    assert weight["sourdough"] > weight["握手"]
    assert idf_share({}, sections, found) == 1.0
    assert section_terms(example, []) == set()


@pytest.mark.parametrize("query", ["a" * 10_000, "\x01\x02\x03\x07", "龘靐齉", "qwxzv plmkj"])
def test_a_query_that_matches_nothing_abstains_like_an_empty_one(
    example: sqlite3.Connection, query: str
) -> None:
    results = search_sections(example, query)
    empty = search_sections(example, "?!")
    assert results.hits == () and results.abstained and empty.abstained
    assert results.confidence == 0.0 and results.notice in (
        "the query has no searchable words",
        ABSTAIN_NOTICE,
    )


def test_control_characters_are_not_part_of_a_query(example: sqlite3.Connection) -> None:
    assert search_sections(example, "epoll\x07_wait\x1b").query == "epoll _wait "


def test_sections_with_some_of_the_words_fill_the_list_below_those_with_all(
    conn: sqlite3.Connection, vault: Path, write: WriteNote
) -> None:
    """`三次握手 四次挥手`: the overview with both first, then each handshake's own section."""
    write("net.md", "# 网络\n\n## 概览\n\nTCP 建立连接用三次握手，断开连接用四次挥手。\n")
    write(
        "tcp.md",
        "# TCP\n\n## 三次握手\n\n客户端发 SYN，服务端回 SYN+ACK，客户端再回 ACK。三次握手同步序列"
        "号。\n\n"
        "## 四次挥手\n\n双方各自发送 FIN 并确认，四次挥手之后连接关闭。\n\n## 拥塞控制\n\n慢启动"
        "和拥塞避免。\n",
    )
    index_vault(conn, vault)
    results = search_sections(conn, "三次握手 四次挥手", k=10)
    headings = [hit.heading for hit in results.hits]
    assert headings[0] == "概览" and set(headings[1:3]) == {"三次握手", "四次挥手"}
    # one section holds every word, so nothing is said about partial matches
    assert results.notice is None


def test_an_english_query_finds_a_chinese_section_through_the_glossary(
    conn: sqlite3.Connection, vault: Path, write: WriteNote
) -> None:
    """Lexical search alone (the first seconds of an index, users without the models) crosses
    languages."""
    write(
        "mysql.md",
        "# MySQL\n\n## 幻读\n\n一个事务两次范围查询之间，另一个事务插入了新行。\n\n## 索"
        "引\n\nB+树。\n",
    )
    index_vault(conn, vault)
    hits = search_sections(conn, "what is a phantom read", k=3).hits
    assert hits and hits[0].heading == "幻读"


def test_a_lexical_search_ranks_the_expansion_on_a_second_connection_with_the_same_result(
    conn: sqlite3.Connection, vault: Path, write: WriteNote
) -> None:
    """The glossary's expansion runs beside the query's own words (a thread, a connection of its
    own); what it finds is what one connection finds, with a folder filter too."""
    from bagu.search.service import Searcher, SearchMode

    write(
        "db/mysql.md",
        "# MySQL\n\n## 幻读\n\n一个事务两次范围查询之间，另一个事务插入了新行。\n\n## 索"
        "引\n\nB+树。\n",
    )
    write("os/mem.md", "# 内存\n\n## 幻读 read\n\n操作系统里 read 读到的幻读不是事务的。\n")
    index_vault(conn, vault)
    beside = Searcher(conn, [])
    alone = Searcher(conn, [])
    alone._file = None  # as for a database in memory: everything on this connection
    for glob in (None, "db/*"):
        got = beside.search("what is a phantom read", mode=SearchMode.LEXICAL, path_glob=glob)
        want = alone.search("what is a phantom read", mode=SearchMode.LEXICAL, path_glob=glob)
        assert [(h.path, h.heading, h.score) for h in got.hits] == [
            (h.path, h.heading, h.score) for h in want.hits
        ]
        assert got.hits and got.hits[0].heading.startswith("幻读")
    assert beside._second is not None and alone._second is None


def test_a_single_letter_is_no_part_of_a_name() -> None:
    assert finest_terms(["g", "1", "zgc"]) == ["g", "1", "zgc"]
    assert finest_terms(["分布式", "系统", "分布式系统"]) == ["分布式", "系统"]


def test_a_technical_term_the_vault_never_names_counts_against_coverage(
    conn: sqlite3.Connection, vault: Path, write: WriteNote
) -> None:
    """`three-phase commit` to notes that only know 两阶段提交: the glossary names the concept, and
    no top hit holds it in either language, though every plain word of the question is there."""
    from bagu.search.service import Searcher

    write(
        "dist.md",
        "# 分布式\n\n## 两阶段提交\n\n两阶段提交 two-phase commit 分为准备阶段和提交阶段，协调者"
        "决定提交。\n",
    )
    index_vault(conn, vault)
    searcher = Searcher(conn, [])
    _, unknown, _ = searcher.assess("what does three-phase commit add to the commit phases")
    _, known, _ = searcher.assess("what does two-phase commit do in the commit phases")
    assert unknown.covered < 0.5 and known.covered == 1.0
