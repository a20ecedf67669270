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


def test_a_section_that_only_points_elsewhere_ranks_after_the_ones_that_answer(
    vault: Path, conn: sqlite3.Connection
) -> None:
    """`参考`'s address spells index-condition-pushdown; the section explaining ICP answers."""
    from bagu.indexer import index_vault
    from bagu.search.service import search_sections

    (vault / "mysql.md").write_text(
        "# MySQL 索引\n\n## 索引下推 ICP\n\nIndex condition pushdown 把 where 条件下推到存储引擎，"
        "在索引里先过滤，减少回表；EXPLAIN 的 Extra 显示 Using index condition。\n\n"
        "## 参考\n\n- https://dev.mysql.com/doc/refman/8.0/en/index-condition-pushdown-optimization.html\n"
        "- 《MySQL 是怎样运行的》\n",
        encoding="utf-8",
    )
    index_vault(conn, vault)
    headings = [hit.heading for hit in search_sections(conn, "index condition pushdown").hits]
    assert headings[0] == "索引下推 ICP"
    assert headings[-1] == "参考"  # still found, after what answers
