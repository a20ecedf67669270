"""The `bagu` command line: a thin Typer layer over the service functions, Rich for people, --json for tools."""

from __future__ import annotations

import json
import sqlite3
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from bagu import __version__
from bagu.errors import BaguError, StoreError
from bagu.indexer import IndexReport, index_vault, require_vault
from bagu.search.lexical import search_sections
from bagu.search.results import SearchResults
from bagu.store.db import connect, default_db_path, get_meta, index_lock, move_aside
from bagu.store.queries import folder_stats, list_sections

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


def _db_path(vault: Path) -> Path:
    return _state["db"] or default_db_path(vault)


def _open_existing(vault: Path) -> sqlite3.Connection:
    return connect(_db_path(vault), create=False)


def _print_json(data: object) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def run_index(vault: Path, *, quiet: bool, max_file_mb: float, wait: float, rebuild: bool) -> IndexReport:
    require_vault(vault)
    db_path = _db_path(vault)
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


@app.command()
def index(
    vault: Annotated[Path, typer.Argument(help="Folder of Markdown notes.")] = Path("."),
    as_json: JsonOption = False,
    max_file_mb: Annotated[float, typer.Option(help="Skip notes larger than this, with a warning.")] = 64.0,
    wait: Annotated[float, typer.Option(help="Seconds to wait for another running index.")] = 0.0,
    rebuild: Annotated[bool, typer.Option(help="Move the existing index aside and rebuild it from the notes.")] = False,
) -> None:
    """Index a vault into SQLite, re-parsing only the notes that changed."""
    try:
        report = run_index(vault, quiet=as_json, max_file_mb=max_file_mb, wait=wait, rebuild=rebuild)
    except KeyboardInterrupt:
        err.print("[yellow]interrupted[/yellow]: finished batches are saved; run `bagu index` again to resume.")
        raise typer.Exit(130) from None
    if as_json:
        _print_json(report.to_json())
        return
    _print_report(report)


def _print_report(report: IndexReport) -> None:
    console.print(
        f"[bold]{report.files_seen}[/bold] notes: {report.parsed} parsed, {report.unchanged} unchanged, "
        f"{report.renamed} renamed, {report.removed} removed, {report.skipped} skipped · "
        f"{report.sections} sections, {report.links} links · {report.seconds:.2f} s"
    )
    if report.warnings:
        err.print(f"[yellow]{len(report.warnings)} note(s) need attention:[/yellow]")
        for warning in report.warnings:
            err.print(f"  [yellow]{warning.path}[/yellow]: {warning.message}")


@app.command()
def stats(vault: VaultOption = Path("."), as_json: JsonOption = False) -> None:
    """Notes, sections and links per folder, and the language mix."""
    conn = _open_existing(vault)
    folders = folder_stats(conn)
    if as_json:
        payload = {
            "vault": get_meta(conn, "vault_root"),
            "indexed_at": get_meta(conn, "indexed_at"),
            "folders": [asdict(f) for f in folders],
        }
        _print_json(payload)
        return
    table = Table(title=f"bagu index of {get_meta(conn, 'vault_root')}")
    for column in ("folder", "notes", "sections", "links", "MB", "languages"):
        table.add_column(column, justify="left" if column in ("folder", "languages") else "right")
    for f in folders:
        langs = ", ".join(f"{lang} {n}" for lang, n in sorted(f.languages.items()))
        table.add_row(f.folder, str(f.notes), str(f.sections), str(f.links), f"{f.megabytes:.2f}", langs)
    table.add_row(
        "[bold]total[/bold]",
        str(sum(f.notes for f in folders)),
        str(sum(f.sections for f in folders)),
        str(sum(f.links for f in folders)),
        f"{sum(f.megabytes for f in folders):.2f}",
        "",
    )
    console.print(table)


@app.command()
def sections(
    path: Annotated[str | None, typer.Argument(help="A note or folder, relative to the vault.")] = None,
    vault: VaultOption = Path("."),
    as_json: JsonOption = False,
) -> None:
    """Every section with its heading path, line range and anchors."""
    rows = list_sections(_open_existing(vault), path)
    if as_json:
        _print_json(rows)
        return
    table = Table()
    for column in ("path", "lines", "heading path", "github anchor"):
        table.add_column(column)
    for row in rows:
        table.add_row(
            row["path"],
            f"{row['line_start']}-{row['line_end']}",
            " › ".join(row["heading_path"]),
            row["anchors"]["github"],
        )
    console.print(table)


@app.command()
def search(
    query: Annotated[str, typer.Argument(help="Words in Chinese or English.")],
    vault: VaultOption = Path("."),
    k: Annotated[int, typer.Option("-k", help="How many results.")] = 10,
    path: Annotated[str | None, typer.Option("--path", help="Only notes whose path matches this glob.")] = None,
    as_json: JsonOption = False,
) -> None:
    """Find the sections that answer a query (BM25 over Chinese-segmented text)."""
    results = search_sections(_open_existing(vault), query, k=k, path_glob=path)
    if as_json:
        _print_json(results.to_json())
        return
    print_results(results)


def print_results(results: SearchResults) -> None:
    if results.notice:
        err.print(f"[yellow]{results.notice}[/yellow]")
    if not results.hits:
        console.print(f"No section matches [bold]{results.query}[/bold].")
        return
    for rank, hit in enumerate(results.hits, 1):
        title = Text(f"{rank}. ", style="bold")
        title.append(" › ".join(hit.heading_path) or hit.path, style="bold cyan")
        console.print(title)
        anchor = f"  #{hit.anchor}" if hit.anchor else ""
        console.print(Text(f"   {hit.path}:{hit.line}{anchor}  score {hit.score:.2f}", style="dim"))
        snippet = Text("   " + hit.snippet)
        for start, end in hit.highlights:
            snippet.stylize("bold yellow", start + 3, end + 3)
        console.print(snippet)


@app.command()
def demo(
    vault: Annotated[Path, typer.Argument(help="Folder of Markdown notes.")] = Path("examples/vault"),
) -> None:
    """Index a vault, show what is in it, and run a few sample searches."""
    _print_report(run_index(vault, quiet=False, max_file_mb=64.0, wait=10.0, rebuild=False))
    stats(vault=vault, as_json=False)
    conn = _open_existing(vault)
    for query in ("三次握手", "why does TIME_WAIT last 2MSL", "Redis 持久化"):
        console.rule(f"bagu search {query!r}")
        print_results(search_sections(conn, query, k=3))


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
