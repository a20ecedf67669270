"""What a search returns, shared by the CLI's `--json`, the API and later stages (ask, cards)."""

from __future__ import annotations

from dataclasses import KW_ONLY, asdict, dataclass, field
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
    _: KW_ONLY
    terms: tuple[str, ...]
    mode: str
    hits: tuple[SearchHit, ...] = field(default=())
    notice: str | None = None
    # How likely the top hit answers the query (0–1, calibrated on the dev set); None when not
    # computed.
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
                {
                    **asdict(hit),
                    "heading_path": list(hit.heading_path),
                    "highlights": [list(h) for h in hit.highlights],
                }
                for hit in self.hits
            ],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> SearchResults:
        """The results `to_json` (or `GET /api/search`) described."""
        hits = tuple(
            SearchHit(
                section_id=int(hit["section_id"]),
                path=str(hit["path"]),
                heading=str(hit["heading"]),
                heading_path=tuple(hit["heading_path"]),
                anchor=str(hit["anchor"]),
                github_anchor=str(hit["github_anchor"]),
                line=int(hit["line"]),
                snippet=str(hit["snippet"]),
                highlights=tuple((int(a), int(b)) for a, b in hit["highlights"]),
                score=float(hit["score"]),
            )
            for hit in data["results"]
        )
        return cls(
            str(data["query"]),
            terms=tuple(data["terms"]),
            mode=str(data["mode"]),
            hits=hits,
            notice=data.get("notice"),
            confidence=data.get("confidence"),
            abstained=bool(data.get("abstained")),
        )
