"""Link commands: `check` (report, exit 1 on broken links), `links` (one note's backlinks), `fix`
(repair)."""

from __future__ import annotations

import sys
from collections import Counter
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.syntax import Syntax
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
from bagu.errors import BaguError
from bagu.links.check import CheckedLink, LinkReport
from bagu.links.external import ExternalPolicy
from bagu.links.graph import (
    check_external_links,
    check_vault,
    links_of_note,
    plan_fixes,
)
from bagu.links.resolve import AnchorStyle, Status
from bagu.links.sarif import to_sarif
from bagu.refresh import write_fixes
from bagu.store.sqlite import sqlite3
from bagu.vault.publisher import Publisher, PublisherKind, detect_publisher

VaultArgument = Annotated[Path, typer.Argument(help="Folder of Markdown notes.")]
StyleOption = Annotated[
    AnchorStyle | None,
    typer.Option(
        "--anchor-style",
        help="Which anchors count as working (default: the publisher's): any convention, or only "
        "GitHub's, "
        "kramdown's (Jekyll), mdBook's, VuePress's or raw headings (Typora, Obsidian).",
        show_default=False,
    ),
]
PublisherOption = Annotated[
    PublisherKind | None,
    typer.Option(
        "--publisher",
        help="Resolve links as this publisher does (default: found from book.toml, .vuepress/, "
        "_config.yml, "
        ".obsidian/ or bagu.toml's [links] publisher).",
        show_default=False,
    ),
]
SiteUrlOption = Annotated[
    str | None,
    typer.Option(
        "--site-url",
        help="The site's own URL (https://host/base/): links to it are checked as local links.",
    ),
]
NoIndexOption = Annotated[
    bool, typer.Option("--no-index", help="Use the index as it is; do not refresh it first.")
]


class ReportFormat(StrEnum):
    TABLE = "table"
    JSON = "json"
    SARIF = "sarif"


def _refresh(vault: Path, no_index: bool, quiet: bool) -> None:
    if no_index:
        return
    report = run_index(vault, quiet=True)  # links need the notes, never their vectors
    if not quiet and report.warnings:
        print_report(report)


@app.command()
def check(
    vault: VaultArgument = Path("."),
    style: StyleOption = None,
    publisher: PublisherOption = None,
    site_url: SiteUrlOption = None,
    output: Annotated[
        ReportFormat, typer.Option("--format", help="table for people, json or sarif for tools.")
    ] = (ReportFormat.TABLE),
    as_json: JsonOption = False,
    orphans: Annotated[
        bool, typer.Option("--orphans", help="List every orphan note, not just how many.")
    ] = False,
    external: Annotated[
        bool, typer.Option("--external", help="Also check http(s) links over the network.")
    ] = False,
    concurrency: Annotated[
        int, typer.Option(help="External: requests in flight at once.", min=1)
    ] = 8,
    per_host: Annotated[
        float, typer.Option(help="External: seconds between two requests to one host.", min=0)
    ] = 0.5,
    timeout: Annotated[
        float, typer.Option(help="External: seconds to wait for an answer.", min=0.1)
    ] = 10.0,
    retries: Annotated[
        int, typer.Option(help="External: retries after a timeout, 429 or 5xx.", min=0)
    ] = 2,
    max_age: Annotated[
        float, typer.Option(help="External: hours a cached answer stays good.", min=0)
    ] = 24.0,
    no_index: NoIndexOption = False,
) -> None:
    """Find every broken file and #anchor link, as the vault's publisher resolves them, with ranked
    repairs.

    Exits 1 when any link is broken; permalinks that work on the site, links out of the vault and
    empty links are reported apart and do not fail."""
    output = ReportFormat.JSON if as_json else output
    rules = _publisher(vault, publisher, site_url)
    _refresh(vault, no_index, quiet=output is not ReportFormat.TABLE)
    conn = open_existing(vault)
    report = _check_with_progress(conn, vault, style, rules)
    if external:
        policy = ExternalPolicy(
            concurrency, per_host, timeout, retries, max_age=timedelta(hours=max_age)
        )
        _check_external(conn, report, policy)
    if output is ReportFormat.JSON:
        print_json(report.to_json())
    elif output is ReportFormat.SARIF:
        print_json(to_sarif(report, vault.resolve()))
    else:
        print_check(report, show_orphans=orphans)
    raise typer.Exit(0 if report.is_clean else 1)


def _publisher(vault: Path, choice: PublisherKind | None, site_url: str | None) -> Publisher:
    try:
        return detect_publisher(vault, choice=choice.value if choice else None, site_url=site_url)
    except BaguError as exc:
        err.print(f"[red]{exc}[/red]")
        raise typer.Exit(exc.exit_code) from exc


