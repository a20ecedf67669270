"""A first index parses in worker processes: the same index as parsing in-process, bad notes skipped
alike."""

from __future__ import annotations

from pathlib import Path

import pytest

import bagu.prepare
from bagu.indexer import index_vault
from bagu.store.db import connect


def _vault(root: Path) -> Path:
    for n in range(bagu.prepare.PARALLEL_MIN_NOTES + 6):
        folder = root / f"topic{n % 5}"
        folder.mkdir(parents=True, exist_ok=True)
        text = (
            f"# 笔记 {n}\n\n## 缓存 {n}\n\n**缓存穿透**是查询不存在的数据。See [b](b{n}.md).\n\n- "
            f"布隆过滤器\n- 空值缓存\n"
        )
        (folder / f"n{n}.md").write_text(text, encoding="utf-8")
    (root / "binary.md").write_bytes(b"\x00\x01\x02" * 100)  # not text: skipped with a warning
    return root


def _dump(db: Path) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    conn = connect(db, create=False)
    try:
        sections = conn.execute(
            "SELECT s.heading, s.body, f.heading, f.heading_path, f.body FROM sections s"
            " JOIN section_fts f ON f.rowid = s.id ORDER BY s.id"
        ).fetchall()
        documents = conn.execute("SELECT path, lang, title FROM documents ORDER BY id").fetchall()
        return [tuple(r) for r in sections], [tuple(r) for r in documents]
    finally:
        conn.close()


def test_workers_build_the_same_index_as_one_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    vault = _vault(tmp_path / "vault")
    notes = bagu.prepare.PARALLEL_MIN_NOTES + 6
    reports = []
    for name, minimum in (("parallel.db", bagu.prepare.PARALLEL_MIN_NOTES), ("serial.db", 10**9)):
        monkeypatch.setattr(bagu.prepare, "PARALLEL_MIN_NOTES", minimum)
        conn = connect(tmp_path / name)
        reports.append(index_vault(conn, vault))
        conn.close()
    parallel, serial = reports
    assert parallel.parsed == serial.parsed == notes
    assert parallel.skipped == serial.skipped == 1
    assert [w.path for w in parallel.warnings] == [w.path for w in serial.warnings] == ["binary.md"]
    assert _dump(tmp_path / "parallel.db") == _dump(tmp_path / "serial.db")
