"""The command reference cannot drift: `docs/cli-reference.md` is what the CLI says of itself, and
every command says something."""

from __future__ import annotations

from pathlib import Path

import typer

from bagu.cli.app import COMMAND_MODULES, app, load_commands
from bagu.cli.reference import cli_reference

REFERENCE = Path(__file__).resolve().parents[2] / "docs" / "cli-reference.md"


def test_the_committed_reference_is_what_the_cli_says() -> None:
    assert REFERENCE.read_text(encoding="utf-8") == cli_reference(), (
        "run `make docs` and commit the file"
    )


def test_every_command_has_help_and_an_entry() -> None:
    load_commands([])
    root = typer.main.get_command(app)
    reference = cli_reference()
    for name in COMMAND_MODULES:
        command = root.commands[name]  # type: ignore[attr-defined]
        assert (command.help or "").strip(), f"bagu {name} has no help text"
        assert f"## `bagu {name}`" in reference
        for sub, child in getattr(command, "commands", {}).items():
            assert (child.help or "").strip(), f"bagu {name} {sub} has no help text"
            assert f"## `bagu {name} {sub}`" in reference


def test_an_option_added_without_regenerating_fails() -> None:
    """The comparison sees options, not just command names: the reference names each option."""
    reference = cli_reference()
    assert "`--max-file-mb <float>`" in reference and "`-k <int range>`" in reference
