"""The syllabus a summary page defines: which notes are summaries, and the order new cards come
in."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

from bagu.indexer import index_vault
from bagu.links.graph import load_targets
from bagu.links.syllabus import summary_pages, syllabus_ranks
from bagu.store.links import load_links
from bagu.store.reviews import due_cards
from bagu.store.sqlite import sqlite3
from bagu.update import update_index
from tests.conftest import EXAMPLE_VAULT, WriteNote


def _summaries(conn: sqlite3.Connection, vault: Path) -> list[str]:
    index_vault(conn, vault)
    return summary_pages(load_links(conn), load_targets(conn, vault))


def test_the_example_vaults_summary_page_is_found(conn: sqlite3.Connection, tmp_path: Path) -> None:
    vault = tmp_path / "v"
    shutil.copytree(EXAMPLE_VAULT, vault, ignore=shutil.ignore_patterns(".bagu"))
    assert _summaries(conn, vault) == ["八股文.md"]


def test_new_cards_start_with_what_the_summary_links_to_in_its_order(
    conn: sqlite3.Connection, tmp_path: Path
) -> None:
    vault = tmp_path / "v"
    shutil.copytree(EXAMPLE_VAULT, vault, ignore=shutil.ignore_patterns(".bagu"))
    update_index(conn, vault, [])
    first = due_cards(conn, datetime.now(UTC), new_limit=3, review_limit=0)
    sources = [card.sources[0].to_dict() for card in first]
    # 八股文.md opens with 网络: two links into tcp-handshake.md, then http.md; its own 网络 section
    # shares rank 0
    assert [s["path"] for s in sources][:1] in (["八股文.md"], ["network/tcp-handshake.md"])
    assert {s["path"] for s in sources} <= {
        "八股文.md",
        "network/tcp-handshake.md",
        "network/http.md",
    }, sources
    ranked = conn.execute(
        "SELECT count(*) FROM cards WHERE status = 'active' AND syllabus_rank IS NOT NULL"
    )
    assert ranked.fetchone()[0] >= 5


def test_self_links_missing_notes_and_two_summaries(
    conn: sqlite3.Connection, vault: Path, write: WriteNote
) -> None:
    for i in range(6):
        write(f"n{i}.md", f"# N{i}\n\n## 要点\n\n内容 {i}\n")
    links = "".join(f"- [n{i}](n{i}.md#要点)\n" for i in reversed(range(6)))
    write("a-summary.md", f"# A\n\n[self](#a)\n[gone](missing.md#x)\n\n{links}")
    write(
        "b-summary.md",
        "# B\n\n" + "".join(f"- [[n{i}#要点]]\n" for i in range(6)) + "- [[a-summary]]\n",
    )
    assert _summaries(conn, vault) == ["a-summary.md", "b-summary.md"]
    ranks = syllabus_ranks(load_links(conn), load_targets(conn, vault))
    ids = dict(
        conn.execute(
            "SELECT d.path, s.id FROM sections s JOIN documents d ON d.id = s.document_id WHERE "
            "s.level = 2"
        )
    )
    # a-summary's order
    assert [ranks[ids[f"n{i}.md"]] for i in reversed(range(6))] == [0, 1, 2, 3, 4, 5]


def test_search_shows_the_summarys_section_beside_the_section_it_links_to(
    conn: sqlite3.Connection, tmp_path: Path
) -> None:
    """`三次握手` finds the TCP note's section; 八股文.md's 网络 section, which links to it, is the
    summary's take on the same topic and comes second (it was not among the top three)."""
    from bagu.search.service import Searcher
    from bagu.store.links import summary_section_of

    vault = tmp_path / "v"
    shutil.copytree(EXAMPLE_VAULT, vault, ignore=shutil.ignore_patterns(".bagu"))
    update_index(conn, vault, [])
    hits = Searcher(conn, []).search("三次握手", k=3).hits
    assert [(h.path, h.heading) for h in hits[:2]] == [
        ("network/tcp-handshake.md", "三次握手 Three-way Handshake"),
        ("八股文.md", "网络"),
    ]
    assert summary_section_of(conn, hits[1].section_id) is None  # the summary links to nothing
    # a search limited to some notes shows only those
    limited = Searcher(conn, []).search("三次握手", k=3, path_glob="network/*").hits
    assert {h.path for h in limited} <= {"network/tcp-handshake.md", "network/http.md"}
