"""Card commands: `cards list|show|suspend|unsuspend`. Cards are made and re-anchored by
`bagu index`."""

from __future__ import annotations

import fnmatch
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from bagu.cards.generate import Card, CardKind, topic_of, written_card
from bagu.cards.quality import Assessment
from bagu.cards.sync import dropped_candidates, save_written
from bagu.cli.app import (
    JsonOption,
    VaultOption,
    app,
    console,
    err,
    open_existing,
    print_json,
    shortened,
)
from bagu.coach.card_writer import propose_cards
from bagu.coach.llm import ChatClient, load_llm_config
from bagu.errors import BaguError, LLMError
from bagu.store.cards import (
    StoredCardRow,
    edit_card,
    set_card_status,
    stored_card_rows,
    unique_card_key,
)
from bagu.store.outputs import atomic_output
from bagu.store.queries import load_sections, note_titles
from bagu.store.reviews import card_schedules
from bagu.store.sqlite import sqlite3
from bagu.vault.model import Section
from bagu.vault.names import path_glob

cards_app = typer.Typer(
    help="Flashcards generated from the notes themselves.", no_args_is_help=True
)
app.add_typer(cards_app, name="cards")


def _json(row: StoredCardRow) -> dict[str, Any]:
    return {
        "id": row.id,
        "key": row.key,
        "kind": row.kind,
        "front": row.shown_front,
        "back": row.shown_back,
        "edited": row.is_edited,
        "status": row.status,
        "source_changed": row.source_changed,
        "sibling": row.sibling_key,
        "sources": [source.to_dict() for source in row.sources],
    }


def _dropped_json(card: Card, verdict: Assessment) -> dict[str, Any]:
    return {
        "id": None,
        "key": card.key,
        "kind": card.kind.value,
        "front": card.front,
        "back": card.back,
        "status": "dropped",
        "schedule": None,
        "reason": verdict.reason,
        "score": verdict.score,
        "source_changed": False,
        "sibling": card.sibling,
        "sources": [source.to_dict() for source in card.sources],
    }


def _selected(
    vault: Path, path: str | None, kind: CardKind | None, retired: bool, dropped: bool = False
) -> list[dict[str, Any]]:
    conn = open_existing(vault)
    schedules = card_schedules(conn)
    cards = [_json(row) for row in stored_card_rows(conn, include_retired=retired)]
    for card in cards:
        card["schedule"] = schedules[card["id"]].to_dict() if card["id"] in schedules else None
    if dropped:
        cards += [_dropped_json(card, verdict) for card, verdict in dropped_candidates(conn)]
    if kind is not None:
        cards = [c for c in cards if c["kind"] == kind.value]
    if path is not None:
        pattern = path_glob(path)
        cards = [
            c for c in cards if any(fnmatch.fnmatchcase(s["path"], pattern) for s in c["sources"])
        ]
    return cards


@cards_app.command("list")
def list_cards(
    vault: VaultOption = Path("."),
    path: Annotated[
        str | None,
        typer.Option(
            "--path", help="Only cards from notes matching this glob (db/ is the folder)."
        ),
    ] = None,
    kind: Annotated[
        CardKind | None, typer.Option("--kind", help="Only cards of this kind.")
    ] = None,
    retired: Annotated[
        bool, typer.Option("--retired", help="Include retired cards (their source is gone).")
    ] = False,
    every: Annotated[
        bool,
        typer.Option(
            "--all", help="Also the candidates the quality model does not make, with the reason."
        ),
    ] = False,
    due: Annotated[
        bool,
        typer.Option("--due", help="Only active cards that have been reviewed and are due now."),
    ] = False,
    new: Annotated[bool, typer.Option("--new", help="Only active cards never reviewed.")] = False,
    suspended: Annotated[bool, typer.Option("--suspended", help="Only suspended cards.")] = False,
    as_json: JsonOption = False,
) -> None:
    """Every card, with its kind, status, schedule (state, due, interval, lapses) and source."""
    cards = _selected(vault, path, kind, retired or every, dropped=every)
    now = datetime.now(UTC)
    if due:
        cards = [c for c in cards if c["status"] == "active" and _is_due(c, now)]
    if new:
        cards = [
            c
            for c in cards
            if c["status"] == "active" and (c["schedule"] or {}).get("state") == "new"
        ]
    if suspended:
        cards = [c for c in cards if c["status"] == "suspended"]
    if as_json:
        print_json(cards)
        return
    table = Table()
    for column in (
        "key",
        "kind",
        "status",
        "state",
        "due",
        "interval",
        "lapses",
        "front",
        "source",
    ):
        table.add_column(column, overflow="fold")
    for card in cards:
        source = card["sources"][0]
        more = f" (+{len(card['sources']) - 1})" if len(card["sources"]) > 1 else ""
        status = card["status"] + (" · edited" if card.get("edited") else "")
        if card["source_changed"]:
            status += " · source changed" + (": look at your edit" if card.get("edited") else "")
        if card["status"] == "dropped":
            status += f": {card['reason']}"
        table.add_row(
            card["key"],
            card["kind"],
            status,
            *_schedule_cells(card["schedule"]),
            shortened(card["front"], 100),
            f"{source['path']}:{source['line_start']}{more}",
        )
    console.print(table)
    counts = ", ".join(f"{k} {n}" for k, n in Counter(c["kind"] for c in cards).most_common())
    console.print(f"{len(cards)} cards: {counts or 'none (run `bagu index`)'}")


