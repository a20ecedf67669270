"""The Typer app, its global options, and what every command shares: consoles, the index, JSON output."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from bagu import __version__
from bagu.errors import BaguError, StoreError
from bagu.indexer import IndexReport, index_vault, require_vault
from bagu.store.db import connect, default_db_path, index_lock, move_aside
from bagu.store.sqlite import sqlite3

app = typer.Typer(
    help="Turn a folder of Markdown notes into an interview coach.", no_args_is_help=True, add_completion=False
)
console = Console()
err = Console(stderr=True, soft_wrap=True)
_state: dict[str, Any] = {"db": None, "debug": False}

DbOption = Annotated[Path | None, typer.Option("--db", help="SQLite file (default: VAULT/.bagu/bagu.db or $BAGU_DB).")]
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


def print_json(data: object) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def run_index(vault: Path, *, quiet: bool, max_file_mb: float, wait: float, rebuild: bool) -> IndexReport:
    require_vault(vault)
    db_path = db_path_for(vault)
    with index_lock(db_path, wait_s=wait):
        if rebuild and db_path.exists():
            moved = move_aside(db_path)
            err.print(f"[yellow]moved the old index to {moved}[/yellow]")
        conn = connect(db_path)
        try:
            max_bytes = int(max_file_mb * 1024 * 1024)
            if quiet:
                return index_vault(conn, vault, max_bytes=max_bytes)
            columns = (
                TextColumn("indexing"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                TextColumn("{task.description}"),
            )
            with Progress(*columns, console=err, transient=True) as progress:
                task = progress.add_task("", total=None)

                def update(done: int, total: int, path: str) -> None:
                    progress.update(task, completed=done, total=total, description=path[-60:])

                return index_vault(conn, vault, max_bytes=max_bytes, on_progress=update)
        finally:
            conn.close()


def print_report(report: IndexReport) -> None:
    console.print(
        f"[bold]{report.files_seen}[/bold] notes: {report.parsed} parsed, {report.unchanged} unchanged, "
        f"{report.renamed} renamed, {report.removed} removed, {report.skipped} skipped · "
        f"{report.sections} sections, {report.links} links · {report.seconds:.2f} s"
    )
    if report.warnings:
        err.print(f"[yellow]{len(report.warnings)} note(s) need attention:[/yellow]")
        for warning in report.warnings:
            err.print(f"  [yellow]{warning.path}[/yellow]: {warning.message}")


def main() -> None:
    """Entry point: BaguError and broken databases become one readable line, not a traceback."""
    try:
        app()
    except BaguError as exc:
        if _state["debug"]:
            raise
        err.print(f"[red]error:[/red] {exc}")
        sys.exit(2)
    except sqlite3.DatabaseError as exc:
        if _state["debug"]:
            raise
        err.print(
            f"[red]error:[/red] {StoreError(f'the index database failed: {exc}. Run `bagu index --rebuild`; your notes are untouched.')}"
        )
        sys.exit(2)
