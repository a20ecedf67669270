"""A mock interview in progress, shared by `bagu interview` and the web app.

`InterviewRun` holds the queue (main questions, then follow-ups inserted after each answer), grades
each answer (the LLM rubric when configured, falling back to the heuristic grader for the rest of
the run when the endpoint fails), records it as a review of the section's cards, and writes the
report. It does not read answers or print: the terminal and the browser do that.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from bagu.coach.interview import (
    Interview,
    Question,
    SectionKey,
    Turn,
    candidates,
    choose_questions,
    follow_ups,
    grade_turn,
    llm_grade,
)
from bagu.coach.llm import ChatClient
from bagu.coach.report import interview_html, interview_markdown
from bagu.errors import BaguError, LLMError
from bagu.links.graph import load_targets, outgoing_links
from bagu.links.resolve import NoteTargets
from bagu.review.scheduler import Rating
from bagu.review.session import LazySimilarity, rate_card
from bagu.review.stats import ReviewStats, review_stats, section_memories
from bagu.store.outputs import atomic_output
from bagu.store.queries import load_sections, sections_by_id
from bagu.store.reviews import load_due_card, review_log, scheduled_cards
from bagu.store.sqlite import sqlite3
from bagu.vault.model import Section


@dataclass(frozen=True, slots=True)
class InterviewPlan:
    topics: tuple[str, ...] = ()
    n: int = 8
    lang: str = "zh"
    follow_ups: int = 2
    seed: int | None = None
    retention: float = 0.9


@dataclass(slots=True)
class InterviewRun:
    conn: sqlite3.Connection
    vault: Path
    plan: InterviewPlan
    client: ChatClient | None
    started: datetime
    sections: list[tuple[str, Section]]
    # the cards made from each section, which an answer reviews
    card_ids: dict[SectionKey, list[int]]
    queue: list[Question]
    similarity: LazySimilarity = field(default_factory=LazySimilarity)
    session: Interview = field(default_factory=Interview)
    notices: list[str] = field(default_factory=list)
    _targets: NoteTargets | None = None

    @classmethod
    def start(
        cls, conn: sqlite3.Connection, vault: Path, plan: InterviewPlan, client: ChatClient | None
    ) -> InterviewRun:
        """Draw the questions: weakest and never-reviewed sections first, spread across notes."""
        sections = load_sections(conn)
        pool = candidates(sections, plan.topics)
        if not pool:
            wanted = ",".join(plan.topics)
            raise BaguError(
                f"no question-like sections match {wanted!r}; try other topics, or none"
            )
        now = datetime.now(UTC)
        cards, log = scheduled_cards(conn), review_log(conn)
        questions = choose_questions(
            pool, section_memories(cards, log, now), plan.n, plan.lang, plan.seed
        )
        card_ids: dict[SectionKey, list[int]] = {}
        for card in cards:
            card_ids.setdefault((card.path, card.heading_path), []).append(card.card_id)
        return cls(conn, vault, plan, client, now, sections, card_ids, list(questions))

    @property
    def current(self) -> Question | None:
        return self.queue[0] if self.queue else None

    @property
    def main_questions_asked(self) -> int:
        return sum(1 for turn in self.session.turns if not turn.question.follow_up_of)

    def answer(self, text: str, seconds: float) -> Turn:
        """Grade and record the answer to the current question; queue its follow-ups."""
        question = self.queue.pop(0)
        grade = grade_turn(question, text, self.similarity.similarity())
        if self.similarity.notice:
            self.notices.append(self.similarity.notice)
            self.similarity.notice = None
        grader = "heuristic"
        if self.client is not None:
            try:
                grade, grader = llm_grade(self.client, question, text, grade), "llm"
            except LLMError as exc:
                self.notices.append(f"{exc} — grading without the model from now on")
                self.client = None
        reviewed = self._record(question, text, grade.rating, grade.score, int(seconds * 1000))
        turn = Turn(question, text, grade, seconds, reviewed, grader)
        self.session.turns.append(turn)
        if not question.follow_up_of and self.plan.follow_ups and text.strip():
            linked = self._linked_sections(question)
            self.queue[0:0] = follow_ups(
                question, self.sections, linked, self.plan.lang, self.plan.follow_ups
            )
        return turn

    def _record(
        self, question: Question, answer: str, rating: Rating, score: float, elapsed_ms: int
    ) -> int:
        """Each graded answer counts as a review of the cards made from the section it was graded
        against."""
        now = datetime.now(UTC)
        ids = self.card_ids.get(question.key, [])
        for card_id in ids:
            rate_card(
                self.conn,
                load_due_card(self.conn, card_id),
                rating=rating,
                now=now,
                retention=self.plan.retention,
                answer=answer,
                grade=score,
                elapsed_ms=elapsed_ms,
            )
        return len(ids)

    def _linked_sections(self, question: Question) -> list[tuple[str, Section]]:
        """The sections that the question's section links to (resolved as `bagu check` resolves
        them); a link to a whole note stands for its first headed section."""
        if self._targets is None:
            # walked once, on the first follow-up
            self._targets = load_targets(self.conn, self.vault)
        section = question.section
        hits = [
            resolution
            for stored, resolution in outgoing_links(self.conn, self._targets, question.path)
            if section.line_start <= stored.link.line <= section.line_end
            and not resolution.is_broken
        ]
        by_id = sections_by_id(self.conn, [r.section_id for r in hits if r.section_id is not None])
        found = [by_id[r.section_id] for r in hits if r.section_id in by_id]
        for resolution in hits:
            if resolution.section_id is None and resolution.target_path:
                found += [
                    (p, s) for p, s in self.sections if p == resolution.target_path and s.level > 0
                ][:1]
        return found

    def report_figures(self) -> ReviewStats:
        """Mastery per topic and the weakest sections now, after this run's reviews."""
        return review_stats(
            scheduled_cards(self.conn), review_log(self.conn), datetime.now(UTC), weakest=5
        )

    def report_markdown(
        self, link_for: Callable[[str, str], str], figures: ReviewStats | None = None
    ) -> str:
        """The report, its links to the notes made by `link_for(path, github_anchor)`."""
        figures = figures or self.report_figures()
        anchors = {(p, s.heading_path): s.anchors.github for p, s in self.sections}
        weak_links = [
            link_for(w.path, anchors.get((w.path, w.heading_path), "")) for w in figures.weakest
        ]
        return interview_markdown(
            self.session, self.started, link_for, figures.topics, figures.weakest, weak_links
        )

    def write_report(
        self, reports: Path, vault_root: Path, figures: ReviewStats | None = None
    ) -> tuple[Path, Path]:
        """The Markdown and HTML reports under `reports`, with relative links back to the notes."""
        reports.mkdir(parents=True, exist_ok=True)
        markdown = self.report_markdown(_link_for(vault_root, reports), figures)
        stem = f"interview-{self.started:%Y%m%d-%H%M%S}"
        md_path, html_path = reports / f"{stem}.md", reports / f"{stem}.html"
        for path, text in ((md_path, markdown), (html_path, interview_html(markdown, stem))):
            with atomic_output(path) as temporary:
                temporary.write_text(text, encoding="utf-8")
        return md_path, html_path


def _link_for(vault_root: Path, reports: Path) -> Callable[[str, str], str]:
    def link(path: str, anchor: str) -> str:
        relative = Path(os.path.relpath(vault_root / path, reports)).as_posix()
        return f"<{relative}#{anchor}>" if anchor else f"<{relative}>"

    return link


def parse_topics(topics: str | Sequence[str] | None) -> tuple[str, ...]:
    """`redis, kafka,network/` → ("redis", "kafka", "network/")."""
    items = topics.split(",") if isinstance(topics, str) else (topics or ())
    return tuple(t.strip() for t in items if t.strip())
