"""Commands over the indexed notes: index, stats, sections, search, demo."""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table
from rich.text import Text

from bagu.cli.app import (
    JsonOption,
    VaultOption,
    app,
    console,
    db_path_for,
    err,
    note_argument,
    open_existing,
    print_json,
    print_report,
    run_index,
)
from bagu.cli.links import print_check
from bagu.cli.review_stats import show_review_stats, show_vault_map
from bagu.cli.server_link import ask_server, running_server
from bagu.errors import BaguError
from bagu.links.graph import check_vault
from bagu.refresh import Refresh
from bagu.search.embedders import load_signals
from bagu.search.results import SearchResults
from bagu.search.service import Searcher, SearchMode
from bagu.store.db import get_meta
from bagu.store.queries import folder_stats, list_sections
from bagu.store.vectors import embedding_counts
from bagu.vault.names import path_glob
from bagu.vault.scan import DEFAULT_MAX_MB


@app.command()
def index(
    vault: Annotated[Path, typer.Argument(help="Folder of Markdown notes.")] = Path("."),
    as_json: JsonOption = False,
    max_file_mb: Annotated[
        float, typer.Option(help="Skip notes larger than this many MB, with a warning.")
    ] = DEFAULT_MAX_MB,
    wait: Annotated[float, typer.Option(help="Seconds to wait for another running index.")] = 0.0,
    rebuild: Annotated[
        bool, typer.Option(help="Move the existing index aside and rebuild it from the notes.")
    ] = False,
    embed: Annotated[
        bool, typer.Option(help="Embed new and changed sections for semantic search.")
    ] = True,
) -> None:
    """Index a vault into SQLite, re-parsing only the notes that changed."""
    try:
        refresh = Refresh(embed=embed, rebuild=rebuild, wait_s=wait, max_file_mb=max_file_mb)
        report = run_index(vault, quiet=as_json, refresh=refresh)
    except KeyboardInterrupt:
        err.print(
            "[yellow]interrupted[/yellow]: finished batches are saved; run `bagu index` again to "
            "resume."
        )
        raise typer.Exit(130) from None
    if as_json:
        print_json(report.to_json())
        return
    print_report(report)


@app.command()
def stats(
    vault: VaultOption = Path("."),
    as_json: JsonOption = False,
    reviews: Annotated[
        bool,
        typer.Option(
            "--reviews", help="Review progress: due forecast, retention, mastery per topic."
        ),
    ] = False,
    show_map: Annotated[
        bool,
        typer.Option(
            "--map",
            help="The summary page as a map: each link by the recall of the cards behind it.",
        ),
    ] = False,
) -> None:
    """Notes, sections and links per folder, and the language mix; with --reviews, how the reviews
    go."""
    conn = open_existing(vault)
    if reviews:
        show_review_stats(conn, as_json)
        return
    if show_map:
        show_vault_map(conn, vault, as_json)
        return
    folders = folder_stats(conn)
    vectors = embedding_counts(conn)
    if as_json:
        payload = {
            "vault": get_meta(conn, "vault_root"),
            "indexed_at": get_meta(conn, "indexed_at"),
            "folders": [asdict(f) for f in folders],
            "embeddings": vectors,
        }
        print_json(payload)
        return
    table = Table(title=f"bagu index of {get_meta(conn, 'vault_root')}")
    for column in ("folder", "notes", "sections", "links", "MB", "languages"):
        table.add_column(column, justify="left" if column in ("folder", "languages") else "right")
    for f in folders:
        langs = ", ".join(f"{lang} {n}" for lang, n in sorted(f.languages.items()))
        table.add_row(
            f.folder, str(f.notes), str(f.sections), str(f.links), f"{f.megabytes:.2f}", langs
        )
    table.add_row(
        "[bold]total[/bold]",
        str(sum(f.notes for f in folders)),
        str(sum(f.sections for f in folders)),
        str(sum(f.links for f in folders)),
        f"{sum(f.megabytes for f in folders):.2f}",
        "",
    )
    console.print(table)
    models = ", ".join(f"{name} {count}" for name, count in vectors.items() if name != "chunks")
    console.print(
        f"[dim]semantic index: {vectors['chunks']} chunks; vectors per "
        f"model: {models or 'none'}[/dim]"
    )


