"""A summary page's question and the card of the note section it links to: one fact, one card.

A summary page (`八股文.md`) answers an interview question in a few words and links to the note that
explains it (`### [shard key 怎么选](notes/mongodb.md#shard key)`). Both make cards, and a judge of
a vault written to probe the generator called 15 of its 102 cards duplicates, most of them such
pairs: the summary's question restating the four criteria the note's list card asks for (useless,
"same criteria as the list"), or the note's whole section pasted as a question's back beside the
summary's short answer to the same question (too long; the summary's was the one worth studying).
So, for each note section the summary links to:
- when the section makes a list card or table-row cards, the summary's question on it is that card
  again, and it becomes one of that card's sources;
- when both make a question card, the shorter back is the answer a person recalls, and the other
  card becomes one of its sources.
Only when the two say the same thing: at least half the shorter back's words (Chinese character
pairs, Latin words) are in the longer; or, for two questions, when the summary's section links to
that one section alone: its question is the note's asked again in other words (a judge of a third
probe vault called 5 of 13 such pairs duplicates at 0.26–0.50 of words shared).
Either way both sections keep a card (the summary's syllabus order is kept by the sources). On the
first probe vault every merge above the bar dropped a card judged marginal or useless and kept one
judged useful; the three below it would have dropped useful cards (the summary's `SATB` into the
note's list of marking phases). Pure.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from bagu.cards.quality import Flaw
from bagu.search.tokenize import pairs_and_words
from bagu.store.cards import SectionKey

if TYPE_CHECKING:
    from bagu.cards.generate import Candidate


def _is_structured(candidate: Candidate) -> bool:
    """A list card or a table row's card (`ranged vs hashed` › `范围查询 — ranged / hashed`)."""
    card = candidate[0]
    return card.kind.value == "list" or (
        card.kind.value == "question" and " — " in card.front.splitlines()[-1]
    )


def _is_question(candidate: Candidate) -> bool:
    return candidate[0].kind.value == "question" and not _is_structured(candidate)


MIN_SHARED = 0.5


def _shared(one: str, other: str) -> float:
    """The share of the shorter text's words that the longer one says too."""
    short, long = sorted((pairs_and_words(one), pairs_and_words(other)), key=len)
    return len(short & long) / len(short) if short else 0.0


def _made_by_section(found: Sequence[Candidate]) -> dict[SectionKey, list[int]]:
    """The positions of the made candidates, by the section of their first source."""
    by_section: dict[SectionKey, list[int]] = {}
    for at, (card, verdict) in enumerate(found):
        if verdict.is_made:
            source = card.sources[0]
            by_section.setdefault((source.path, source.heading_path), []).append(at)
    return by_section


def _best_match(
    back: str, options: Sequence[int], found: Sequence[Candidate]
) -> tuple[int, float] | None:
    """Of these candidates, the one whose back shares most words with `back`, and the share."""
    shares = {at: _shared(back, found[at][0].back) for at in options}
    best = max(shares, key=shares.__getitem__, default=None)
    return None if best is None else (best, shares[best])


def merge_summary_repeats(
    candidates: Sequence[Candidate], summarised: Mapping[SectionKey, SectionKey]
) -> list[Candidate]:
    """The candidates with each summary question that repeats its linked note section's card
    merged into that card (or the note's longer question into the summary's), as a source."""
    found = list(candidates)
    by_section = _made_by_section(found)
    merged: set[int] = set()
    links = Counter(summary for detail, summary in summarised.items() if detail != summary)
    for detail, summary in summarised.items():
        if detail == summary:
            continue
        asked = [at for at in by_section.get(summary, ()) if at not in merged]
        asked = [at for at in asked if _is_question(found[at])]
        said = [at for at in by_section.get(detail, ()) if at not in merged]
        if not asked or not said:
            continue
        question = asked[0]
        back = found[question][0].back
        structured = [at for at in said if _is_structured(found[at]) and at != question]
        questions = [at for at in said if _is_question(found[at]) and at != question]
        listed = _best_match(back, structured, found)
        asked_again = _best_match(back, questions, found)
        if listed is not None and listed[1] >= MIN_SHARED:
            keep, gone = listed[0], question
        # a summary question whose one link is to the note's question asks it again in other
        # words (`GMP 里为什么要有 P` → `为什么需要 P？`: 0.44 of its words shared)
        elif asked_again is not None and (asked_again[1] >= MIN_SHARED or links[summary] == 1):
            keep = min((question, asked_again[0]), key=lambda at: len(found[at][0].back))
            gone = asked_again[0] if keep == question else question
        else:
            continue
        kept, dropped = found[keep], found[gone]
        found[keep] = (kept[0].with_sources_of(dropped[0]), kept[1])
        reason = "the same question as the summary's linked section's card"
        found[gone] = (dropped[0], dropped[1].with_flaw(Flaw.DUPLICATE, reason))
        merged.add(gone)
    return found


def _is_drill(candidate: Candidate) -> bool:
    return candidate[0].kind.value in ("zh-en", "en-zh")


def drop_summary_overviews(
    candidates: Sequence[Candidate], summarised: Mapping[SectionKey, SectionKey]
) -> list[Candidate]:
    """The candidates with each summary question that only restates the cards of the note sections
    its points link to marked a duplicate.

    A summary section whose points each link into a different section (`- [INLJ](…#Nested Loop
    Join)：…`, `- [Hash Join](…#Hash Join)：…`) is an index of those sections; when at least half of
    its points each say again what one of their cards asks and answers (half the point's words, as
    above), its question is those cards once more (a new judge called 8 of a summary page's 10
    questions duplicates, "repeating c013/c014/c015"). The cards of the linked sections carry the
    syllabus order. A summary section that links to one section is `merge_summary_repeats`' case;
    translation drills ask for the English, not the fact, so they cover nothing."""
    found = list(candidates)
    linked: dict[SectionKey, list[SectionKey]] = {}
    for detail, summary in summarised.items():
        if detail != summary:
            linked.setdefault(summary, []).append(detail)
    by_section = _made_by_section(found)
    for summary, details in linked.items():
        if len(details) < 2:
            continue
        said = [
            pairs_and_words(f"{found[at][0].front} {found[at][0].back}")
            for detail in details
            for at in by_section.get(detail, ())
            if not _is_drill(found[at])
        ]
        for at in by_section.get(summary, ()):
            if not _is_question(found[at]):
                continue
            points = [pairs_and_words(line) for line in found[at][0].back.splitlines()]
            points = [words for words in points if words]
            repeated = sum(
                any(len(words & card) >= MIN_SHARED * len(words) for card in said)
                for words in points
            )
            if points and repeated * 2 >= len(points):
                card, verdict = found[at]
                reason = "its points restate the cards of the sections they link"
                found[at] = (card, verdict.with_flaw(Flaw.DUPLICATE, reason))
    return found
