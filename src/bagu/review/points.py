"""The key points of a card's answer, as a person would list them: sentences, not lines.

A soft-wrapped paragraph is one text however many lines it spans; each sentence of it is a point; a
Chinese sentence and the English rendering the note gives beside it are one point in two languages;
a list item is a point of its own; a bold span is emphasis inside its sentence, never a tiny point
apart. For a cloze the point is the hidden term, for a list each item, for a translation drill the
rendering's clauses. Pure: a card's back and its section's spans in, `KeyPoint`s out.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from bagu.vault.language import CJK, reading_length
from bagu.vault.prose import WRAPPED_LINE_UNITS, clean, introduces, is_question, paragraphs

MAX_POINTS = 8
# A sentence ends at a Chinese stop, a question or exclamation mark, or an English full stop
# followed by space (not 0.75, not sync.Mutex).
_SENTENCE = re.compile(r".+?(?:[。！？!?；;]|(?<=[A-Za-z0-9)\]])\.(?=\s|$)|$)", re.DOTALL)
_TRANSLATION_CLAUSE = re.compile(r"[^,;，；]+")


@dataclass(frozen=True, slots=True)
class KeyPoint:
    text: str  # as the notes write it: the quote shown when it is missed
    renderings: tuple[str, ...] = ()  # the same point in the other language, when the notes give it
    emphasis: tuple[str, ...] = ()  # the bold spans inside it: what the note stresses


def _has_cjk(text: str) -> bool:
    return bool(CJK.search(text))


def sentences(block: str) -> list[str]:
    found = [m.group().strip().rstrip("。；;.") for m in _SENTENCE.finditer(block)]
    return [s for s in found if sum(ch.isalnum() for ch in s) >= 2]


def _pair_of(sentence: str, pairs: Sequence[tuple[str, str]]) -> tuple[str, str] | None:
    squeezed = "".join(sentence.split())
    for zh, en in pairs:
        if squeezed and (squeezed in "".join(zh.split()) or squeezed in "".join(en.split())):
            return zh, en
    return None


def _section_points(
    back: str, bold: Sequence[str], list_items: Sequence[str], pairs: Sequence[tuple[str, str]]
) -> list[KeyPoint]:
    points: list[KeyPoint] = []
    seen_pairs: set[tuple[str, str]] = set()
    # a back is a section's stored lines: a short unpunctuated one is a line of its own
    blocks = paragraphs(back, list_items, wrapped_at=WRAPPED_LINE_UNITS)
    items = {clean(item) for item in list_items}
    for index, block in enumerate(blocks):
        if index + 1 < len(blocks) and block not in items and introduces(block, bold):
            # a lead-in (`Kafka 快的原因：`, `它的缺点是`) or a label (`探针的区别`) titles what
            # follows
            continue
        for sentence in sentences(block):
            pair = _pair_of(sentence, pairs)
            if pair is not None:
                if pair in seen_pairs:
                    # the rendering of a sentence already taken: one point in two languages
                    continue
                seen_pairs.add(pair)
                zh, en = pair
                text, other = (sentence, en) if _has_cjk(sentence) else (sentence, zh)
                points.append(KeyPoint(clean(text), (other,), _emphasis(text, bold)))
                continue
            if sum(ch.isalnum() for ch in clean(sentence)) >= 2:
                points.append(KeyPoint(clean(sentence), (), _emphasis(sentence, bold)))
    # A note's own question (`如果是三次挥手会有什么问题？`) introduces what follows; the answer is
    # not asked to say it.
    claims = [p for p in points if not is_question(p.text)]
    return claims or points


def _emphasis(sentence: str, bold: Sequence[str]) -> tuple[str, ...]:
    """The bold spans inside a sentence; a whole bold sentence (`**UDP是无连接的。**`) counts
    without the stop that the sentence lost when it was split off."""
    spans = (b.strip().rstrip("。；;.！!？?") for b in bold)
    return tuple(dict.fromkeys(b for b in spans if b and b in sentence))


def _most_stressed(points: list[KeyPoint]) -> list[KeyPoint]:
    """At most MAX_POINTS, in the note's order: the sentences with bold spans first, then the
    earliest."""
    if len(points) <= MAX_POINTS:
        return points
    keep = {i for i, p in enumerate(points) if p.emphasis}
    keep = set(sorted(keep)[:MAX_POINTS])
    for i in range(len(points)):
        if len(keep) >= MAX_POINTS:
            break
        keep.add(i)
    return [p for i, p in enumerate(points) if i in keep]


def _clauses_of(sentence: str) -> list[str]:
    """A sentence's clauses, a clause of one word (`First,`) joined to the next."""
    clauses: list[str] = []
    carry = ""
    for part in _TRANSLATION_CLAUSE.findall(sentence):
        text = f"{carry}, {part.strip()}" if carry else part.strip()
        if reading_length(text) < 3:
            carry = text
            continue
        clauses.append(text)
        carry = ""
    if carry:
        clauses[-1:] = [f"{clauses[-1]}, {carry}"] if clauses else [carry]
    return clauses


def key_points(
    kind: str,
    back: str,
    bold: Sequence[str] = (),
    list_items: Sequence[str] = (),
    pairs: Sequence[tuple[str, str]] = (),
) -> list[KeyPoint]:
    """The points an answer should cover, from a card's back and, for a question card, its section's
    spans."""
    if kind == "cloze":
        return [KeyPoint(back.strip())] if back.strip() else []
    if kind == "list":
        return [KeyPoint(clean(line)) for line in back.splitlines() if clean(line)][
            : 2 * MAX_POINTS
        ]
    if kind in ("zh-en", "en-zh"):
        # One sentence to render: its clauses are the points, so a half-rendered sentence earns
        # half.
        return [KeyPoint(c) for c in _clauses_of(back)[:4]] or (
            [KeyPoint(back.strip())] if back.strip() else []
        )
    return _most_stressed(_section_points(back, bold, list_items, pairs)) or (
        [KeyPoint(back.strip())] if back.strip() else []
    )
