"""A mock interview driven by memory: pick what the user knows least, follow the notes' structure,
grade.

Questions come from sections with a question-like heading (and so a question card). Each is weighted
by what FSRS knows of its cards: never reviewed, low retrievability and lapses weigh more.
Follow-ups walk the notes: the section's child headings first, then the sections it links to.
Grading is the review grader against the section (or an LLM rubric grader, always with the note as
the rubric). Pure: sections, card states and answers in; questions, grades and turns out. The CLI
does the asking and the writing.
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from bagu.cards.generate import is_question_heading
from bagu.coach.cited_answer import sentences_of
from bagu.coach.llm import ChatClient
from bagu.errors import LLMBadResponse
from bagu.review.grade import (
    Grade,
    KeyPoint,
    PointResult,
    Reference,
    Similarity,
    grade_answer,
    rating_for,
)
from bagu.review.stats import SectionMemory
from bagu.vault.model import Section

SectionKey = tuple[str, tuple[str, ...]]  # (path, heading path)
MAX_FOLLOW_UPS = 2
REFERENCE_CHARS = 600


@dataclass(frozen=True, slots=True)
class Question:
    path: str
    section: Section
    prompt: str
    follow_up_of: str | None = None  # the prompt this one digs into

    @property
    def key(self) -> SectionKey:
        return (self.path, self.section.heading_path)


@dataclass(frozen=True, slots=True)
class Turn:
    question: Question
    answer: str
    grade: Grade
    seconds: float
    reviewed_cards: int = 0
    grader: str = "heuristic"  # or "llm"


@dataclass(slots=True)
class Interview:
    turns: list[Turn] = field(default_factory=list)

    @property
    def score(self) -> float:
        return sum(t.grade.score for t in self.turns) / len(self.turns) if self.turns else 0.0


def prompt_for(section: Section, lang: str) -> str:
    path = " › ".join(section.heading_path)
    if lang == "en":
        return f"Explain: {path}" if not section.heading.rstrip().endswith(("?", "？")) else path
    return path if is_question_heading(section.heading) else f"请讲讲：{path}"


def _matches(path: str, section: Section, topics: Sequence[str]) -> bool:
    haystack = f"{path} {' '.join(section.heading_path)}".casefold()
    return not topics or any(topic.casefold() in haystack for topic in topics)


def has_substance(section: Section) -> bool:
    return len(sentences_of(section)) >= 1 and sum(ch.isalnum() for ch in section.body) >= 12


def candidates(
    sections: Sequence[tuple[str, Section]], topics: Sequence[str] = ()
) -> list[tuple[str, Section]]:
    """Sections worth a main question: a question-like heading, something to grade against, on
    topic."""
    return [
        (path, section)
        for path, section in sections
        if section.level > 0
        and is_question_heading(section.heading)
        and has_substance(section)
        and _matches(path, section, topics)
    ]


def weight(memory: SectionMemory | None) -> float:
    """Never reviewed: 2; otherwise 1 − recall, plus half a point per lapse, never below 0.1."""
    if memory is None or memory.recall is None:
        return 2.0
    return max(0.1, 1.0 - float(memory.recall) + 0.5 * memory.lapses)


def choose_questions(
    pool: Sequence[tuple[str, Section]],
    memories: dict[SectionKey, SectionMemory],
    n: int,
    lang: str = "zh",
    seed: int | None = None,
) -> list[Question]:
    """`n` distinct sections, drawn without replacement with probability ∝ weight, spread over
    notes."""
    rng = random.Random(seed)
    remaining = list(pool)
    chosen: list[Question] = []
    while remaining and len(chosen) < n:
        used_notes = {q.path for q in chosen}
        weights = [
            weight(memories.get((path, s.heading_path))) * (0.3 if path in used_notes else 1.0)
            for path, s in remaining
        ]
        path, section = remaining.pop(rng.choices(range(len(remaining)), weights)[0])
        chosen.append(Question(path, section, prompt_for(section, lang)))
    return chosen


def follow_ups(
    question: Question,
    sections: Sequence[tuple[str, Section]],
    linked: Sequence[tuple[str, Section]] = (),
    lang: str = "zh",
    limit: int = MAX_FOLLOW_UPS,
) -> list[Question]:
    """Child headings of the question's section first, then the sections it links to; each with
    substance."""
    parent = question.section.heading_path
    children = [
        (path, s)
        for path, s in sections
        if path == question.path
        and len(s.heading_path) == len(parent) + 1
        and s.heading_path[:-1] == parent
    ]
    found: list[Question] = []
    seen = {question.key}
    for path, section in [*children, *linked]:
        key = (path, section.heading_path)
        if key in seen or not has_substance(section):
            continue
        seen.add(key)
        found.append(
            Question(path, section, prompt_for(section, lang), follow_up_of=question.prompt)
        )
        if len(found) == limit:
            break
    return found


def reference_of(section: Section) -> Reference:
    prose = "\n".join(sentence for sentence, _ in sentences_of(section))[:REFERENCE_CHARS]
    return Reference.of_card("question", prose, section)


def grade_turn(question: Question, answer: str, similarity: Similarity | None = None) -> Grade:
    return grade_answer(
        question.prompt, answer, reference_of(question.section).key_points(), similarity
    )


RUBRIC_PROMPT = (
    "You grade an interview answer strictly against the candidate's own notes, which are the "
    "rubric. "
    'Reply with JSON only: {"score": number from 0 to 1, "hit": [key points of the notes the '
    "answer covers], "
    '"missed": [key points of the notes it misses]}. Quote key points from the notes. '
    "An empty, off-topic or question-repeating answer scores 0."
)
_JSON = re.compile(r"\{.*\}", re.DOTALL)


def llm_grade(client: ChatClient, question: Question, answer: str, heuristic: Grade) -> Grade:
    """The LLM's rubric grade; answers the heuristic already failed (empty, parroting) are never
    sent."""
    if heuristic.reason and heuristic.reason != "off-topic: none of the key points is there":
        return heuristic
    notes = "\n".join(sentence for sentence, _ in sentences_of(question.section))[:1500]
    reply = client.chat(
        [
            {"role": "system", "content": RUBRIC_PROMPT},
            {
                "role": "user",
                "content": f"Notes:\n{notes}\n\nQuestion: {question.prompt}\n\nAnswer: {answer}",
            },
        ],
        max_tokens=400,
    )
    match = _JSON.search(reply)
    try:
        data = json.loads(match.group() if match else reply)
        score = min(1.0, max(0.0, float(data["score"])))
        hit = [str(p) for p in data.get("hit", [])]
        missed = [str(p) for p in data.get("missed", [])]
    except (ValueError, KeyError, TypeError) as exc:
        raise LLMBadResponse(
            f"the grader's reply is not the JSON asked for: {reply[:120]!r}"
        ) from exc
    points = tuple(PointResult(KeyPoint(p), 1.0, "llm") for p in hit) + tuple(
        PointResult(KeyPoint(p), 0.0, "") for p in missed
    )
    return Grade(
        round(score, 3),
        rating_for(score),
        points,
        "" if score else "the grader found nothing right",
    )
