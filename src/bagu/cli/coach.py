"""`bagu ask` (and `bagu interview`): answers and interviews from the notes, with or without an LLM."""

from __future__ import annotations

import functools
import os
import time
from collections.abc import Callable
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.text import Text

from bagu.cli.app import (
    JsonOption,
    VaultOption,
    app,
    atomic_output,
    console,
    db_path_for,
    err,
    open_existing,
    print_json,
)
from bagu.cli.review import LazySimilarity, read_answer, show_grade
from bagu.coach.answer import Asker
from bagu.coach.ask import Answer
from bagu.coach.interview import Interview, Question, Turn, candidates, choose_questions, grade_turn, llm_grade
from bagu.coach.interview import follow_ups as follow_ups_of
from bagu.coach.llm import ChatClient, LLMError, load_llm_config
from bagu.coach.report import interview_html, interview_markdown
from bagu.errors import BaguError
from bagu.links.graph import load_targets, outgoing_links
from bagu.links.resolve import NoteTargets
from bagu.review.grade import Grade
from bagu.review.scheduler import DESIRED_RETENTION, schedule
from bagu.review.stats import review_stats, section_memories
from bagu.search.embed import load_signals
from bagu.search.service import Searcher
from bagu.store.db import get_meta
from bagu.store.queries import load_sections, sections_by_id
from bagu.store.reviews import ScheduledCard, load_due_card, record_review, review_log, scheduled_cards
from bagu.store.sqlite import sqlite3
from bagu.vault.model import Section

OfflineOption = Annotated[bool, typer.Option("--offline", help="Never use the LLM endpoint, even if configured.")]


def chat_client(vault: Path, offline: bool) -> ChatClient | None:
    config = None if offline else load_llm_config(vault)
    return None if config is None else ChatClient(config)


@app.command()
def ask(
    question: Annotated[str, typer.Argument(help="A question, in Chinese or English.")],
    vault: VaultOption = Path("."),
    path: Annotated[str | None, typer.Option("--path", help="Only notes whose path matches this glob.")] = None,
    offline: OfflineOption = False,
    as_json: JsonOption = False,
) -> None:
    """Answer from your notes, every sentence cited to its section; says so when the notes do not cover it."""
    asker = Asker(Searcher(open_existing(vault), load_signals()), chat_client(vault, offline))
    streamed: list[str] = []

    def show(piece: str) -> None:
        streamed.append(piece)
        console.print(piece, end="", markup=False, highlight=False, soft_wrap=True)

    answer = asker.ask(question, path, None if as_json else show)
    if as_json:
        print_json(answer.to_json())
        return
    if streamed:
        console.print()
    print_answer(answer, already_shown=bool(streamed))


def print_answer(answer: Answer, already_shown: bool = False) -> None:
    if answer.notice:
        err.print(f"[yellow]{answer.notice}[/yellow]")
    if answer.invalid_citations:
        cited = ", ".join(f"[{n}]" for n in answer.invalid_citations)
        err.print(f"[yellow]removed citations that name no retrieved section: {cited}[/yellow]")
    confidence = "" if answer.confidence is None else f" · confidence {answer.confidence:.2f}"
    err.print(f"[dim]{answer.mode}{confidence}[/dim]")
    if answer.abstained:
        console.print(Text(answer.text, style="yellow"))
        return
    if answer.sentences:
        for sentence in answer.sentences:
            line = Text(sentence.text)
            if sentence.english:
                line.append(f" ({sentence.english})", style="italic")
            line.append(f" [{sentence.citation}]", style="bold cyan")
            console.print(line)
    elif not already_shown or "bagu cited" in (answer.notice or ""):
        console.print(Text(("with citations: " if already_shown else "") + answer.text))
    for citation in answer.citations:
        heading = " › ".join(citation.heading_path)
        console.print(
            Text(f"[{citation.n}] {citation.path}:{citation.line} #{citation.anchor}  {heading}", style="dim")
        )


class Lang(StrEnum):
    ZH = "zh"
    EN = "en"


def _link_for(vault_root: Path, reports: Path) -> Callable[[str, str], str]:
    def link(path: str, anchor: str) -> str:
        relative = Path(os.path.relpath(vault_root / path, reports)).as_posix()
        return f"<{relative}#{anchor}>" if anchor else f"<{relative}>"

    return link


def _linked_sections(
    conn: sqlite3.Connection, targets: NoteTargets, question: Question, sections: list[tuple[str, Section]]
) -> list[tuple[str, Section]]:
    """The sections that the question's section links to (resolved as `bagu check` resolves them);
    a link to a whole note stands for its first headed section."""
    section = question.section
    outgoing = outgoing_links(conn, targets, question.path)
    hits = [
        resolution
        for stored, resolution in outgoing
        if section.line_start <= stored.link.line <= section.line_end and not resolution.is_broken
    ]
    by_id = sections_by_id(conn, [r.section_id for r in hits if r.section_id is not None])
    found = [by_id[r.section_id] for r in hits if r.section_id in by_id]
    for resolution in hits:
        if resolution.section_id is None and resolution.target_path:
            found += [(p, s) for p, s in sections if p == resolution.target_path and s.level > 0][:1]
    return found


