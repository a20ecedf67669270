"""The Typer app, its global options, and what every command shares: consoles, the index, JSON
output."""

from __future__ import annotations

import contextlib
import difflib
import importlib
import json
import posixpath
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TaskID,
    TextColumn,
    TimeRemainingColumn,
)
from rich.text import Text
from typer.core import TyperGroup, TyperOption

from bagu import __version__
from bagu.errors import BaguError, StoreError
from bagu.refresh import NOTES_ONLY, Refresh
from bagu.store.db import connect, default_db_path, explain_database_error
from bagu.store.queries import note_paths
from bagu.store.sqlite import sqlite3
from bagu.vault.names import find_note

# the indexer, the models and the history are imported by the commands that use them
if TYPE_CHECKING:
    from bagu.indexer import IndexReport, ProgressCallback
    from bagu.store.history import CarriedHistory

# The order a person meets the commands in, for `bagu --help`.
WORKFLOW = (
    "index",
    "search",
    "ask",
    "check",
    "fix",
    "cards",
    "review",
    "interview",
    "grade",
    "stats",
    "sections",
    "links",
    "export",
    "serve",
    "demo",
)


class _WorkflowGroup(TyperGroup):
    def list_commands(self, ctx: Any) -> list[str]:  # typer.core takes its vendored click.Context
        names = super().list_commands(ctx)
        return sorted(
            names, key=lambda name: WORKFLOW.index(name) if name in WORKFLOW else len(WORKFLOW)
        )


app = typer.Typer(
    cls=_WorkflowGroup,
    help="Turn a folder of Markdown notes into an interview coach.",
    no_args_is_help=True,
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

# Typer prints `<bool>` beside every flag, as if it took a value; a flag takes none.
_display_type = TyperOption.display_type_rich
TyperOption.display_type_rich = lambda self, ctx: None if self.is_flag else _display_type(self, ctx)  # type: ignore[method-assign]

# Commands whose vault is a positional argument; `-V DIR` / `--vault DIR` names it there too.
POSITIONAL_VAULT = frozenset({"index", "check", "fix", "serve", "demo"})
console = Console()
err = Console(stderr=True, soft_wrap=True)
_state: dict[str, Any] = {"db": None, "debug": False}

DbOption = Annotated[
    Path | None,
    typer.Option(
        "--db",
        envvar="BAGU_DB",
        help="SQLite file (default: VAULT/.bagu/bagu.db); accepted before or after the command.",
        show_default=False,
    ),
]
VaultOption = Annotated[Path, typer.Option("--vault", "-V", help="The vault whose index to read.")]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]


def _version(value: bool) -> None:
    if value:
        console.print(f"bagu {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    db: DbOption = None,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks.")] = False,
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True)] = False,
) -> None:
    _state["db"] = db
    _state["debug"] = debug


def db_path_for(vault: Path) -> Path:
    return _state["db"] or default_db_path(vault)


def open_existing(vault: Path) -> sqlite3.Connection:
    return connect(db_path_for(vault), create=False)


def note_argument(conn: sqlite3.Connection, value: str, *, folder_ok: bool = False) -> str:
    """The note (or, with `folder_ok`, the folder) a command line names: its path, or the path
    without `.md` (`八股文`). Anything else is a usage error that names the closest notes."""
    paths = note_paths(conn)
    found = find_note(value, paths)
    if found is not None:
        return found
    folder = value.replace("\\", "/").strip().removeprefix("./").rstrip("/")
    if folder_ok and folder and any(p.startswith(folder + "/") for p in paths):
        return folder + "/"
    names = {posixpath.basename(p): p for p in paths}
    close = difflib.get_close_matches(value, paths, n=3, cutoff=0.5) or [
        names[n]
        for n in difflib.get_close_matches(posixpath.basename(folder), list(names), n=3, cutoff=0.5)
    ]
    hint = f" — did you mean {', '.join(close)}?" if close else "; `bagu sections` lists the notes"
    raise BaguError(f"no {'note or folder' if folder_ok else 'note'} {value}{hint}")