def _is_due(card: dict[str, Any], now: datetime) -> bool:
    schedule = card["schedule"] or {}
    return bool(schedule.get("due")) and datetime.fromisoformat(schedule["due"]) <= now


def _schedule_cells(schedule: dict[str, Any] | None) -> tuple[str, str, str, str]:
    if not schedule:
        return "", "", "", ""
    due = schedule["due"][:10] if schedule["due"] else "now"
    interval = "" if schedule["interval_days"] is None else f"{schedule['interval_days']:.1f} d"
    return schedule["state"], due, interval, str(schedule["lapses"])


@cards_app.command("show")
def show_card(key: str, vault: VaultOption = Path("."), as_json: JsonOption = False) -> None:
    """One card: front, back, status and where it comes from."""
    exact = unique_card_key(open_existing(vault), key, include_retired=True)
    card = next((c for c in _selected(vault, None, None, True) if c["key"] == exact), None)
    if card is None:
        raise BaguError(f"no card with key {key!r}; `bagu cards list` shows the keys")
    if as_json:
        print_json(card)
        return
    console.print(f"[bold]{card['kind']}[/bold] {card['key']} ({card['status']})")
    console.print(f"[cyan]Q:[/cyan] {card['front']}\n[green]A:[/green] {card['back']}")
    for s in card["sources"]:
        console.print(
            f"[dim]{s['path']}:{s['line_start']}-{s['line_end']} "
            f"› {' › '.join(s['heading_path'])}[/dim]"
        )


def _chosen_sections(conn: sqlite3.Connection, targets: list[str]) -> list[tuple[str, Section]]:
    """`note.md` (every section of it) or `note.md#heading` (the sections whose heading or anchor is
    that)."""
    sections = load_sections(conn)
    chosen: list[tuple[str, Section]] = []
    for target in targets:
        path, _, heading = target.partition("#")
        found = [(p, s) for p, s in sections if p == path or fnmatch.fnmatchcase(p, path)]
        if heading:
            wanted = heading.strip().casefold()
            found = [
                (p, s)
                for p, s in found
                if wanted in (s.heading.casefold(), s.anchors.github, s.anchors.raw.casefold())
            ]
        if not found:
            raise BaguError(
                f"no section matches {target!r}; `bagu sections NOTE` lists a note's sections"
            )
        chosen += [(p, s) for p, s in found if s.level and s.body.strip()]
    return chosen


