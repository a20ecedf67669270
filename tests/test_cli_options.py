"""Options where people put them: `--db` after the command, `-V` on every command, `-h`,
`-n/--count`, and `bagu --help` in the order of the workflow."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

from bagu.cli.app import WORKFLOW, normalize_args, shortened
from tests.conftest import EXAMPLE_VAULT
from tests.test_cli import BAGU


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*BAGU, *args], capture_output=True, text=True, timeout=120, env=env)


def test_the_command_line_is_read_as_people_type_it() -> None:
    assert normalize_args(["index", "notes", "--db", "x.db"]) == ["--db", "x.db", "index", "notes"]
    assert normalize_args(["check", "--json", "-V", "notes"]) == ["check", "notes", "--json"]
    assert normalize_args(["fix", "--vault=notes", "--db=x.db"]) == ["--db=x.db", "fix", "notes"]
    # an option there
    assert normalize_args(["search", "-V", "notes", "redis"]) == ["search", "-V", "notes", "redis"]
    # a query, not an option
    assert normalize_args(["search", "--", "--db", "x"]) == ["search", "--", "--db", "x"]


def test_db_after_the_command_and_vault_as_an_option_everywhere(tmp_path: Path) -> None:
    db = tmp_path / "bagu.db"
    indexed = run("index", str(EXAMPLE_VAULT), "--db", str(db), "--json", "--no-embed")
    assert indexed.returncode == 0, indexed.stderr
    assert json.loads(indexed.stdout)["parsed"] == 17 and db.exists()
    checked = run("check", "--json", "-V", str(EXAMPLE_VAULT), "--db", str(db))
    assert checked.returncode == 1 and json.loads(checked.stdout)["broken_count"] == 4
    env = {**os.environ, "BAGU_DB": str(db)}
    listed = run("sections", "八股文", "-V", str(EXAMPLE_VAULT), "--json", env=env)
    assert listed.returncode == 0 and json.loads(listed.stdout)[0]["path"] == "八股文.md"


def test_help_is_h_too_lists_the_workflow_in_order_and_flags_take_no_value() -> None:
    short = run("-h")
    assert short.returncode == 0 and "Usage: bagu" in short.stdout
    listed = [
        word
        for line in short.stdout.splitlines()
        if (word := line.strip("│ ").split(" ")[0]) in WORKFLOW
    ]
    assert listed == [name for name in WORKFLOW if name in listed] and len(listed) >= 12
    assert "<bool>" not in short.stdout and "BAGU_DB" in short.stdout
    interview = run("interview", "-h")
    assert (
        "--count" in interview.stdout
        and "-n" in interview.stdout
        and "<bool>" not in interview.stdout
    )


def test_a_cut_cell_says_it_was_cut() -> None:
    assert shortened("短句。", 100) == "短句。"
    cut = shortened("一" * 150, 100)
    assert len(cut) == 100 and cut.endswith("…")
