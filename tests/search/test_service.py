"""What a search hit says about its section: the anchor a link to it would use."""

from __future__ import annotations

from pathlib import Path

from bagu.indexer import index_vault
from bagu.search.service import Searcher, SearchMode
from bagu.store.sqlite import sqlite3
from tests.conftest import WriteNote


def test_a_heading_written_as_a_link_is_cited_by_its_text(
    vault: Path, write: WriteNote, conn: sqlite3.Connection
) -> None:
    write(
        "redis.md",
        "# Redis\n\n## [**哨兵**](redis/sentinel.md#哨兵)\n\n哨兵监控主节点，故障时选出新的主节点"
        "。\n",
    )
    index_vault(conn, vault)
    hit = Searcher(conn, []).search("哨兵 主节点", mode=SearchMode.LEXICAL).hits[0]
    # not `[**哨兵**](redis/sentinel.md#哨兵)`
    assert hit.heading_path[-1] == "哨兵" and hit.anchor == "哨兵"
