"""Sections read back from the store as the vault model."""

from __future__ import annotations

from pathlib import Path

from bagu.indexer import index_vault
from bagu.store.queries import sections_by_id
from bagu.store.sqlite import sqlite3


def test_sections_by_id_bring_their_links_when_asked(vault: Path, conn: sqlite3.Connection) -> None:
    (vault / "moe.md").write_text(
        "# MOE\n\n[Sparsely-Gated MoE](https://arxiv.org/abs/1701.06538)\n\n每个样本只激活部分专家。\n",
        encoding="utf-8",
    )
    (vault / "other.md").write_text("# 其他\n\n[MOE](moe.md#moe)\n", encoding="utf-8")
    index_vault(conn, vault)
    ids = [int(row[0]) for row in conn.execute("SELECT id FROM sections WHERE heading = 'MOE'")]
    ((path, section),) = sections_by_id(conn, ids, with_links=True).values()
    assert path == "moe.md" and [link.text for link in section.links] == ["Sparsely-Gated MoE"]
    ((_, bare),) = sections_by_id(conn, ids).values()
    assert bare.links == ()