class _Recorder:
    """Records each graded answer as a review of the cards made from the section it was graded against."""

    def __init__(self, conn: sqlite3.Connection, retention: float, cards: list[ScheduledCard]) -> None:
        self.conn = conn
        self.retention = retention
        self.by_section: dict[tuple[str, tuple[str, ...]], list[int]] = {}
        for card in cards:
            self.by_section.setdefault((card.path, card.heading_path), []).append(card.card_id)

    def record(self, question: Question, answer: str, grade: Grade, elapsed_ms: int) -> int:
        now = datetime.now(UTC)
        ids = self.by_section.get(question.key, [])
        for card_id in ids:
            card = load_due_card(self.conn, card_id)
            state, due = schedule(card.state, grade.rating, now, self.retention)
            record_review(self.conn, card, state, due, int(grade.rating), now, answer or None, grade.score, elapsed_ms)
        return len(ids)


@app.command()
def interview(
    vault: VaultOption = Path("."),
    topics: Annotated[str | None, typer.Option(help="Comma-separated topics or paths: redis,kafka,network/.")] = None,
    n: Annotated[int, typer.Option("--n", "-n", help="Main questions.", min=1, max=50)] = 8,
    lang: Annotated[Lang, typer.Option(help="Language of the questions.")] = Lang.ZH,
    follow_ups: Annotated[int, typer.Option(help="Follow-ups per question, at most.", min=0, max=2)] = 2,
    seed: Annotated[int | None, typer.Option(help="Fix the draw, for a repeatable interview.")] = None,
    retention: Annotated[
        float, typer.Option(min=0.7, max=0.99, help="Desired retention for FSRS.")
    ] = DESIRED_RETENTION,
    offline: OfflineOption = False,
) -> None:
    """A mock interview from your notes: weakest topics first, follow-ups along the notes, graded, with a report."""
    conn = open_existing(vault)
    sections = load_sections(conn)
    wanted = [t.strip() for t in (topics or "").split(",") if t.strip()]
    pool = candidates(sections, wanted)
    if not pool:
        raise BaguError(f"no question-like sections match {topics!r}; try other --topics, or none")
    now = datetime.now(UTC)
    cards, log = scheduled_cards(conn), review_log(conn)
    questions = choose_questions(pool, section_memories(cards, log, now), n, lang.value, seed)
    client = chat_client(vault, offline)
    similarity = LazySimilarity()
    recorder = _Recorder(conn, retention, cards)
    link_targets = functools.cache(lambda: load_targets(conn, vault))  # walked once, on the first follow-up
    session = Interview()
    queue = list(questions)
    console.print(f"[bold]Mock interview[/bold]: {len(questions)} question(s); an empty line ends an answer, q stops.")
    while queue:
        question = queue.pop(0)
        console.rule(
            "follow-up"
            if question.follow_up_of
            else f"question {sum(1 for t in session.turns if not t.question.follow_up_of) + 1}"
        )
        console.print(Text(question.prompt, style="bold cyan"))
        started = time.monotonic()
        answer = read_answer("empty line to finish; q stop", ("q",))
        if answer == "q":
            break
        seconds = time.monotonic() - started
        grade = grade_turn(question, answer, similarity.similarity())
        grader = "heuristic"
        if client is not None:
            try:
                grade, grader = llm_grade(client, question, answer, grade), "llm"
            except LLMError as exc:
                err.print(f"[yellow]{exc} — grading without the model from now on[/yellow]")
                client = None
        show_grade(grade)
        source = f"{question.path}:{question.section.line_start} #{question.section.anchors.raw}"
        console.print(Text(f"  source: {source}", style="dim"))
        reviewed = recorder.record(question, answer, grade, int(seconds * 1000))
        session.turns.append(Turn(question, answer, grade, seconds, reviewed, grader))
        if not question.follow_up_of and follow_ups and answer.strip():
            linked = _linked_sections(conn, link_targets(), question, sections)
            queue[0:0] = follow_ups_of(question, sections, linked, lang.value, follow_ups)
    if not session.turns:
        console.print("No answers, no report.")
        return
    paths = write_report(conn, vault, session, now, sections)
    console.print(f"overall {session.score:.0%} · report: {paths[0]} and {paths[1].name}")


def write_report(
    conn: sqlite3.Connection,
    vault: Path,
    session: Interview,
    started: datetime,
    sections: list[tuple[str, Section]],
) -> tuple[Path, Path]:
    reports = db_path_for(vault).parent / "reports"
    reports.mkdir(parents=True, exist_ok=True)
    root = Path(get_meta(conn, "vault_root") or vault.resolve())
    link_for = _link_for(root, reports)
    figures = review_stats(scheduled_cards(conn), review_log(conn), datetime.now(UTC), weakest=5)
    anchors = {(p, s.heading_path): s.anchors.github for p, s in sections}
    weak_links = [link_for(w.path, anchors.get((w.path, w.heading_path), "")) for w in figures.weakest]
    markdown = interview_markdown(session, started, link_for, figures.topics, figures.weakest, weak_links)
    stem = f"interview-{started:%Y%m%d-%H%M%S}"
    md_path, html_path = reports / f"{stem}.md", reports / f"{stem}.html"
    for path, text in ((md_path, markdown), (html_path, interview_html(markdown, stem))):
        with atomic_output(path) as temporary:
            temporary.write_text(text, encoding="utf-8")
    return md_path, html_path
