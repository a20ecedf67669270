"""`bagu ask` (and `bagu interview`): answers and interviews from the notes, with or without an LLM."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.text import Text

from bagu.cli.app import JsonOption, VaultOption, app, console, err, open_existing, print_json
from bagu.coach.answer import Asker
from bagu.coach.ask import Answer
from bagu.coach.llm import ChatClient, load_llm_config
from bagu.search.embed import load_signals
from bagu.search.service import Searcher

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
    elif not already_shown:
        console.print(answer.text)
    for citation in answer.citations:
        heading = " › ".join(citation.heading_path)
        console.print(
            Text(f"[{citation.n}] {citation.path}:{citation.line} #{citation.anchor}  {heading}", style="dim")
        )