def shortened(text: str, width: int) -> str:
    """A cell's text cut to `width` characters, with an ellipsis when anything was cut."""
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


@contextlib.contextmanager
def busy(message: str) -> Iterator[None]:
    """Say what a wait of seconds is for: a spinner on a terminal, one line on stderr when piped."""
    if err.is_terminal:
        with err.status(message):
            yield
    else:
        err.print(message)
        yield


def print_json(data: object) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def run_index(vault: Path, *, quiet: bool, refresh: Refresh = NOTES_ONLY) -> IndexReport:
    """Refresh the index through the refresh service, with progress bars on stderr unless
    `quiet`."""
    from bagu.refresh import ProgressHooks, refresh_vault

    with _progress_bars(quiet) as bar:
        progress = ProgressHooks(on_index=bar("indexing"), on_embed=bar("embedding"))
        report = refresh_vault(vault, db_path_for(vault), refresh, progress=progress)
    # said on stderr even with --json: the person must know where it went
    if report.history is not None:
        print_history(report.history)
    return report


class _Rate(ProgressColumn):
    """Items per second: what a person plans a long embedding around, beside the time left."""

    def render(self, task: Task) -> Text:
        return Text(f"{task.speed:.1f}/s" if task.speed else "", style="dim")


@contextlib.contextmanager
def _progress_bars(quiet: bool) -> Iterator[Callable[[str], ProgressCallback | None]]:
    """One live display for the whole run (Rich allows one at a time); each stage and each embedding
    model gets its own bar with count, rate and time left. Piped (not a terminal), each phase is one
    line."""
    if quiet:
        yield lambda label: None
        return
    if not err.is_terminal:
        yield _phase_lines
        return
    columns = (
        TextColumn("{task.fields[label]}"),
        BarColumn(),
        MofNCompleteColumn(),
        _Rate(),
        TimeRemainingColumn(),
        TextColumn("{task.description}"),
    )
    with Progress(*columns, console=err, transient=True) as progress:

        def bar(label: str) -> ProgressCallback:
            tasks: dict[str, TaskID] = {}

            def update(done: int, total: int, what: str) -> None:
                # one bar per model: each is a phase of its own
                phase = what if label == "embedding" else ""
                if phase not in tasks:
                    name = f"{label} {phase}".strip()
                    tasks[phase] = progress.add_task("", total=None, label=name, visible=False)
                shown = "" if phase else what[-60:]
                progress.update(
                    tasks[phase], completed=done, total=total, description=shown, visible=True
                )

            return update

        yield bar


def _phase_lines(label: str) -> ProgressCallback:
    """Progress for a log: a line when a phase starts and one when it ends, with its count and
    rate."""
    started: dict[str, float] = {}

    def update(done: int, total: int, what: str) -> None:
        phase = f"{label} {what}" if label == "embedding" else label
        if phase not in started:
            started[phase] = time.monotonic()
            err.print(f"{phase}: {total} to do")
        if done >= total:
            seconds = max(time.monotonic() - started[phase], 1e-6)
            err.print(f"{phase}: {total} done in {seconds:.1f} s ({total / seconds:.1f}/s)")

    return update


def print_report(report: IndexReport) -> None:
    console.print(
        f"[bold]{report.files_seen}[/bold] notes: {report.parsed} parsed, {report.unchanged} "
        f"unchanged, "
        f"{report.renamed} renamed, {report.removed} removed, {report.skipped} skipped · "
        f"{report.sections} sections, {report.links} links · {report.seconds:.2f} s"
    )
    if report.embedded:
        console.print(f"embedded {report.embedded} chunk(s) in {report.embed_seconds:.1f} s")
    console.print(Text(f"semantic search: {report.semantic}", style="dim"))
    if report.cards:
        cards = ", ".join(f"{name} {count}" for name, count in report.cards.items() if count)
        console.print(f"cards: {cards or 'unchanged'}")
    if report.warnings:
        err.print(f"[yellow]{len(report.warnings)} note(s) need attention:[/yellow]")
        for warning in report.warnings:
            err.print(f"  [yellow]{warning.path}[/yellow]: {warning.message}")


