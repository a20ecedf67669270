"""The JSON API's shapes, for validation and the OpenAPI schema.

Responses are the very dicts the CLI prints with `--json` (`SearchResults.to_json`,
`Answer.to_json`, `LinkReport.to_json`, `asdict(ReviewStats)`); these models describe and check
them at the boundary, so the CLI and the API cannot drift apart (tests/web/test_api.py compares them
byte for byte).
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


class SearchResult(BaseModel):
    section_id: int
    path: str
    heading: str
    heading_path: list[str]
    anchor: str = Field(description="the raw heading text, as Typora and Obsidian link to it")
    github_anchor: str
    line: int
    snippet: str
    highlights: list[list[int]] = Field(
        description="[start, end) character offsets of matched terms in snippet"
    )
    score: float


class SearchResponse(BaseModel):
    query: str
    terms: list[str]
    mode: str
    notice: str | None
    confidence: float | None
    abstained: bool
    results: list[SearchResult]


class Citation(BaseModel):
    n: int
    path: str
    heading_path: list[str]
    anchor: str
    github_anchor: str
    line: int
    link: str


class AnswerSentence(BaseModel):
    text: str
    citation: int
    line: int
    english: str | None = None


class AskResponse(BaseModel):
    question: str
    text: str
    mode: str
    abstained: bool
    confidence: float | None
    citations: list[Citation]
    sentences: list[AnswerSentence]
    notice: str | None
    invalid_citations: list[int]


class ReviewCard(BaseModel):
    card_id: int
    kind: str
    front: str
    sources: list[dict[str, Any]]
    remaining: int = Field(description="cards due now, this one included")


class NextCard(BaseModel):
    card: ReviewCard | None
    message: str | None = None


class AnswerIn(BaseModel):
    answer: str = Field(default="", max_length=20_000)


class PointOut(BaseModel):
    text: str
    credit: float = Field(description="0, 0.5 or 1")
    how: str = Field(description='"term", "rendering", "meaning", or "" when missed')


class GradeOut(BaseModel):
    card_id: int
    back: str
    score: float
    proposed_rating: int
    reason: str
    points: list[PointOut]
    notice: str | None = None


class RatingIn(BaseModel):
    rating: int = Field(ge=1, le=4, description="1 Again, 2 Hard, 3 Good, 4 Easy")
    answer: str | None = Field(default=None, max_length=20_000)
    grade: float | None = Field(default=None, ge=0, le=1)
    elapsed_ms: int | None = Field(default=None, ge=0)


class RatedOut(BaseModel):
    card_id: int
    rating: int
    due: str


class UndoOut(BaseModel):
    card_id: int | None


class InterviewIn(BaseModel):
    topics: list[str] = Field(default_factory=list)
    n: int = Field(default=2, ge=1, le=50)
    lang: str = Field(default="zh", pattern="^(zh|en)$")
    follow_ups: int = Field(default=0, ge=0, le=2)
    seed: int | None = None


class QuestionOut(BaseModel):
    prompt: str
    path: str
    heading_path: list[str]
    follow_up: bool


class InterviewAnswerIn(BaseModel):
    answer: str = Field(default="", max_length=20_000)
    seconds: float = Field(default=0.0, ge=0)


class TurnOut(BaseModel):
    prompt: str
    score: float
    rating: int
    grader: str
    reason: str
    points: list[PointOut]
    source: str


class InterviewOut(BaseModel):
    id: str
    question: QuestionOut | None
    asked: int = Field(description="main questions answered so far")
    turns: list[TurnOut]
    score: float | None
    notices: list[str] = Field(default_factory=list)
    report: str | None = None


class FixIn(BaseModel):
    only: list[str] = Field(description="PATH:LINE[:COL][@N], as `bagu fix --only`", min_length=1)
    confirm: bool = Field(description="must be true: the notes are written (after a backup)")


class FixOut(BaseModel):
    diff: str
    edits: int
    refused: list[str]
    unmatched: list[str]
    applied: bool
    backup: str | None = None


class StatusOut(BaseModel):
    version: int
    notes: int
    sections: int
    cards: int
    semantic: str
    notice: str | None
    # background embedding of `bagu serve`: phase, summary, per signal
    embedding: dict[str, Any] | None = None
