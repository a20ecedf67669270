"""The entry point: options where people put them (`--db` after the command, `-V` everywhere, `-h`,
`bagu --help` in the workflow's order), errors as one line with their exit status, and (as real
processes) what a command loads at start-up."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from bagu import __version__
from bagu.cli.app import WORKFLOW, normalize_args, shortened
from bagu.errors import SchemaTooNew, StoreError, VaultNotFound
from bagu.store.sqlite import sqlite3
from tests.cli.run import bagu
from tests.conftest import EXAMPLE_VAULT


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
    indexed = bagu("index", str(EXAMPLE_VAULT), "--db", str(db), "--json", "--no-embed")
    assert indexed.returncode == 0, indexed.stderr
    assert json.loads(indexed.stdout)["parsed"] == 17 and db.exists()
    checked = bagu("check", "--json", "-V", str(EXAMPLE_VAULT), "--db", str(db))
    assert checked.returncode == 1 and json.loads(checked.stdout)["broken_count"] == 4
    env = {"BAGU_DB": str(db)}
    listed = bagu("sections", "八股文", "-V", str(EXAMPLE_VAULT), "--json", env=env)
    assert listed.returncode == 0 and json.loads(listed.stdout)[0]["path"] == "八股文.md"


def test_help_is_h_too_lists_the_workflow_in_order_and_flags_take_no_value() -> None:
    short = bagu("-h")
    assert short.returncode == 0 and "Usage: bagu" in short.stdout
    listed = [
        word
        for line in short.stdout.splitlines()
        if (word := line.strip("│ ").split(" ")[0]) in WORKFLOW
    ]
    assert listed == [name for name in WORKFLOW if name in listed] and len(listed) >= 12
    assert "<bool>" not in short.stdout and "BAGU_DB" in short.stdout
    interview = bagu("interview", "-h")
    assert (
        "--count" in interview.stdout
        and "-n" in interview.stdout
        and "<bool>" not in interview.stdout
    )


def test_a_cut_cell_says_it_was_cut() -> None:
    assert shortened("短句。", 100) == "短句。"
    cut = shortened("一" * 150, 100)
    assert len(cut) == 100 and cut.endswith("…")


def test_missing_vault_and_missing_index_are_one_line_errors(tmp_path: Path) -> None:
    result = bagu("index", str(tmp_path / "nope"), db=tmp_path / "x.db")
    assert result.returncode == VaultNotFound.exit_code == 66
    assert "is not a folder" in result.stderr and "Traceback" not in result.stderr
    result = bagu("search", "x", db=tmp_path / "missing.db")
    assert result.returncode == StoreError.exit_code == 74 and "bagu index" in result.stderr


def test_corrupt_database_is_explained_and_rebuild_recovers(db_path: Path) -> None:
    db_path.parent.mkdir(parents=True)
    db_path.write_bytes(os.urandom(8192))
    result = bagu("index", str(EXAMPLE_VAULT), db=db_path)
    assert (
        result.returncode == StoreError.exit_code
        and "--rebuild" in result.stderr
        and "Traceback" not in result.stderr
    )
    rebuilt = bagu("index", str(EXAMPLE_VAULT), "--rebuild", "--json", db=db_path)
    assert rebuilt.returncode == 0 and json.loads(rebuilt.stdout)["parsed"] == 17
    assert list(db_path.parent.glob("bagu.db.broken-*"))


def test_newer_schema_is_refused(db_path: Path) -> None:
    bagu("index", str(EXAMPLE_VAULT), "--json", db=db_path)
    with sqlite3.connect(db_path) as raw:
        raw.execute("PRAGMA user_version = 999")
    result = bagu("search", "tcp", db=db_path)
    assert result.returncode == SchemaTooNew.exit_code and "newer bagu" in result.stderr


def test_every_command_is_mapped_to_the_module_that_registers_it() -> None:
    """`main` loads only the named command's module, so a command missing from the map would
    vanish."""
    script = (
        "import json, sys\n"
        "from bagu.cli import app\n"
        "from bagu.cli.app import COMMAND_MODULES, load_commands\n"
        "load_commands([])\n"
        "names = [c.name or c.callback.__name__ for c in app.registered_commands]\n"
        "names += [g.name for g in app.registered_groups]\n"
        "print(json.dumps({'registered': sorted(names), 'mapped': sorted(COMMAND_MODULES)}))\n"
    )
    out = json.loads(
        subprocess.run(
            [sys.executable, "-c", script], capture_output=True, text=True, check=True
        ).stdout
    )
    assert out["registered"] == out["mapped"]


def test_index_loads_neither_the_web_app_nor_the_coach() -> None:
    """A warm `bagu index` is mostly start-up time; it must not pay for modules other commands
    need."""
    script = (
        "import sys\n"
        "from bagu.cli.app import load_commands\n"
        "load_commands(['--db', 'x.db', 'index', 'vault'])\n"
        "print(sorted(m for m in sys.modules if m.startswith(('starlette', 'fastapi', "
        "'bagu.coach', 'bagu.web'))))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"


def test_version_loads_no_command_the_models_or_the_web_stack() -> None:
    """`bagu --version` answers from the package: it cost 0.66 s when it loaded every command's
    imports."""
    script = (
        "import sys\n"
        "sys.argv = ['bagu', '--version']\n"
        "from bagu.cli import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "heavy = ('numpy', 'httpx', 'genanki', 'starlette', 'fastapi', 'bagu.indexer', "
        "'bagu.search', 'bagu.web')\n"
        "print(sorted(m for m in sys.modules if m.startswith(heavy)))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    ).stdout
    assert out.splitlines() == [f"bagu {__version__}", "[]"]
