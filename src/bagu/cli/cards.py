"""Card commands: `cards list` and `cards show` (generated from the index; review comes with FSRS)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from bagu.cards.generate import Card, CardKind, generate_cards
from bagu.cards.translation import translation_score
from bagu.cli.app import JsonOption, VaultOption, app, console, err, open_existing, print_json
from bagu.errors import BaguError
from bagu.search.embed import load_embedder
from bagu.store.queries import load_sections

cards_app = typer.Typer(help="Flashcards generated from the notes themselves.", no_args_is_help=True)
app.add_typer(cards_app, name="cards")


def _cards(vault: Path, path: str | None, kind: CardKind | None) -> list[Card]:
    embedder = load_embedder("use")
    if embedder is None:
        err.print(
            "[yellow]no embedding model: Chinese→English pair cards are off (pip install 'bagu[models]')[/yellow]"
        )
    cards = generate_cards(load_sections(open_existing(vault), path), translation_score(embedder))
    return [card for card in cards if kind is None or card.kind is kind]


def _json(card: Card) -> dict[str, object]:
    return {
        "key": card.key,
        "kind": card.kind.value,
        "front": card.front,
        "back": card.back,
        "sibling": card.sibling,
        "sources": [
            {"path": s.path, "heading_path": list(s.heading_path), "line_start": s.line_start,
             "line_end": s.line_end, "span": s.span}
            for s in card.sources
        ],
    }  # fmt: skip


@cards_app.command("list")
def list_cards(
    vault: VaultOption = Path("."),
    path: Annotated[str | None, typer.Option("--path", help="Only notes whose path matches this glob.")] = None,
    kind: Annotated[CardKind | None, typer.Option("--kind", help="Only cards of this kind.")] = None,
    as_json: JsonOption = False,
) -> None:
    """Every card the notes yield, with its kind and source."""
    cards = _cards(vault, path, kind)
    if as_json:
        print_json([_json(card) for card in cards])
        return
    table = Table(show_lines=False)
    for column in ("key", "kind", "front", "source"):
        table.add_column(column, overflow="fold")
    for card in cards:
        source = card.sources[0]
        more = f" (+{len(card.sources) - 1})" if len(card.sources) > 1 else ""
        table.add_row(card.key, card.kind.value, card.front[:120], f"{source.path}:{source.line_start}{more}")
    console.print(table)
    counts = ", ".join(f"{k} {n}" for k, n in Counter(c.kind.value for c in cards).most_common())
    console.print(f"{len(cards)} cards: {counts or 'none'}")


@cards_app.command("show")
def show_card(key: str, vault: VaultOption = Path("."), as_json: JsonOption = False) -> None:
    """One card: front, back and where it comes from."""
    card = next((c for c in _cards(vault, None, None) if c.key.startswith(key)), None)
    if card is None:
        raise BaguError(f"no card with key {key!r}; `bagu cards list` shows the keys")
    if as_json:
        print_json(_json(card))
        return
    console.print(f"[bold]{card.kind}[/bold] {card.key}\n[cyan]Q:[/cyan] {card.front}\n[green]A:[/green] {card.back}")
    for source in card.sources:
        console.print(
            f"[dim]{source.path}:{source.line_start}-{source.line_end} › {' › '.join(source.heading_path)}[/dim]"
        )
