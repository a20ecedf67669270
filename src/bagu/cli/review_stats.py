"""`bagu stats --reviews`: the review figures as tables and bar sparklines, or JSON."""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path

from rich.table import Table
from rich.text import Text

from bagu.cli.app import console, print_json
from bagu.errors import BaguError
from bagu.links.graph import load_targets
from bagu.review.stats import FRESH_RECALL, ReviewStats, review_stats
from bagu.review.vault_map import vault_map
from bagu.store.links import load_links
from bagu.store.reviews import review_log, scheduled_cards
from bagu.store.sqlite import sqlite3

_BARS = " ▁▂▃▄▅▆▇█"


def sparkline(values: list[int]) -> str:
    top = max(values, default=0)
    return "".join(_BARS[round(v / top * (len(_BARS) - 1))] if top else _BARS[0] for v in values)


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.0%}"


def show_review_stats(conn: sqlite3.Connection, as_json: bool) -> None:
    figures: ReviewStats = review_stats(scheduled_cards(conn), review_log(conn), datetime.now(UTC))
    if as_json:
        print_json(asdict(figures))
        return
    retention = (
        _percent(figures.true_retention)
        if figures.true_retention is not None
        else "not yet (it counts reviews of cards that have graduated from learning)"
    )
    console.print(
        f"{figures.cards} active cards, {figures.reviewed_cards} reviewed, {figures.reviews} "
        f"reviews;"
        f" due now {figures.due_now}; true retention {retention}"
    )
    forecast = [n for _, n in figures.forecast]
    per_day = [n for _, n in figures.per_day]
    console.print(f"due, next {len(forecast)} days   {sparkline(forecast)}  {forecast}")
    console.print(f"reviews, last {len(per_day)} days {sparkline(per_day)}  {per_day}")
    topics = Table(title="mastery per topic (FSRS recall now)")
    for column in ("topic", "cards", "reviewed", "mastery"):
        topics.add_column(column, justify="left" if column == "topic" else "right")
    for t in figures.topics:
        topics.add_row(t.topic, str(t.cards), str(t.reviewed), _percent(t.mastery))
    console.print(topics)
    weakest = [w for w in figures.weakest if w.mastery < FRESH_RECALL]
    if figures.weakest and not weakest:
        console.print(
            "weakest sections: nothing is weak yet (every reviewed section is above 95% recall)"
        )
    if weakest:
        weak = Table(title="weakest sections")
        for column in ("section", "mastery", "lapses"):
            weak.add_column(column, justify="left" if column == "section" else "right")
        for w in weakest:
            weak.add_row(
                f"{w.path} › {' › '.join(w.heading_path)}", _percent(w.mastery), str(w.lapses)
            )
        console.print(weak)


# How each readiness is shown in a terminal.
READINESS_STYLE = {
    "solid": "green",
    "fading": "yellow",
    "weak": "red",
    "unseen": "dim",
    "no-cards": "dim",
}


def show_vault_map(conn: sqlite3.Connection, vault: Path, as_json: bool) -> None:
    """The summary page's headings, each link under it coloured by the recall of its cards."""
    found = vault_map(conn, load_targets(conn, vault), load_links(conn))
    if found is None:
        raise BaguError(
            "this vault has no summary page (a note that links into many others) to map"
        )
    if as_json:
        print_json(found.to_dict())
        return
    console.print(Text(f"{found.page}: {_counts(found.counts)}", style="bold"))
    for heading in found.headings:
        line = Text("  " * max(0, heading.level - 1) + " › ".join(heading.heading_path[-1:]) + "  ")
        line.append(_counts(heading.counts), style="dim")
        console.print(line)
        for link in heading.links:
            recall = "" if link.recall is None else f" {link.recall:.0%}"
            shown = Text(
                "  " * heading.level + f"● {link.text or link.heading_path[-1]}",
                style=READINESS_STYLE[link.readiness],
            )
            shown.append(f"  {link.readiness}{recall}", style="dim")
            console.print(shown)
    console.print(
        Text(
            f"solid: recall at or above {found.target_retention:.0%} · weak: below 70% · unseen: "
            f"cards not reviewed yet",
            style="dim",
        )
    )


def _counts(counts: Counter[str]) -> str:
    order = ("solid", "fading", "weak", "unseen", "no-cards")
    return ", ".join(f"{name} {counts[name]}" for name in order if counts.get(name))
