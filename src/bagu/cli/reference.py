"""The command reference (`docs/cli-reference.md`) written from the CLI itself, so it cannot drift
from `--help`: every command and subcommand with its usage, its help text and a table of its
options.

`make docs` (`python -m bagu.cli.reference docs/cli-reference.md`) rewrites the file; a test fails
when the committed file differs from what the CLI says. `docs/cli.md` keeps the prose that help text
cannot hold.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import typer

from bagu.cli.app import app, load_commands

HEADER = (
    "# bagu command reference\n\n"
    "Written from the CLI by `make docs` (`python -m bagu.cli.reference docs/cli-reference.md`); "
    "a test fails when\n"
    "it differs from `--help`. The conventions every command shares (the vault, `--db`, exit "
    "statuses) are in\n"
    "[cli.md](cli.md).\n"
)


def cli_reference() -> str:
    """The reference as Markdown, commands in the order `--help` lists them."""
    load_commands([])
    root = typer.main.get_command(app)
    parts = [HEADER]
    for path, command in _commands(root, ("bagu",)):
        parts.append(_section(path, command))
    return "\n".join(parts)


# Typer builds its commands on its own copy of Click (`typer._click`): they are read by what they
# hold.
Command = Any
Parameter = Any


def _commands(group: Command, path: tuple[str, ...]) -> Iterator[tuple[tuple[str, ...], Command]]:
    if not getattr(group, "commands", None):
        return
    ctx = group.make_context(" ".join(path), [], resilient_parsing=True)
    # the order `--help` lists them in (the workflow's, at the top)
    for name in group.list_commands(ctx):
        command = group.commands[name]
        if command.hidden:
            continue
        yield (*path, name), command
        yield from _commands(command, (*path, name))


def _section(path: tuple[str, ...], command: Command) -> str:
    ctx = command.make_context(" ".join(path), [], resilient_parsing=True)
    usage = " ".join([*path, *command.collect_usage_pieces(ctx)])
    lines = [f"## `{' '.join(path)}`", "", f"`{usage}`", "", (command.help or "").strip(), ""]
    rows = [_row(param, ctx) for param in command.params if not getattr(param, "hidden", False)]
    rows = [row for row in rows if row]
    if rows:
        lines += ["| argument or option | help |", "|---|---|", *rows, ""]
    return "\n".join(lines)


def _row(param: Parameter, ctx: Any) -> str:
    """One line of the table, as `--help` shows the parameter (its names, metavar, default,
    variable)."""
    record = param.get_help_record(ctx)
    if record is None:
        return ""
    names, text = (" ".join(str(part).split()).replace("|", "\\|") for part in record)
    return f"| `{names}` | {text} |"


def main(argv: list[str]) -> None:
    text = cli_reference()
    if argv:
        Path(argv[0]).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)


if __name__ == "__main__":
    main(sys.argv[1:])
