"""`bagu ask` (and `bagu interview`): answers and interviews from the notes, with or without an
LLM."""

from __future__ import annotations

import time
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.text import Text

from bagu.cli.app import (
    JsonOption,
    VaultOption,
    app,
    busy,
    console,
    db_path_for,
    err,
    open_existing,
    print_json,
)
from bagu.cli.review import read_answer, show_grade
from bagu.cli.server_link import ask_server, running_server
from bagu.coach.asker import Asker
from bagu.coach.cited_answer import Answer
from bagu.coach.llm import ChatClient, load_llm_config
from bagu.coach.session import InterviewPlan, InterviewRun, parse_topics
from bagu.review.scheduler import DESIRED_RETENTION
from bagu.search.embedders import load_signals
from bagu.search.service import Searcher
from bagu.store.db import get_meta
from bagu.vault.anchors import written_anchor
from bagu.vault.names import path_glob

OfflineOption = Annotated[
    bool, typer.Option("--offline", help="Never use the LLM endpoint, even if configured.")
]


def chat_client(vault: Path, offline: bool) -> ChatClient | None:
    config = None if offline else load_llm_config(vault)
    return None if config is None else ChatClient(config)


@app.command()
def ask(
    question: Annotated[str, typer.Argument(help="A question, in Chinese or English.")],
    vault: VaultOption = Path("."),
    path: Annotated[
        str | None,
        typer.Option("--path", help="Only notes whose path matches this glob (db/ is the folder)."),
    ] = None,
    offline: OfflineOption = False,
    as_json: JsonOption = False,
) -> None:
    """Answer from your notes, every sentence cited to its section; says so when the notes do not
    cover it.

    When `bagu serve` is running on the same index, it answers (its models are loaded already)."""
    glob = path_glob(path) if path else None
    if (link := running_server(db_path_for(vault))) is not None:
        params = {"q": question, "offline": offline, **({"path": glob} if glob else {})}
        if (served := ask_server(link, "/api/ask", params)) is not None:
            err.print(f"[dim]answered by bagu serve at {link.url}[/dim]")
            if as_json:
                print_json(served)
            else:
                print_answer(Answer.from_json(served))
            return
    asker = Asker(Searcher(open_existing(vault), load_signals()), chat_client(vault, offline))
    streamed: list[str] = []

    def show(piece: str) -> None:
        streamed.append(piece)
        console.print(piece, end="", markup=False, highlight=False, soft_wrap=True)

    answer = asker.ask(question, glob, None if as_json else show)
    if as_json:
        print_json(answer.to_json())
        return
    if streamed:
        console.print()
    print_answer(answer, already_shown=bool(streamed))


def print_answer(answer: Answer, already_shown: bool = False) -> None:
    if answer.notice and answer.notice != answer.text:  # an abstention says so once
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
        # text before the first heading: the note
        anchor = f" #{citation.anchor}" if citation.anchor else ""
        console.print(
            Text(
                f"[{citation.n}] {citation.path}:{citation.line}{anchor}  {heading}".rstrip(),
                style="dim",
            )
        )


class Lang(StrEnum):
    ZH = "zh"
    EN = "en"


@app.command()
def interview(
    vault: VaultOption = Path("."),
    topics: Annotated[
        str | None, typer.Option(help="Comma-separated topics or paths: redis,kafka,network/.")
    ] = None,
    n: Annotated[int, typer.Option("--count", "-n", help="Main questions.", min=1, max=50)] = 8,
    lang: Annotated[Lang, typer.Option(help="Language of the questions.")] = Lang.ZH,
    follow_ups: Annotated[
        int, typer.Option(help="Follow-ups per question, at most.", min=0, max=2)
    ] = 2,
    seed: Annotated[
        int | None, typer.Option(help="Fix the draw, for a repeatable interview.")
    ] = None,
    retention: Annotated[
        float, typer.Option(min=0.7, max=0.99, help="Desired retention for FSRS.")
    ] = DESIRED_RETENTION,
    offline: OfflineOption = False,
) -> None:
    """A mock interview from your notes: weakest topics first, follow-ups along the notes, graded,
    with a report."""
    conn = open_existing(vault)
    plan = InterviewPlan(parse_topics(topics), n, lang.value, follow_ups, seed, retention)
    run = InterviewRun.start(conn, vault, plan, chat_client(vault, offline))
    console.print(
        f"[bold]Mock interview[/bold]: {len(run.queue)} question(s); an empty line ends an "
        f"answer, q stops."
    )
    while (question := run.current) is not None:
        console.rule(
            "follow-up" if question.follow_up_of else f"question {run.main_questions_asked + 1}"
        )
        console.print(Text(question.prompt, style="bold cyan"))
        started = time.monotonic()
        answer = read_answer("empty line to finish; q stop", ("q",))
        if answer == "q":
            break
        seconds = time.monotonic() - started
        with busy(
            "grading… (the first answer loads the models)" if not run.session.turns else "grading…"
        ):
            turn = run.answer(answer, seconds)
        for notice in run.notices:
            err.print(f"[yellow]{notice}[/yellow]")
        run.notices.clear()
        show_grade(turn.grade)
        anchor = written_anchor(question.section.anchors.raw, question.section.anchors.text)
        source = f"{question.path}:{question.section.line_start} #{anchor}"
        console.print(Text(f"  source: {source}", style="dim"))
    if not run.session.turns:
        console.print("No answers, no report.")
        return
    root = Path(get_meta(conn, "vault_root") or vault.resolve())
    md_path, html_path = run.write_report(db_path_for(vault).parent / "reports", root)
    console.print(f"overall {run.session.score:.0%} · report: {md_path} and {html_path.name}")
