"""`bagu grade --batch`: graded answers for evaluations, one JSON line in, one JSON line out.

An item is `{"id", "question", "reference", "answer"}` (the reference as Markdown: key points are
drawn from it as from a card's section: its sentences, list items, bold spans and renderings) or
`{"id", "card", "answer"}` (a card key of the index). Pure apart from the card lookup it is given.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from bagu.errors import BadBatchItem
from bagu.review.grade import Grade, Reference, Similarity, grade_answer
from bagu.vault.bilingual import renderings
from bagu.vault.markdown import parse_document
from bagu.vault.prose import body_with_rows_said

# A card looked up by key: (its prompt, its reference), or None when the index has no such card.
CardLookup = Callable[[str], tuple[str, Reference] | None]
MAX_REFERENCE_CHARS = 20_000


@dataclass(frozen=True, slots=True)
class BatchItem:
    id: Any
    question: str
    reference: Reference
    answer: str


def reference_from_markdown(markdown: str, *, kind: str = "question") -> Reference:
    """A reference written as Markdown, read as bagu reads a note's section: one text with the spans
    of all of its sections (bold, list items, renderings)."""
    document = parse_document("reference.md", markdown[:MAX_REFERENCE_CHARS])
    sections = [s for s in document.sections if s.body.strip() or s.heading.strip()]
    body = "\n".join(body_with_rows_said(s) for s in sections if s.body.strip()) or markdown.strip()
    bold = tuple(b for s in sections for b in s.bold)
    items = tuple(i for s in sections for i in s.list_items)
    pairs = tuple((p.zh, p.en) for s in sections for p in renderings(s.bilingual_pairs))
    return Reference(kind, body, bold, items, pairs)


def _text(item: Mapping[str, Any], field: str, *, required: bool = True) -> str:
    value = item.get(field)
    if value is None and not required:
        return ""
    if not isinstance(value, str):
        raise BadBatchItem(f"{field!r} must be a string")
    return value


def parse_item(item: object, number: int, cards: CardLookup) -> BatchItem:
    """One line's item, with its reference; `BadBatchItem` says what is wrong with it."""
    if not isinstance(item, dict):
        raise BadBatchItem(
            'expected an object: {"id", "question", "reference", "answer"} or {"id", "card", '
            '"answer"}'
        )
    answer = _text(item, "answer")
    item_id = item.get("id", number)
    if "card" in item:
        found = cards(_text(item, "card"))
        if found is None:
            raise BadBatchItem(
                f"no card {item['card']!r} in the index (a key, or a unique prefix of 4+ "
                f"characters)"
            )
        question, reference = found
        return BatchItem(item_id, question, reference, answer)
    kind = _text(item, "kind", required=False) or "question"
    reference_text = _text(item, "reference")
    reference = (
        reference_from_markdown(reference_text)
        if kind == "question"
        else Reference(kind, reference_text.strip())
    )
    return BatchItem(item_id, _text(item, "question", required=False), reference, answer)


def grade_item(item: BatchItem, similarity: Similarity | None) -> Grade:
    return grade_answer(item.question, item.answer, item.reference.key_points(), similarity)


def result_json(item: BatchItem, grade: Grade) -> dict[str, Any]:
    return {
        "id": item.id,
        "rating": int(grade.rating),
        "rating_name": grade.rating.name.lower(),
        "score": grade.score,
        "reason": grade.reason,
        "semantic": grade.semantic,
        "hit": [{"point": r.point.text, "credit": r.credit, "how": r.how} for r in grade.hit],
        "missed": [r.point.text for r in grade.missed],
        "contradicted": [{"point": r.point.text, "detail": r.note} for r in grade.contradicted],
    }