@cards_app.command("write")
def write_cards(
    targets: Annotated[
        list[str], typer.Argument(help="Notes or sections: db/redis.md or 'db/redis.md#持久化'.")
    ],
    vault: VaultOption = Path("."),
    yes: Annotated[
        bool, typer.Option("--yes", help="Accept every proposal that cites the note truly.")
    ] = False,
    max_cards: Annotated[
        int, typer.Option("--max", help="Proposals per section.", min=1, max=8)
    ] = 3,
    as_json: JsonOption = False,
) -> None:
    """Ask the configured LLM to propose cards for chosen sections; each cites its span; you accept
    them.

    Off unless an endpoint is configured ([llm] in bagu.toml, or BAGU_LLM_BASE_URL and
    BAGU_LLM_MODEL). With --json the proposals are printed and nothing is stored unless --yes is
    given too."""
    config = load_llm_config(vault)
    if config is None:
        raise BaguError(
            "no LLM endpoint is configured: set base_url and model under [llm] in bagu.toml, "
            "or BAGU_LLM_BASE_URL and BAGU_LLM_MODEL (an Ollama, vLLM or llama.cpp server)"
        )
    conn = open_existing(vault)
    titles = note_titles(conn)
    client = ChatClient(config)
    accepted: list[Card] = []
    report: list[dict[str, Any]] = []
    try:
        for path, section in _chosen_sections(conn, targets):
            topic = topic_of(titles.get(path, ""), section)
            try:
                proposals, refused = propose_cards(client, topic, section, max_cards)
            except LLMError as exc:
                raise BaguError(f"the LLM could not write cards: {exc}") from exc
            for reason in refused:
                err.print(f"[yellow]refused[/yellow] {topic}: {reason}")
            for proposal in proposals:
                card = written_card(
                    path,
                    section,
                    question=proposal.question,
                    answer=proposal.answer,
                    span=proposal.span,
                    title=titles.get(path, ""),
                )
                report.append(
                    {
                        "path": path,
                        "heading_path": list(section.heading_path),
                        "question": proposal.question,
                        "answer": proposal.answer,
                        "span": proposal.span,
                    }
                )
                if yes or (not as_json and _accept(card, proposal.span)):
                    accepted.append(card)
    finally:
        client.close()
    added = save_written(conn, accepted, datetime.now(UTC))
    if as_json:
        print_json({"proposals": report, "accepted": len(accepted), "added": added})
        return
    console.print(
        f"{added} card(s) added ({len(accepted)} accepted of {len(report)} proposed); review "
        f"them with `bagu review`."
    )


def _accept(card: Card, span: str) -> bool:
    console.print(
        f"[cyan]Q:[/cyan] {card.front}\n[green]A:[/green] {card.back}\n[dim]from: {span}[/dim]"
    )
    return console.input("accept? [y/N] ").strip().lower() in ("y", "yes")


def _set(vault: Path, key: str, status: str) -> None:
    if len(key) < 4:
        raise BaguError("give at least 4 characters of the card key")
    conn = open_existing(vault)
    changed = set_card_status(conn, unique_card_key(conn, key), status)
    if not changed:
        raise BaguError(f"no live card with key {key!r}")
    console.print(f"{changed} card(s) {status}")


@cards_app.command("edit")
def edit(
    key: str,
    vault: VaultOption = Path("."),
    front: Annotated[
        str | None, typer.Option("--front", help="Your own wording of the prompt.")
    ] = None,
    back: Annotated[
        str | None, typer.Option("--back", help="Your own wording of the answer.")
    ] = None,
    reset: Annotated[
        bool, typer.Option("--reset", help="Back to the generated front and back.")
    ] = False,
) -> None:
    """Word a card your way: kept in the index (never written into the notes) and through
    re-indexing; when its section changes, `cards list` flags the card so you can look at your edit
    again."""
    if not reset and front is None and back is None:
        raise BaguError("give --front, --back or --reset")
    conn = open_existing(vault)
    exact = unique_card_key(conn, key)
    edit_card(conn, exact, front=front, back=back, reset=reset)
    console.print(f"card {exact} " + ("back to its generated text" if reset else "edited"))


@cards_app.command("suspend")
def suspend(key: str, vault: VaultOption = Path(".")) -> None:
    """Keep a card out of reviews (it stays, with its history)."""
    _set(vault, key, "suspended")


@cards_app.command("unsuspend")
def unsuspend(key: str, vault: VaultOption = Path(".")) -> None:
    """Bring a suspended card back into reviews."""
    _set(vault, key, "active")


export_app = typer.Typer(help="Export to other study tools.", no_args_is_help=True)
app.add_typer(export_app, name="export")


@export_app.command("anki")
def export_anki(
    deck_file: Annotated[Path, typer.Argument(help="The .apkg file to write.", dir_okay=False)],
    vault: VaultOption = Path("."),
    deck: Annotated[
        str | None, typer.Option(help="Deck name in Anki (default: bagu::<vault folder>).")
    ] = None,
    path: Annotated[
        str | None,
        typer.Option(help="Only cards from notes matching this glob (db/ is the folder)."),
    ] = None,
    kind: Annotated[CardKind | None, typer.Option(help="Only cards of this kind.")] = None,
) -> None:
    """Write the active cards as an Anki deck; importing it again after edits updates the same
    notes."""
    rows = [
        card for card in _selected(vault, path, kind, retired=False) if card["status"] == "active"
    ]
    name = deck or f"bagu::{vault.resolve().name}"
    from bagu.cards.anki import anki_package  # genanki loads only for an export

    package, count = anki_package(rows, name)
    with atomic_output(deck_file) as temporary:
        package.write_to_file(str(temporary))
    console.print(
        f"wrote {count} card(s) to {deck_file} (deck {name!r}); re-export updates them in place"
    )
