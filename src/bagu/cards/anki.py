"""Cards as an Anki deck (genanki): one note per card, its GUID derived from bagu's stable card id.

bagu keeps a card's id through rewording, renamed headings and moved notes (cards/identity.py), so a
re-export after edits updates the same Anki notes in place instead of adding duplicates (genanki's
default GUID hashes every field, which is what breaks Anki sync in other note-to-Anki tools). Pure
apart from genanki: rows in, a `genanki.Package` out; the CLI writes it.
"""

from __future__ import annotations

import hashlib
import html
from collections.abc import Iterable
from typing import Any

import genanki

MODEL_NAME = "bagu card v1"
_CSS = (
    ".card { font-family: sans-serif; font-size: 20px; text-align: left; } .source { color: #777; "
    "font-size: 14px; }"
)


def stable_id(name: str) -> int:
    """A 31-bit id from a name: Anki wants model and deck ids that do not change between exports."""
    return int.from_bytes(hashlib.sha256(name.encode("utf-8")).digest()[:4], "big") >> 1


def card_guid(card_id: int) -> str:
    return str(genanki.guid_for("bagu-card", card_id))


def _html(text: str) -> str:
    return html.escape(text).replace("\n", "<br>")


def _source(sources: list[dict[str, Any]]) -> str:
    return "<br>".join(
        _html(f"{s['path']}:{s['line_start']} › {' › '.join(s['heading_path'])}") for s in sources
    )


def _tag(text: str) -> str:
    return "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in text)


def anki_model() -> genanki.Model:
    return genanki.Model(
        stable_id(MODEL_NAME),
        MODEL_NAME,
        fields=[
            {"name": "Front"},
            {"name": "Back"},
            {"name": "Source"},
            {"name": "Kind"},
            {"name": "BaguId"},
        ],
        templates=[
            {
                "name": "Card 1",
                "qfmt": "{{Front}}",
                "afmt": '{{FrontSide}}<hr id="answer">{{Back}}<div class="source">{{Source}}</div>',
            }
        ],
        css=_CSS,
    )


def anki_package(rows: Iterable[dict[str, Any]], deck_name: str) -> tuple[genanki.Package, int]:
    """A package holding one note per card row ({id, kind, front, back, sources}); returns it and
    the count."""
    model = anki_model()
    deck = genanki.Deck(stable_id(f"deck:{deck_name}"), deck_name)
    count = 0
    for row in rows:
        # the card's `--json` shape: a list of {path, heading_path, line_start, …}
        sources = row["sources"]
        topic = sources[0]["path"].split("/")[0].removesuffix(".md")
        deck.add_note(
            genanki.Note(
                model=model,
                fields=[
                    _html(row["front"]),
                    _html(row["back"]),
                    _source(sources),
                    row["kind"],
                    str(row["id"]),
                ],
                guid=card_guid(int(row["id"])),
                tags=["bagu", f"bagu::{_tag(row['kind'])}", f"topic::{_tag(topic)}"],
            )
        )
        count += 1
    return genanki.Package(deck), count
