"""`bagu grade --batch FILE.jsonl`: grade typed answers for an evaluation, models loaded once."""

from __future__ import annotations

import json
import sqlite3
import sys
from pathlib import Path
from typing import Annotated

import typer

from bagu.cli.app import VaultOption, app, db_path_for, err, open_existing
from bagu.errors import BadBatchItem, BaguError
from bagu.review.batch import grade_item, parse_item, result_json
from bagu.review.grade import Reference
from bagu.review.session import WORDS_ONLY
from bagu.search.embedders import load_embedder, text_similarity
from bagu.store.queries import load_section
from bagu.store.reviews import card_by_key


class _Cards:
    """Cards looked up by key in the vault's index, opened on the first `{"card": …}` item only."""

    def __init__(self, vault: Path) -> None:
        self._vault = vault
        self._conn: sqlite3.Connection | None = None

    def __call__(self, key: str) -> tuple[str, Reference] | None:
        if self._conn is None:
            if not db_path_for(self._vault).exists():
                raise BadBatchItem(
                    f"no index of {self._vault} to look card keys up in: run `bagu index` first"
                )
            self._conn = open_existing(self._vault)
        card = card_by_key(self._conn, key)
        if card is None:
            return None
        source = card.sources[0]
        section = load_section(self._conn, source.path, source.heading_path)
        return card.front, Reference.of_card(card.kind, card.back, section)


@app.command()
def grade(
    batch: Annotated[
        Path,
        typer.Option(
            "--batch",
            help='A JSONL file: {"id", "question", "reference", "answer"} (reference as '
            "Markdown) or "
            '{"id", "card", "answer"} per line; one JSON line out per line in.',
        ),
    ],
    vault: VaultOption = Path("."),
    embedder: Annotated[
        str | None, typer.Option("--embedder", help="use, e5, none (words only), or the default.")
    ] = None,
) -> None:
    """Grade typed answers against the notes: rating, score, and the points hit, missed and
    contradicted."""
    try:
        lines = batch.read_text(encoding="utf-8-sig").splitlines()
    except OSError as exc:
        raise BaguError(f"cannot read {batch}: {exc.strerror or exc}") from exc
    except UnicodeDecodeError as exc:
        raise BaguError(f"{batch} is not UTF-8 text: {exc.reason} at byte {exc.start}") from exc
    similarity = text_similarity(load_embedder(embedder))
    if similarity is None:
        err.print(f"[yellow]{WORDS_ONLY}[/yellow]")
    cards = _Cards(vault)
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            item = parse_item(json.loads(line), number, cards)
        except ValueError:
            _write({"line": number, "error": "not a JSON line"})
            continue
        except BadBatchItem as exc:
            _write({"line": number, "error": str(exc)})
            continue
        _write(result_json(item, grade_item(item, similarity)))


def _write(data: dict[str, object]) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False) + "\n")
    sys.stdout.flush()