@app.command()
def sections(
    path: Annotated[
        str | None, typer.Argument(help="A note or folder, relative to the vault.")
    ] = None,
    vault: VaultOption = Path("."),
    as_json: JsonOption = False,
) -> None:
    """Every section with its heading path, line range and anchors."""
    conn = open_existing(vault)
    rows = list_sections(conn, note_argument(conn, path, folder_ok=True) if path else None)
    if as_json:
        print_json([row.to_dict() for row in rows])
        return
    table = Table()
    for column in ("path", "lines", "heading path", "github anchor"):
        table.add_column(column)
    for row in rows:
        table.add_row(
            row.path,
            f"{row.line_start}-{row.line_end}",
            " › ".join(row.heading_path),
            row.anchors.github,
        )
    console.print(table)


@app.command()
def search(
    query: Annotated[
        str | None, typer.Argument(help="Words or a question, in Chinese or English.")
    ] = None,
    vault: VaultOption = Path("."),
    k: Annotated[int, typer.Option("-k", help="How many results.", min=1, max=200)] = 10,
    mode: Annotated[
        SearchMode, typer.Option("--mode", help="lexical, semantic, or both fused.")
    ] = SearchMode.HYBRID,
    path: Annotated[
        str | None,
        typer.Option("--path", help="Only notes whose path matches this glob (db/ is the folder)."),
    ] = None,
    batch: Annotated[
        Path | None,
        typer.Option(
            "--batch", help='A JSONL file of {"id", "query"}: one JSON result line per query.'
        ),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Find the sections that answer a query: BM25 over Chinese-segmented text fused with
    multilingual embeddings.

    When `bagu serve` is running on the same index, it answers (its models are loaded already)."""
    if query is None and batch is None:
        raise BaguError("give a QUERY, or --batch FILE")
    glob = path_glob(path) if path else None
    served = None
    if (
        batch is None
        and query is not None
        and (link := running_server(db_path_for(vault))) is not None
    ):
        params = {"q": query, "k": k, "mode": mode.value, **({"path": glob} if glob else {})}
        served = ask_server(link, "/api/search", params)
        if served is not None:
            err.print(f"[dim]answered by bagu serve at {link.url}[/dim]")
    if served is not None:
        results = SearchResults.from_json(served)
    else:
        searcher = Searcher(open_existing(vault), load_signals())
        if batch is not None:
            _search_batch(searcher, batch, k, mode, glob)
            return
        assert query is not None
        results = searcher.search(query, k=k, mode=mode, path_glob=glob)
    if as_json:
        print_json(results.to_json())
        return
    print_results(results)


def _search_batch(
    searcher: Searcher, batch: Path, k: int, mode: SearchMode, path: str | None
) -> None:
    """Models and store load once; each line of the file gets one line of JSON, in order."""
    try:
        lines = batch.read_text(encoding="utf-8-sig").splitlines()
    except OSError as exc:
        raise BaguError(f"cannot read {batch}: {exc.strerror or exc}") from exc
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
            query, item_id = str(item["query"]), item.get("id", number)
        except (ValueError, KeyError, TypeError):
            sys.stdout.write(
                json.dumps({"line": number, "error": 'expected {"id": ..., "query": "..."}'}) + "\n"
            )
            continue
        results = searcher.search(
            query, k=k, mode=mode, path_glob=path_glob(path) if path else None
        ).to_json()
        sys.stdout.write(json.dumps({"id": item_id, **results}, ensure_ascii=False) + "\n")


def print_results(results: SearchResults) -> None:
    if results.notice:
        err.print(f"[yellow]{results.notice}[/yellow]")
    if results.confidence is not None:
        err.print(f"[dim]{results.mode} search · confidence {results.confidence:.2f}[/dim]")
    if not results.hits:
        console.print(Text.assemble("No section matches ", (results.query, "bold"), "."))
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
    vault: Annotated[Path, typer.Argument(help="Folder of Markdown notes.")] = Path(
        "examples/vault"
    ),
) -> None:
    """Index a vault, show what is in it, and run a few sample searches."""
    print_report(run_index(vault, quiet=False, refresh=Refresh(embed=True)))
    stats(vault=vault, as_json=False)
    conn = open_existing(vault)
    console.rule("bagu check")
    print_check(check_vault(conn, vault), show_orphans=False)
    searcher = Searcher(conn, load_signals())
    for query in (
        "三次握手",
        "why does TIME_WAIT last 2MSL",
        "what is a zombie process",
        "量子纠缠",
    ):
        console.rule(f"bagu search {query!r}")
        print_results(searcher.search(query, k=3))
