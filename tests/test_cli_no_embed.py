"""Only `index` and `serve` embed: `check` and `fix` on an index made with --no-embed refresh the
notes and never start a model (here, one that would fail at once if anything called it)."""

from __future__ import annotations

import os
import sqlite3
import subprocess
from pathlib import Path

from tests.conftest import EXAMPLE_VAULT
from tests.test_cli import BAGU, bagu

UNREACHABLE = "openai:nomodel@http://127.0.0.1:9/v1"  # port 9 (discard): any embedding call fails


def test_check_and_fix_never_embed(tmp_path: Path, db_path: Path) -> None:
    vault = tmp_path / "vault"
    subprocess.run(["cp", "-r", str(EXAMPLE_VAULT), str(vault)], check=True)
    assert bagu("index", str(vault), "--no-embed", db=db_path).returncode == 0
    (vault / "new-note.md").write_text(
        "# 新笔记\n\n## 一节\n\n内容 [坏链接](missing.md)。\n", encoding="utf-8"
    )
    env = {**os.environ, "BAGU_EMBEDDER": UNREACHABLE}
    for args in (["check", str(vault)], ["fix", str(vault)]):
        result = subprocess.run(
            [*BAGU, "--db", str(db_path), *args],
            capture_output=True,
            text=True,
            timeout=120,
            env=env,
        )
        assert "embedding" not in result.stderr.lower() and "Traceback" not in result.stderr, (
            result.stderr
        )
        assert result.returncode in (0, 1), result.stderr  # 1: broken links found
    with sqlite3.connect(db_path) as conn:
        assert (
            conn.execute("SELECT count(*) FROM documents WHERE path = 'new-note.md'").fetchone()[0]
            == 1
        )
        assert conn.execute("SELECT count(*) FROM embedded").fetchone()[0] == 0