def _check_with_progress(
    conn: sqlite3.Connection, vault: Path, style: AnchorStyle | None, publisher: Publisher
) -> LinkReport:
    columns = (
        TextColumn("ranking repairs"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=err, transient=True) as progress:
        task = progress.add_task("", total=None)
        return check_vault(
            conn,
            vault,
            style,
            lambda done, total: progress.update(task, completed=done, total=total),
            publisher=publisher,
        )


def _check_external(conn: sqlite3.Connection, report: LinkReport, policy: ExternalPolicy) -> None:
    columns = (TextColumn("checking URLs"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=err, transient=True) as progress:
        task = progress.add_task("", total=None)
        fetched = check_external_links(
            conn, report, policy, datetime.now(UTC), lambda _: progress.advance(task)
        )
    cached = len(report.external_answers or {}) - fetched
    err.print(f"external: {fetched} URL(s) fetched, {cached} answered from the cache")


def print_check(report: LinkReport, show_orphans: bool) -> None:
    console.print(Text(f"{report.publisher.describe()}; anchors: {report.style}", style="dim"))
    for items, title in ((report.broken, None), (report.notices, "reported apart (not broken)")):
        if not items:
            continue
        table = Table(show_lines=True, title=title)
        for column in ("where", "reason", "link", "suggestions"):
            table.add_column(column, overflow="fold")
        for item in items:
            table.add_row(*_row(item))
        console.print(table)
    internal = report.links - report.external
    fixable = sum(item.is_fixable for item in report.broken)
    reasons = ", ".join(f"{reason} {count}" for reason, count in sorted(report.reasons.items()))
    summary = Text(
        f"{report.links} links in {report.notes} notes ({internal} internal, {report.external} "
        f"external): "
    )
    summary.append(
        f"{len(report.broken)} broken", style="bold red" if report.broken else "bold green"
    )
    if reasons:
        summary.append(f" ({reasons})")
    if fixable:
        summary.append(f" · {fixable} confidently fixable: run `bagu fix` to see the diff")
    if report.notices:
        apart = ", ".join(
            f"{reason} {count}" for reason, count in sorted(report.notice_reasons.items())
        )
        summary.append(f" · reported apart: {apart}", style="yellow")
    console.print(summary)
    if report.conventions:
        used = ", ".join(f"{name} {count}" for name, count in report.conventions.most_common())
        console.print(Text(f"working anchors by convention: {used}", style="dim"))
    if report.external_answers is not None:
        _print_external(report)
    if report.orphans:
        listed = report.orphans if show_orphans else report.orphans[:10]
        more = (
            ""
            if len(listed) == len(report.orphans)
            else f" … (--orphans lists all {len(report.orphans)})"
        )
        console.print(
            Text(
                f"{len(report.orphans)} orphan note(s), nothing links to "
                f"them: {', '.join(listed)}{more}"
            )
        )


def _print_external(report: LinkReport) -> None:
    problems = report.external_problems
    if problems:
        table = Table(title="external links that did not answer OK")
        for column in ("where", "outcome", "url"):
            table.add_column(column, overflow="fold")
        for stored, answer in problems:
            status = f"{answer.outcome} {answer.http_status or ''}".strip()
            table.add_row(
                f"{stored.source_path}:{stored.link.line}:{stored.link.column}",
                Text(
                    f"{status}\n{answer.detail}",
                    style="yellow" if answer.outcome == "blocked" else "red",
                ),
                answer.url,
            )
        console.print(table)
    counts = Counter(answer.outcome for answer in (report.external_answers or {}).values())
    console.print(
        f"external URLs: {', '.join(f'{k} {v}' for k, v in sorted(counts.items())) or 'none'}"
    )


def _row(item: CheckedLink) -> tuple[str, Text, Text, Text]:
    link = item.link
    status = item.resolution.status
    reason = Text(
        status.value,
        style="red" if status.is_error and status is not Status.CASE_MISMATCH else "yellow",
    )
    reason.append(f"\n{item.resolution.detail}", style="dim")
    shown = Text(link.text or "(no text)")
    shown.append(f"\n→ {link.raw_target}", style="cyan")
    suggestions = Text()
    for rank, repair in enumerate(item.repairs, 1):
        if rank > 1:
            suggestions.append("\n")
        suggestions.append(
            f"{rank}. {repair.destination}", style="green" if rank == 1 and item.is_fixable else ""
        )
        suggestions.append(
            f"  {repair.suggestion.confidence:.0%} {repair.suggestion.reason}", style="dim"
        )
    return f"{item.source_path}:{link.line}:{link.column}", reason, shown, suggestions


@app.command()
def links(
    note: Annotated[str, typer.Argument(help="A note, relative to the vault (e.g. db/redis.md).")],
    vault: VaultOption = Path("."),
    as_json: JsonOption = False,
) -> None:
    """A note's backlinks (who links to it, and to which heading) and where its own links lead."""
    conn = open_existing(vault)
    graph = links_of_note(conn, vault, note_argument(conn, note))
    if as_json:
        print_json(
            {
                "path": graph.path,
                "backlinks": [
                    {
                        "path": s.source_path,
                        "line": s.link.line,
                        "text": s.link.text,
                        "target": s.link.raw_target,
                        "status": r.status.value,
                    }
                    for s, r in graph.backlinks
                ],
                "outgoing": [
                    {
                        "line": s.link.line,
                        "text": s.link.text,
                        "target": s.link.raw_target,
                        "status": r.status.value,
                        "resolved_path": r.target_path,
                    }
                    for s, r in graph.outgoing
                ],
            }
        )
        return
    console.print(Text(f"{len(graph.backlinks)} backlink(s) to {graph.path}", style="bold"))
    for stored, resolution in graph.backlinks:
        anchor = f"#{stored.link.anchor}" if stored.link.anchor else ""
        line = Text(f"  {stored.source_path}:{stored.link.line}  {stored.link.text}  {anchor}")
        if resolution.is_broken:
            line.append(f"  ({resolution.status})", style="red")
        console.print(line)
    broken = sum(r.is_broken for _, r in graph.outgoing)
    console.print(Text(f"{len(graph.outgoing)} link(s) out of it, {broken} broken", style="bold"))
    for stored, resolution in graph.outgoing:
        style = "red" if resolution.is_broken else "dim"
        console.print(
            Text(
                f"  {stored.link.line}: {stored.link.raw_target}  {resolution.status}", style=style
            )
        )


@app.command()
def fix(
    vault: VaultArgument = Path("."),
    apply: Annotated[
        bool,
        typer.Option("--apply", help="Write the repairs (after a backup). Without it: diff only."),
    ] = False,
    only: Annotated[
        list[str] | None,
        typer.Option(
            "--only",
            help="Repair just this link, PATH:LINE[:COL], with its N-th suggestion as @N. "
            "Repeatable.",
        ),
    ] = None,
    style: StyleOption = None,
    publisher: PublisherOption = None,
    site_url: SiteUrlOption = None,
    portable: Annotated[
        bool,
        typer.Option(
            "--portable",
            help="Also rewrite permalinks that work on the site as links to the notes' files.",
        ),
    ] = False,
    no_index: NoIndexOption = False,
) -> None:
    """Show a diff of link repairs; with --apply, write them atomically with backups and
    re-index."""
    rules = _publisher(vault, publisher, site_url)
    _refresh(vault, no_index, quiet=False)
    report = _check_with_progress(open_existing(vault), vault, style, rules)
    plan = plan_fixes(vault, report, only or (), portable=portable)
    for pick in plan.unmatched:
        err.print(
            f"[red]--only {pick}[/red]: no broken link with that suggestion there; `bagu check` "
            f"lists them"
        )
    # a usage error: nothing is shown or written for the picks that did match either
    if plan.unmatched:
        raise typer.Exit(2)
    for patch, _ in plan.patches:
        if console.is_terminal:
            console.print(
                Syntax(
                    patch.diff(),
                    "diff",
                    theme="ansi_dark",
                    background_color="default",
                    word_wrap=True,
                )
            )
        else:  # piped: a plain diff that `git apply` or `patch -p1` accepts
            sys.stdout.write(patch.diff())
    for item, reason in plan.refused:
        err.print(f"[yellow]skipped[/yellow] {item.source_path}:{item.link.line}: {reason}")
    left = len(report.broken) - plan.edits
    if not plan.patches:
        console.print(
            f"Nothing to repair confidently. {left} broken link(s) need a choice: see `bagu check`."
        )
        return
    notes = len(plan.patches)
    if not apply:
        console.print(
            f"Would repair {plan.edits} link(s) in {notes} note(s). Run `bagu fix --apply` to "
            f"write them."
        )
        return
    backups = write_fixes(vault, plan, db_path=db_path_for(vault))
    run_index(vault, quiet=True)
    console.print(
        f"Repaired {plan.edits} link(s) in {notes} note(s); the old notes are in {backups}."
    )
    console.print(f"{left} broken link(s) left for you to choose: see `bagu check`.")
