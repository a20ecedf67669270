"""The `bagu` command as a user runs it: real processes, real files, exit codes and messages."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bagu.store.sqlite import sqlite3
from tests.conftest import EXAMPLE_VAULT, WriteNote

BAGU = [sys.executable, "-m", "bagu"]


def bagu(*args: str, db: Path, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*BAGU, "--db", str(db), *args], capture_output=True, text=True, timeout=timeout)


def test_index_search_sections_stats_json(db_path: Path) -> None:
    report = json.loads(bagu("index", str(EXAMPLE_VAULT), "--json", db=db_path).stdout)
    assert report["files_seen"] == report["parsed"] == 17
    assert {
        "files_seen",
        "parsed",
        "unchanged",
        "renamed",
        "removed",
        "skipped",
        "sections",
        "links",
        "seconds",
    } <= set(report)
    again = json.loads(bagu("index", str(EXAMPLE_VAULT), "--json", db=db_path).stdout)
    assert (again["parsed"], again["unchanged"]) == (0, 17)

    found = json.loads(bagu("search", "三次握手", "--json", db=db_path).stdout)
    top = found["results"][0]
    assert (top["path"], top["anchor"], top["line"]) == ("network/tcp-handshake.md", "三次握手 Three-way Handshake", 3)
    assert {"path", "heading", "anchor", "line", "snippet", "score"} <= set(top)

    rows = json.loads(bagu("sections", "network/tcp-handshake.md", "--json", db=db_path).stdout)
    assert rows[0] == {
        "path": "network/tcp-handshake.md",
        "heading": "TCP 连接管理",
        "level": 1,
        "heading_path": ["TCP 连接管理"],
        "line_start": 1,
        "line_end": 2,
        "anchors": {
            "raw": "TCP 连接管理",
            "text": "TCP 连接管理",
            "github": "tcp-连接管理",
            "kramdown": "tcp-连接管理",
            "explicit": [],
        },
    }
    stats = json.loads(bagu("stats", "--json", db=db_path).stdout)
    assert sum(f["notes"] for f in stats["folders"]) == 17
    human = bagu("search", "Redis 持久化", db=db_path)
    assert human.returncode == 0 and "redis-persistence.md" in human.stdout


def test_missing_vault_and_missing_index_are_one_line_errors(tmp_path: Path) -> None:
    result = bagu("index", str(tmp_path / "nope"), db=tmp_path / "x.db")
    assert result.returncode == 2 and "is not a folder" in result.stderr and "Traceback" not in result.stderr
    result = bagu("search", "x", db=tmp_path / "missing.db")
    assert result.returncode == 2 and "bagu index" in result.stderr


def test_corrupt_database_is_explained_and_rebuild_recovers(db_path: Path) -> None:
    db_path.parent.mkdir(parents=True)
    db_path.write_bytes(os.urandom(8192))
    result = bagu("index", str(EXAMPLE_VAULT), db=db_path)
    assert result.returncode == 2 and "--rebuild" in result.stderr and "Traceback" not in result.stderr
    rebuilt = bagu("index", str(EXAMPLE_VAULT), "--rebuild", "--json", db=db_path)
    assert rebuilt.returncode == 0 and json.loads(rebuilt.stdout)["parsed"] == 17
    assert list(db_path.parent.glob("bagu.db.broken-*"))


def test_newer_schema_is_refused(db_path: Path) -> None:
    bagu("index", str(EXAMPLE_VAULT), "--json", db=db_path)
    with sqlite3.connect(db_path) as raw:
        raw.execute("PRAGMA user_version = 999")
    result = bagu("search", "tcp", db=db_path)
    assert result.returncode == 2 and "newer bagu" in result.stderr


def _big_vault(write: WriteNote, notes: int) -> None:
    body = "".join(
        f"## 小节 {j}\n\nRedis 持久化 RDB AOF 快照 snapshot fork copy-on-write 段落 {j}.\n\n" for j in range(300)
    )
    for i in range(notes):
        write(f"n/{i:03}.md", f"# 笔记 {i}\n\n{body}")


def test_two_indexers_at_once_the_second_says_so(db_path: Path, vault: Path, write: WriteNote) -> None:
    _big_vault(write, 60)
    first = subprocess.Popen(
        [*BAGU, "--db", str(db_path), "index", str(vault), "--json"], stdout=subprocess.PIPE, text=True
    )
    lock = db_path.with_name("bagu.db.lock")
    deadline = time.monotonic() + 30
    while not (lock.exists() and lock.read_text()) and time.monotonic() < deadline:
        time.sleep(0.05)
    second = bagu("index", str(vault), db=db_path)
    assert second.returncode == 2 and "another `bagu index`" in second.stderr
    assert first.wait(120) == 0
    waited = bagu("index", str(vault), "--wait", "60", "--json", db=db_path)
    assert json.loads(waited.stdout)["unchanged"] == 60


def test_ctrl_c_mid_index_leaves_a_consistent_store_and_resumes(db_path: Path, vault: Path, write: WriteNote) -> None:
    _big_vault(write, 120)
    process = subprocess.Popen(
        [*BAGU, "--db", str(db_path), "index", str(vault), "--json"], stderr=subprocess.PIPE, text=True
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        time.sleep(0.2)
        if db_path.exists():
            with sqlite3.connect(db_path) as probe:
                try:
                    if probe.execute("SELECT count(*) FROM documents").fetchone()[0] >= 32:
                        break
                except sqlite3.OperationalError:
                    continue
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=60)
    if process.returncode == 0:
        pytest.skip("indexing finished before the interrupt arrived")
    assert process.returncode == 130 and "run `bagu index` again" in stderr
    with sqlite3.connect(db_path) as check:
        assert check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        done = check.execute("SELECT count(*) FROM documents").fetchone()[0]
        assert done % 32 == 0 and 0 < done < 120
        orphans = check.execute("SELECT count(*) FROM sections WHERE document_id NOT IN (SELECT id FROM documents)")
        assert orphans.fetchone()[0] == 0
    resumed = json.loads(bagu("index", str(vault), "--json", db=db_path).stdout)
    assert (resumed["unchanged"], resumed["parsed"]) == (done, 120 - done)
