"""`bagu review`: due cards in the terminal, typed answers, the source shown, FSRS rating, undo."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.text import Text

from bagu.cards.generate import CardKind
from bagu.cli.app import VaultOption, app, console, open_existing, shortened
from bagu.coach.session import parse_topics
from bagu.review.grade import Grade, Similarity
from bagu.review.scheduler import DESIRED_RETENTION, NEW_PER_DAY, REVIEWS_PER_SESSION, Rating
from bagu.review.session import LazySimilarity, grade_card, rate_card
from bagu.store.reviews import CardFilter, DueCard, due_cards, load_due_card, undo_last_review
from bagu.store.sqlite import sqlite3

_RATINGS = {"1": Rating.AGAIN, "2": Rating.HARD, "3": Rating.GOOD, "4": Rating.EASY}


def read_answer(
    hint: str = "empty line reveals; q quit, u undo", commands: tuple[str, ...] = ("q", "u")
) -> str:
    """Lines until an empty one: answers may span lines. A command alone on the first line is
    returned as is."""
    lines: list[str] = []
    while True:
        try:
            line = console.input(
                "[dim]>[/dim] " if lines else f"[bold]your answer[/bold] ({hint}): "
            )
        except EOFError:
            return "\n".join(lines) if lines else "q"  # input ended: keep what was typed, then stop
        if not line.strip():
            return "\n".join(lines)
        if not lines and line.strip() in commands:
            return line.strip()
        lines.append(line)


def _show(card: DueCard) -> None:
    console.print(Text(card.back, style="green"))
    for source in card.sources[:2]:
        heading = " › ".join(source.heading_path)
        console.print(Text(f"  {source.path}:{source.line_start}  {heading}", style="dim"))


def show_grade(grade: Grade) -> None:
    verdict = f" — {grade.reason}" if grade.reason else ""
    console.print(
        Text(f"grade {grade.score:.0%}: {grade.rating.name.lower()}{verdict}", style="bold")
    )
    styles = {"✓": "green", "½": "yellow", "✗": "red", "⚠": "bold red"}
    for result in grade.points:
        how = f"  ({result.explanation})" if result.explanation else ""
        console.print(
            Text(
                f"  {result.mark} {shortened(result.point.text, 100)}{how}",
                style=styles[result.mark],
            )
        )


def _rate(proposed: Rating) -> Rating:
    while True:
        choice = console.input(
            "rate [bold]1[/bold] again · [bold]2[/bold] hard · [bold]3[/bold] good · "
            "[bold]4[/bold] easy"
            f" [{int(proposed)}]: "
        ).strip()
        if not choice:
            return proposed
        if choice in _RATINGS:
            return _RATINGS[choice]
        console.print("[yellow]type 1, 2, 3 or 4[/yellow]")


def _similarity(lazy: LazySimilarity) -> Similarity | None:
    similarity = lazy.similarity()
    if lazy.notice:
        console.print(f"[dim]{lazy.notice}[/dim]")
        lazy.notice = None  # said once
    return similarity


@app.command()
def review(
    vault: VaultOption = Path("."),
    new_limit: Annotated[int, typer.Option(help="New cards per day.", min=0)] = NEW_PER_DAY,
    review_limit: Annotated[
        int, typer.Option(help="Reviews per session.", min=0)
    ] = REVIEWS_PER_SESSION,
    retention: Annotated[
        float, typer.Option(help="Desired retention for FSRS.", min=0.7, max=0.99)
    ] = DESIRED_RETENTION,
    path: Annotated[
        str | None,
        typer.Option(
            "--path", help="Only cards from notes matching this glob (db/ is the folder)."
        ),
    ] = None,
    topics: Annotated[
        str | None, typer.Option(help="Comma-separated topics or paths: redis,kafka,network/.")
    ] = None,
    kind: Annotated[
        list[CardKind] | None, typer.Option("--kind", help="Only cards of this kind. Repeatable.")
    ] = None,
) -> None:
    """Review the cards that are due: type an answer (or just reveal), see the source, rate; FSRS
    schedules.

    New cards come in the order of the vault's summary page (its linked sections first), then the
    rest."""
    conn = open_existing(vault)
    grader = LazySimilarity()
    done = 0
    selection = CardFilter(path, parse_topics(topics), tuple(k.value for k in kind or ()))
    queue = due_cards(conn, datetime.now(UTC), new_limit, review_limit, selection)
    if not queue:
        hint = " matching --path/--topics/--kind" if not selection.is_everything else ""
        console.print(f"Nothing is due{hint}. Come back later, or raise --new-limit.")
        return
    new = sum(card.state is None for card in queue)
    console.print(
        f"[bold]{len(queue) - new} due, {new} new[/bold] today · type an answer, or Enter to reveal"
    )
    while queue:
        card = queue.pop(0)
        console.rule(f"{done + 1}/{done + 1 + len(queue)} · {card.kind}")
        console.print(Text(card.front, style="bold cyan"))
        started = time.monotonic()
        answer = read_answer()
        if answer == "q":
            break
        if answer == "u":
            queue.insert(0, card)
            undone = _undo(conn)
            if undone is not None:
                queue.insert(0, undone)
                done = max(0, done - 1)
            continue
        elapsed = int((time.monotonic() - started) * 1000)
        grade = grade_card(conn, card, answer, _similarity(grader)) if answer else None
        _show(card)
        if grade is not None:
            show_grade(grade)
        rating = _rate(grade.rating if grade is not None else Rating.GOOD)
        score = grade.score if grade is not None else None
        due = rate_card(
            conn,
            card,
            rating=rating,
            now=datetime.now(UTC),
            retention=retention,
            answer=answer,
            grade=score,
            elapsed_ms=elapsed,
        )
        queue = [other for other in queue if not other.is_sibling_of(card)]  # buried until tomorrow
        done += 1
        console.print(Text(f"next review {due:%Y-%m-%d %H:%M} UTC", style="dim"))
    console.print(f"Reviewed {done} card(s). The schedule and the log are in the index.")


def _undo(conn: sqlite3.Connection) -> DueCard | None:
    card_id = undo_last_review(conn)
    if card_id is None:
        console.print("[yellow]nothing to undo[/yellow]")
        return None
    console.print("[yellow]undone: that card comes again[/yellow]")
    return load_due_card(conn, card_id)
