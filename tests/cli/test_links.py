"""`bagu check`, `bagu links` and `bagu fix` as a user runs them, on a copy of the example vault."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest

from tests.cli.run import BAGU, bagu
from tests.conftest import EXAMPLE_VAULT


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    copy = tmp_path / "vault"
    shutil.copytree(EXAMPLE_VAULT, copy, ignore=shutil.ignore_patterns(".bagu"))
    return copy


def _hashes(vault: Path) -> dict[str, str]:
    return {
        str(p.relative_to(vault)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in vault.rglob("*.md")
        if ".bagu" not in p.parts
    }


def test_check_reports_the_four_broken_links_and_exits_1(demo: Path, db_path: Path) -> None:
    result = bagu("check", str(demo), "--json", db=db_path)
    assert result.returncode == 1, result.stderr
    report = json.loads(result.stdout)
    assert [(b["path"], b["line"], b["reason"]) for b in report["broken"]] == [
        ("八股文.md", 11, "missing-file"),
        ("八股文.md", 19, "missing-anchor"),
        ("八股文.md", 38, "missing-anchor"),
        ("八股文.md", 40, "missing-anchor"),
    ]
    stray = report["broken"][3]
    assert (
        stray["suggestions"][0]["destination"] == "language/go-scheduler.md#GMP 模型"
        and stray["fixable"]
    )
    table = bagu("check", str(demo), db=db_path)
    assert table.returncode == 1 and "4 broken" in table.stdout and "八股文.md:40:3" in table.stdout


def test_sarif_output_is_valid_json_with_results(demo: Path, db_path: Path) -> None:
    result = bagu("check", str(demo), "--format", "sarif", db=db_path)
    sarif = json.loads(result.stdout)
    assert result.returncode == 1 and len(sarif["runs"][0]["results"]) == 4


def test_fix_dry_run_then_apply_then_nothing_left_to_fix(demo: Path, db_path: Path) -> None:
    before = _hashes(demo)
    dry = bagu("fix", str(demo), db=db_path)
    assert dry.returncode == 0, dry.stderr
    assert "-- [GMP](language/go-scheduler.md#GMP 模型])" in dry.stdout
    assert "+- [GMP](language/go-scheduler.md#GMP 模型)" in dry.stdout
    assert "Would repair 2 link(s) in 1 note(s)" in dry.stdout
    assert _hashes(demo) == before

    applied = bagu("fix", str(demo), "--apply", db=db_path)
    assert applied.returncode == 0 and "Repaired 2 link(s)" in applied.stdout
    changed = {path for path, digest in _hashes(demo).items() if before[path] != digest}
    assert changed == {"八股文.md"}
    backups = list((demo / ".bagu" / "backups").glob("*/八股文.md"))
    assert (
        len(backups) == 1
        and hashlib.sha256(backups[0].read_bytes()).hexdigest() == before["八股文.md"]
    )

    recheck = json.loads(bagu("check", str(demo), "--json", db=db_path).stdout)
    assert [b["line"] for b in recheck["broken"]] == [11, 19]
    fixed = _hashes(demo)
    again = bagu("fix", str(demo), "--apply", db=db_path)
    assert "Nothing to repair confidently" in again.stdout
    assert _hashes(demo) == fixed


def test_fix_only_applies_a_chosen_lower_confidence_suggestion(demo: Path, db_path: Path) -> None:
    result = bagu("fix", str(demo), "--apply", "--only", "八股文.md:19@1", db=db_path)
    assert result.returncode == 0 and "Repaired 1 link(s)" in result.stdout
    assert "[MVCC](db/mysql-transaction.md#MVCC 原理)" in (demo / "八股文.md").read_text(
        encoding="utf-8"
    )


def test_links_lists_backlinks_with_lines(demo: Path, db_path: Path) -> None:
    bagu("index", str(demo), db=db_path)
    result = bagu("links", "language/go-scheduler.md", "-V", str(demo), "--json", db=db_path)
    data = json.loads(result.stdout)
    assert [(b["path"], b["line"], b["status"]) for b in data["backlinks"]] == [
        ("八股文.md", 40, "missing-anchor"),
        ("八股文.md", 41, "ok"),
    ]


def test_clean_vault_exits_0(tmp_path: Path, db_path: Path) -> None:
    vault = tmp_path / "v"
    vault.mkdir()
    (vault / "a.md").write_text("# A\n\n[b](b.md#b)\n", encoding="utf-8")
    (vault / "b.md").write_text("# B\n", encoding="utf-8")
    result = bagu("check", str(vault), db=db_path)
    assert result.returncode == 0 and "0 broken" in result.stdout


def test_check_names_the_publisher_and_does_not_fail_on_what_it_reports_apart(
    tmp_path: Path, db_path: Path
) -> None:
    vault = tmp_path / "book"
    (vault / "src").mkdir(parents=True)
    (vault / "book.toml").write_text('[book]\nsrc = "src"\n', encoding="utf-8")
    (vault / "src" / "SUMMARY.md").write_text(
        "# S\n\n- [One](ch01.md)\n- [Draft]()\n", encoding="utf-8"
    )
    (vault / "src" / "ch01.md").write_text(
        "# One\n\n[Vec](../std/vec/struct.Vec.html) [me](ch01.html#one)\n", "utf-8"
    )
    result = bagu("check", str(vault), db=db_path)
    # an empty draft link and ../std are not broken
    assert result.returncode == 0, result.stdout + result.stderr
    assert "mdBook rules (book.toml)" in result.stdout and "reported apart" in result.stdout
    assert "outside-vault 1" in result.stdout and "empty 1" in result.stdout
    report = json.loads(
        bagu("check", str(vault), "--json", "--publisher", "typora", db=db_path).stdout
    )
    # as plain files: neither exists
    assert report["publisher"]["name"] == "typora" and report["broken_count"] == 2


def test_an_unknown_publisher_is_a_usage_error(tmp_path: Path, db_path: Path) -> None:
    vault = tmp_path / "v"
    vault.mkdir()
    (vault / "a.md").write_text("# A\n", encoding="utf-8")
    assert bagu("check", str(vault), "--publisher", "hugo", db=db_path).returncode == 2
    (vault / "bagu.toml").write_text("[links]\npublisher = 'hugo'\n", encoding="utf-8")
    result = bagu("check", str(vault), db=db_path)
    assert result.returncode == 2 and "unknown publisher 'hugo'" in result.stderr


def test_wrong_note_names_fail_loudly_and_bare_names_resolve(demo: Path, db_path: Path) -> None:
    bagu("index", str(demo), db=db_path)
    missing = bagu("links", "nope.md", "-V", str(demo), db=db_path)
    assert missing.returncode == 2 and "no note nope.md" in missing.stderr
    typo = bagu("links", "八股.md", "-V", str(demo), db=db_path)
    assert typo.returncode == 2 and "did you mean 八股文.md" in typo.stderr
    bare = json.loads(bagu("links", "八股文", "-V", str(demo), "--json", db=db_path).stdout)
    assert bare["path"] == "八股文.md" and bare["outgoing"]
    assert bagu("sections", "nope/", "-V", str(demo), db=db_path).returncode == 2
    folder = json.loads(bagu("sections", "db/", "-V", str(demo), "--json", db=db_path).stdout)
    assert folder and all(row["path"].startswith("db/") for row in folder)
    unmatched = bagu("fix", str(demo), "--only", "八股文.md:1", db=db_path)
    assert unmatched.returncode == 2 and "no broken link" in unmatched.stderr
    hits = json.loads(
        bagu("search", "持久化", "--path", "db/", "-V", str(demo), "--json", db=db_path).stdout
    )["results"]
    assert hits and all(hit["path"].startswith("db/") for hit in hits)


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