def print_history(history: CarriedHistory) -> None:
    """What a rebuild carried over from the old index, and what it could not."""
    err.print(f"[yellow]moved the old index to {history.source}[/yellow]")
    if history.error is not None:
        err.print(
            f"[yellow]its review history could not be read ({history.error}); it stays "
            f"in {history.source}[/yellow]"
        )
        return
    if not history.cards:
        err.print("it had no review history to carry over")
        return
    err.print(
        f"carried over {len(history.cards)} card(s) with history: {history.reviews} review(s), "
        f"{history.schedules} schedule(s), {history.suspended} suspension(s); "
        f"{history.kept} still match a section and keep their schedule"
        + (
            f", {history.retired} retired with their history (their section is gone)"
            if history.retired
            else ""
        )
    )


# Which module of this package registers each command; `main` imports only those the command line
# names.
COMMAND_MODULES: dict[str, str] = {
    "ask": "coach",
    "cards": "cards",
    "check": "links",
    "demo": "notes",
    "export": "cards",
    "fix": "links",
    "grade": "grade",
    "index": "notes",
    "interview": "coach",
    "links": "links",
    "review": "review",
    "search": "notes",
    "sections": "notes",
    "serve": "serve",
    "stats": "notes",
}


def load_commands(args: list[str]) -> None:
    """Register the commands `args` names, or all of them when it names none (help, a mistyped
    command).

    Every word that is a command's name counts, so an option's value that happens to be one
    (`--db index`) only loads one module more.
    """
    named = {COMMAND_MODULES[word] for word in args if word in COMMAND_MODULES}
    if not named and "--version" in args:
        return  # answered before any command is read: `bagu --version` loads no command's imports
    for module in sorted(named or set(COMMAND_MODULES.values())):
        importlib.import_module(f"bagu.cli.{module}")


def normalize_args(args: list[str]) -> list[str]:
    """The command line as Typer reads it, from the one people type: `--db FILE` anywhere (it
    belongs to the app, before the command), and `-V DIR` for the commands whose vault is
    positional. Nothing after `--` is touched."""
    end = args.index("--") if "--" in args else len(args)
    head, tail = args[:end], args[end:]
    db: list[str] = []
    rest: list[str] = []
    i = 0
    while i < len(head):
        word = head[i]
        if word == "--db" and i + 1 < len(head):
            db, i = ["--db", head[i + 1]], i + 2
            continue
        if word.startswith("--db="):
            db = [word]
        else:
            rest.append(word)
        i += 1
    command = next((w for w in rest if w in COMMAND_MODULES), None)
    if command in POSITIONAL_VAULT:
        rest = _vault_in_place(rest, rest.index(command))
    return [*db, *rest, *tail]


def _vault_in_place(words: list[str], command_at: int) -> list[str]:
    """`check --json -V notes` as `check notes --json`."""
    out, vault = words[: command_at + 1], None
    i = command_at + 1
    while i < len(words):
        word = words[i]
        if word in ("-V", "--vault") and i + 1 < len(words):
            vault, i = words[i + 1], i + 2
            continue
        if word.startswith("--vault="):
            vault = word.partition("=")[2]
        else:
            out.append(word)
        i += 1
    return out if vault is None else [*out[: command_at + 1], vault, *out[command_at + 1 :]]


def main() -> None:
    """Entry point: BaguError and broken databases become one readable line, not a traceback."""
    args = normalize_args(sys.argv[1:])
    load_commands(args)
    try:
        app(args=args, prog_name="bagu")
    except BaguError as exc:
        if _state["debug"]:
            raise
        err.print(f"[red]error:[/red] {exc}")
        sys.exit(exc.exit_code)
    except sqlite3.DatabaseError as exc:
        if _state["debug"]:
            raise
        err.print(f"[red]error:[/red] {explain_database_error(_state['db'], exc)}")
        sys.exit(StoreError.exit_code)
