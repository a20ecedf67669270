"""What a search returns, shared by the CLI's `--json`, the API and later stages (ask, cards)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class SearchHit:
    section_id: int
    path: str
    heading: str
    heading_path: tuple[str, ...]
    anchor: str  # the raw heading text, as Typora and Obsidian link to it
    github_anchor: str
    line: int
    snippet: str
    highlights: tuple[tuple[int, int], ...]
    score: float


@dataclass(frozen=True, slots=True)
class SearchResults:
    query: str
    terms: tuple[str, ...]
    mode: str
    hits: tuple[SearchHit, ...] = field(default=())
    notice: str | None = None
    # How likely the top hit answers the query (0–1, calibrated on the dev set); None when not computed.
    confidence: float | None = None
    abstained: bool = False

    def to_json(self) -> dict[str, Any]:
        return {
            "query": self.query,
            "terms": list(self.terms),
            "mode": self.mode,
            "notice": self.notice,
            "confidence": self.confidence,
            "abstained": self.abstained,
            "results": [
                {**asdict(hit), "heading_path": list(hit.heading_path), "highlights": [list(h) for h in hit.highlights]}
                for hit in self.hits
            ],
        }
