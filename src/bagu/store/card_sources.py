"""Where a card comes from: the section (path, heading path, lines) and the span it was made from.

Stored as a JSON list in `cards.sources`; parsed here and nowhere else, so every stage above the
store sees `CardSource` values. `to_dict` / `from_dict` are the shape the JSON API and `--json`
output use.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class CardSource:
    path: str
    heading_path: tuple[str, ...]
    line_start: int
    line_end: int
    span: str  # the verbatim text the card was made from

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "heading_path": list(self.heading_path),
            "line_start": self.line_start,
            "line_end": self.line_end,
            "span": self.span,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> CardSource:
        return cls(
            path=str(data["path"]),
            heading_path=tuple(data["heading_path"]),
            line_start=int(data["line_start"]),
            line_end=int(data["line_end"]),
            span=str(data.get("span", "")),
        )


def sources_json(sources: Iterable[CardSource]) -> str:
    return json.dumps([s.to_dict() for s in sources], ensure_ascii=False)


def sources_from_json(text: str) -> tuple[CardSource, ...]:
    return tuple(CardSource.from_dict(s) for s in json.loads(text))
