"""A section whose own heading the query names speaks first among the sections found: `HNSW` for
`HNSW` over `HNSW 的查询和构建`, but not a parent over its own sub-section."""

from __future__ import annotations

from pathlib import Path

from bagu.indexer import index_vault
from bagu.search.hybrid import Fused, named_sections, with_named_headings
from bagu.search.tokenize import query_terms
from bagu.store.db import connect
from bagu.store.queries import section_places

NOTE = """# 向量索引

## HNSW 的查询和构建

HNSW 的查询从最上层开始贪心搜索，逐层向下。

## HNSW

HNSW 是分层的可导航小世界图。

## Raft

Raft 是一种共识算法。

### 日志同步

leader 把日志复制到 follower。
"""


def _places(tmp_path: Path) -> dict[int, tuple[str, tuple[str, ...]]]:
    vault = tmp_path / "vault"
    vault.mkdir()
    (vault / "index.md").write_text(NOTE, encoding="utf-8")
    conn = connect(tmp_path / "bagu.db")
    index_vault(conn, vault)
    ids = [int(row[0]) for row in conn.execute("SELECT id FROM sections ORDER BY ordinal")]
    return section_places(conn, ids)


def _ids(places: dict[int, tuple[str, tuple[str, ...]]], *headings: str) -> set[int]:
    return {i for i, (_, path) in places.items() if path and path[-1] in headings}


def test_the_heading_the_query_names_in_full_is_named(tmp_path: Path) -> None:
    places = _places(tmp_path)
    wanted = {t.casefold() for t in query_terms("HNSW")}
    assert named_sections(places, wanted, query_terms) == _ids(places, "HNSW")


def test_a_parent_whose_sub_section_is_found_is_not_named(tmp_path: Path) -> None:
    """`Raft` names the topic; its `日志同步` answers `how does Raft replicate its log`."""
    places = _places(tmp_path)
    wanted = {t.casefold() for t in query_terms("Raft 日志同步")}
    assert named_sections(places, wanted, query_terms) == _ids(places, "日志同步")
    without_child = {i: p for i, p in places.items() if i not in _ids(places, "日志同步")}
    assert named_sections(without_child, wanted, query_terms) == _ids(places, "Raft")


def test_a_named_section_moves_up_within_the_pool_only() -> None:
    ranking = [Fused(1, 5.0, 4.0, 1.0), Fused(2, 4.5, 3.5, 1.0), Fused(3, 1.0, 1.0, 0.0)]
    assert [f.section_id for f in with_named_headings(ranking, {2})] == [2, 1, 3]
    assert [f.section_id for f in with_named_headings(ranking, {3})] == [1, 2, 3]  # too far below
    assert [f.section_id for f in with_named_headings(ranking, {3}, pool=2)] == [1, 2, 3]
    assert with_named_headings(ranking, set()) == ranking
