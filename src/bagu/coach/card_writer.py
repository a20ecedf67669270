"""Cards an LLM proposes for chosen sections, each citing the span of the note it comes from.

Off unless an OpenAI-compatible endpoint is configured (the same `[llm]` settings as `bagu ask`),
and nothing is stored until the person accepts a proposal: the offline generator (cards/generate.py)
stands on its own. A proposal is refused when its span is not in the section word for word, when its
answer is longer than a person can say back, or when its question already holds the answer. This
module asks and checks; it does not decide which sections to ask about or store anything.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from bagu.coach.llm import ChatClient, Message
from bagu.vault.model import Section

MAX_ANSWER_CHARS = 160  # about two sentences: what an interviewer expects said back
_ARRAY = re.compile(r"\[.*\]", re.DOTALL)

SYSTEM = (
    "You write flashcards for a person preparing for technical interviews, from their own notes. "
    "Write at most {n} question/answer cards about what an interviewer would ask of this section. "
    "Each answer is at most two short sentences, in the language of the notes. Each card quotes, "
    "in "
    '"span", the exact words of the section it comes from (copied character for character). '
    "The question must not contain the answer. Reply with a JSON array only: "
    '[{{"question": "...", "answer": "...", "span": "..."}}]'
)


@dataclass(frozen=True, slots=True)
class Proposal:
    question: str
    answer: str
    span: str


def writer_messages(topic: str, section: Section, max_cards: int) -> list[Message]:
    return [
        {"role": "system", "content": SYSTEM.format(n=max_cards)},
        {"role": "user", "content": f"Section: {topic}\n\n{section.body[:6000]}"},
    ]


def _normal(text: str) -> str:
    return " ".join(text.split())


def check_proposals(reply: str, section: Section) -> tuple[list[Proposal], list[str]]:
    """The proposals of an LLM reply that cite the section truly, and why each other one was
    refused."""
    found = _ARRAY.search(reply)
    try:
        items = json.loads(found.group()) if found else None
    except ValueError:
        items = None
    if not isinstance(items, list):
        return [], ["the reply was not a JSON array of cards"]
    body = _normal(section.body)
    accepted: list[Proposal] = []
    refused: list[str] = []
    for item in items:
        if not isinstance(item, dict):
            refused.append("an entry was not an object")
            continue
        question, answer, span = (
            _normal(str(item.get(k, ""))) for k in ("question", "answer", "span")
        )
        if not question or not answer:
            refused.append("a card had no question or no answer")
        elif not span or span not in body:
            refused.append(f"{question[:40]!r}: its span is not in the note word for word")
        elif len(answer) > MAX_ANSWER_CHARS:
            refused.append(f"{question[:40]!r}: the answer is longer than a person can say back")
        elif answer.casefold() in question.casefold():
            refused.append(f"{question[:40]!r}: the question holds the answer")
        else:
            accepted.append(Proposal(question, answer, span))
    return accepted, refused


def propose_cards(
    client: ChatClient, topic: str, section: Section, max_cards: int = 3
) -> tuple[list[Proposal], list[str]]:
    """Ask the endpoint for cards of one section; LLM errors propagate for the caller to report."""
    reply = client.chat(writer_messages(topic, section, max_cards), max_tokens=800)
    return check_proposals(reply, section)
