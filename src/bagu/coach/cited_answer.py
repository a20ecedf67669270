"""Answer a question from the notes, every sentence cited to the section (and line) it came from.

Extractive (offline, the default): the sentences of the top sections that best match the question
(by its words and, with a model, by meaning), redundancy removed, kept in the notes' order within
each section; with an English question, a Chinese sentence the notes translate is followed by their
English rendering. Generative (an LLM endpoint configured): the model sees only the retrieved
sections, must cite each claim as [n] and say when the notes do not cover the question; citations
are checked against the sections given and invalid ones removed and reported. Both abstain when
search is not confident. Pure apart from the callables passed in (sentence similarity, the chat
call).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from typing import Any

from bagu.search.embedders import MIN_TRANSLATION_SCORE
from bagu.search.results import SearchResults
from bagu.search.tokenize import query_stopwords, terms
from bagu.vault.bilingual import renderings
from bagu.vault.language import CJK, detect_language, reading_length
from bagu.vault.model import BilingualPair, Section
from bagu.vault.prose import (
    HTML_TAG,
    WRAPPED_LINE_UNITS,
    clean,
    is_label,
    is_lead_in,
    is_question,
    paragraphs,
    said_groups,
    table_rows_said,
    without_pointers,
)

MAX_SECTIONS = 3
# A later hit is cited only when its search score is this close to the top one's: on the example
# vault the sections that also answer score 0.83–0.92 of the top, neighbours that merely share a
# topic 0.4–0.78.
SECTION_SCORE_SHARE = 0.8
# the long end of a spoken answer (2–8 sentences): ask_dev tune split, 5 → 8: key points 0.39 → 0.45
MAX_SENTENCES = 8
MAX_SENTENCE_CHARS = 300
MAX_LIST_CHARS = 400  # a lead-in with the list it announces, said as one unit
MIN_UNPUNCTUATED_UNITS = 4
_CLAUSE_MARK = re.compile(r"[。！？!?；;，,、：:.]")
# What an image left in the text: its alt text alone on a line (`img`, `image-20220905144757719`).
_IMAGE_ALT = re.compile(r"^\s*(?:img|image|pic|图片|截图|image-\d{6,}\S*)\s*$", re.IGNORECASE)
# A display formula, on its line as the parser writes it (`$$x'=\frac{x-\mu}\sigma$$`): no prose;
# left in, it ran on into the sentence above it, which was then dropped as debris.
_FORMULA_LINE = re.compile(r"^\s*\$\$.*\$\$\s*$")
# A sentence must score at least this share of the best sentence's score (hand-tuned on the example
# vault: lower lets sentences from the third section in that only share a word with the question).
RELATIVE_FLOOR = 0.6
# With a model: the best sentence must reach this support (0.6 × share of the question's words +
# cosine). On the dev set, uncovered questions that search let through reach 0.20–0.42, answered
# ones 0.36–1.5; 0.33 abstains on two of three such misses and costs one answer whose section was
# wrong anyway.
MIN_SUPPORT = 0.33
# A search this sure of its top section is second-guessed by the sentences' support only when they
# say next to nothing: on ask_dev a question whose section heading is its very topic (怎样选择RAG和
# 微调, search 0.92) was abstained at support 0.28.
SURE_SEARCH = 0.8
MIN_SUPPORT_WHEN_SURE = 0.2
# Without a model: the share of the question's words one sentence and its heading must say.
LEXICAL_SUPPORT = 0.5
# Later sections count for less: the top hit is usually the answer, the others its context.
SECTION_WEIGHTS = (1.0, 0.75, 0.6)
# Share of character pairs two sentences may have in common before the second is a repeat.
REDUNDANT = 0.6
NOT_IN_NOTES = "NOT IN NOTES"
NOTES_DO_NOT_COVER = "your notes don't seem to cover this"

# Similarity of the question to many sentences at once (cosines, in order); None when no model.
Relevance = Callable[[str, Sequence[str]], list[float]]

_SENTENCE = re.compile(r"[^。！？!?；;\n]+[。！？!?；;]?|[^\n]+")
_ENGLISH_STOP = re.compile(r"(?<=[a-z0-9)\]])\.\s+(?=[A-Z])")
_CITATION = re.compile(r"\[(\d{1,3})\]")
# Not said aloud: a formula, an image name, a table row, HTML.
_DEBRIS = re.compile(
    rf"\\[a-z]+[{{\[]|\$|image-\d{{6,}}|\.(?:png|jpe?g|gif|svg|webp)\b|^\s*\||{HTML_TAG.pattern}",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Citation:
    n: int
    path: str
    heading_path: tuple[str, ...]
    anchor: str  # the raw heading, as Obsidian/Typora link to it
    github_anchor: str
    line: int

    @property
    def link(self) -> str:
        """The note, and its heading when the cited text is under one (text before the first heading
        has none)."""
        return f"{self.path}#{self.github_anchor}" if self.github_anchor else self.path


@dataclass(frozen=True, slots=True)
class AnswerSentence:
    text: str
    citation: int
    line: int
    english: str | None = None  # the notes' own English rendering, for an English question


@dataclass(frozen=True, slots=True)
class Answer:
    question: str
    mode: str  # "extractive" | "generative"
    text: str
    citations: tuple[Citation, ...] = ()
    sentences: tuple[AnswerSentence, ...] = ()
    confidence: float | None = None
    abstained: bool = False
    notice: str | None = None
    invalid_citations: tuple[int, ...] = ()

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        for citation, as_json in zip(self.citations, data["citations"], strict=True):
            as_json["link"] = citation.link
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Answer:
        """The answer `to_json` (or `GET /api/ask`) described."""
        citations = tuple(
            Citation(
                int(c["n"]),
                str(c["path"]),
                tuple(c["heading_path"]),
                str(c["anchor"]),
                str(c["github_anchor"]),
                int(c["line"]),
            )
            for c in data.get("citations", [])
        )
        sentences = tuple(
            AnswerSentence(str(s["text"]), int(s["citation"]), int(s["line"]), s.get("english"))
            for s in data.get("sentences", [])
        )
        return cls(
            str(data["question"]),
            str(data["mode"]),
            str(data["text"]),
            citations,
            sentences,
            data.get("confidence"),
            bool(data.get("abstained")),
            data.get("notice"),
            tuple(int(n) for n in data.get("invalid_citations", [])),
        )


@dataclass(frozen=True, slots=True)
class Retrieved:
    """A search hit with its whole section, the unit an answer cites."""

    citation: Citation
    section: Section
    sentences: tuple[tuple[str, int], ...] = field(default=())  # (sentence, line)


# a candidate sentence of an extractive answer: score, section rank, order, sentence, line
Scored = tuple[float, int, int, str, int]


def sentences_of(
    section: Section, note_lines: Sequence[str] | None = None
) -> list[tuple[str, int]]:
    """What a section says, sentence by sentence, with each one's line in the note: no code, no
    labels or questions that title what follows, no formulas or image names, a table's rows as
    sentences of their own (its label, then each column's cell), and soft wraps joined (a sentence
    hard- wrapped across lines is one sentence). A lead-in (`两个原因：`) comes with the list it
    announces, as one unit, or not at all: said alone it promises what the answer does not give.

    The stored body is rendered text without blank lines, so a sentence's line is found in the
    note's own lines (`note_lines`) when given, searching forward from the previous sentence; else
    the heading's line.
    """
    code = {line.strip() for block in section.code_blocks for line in block.content.splitlines()}
    # no prose
    cells = {" ".join(cell.split()) for table in section.tables for row in table for cell in row}
    prose = "\n".join(
        "" if _FORMULA_LINE.match(line) else line  # a formula ends the paragraph above it
        for line in section.body.splitlines()
        if line.strip()
        and line.strip() not in code
        and " ".join(line.split()) not in cells
        and not _IMAGE_ALT.match(line)
    )
    blocks = paragraphs(prose, section.list_items, wrapped_at=WRAPPED_LINE_UNITS)
    items = {clean(item) for item in section.list_items}
    # a line that is only a link's title (a paper's, an article's) names a source, it says nothing
    titles = {clean(link.text) for link in section.links if link.text.strip()}
    found: list[tuple[str, int]] = []
    cursor = section.line_start
    i = 0
    while i < len(blocks):
        block = blocks[i]
        i += 1
        if _DEBRIS.search(block) or is_label(block, section.bold) or clean(block) in titles:
            continue
        if is_lead_in(block):
            listed = []
            while i < len(blocks) and blocks[i] in items:
                listed.append(blocks[i].rstrip("。；;"))
                i += 1
            unit = f"{block}{'；'.join(listed)}。" if listed else ""
            if listed and len(unit) <= MAX_LIST_CHARS:
                cursor = _locate(block, note_lines, cursor, section.line_end)
                found.append((unit, cursor))
            continue
        for part in _ENGLISH_STOP.split(block):
            for match in _SENTENCE.finditer(part):
                sentence = without_pointers(match.group().strip(" -*>\t"))
                if is_question(sentence) or is_lead_in(sentence):
                    # a question or a lead-in inside a paragraph introduces, it does not answer
                    continue
                # a list item is a claim however short (`提供行锁` under `InnoDB`)
                claim = _is_claim(sentence) or (
                    clean(sentence) in items and reading_length(sentence) >= MIN_UNPUNCTUATED_UNITS
                )
                if claim and len(sentence) <= MAX_SENTENCE_CHARS:
                    cursor = _locate(sentence, note_lines, cursor, section.line_end)
                    found.append((sentence, cursor))
    # a comparison table, row by row: `最大连接数：select 1024；poll 无上限`
    for table in section.tables:
        for label, said in table_rows_said(table, max_chars=MAX_SENTENCE_CHARS):
            cursor = _locate(label, note_lines, section.line_start, section.line_end)
            found.append((said, cursor))
    return found


def _cut(sentence: str) -> bool:
    """Whether a sentence stops mid-clause (`在LoRa中，`): said alone, it dangles."""
    return bool(re.search(r"[，,、(（]\s*$", sentence))


def _is_claim(sentence: str) -> bool:
    """Long enough to say something: six letters or more, and a few words when it has no punctuation
    at all (`MYsql innodb` is a caption)."""
    if sum(ch.isalnum() for ch in sentence) < 6:
        return False
    return bool(_CLAUSE_MARK.search(sentence)) or reading_length(sentence) >= MIN_UNPUNCTUATED_UNITS


def _locate(sentence: str, note_lines: Sequence[str] | None, start: int, end: int) -> int:
    """The first line from `start` to `end` (1-based) holding the sentence's opening words; else
    `start`."""
    if note_lines is None:
        return start
    probe = sentence[:8]
    for number in range(start, min(end, len(note_lines)) + 1):
        if probe in note_lines[number - 1]:
            return number
    return start


def retrieve(
    results: SearchResults,
    sections: Iterable[Section | None],
    note_lines: Callable[[str], Sequence[str] | None] = lambda path: None,
) -> list[Retrieved]:
    """Pair the top hits with their sections. A section gone since the search is skipped, and so
    is one with nothing to say (only code, or items that are identifiers: `readinessProbe-httpget`
    over a YAML block): the hits below it answer instead, as if it were not there."""
    retrieved: list[Retrieved] = []
    top: float | None = None
    sides = compared_sides(results.query)
    sections_list = list(sections)
    silent = 0
    for rank, (hit, section) in enumerate(zip(results.hits, sections_list, strict=False)):
        if section is None or len(retrieved) == MAX_SECTIONS:
            continue
        said_here = tuple(sentences_of(section, note_lines(hit.path)))
        if not said_here:
            silent += 1
            continue
        if top is None:
            top = hit.score
        if retrieved and (rank - silent >= MAX_SECTIONS or hit.score < SECTION_SCORE_SHARE * top):
            # a comparison draws on both sides: a lower hit about a side no cited section speaks
            # for still counts
            about = (hit.heading_path[-1] if hit.heading_path else "").casefold()
            if not any(
                side in about
                and not any(
                    speaks_for(r.section, side, sides, [s for s, _ in r.sentences])
                    for r in retrieved
                )
                for side in sides
            ):
                continue
        n = len(retrieved) + 1
        citation = Citation(n, hit.path, hit.heading_path, hit.anchor, hit.github_anchor, hit.line)
        retrieved.append(Retrieved(citation, section, said_here))
    return _with_why_section(results, sections_list, retrieved, note_lines)


def speaks_for(section: Section, side: str, sides: Sequence[str], said: Sequence[str]) -> bool:
    """Whether a section answers for one side of a comparison (sides case-folded): its own heading
    names the side (a parent's does not: under a note titled `检索增强生成 (RAG) + finetune` every
    section would) and, when it names another side too (`怎样选择RAG和微调`), what it says names
    this one; a section on both that says `两者可以结合使用` answers for neither, and each side's
    own section (`RAG`, `微调`) is still wanted."""
    own = section.heading.casefold()
    if side not in own:
        return False
    if not any(other in own for other in sides if other != side):
        return True
    return any(side in sentence.casefold() for sentence in said)


# A why-question, and a heading that asks why (`why快`, `为什么要用B+树`).
_WHY = re.compile(r"为什么|为何|为啥|原因|(?<![a-z])why(?![a-z])", re.IGNORECASE)


def _with_why_section(
    results: SearchResults,
    sections: Sequence[Section | None],
    retrieved: list[Retrieved],
    note_lines: Callable[[str], Sequence[str] | None],
) -> list[Retrieved]:
    """A why-question is answered by the section that asks why (`kafka › why快` for `Kafka
    为什么吞吐量这么高`, which the note's opening line outranked): when no cited section's own
    heading asks why, the best such hit whose heading path names a word of the question takes the
    last place."""
    if not retrieved or not _WHY.search(results.query):
        return retrieved
    if any(_WHY.search(r.section.heading) for r in retrieved):
        return retrieved
    wanted = {t for t in terms(results.query) if t not in query_stopwords()}
    cited = {(r.citation.path, r.citation.heading_path) for r in retrieved}
    for hit, section in zip(results.hits, sections, strict=False):
        if section is None or (hit.path, hit.heading_path) in cited:
            continue
        if not _WHY.search(section.heading) or not wanted & set(terms(" ".join(hit.heading_path))):
            continue
        said = tuple(sentences_of(section, note_lines(hit.path)))
        if not said:
            continue
        kept = retrieved[: MAX_SECTIONS - 1]
        n = len(kept) + 1
        citation = Citation(n, hit.path, hit.heading_path, hit.anchor, hit.github_anchor, hit.line)
        return [*kept, Retrieved(citation, section, said)]
    return retrieved


def _reasons_first(
    question: str, scored: list[Scored], retrieved: Sequence[Retrieved]
) -> list[Scored]:
    """A why-question whose cited why-section lists its reasons (`why快`: 1. 分布式架构… 2. 高效的存
    储机制…) is answered with that list said as one unit, first: item by item the reasons lost to
    sentences repeating the question's words."""
    if not _WHY.search(question):
        return scored
    for rank, item in enumerate(retrieved):
        if not _WHY.search(item.section.heading):
            continue
        reasons = next((g for g in said_groups(item.section) if 2 <= len(g) <= MAX_STEPS), None)
        if reasons is None:
            return scored
        return _said_first(scored, reasons, rank=rank, line=item.citation.line) or scored
    return scored


def _said_first(
    scored: list[Scored], items: Sequence[str], *, rank: int, line: int
) -> list[Scored] | None:
    """The items of one cited section said as one unit, first, in place of their sentences, at the
    line of the first of them (else `line`); None when the unit is too long to say or holds
    debris."""
    unit = "；".join(item.rstrip("。；;") for item in items) + "。"
    if len(unit) > MAX_LIST_CHARS or _DEBRIS.search(unit):
        return None
    said = {" ".join(item.split()) for item in items}
    own = [c for c in scored if c[1] == rank and " ".join(c[3].split()) in said]
    rest = [c for c in scored if c not in own]
    order, at = (own[0][2], own[0][4]) if own else (0, line)
    best = max((c[0] for c in scored), default=0.0)
    # the sentence right before the list sets it up (`follower 超时没收到心跳 → 变 candidate，发
    # RequestVote。` before what each outcome of the vote leads to): said with it
    before = [
        c
        for c in rest
        if own and c[1] == rank and c[2] == order - 1 and _is_claim(c[3]) and not _cut(c[3])
    ]
    rest = [c for c in rest if c not in before]
    setup = [(best + 0.005, *c[1:]) for c in before]
    return [(best + 0.01, rank, order, unit, at), *setup, *rest]


# `A 和 B 的区别`, `A vs B`, `difference between A and B`: a question that asks for two sides.
_COMPARISON = re.compile(
    r"区别|不同|差异|对比|比较|\bvs\.?\b|versus|differen|compare|comparison", re.IGNORECASE
)
_SIDE = re.compile(r"[A-Za-z][A-Za-z0-9_.+#-]*[A-Za-z0-9+#]|[A-Za-z]")


def compared_sides(question: str) -> list[str]:
    """The named things a comparison question sets against each other, case-folded: Latin names
    (MyISAM, InnoDB, RDB) and the phrases either side of 和/与/跟/还是 (`归一化和标准化有什么区别` →
    归一化, 标准化; `namespace 和 cgroup`); none for other questions."""
    return list(_compared_sides(question))


@lru_cache(maxsize=64)
def _compared_sides(question: str) -> tuple[str, ...]:
    """Asked three times per answer (retrieving, deciding to abstain, choosing sentences): segmented
    once."""
    if not _COMPARISON.search(question):
        return ()
    stop = query_stopwords()
    names = [
        m.group()
        for m in _SIDE.finditer(question)
        if m.group().casefold() not in stop and len(m.group()) > 1
    ]
    named = [n for n in names if any(ch.isupper() or ch.isdigit() for ch in n)] or names
    sides = [n.casefold() for n in named if n.casefold() not in _GENERIC_WORDS]
    return tuple(dict.fromkeys([*_joined_sides(question, stop), *sides]))


# The words that join two compared things, and what ends a clause.
_JOINERS = frozenset({"和", "与", "跟", "同", "及", "以及", "还是", "对比"})
_CLAUSE_END = re.compile(r"[，,。？?！!；;：:、]")
_GLUED_JOINER = re.compile(r"和|与|跟|还是")
# Phrases longer than this many words are a clause, not a thing compared.
MAX_SIDE_WORDS = 3


def _joined_sides(question: str, stop: frozenset[str]) -> list[str]:
    """The content words right before and right after a joiner, within one clause: the phrase stops
    at a function word (有, 的, 什么), at a comparison word or at punctuation."""
    from bagu.search.tokenize import words

    sides: list[str] = []
    for clause in _CLAUSE_END.split(question):
        said = [w for w in words(clause) if w.strip()]
        if not _JOINERS.intersection(said):  # the segmenter glued a joiner on (与非聚簇 as 与非)
            glued = _GLUED_JOINER.search(clause)
            if glued is not None:
                parts = [
                    *words(clause[: glued.start()]),
                    glued.group(),
                    *words(clause[glued.end() :]),
                ]
                said = [w for w in parts if w.strip()]
        for i, word in enumerate(said):
            if word not in _JOINERS:
                continue
            before = _phrase(reversed(said[:i]), stop)[::-1]
            after = _phrase(iter(said[i + 1 :]), stop)
            for side in (_joined(before), _joined(after)):
                if len(side) >= 2:
                    sides.append(side.casefold())
    return sides


def _joined(phrase: Sequence[str]) -> str:
    """Words as written: `redo log` keeps its space, `聚簇索引` has none."""
    text = ""
    for word in phrase:
        text += f" {word}" if text and text[-1].isascii() and word[0].isascii() else word
    return text


def _phrase(run: Iterable[str], stop: frozenset[str]) -> list[str]:
    phrase: list[str] = []
    for word in run:
        if word in stop or word in _JOINERS or _COMPARISON.search(word) or not word.isalnum():
            break
        phrase.append(word)
        if len(phrase) == MAX_SIDE_WORDS:
            break
    return phrase


_GENERIC_WORDS = frozenset(
    {"difference", "differences", "between", "compare", "comparison", "versus", "vs", "main"}
)


def declined(
    question: str,
    mode: str,
    results: SearchResults,
    *,
    notice: str | None,
    invalid: tuple[int, ...] = (),
) -> Answer:
    """The answer that says the notes do not cover `question`, with why."""
    return Answer(
        question,
        mode,
        NOTES_DO_NOT_COVER,
        confidence=results.confidence,
        abstained=True,
        notice=notice,
        invalid_citations=invalid,
    )


def should_abstain(results: SearchResults) -> bool:
    """Search abstained (not confident, or the question names what no note mentions) or found
    nothing. Lexical search alone abstains on neither: `extract_answer` asks its sentences."""
    return results.abstained or not results.hits


def _lexical_miss(results: SearchResults) -> bool:
    """Lexical search only (no confidence), and no section holds every word of the question."""
    return (
        results.confidence is None and results.notice is not None and "every word" in results.notice
    )


def _sides_found(results: SearchResults) -> bool:
    sides = compared_sides(results.query)
    said = " ".join(f"{' '.join(h.heading_path)} {h.snippet}" for h in results.hits).casefold()
    return len(sides) >= 2 and all(side in said for side in sides)


def _pairs(text: str) -> set[str]:
    runs = "".join(ch if CJK.match(ch) or ch.isalnum() else " " for ch in text.lower()).split()
    return {run[i : i + 2] for run in runs for i in range(len(run) - 1)}


def _is_repeat(sentence: str, chosen: Iterable[str]) -> bool:
    mine = _pairs(sentence)
    for other in chosen:
        theirs = _pairs(other)
        if mine and theirs and len(mine & theirs) / min(len(mine), len(theirs)) > REDUNDANT:
            return True
    return False


def _is_rendering(
    candidate: tuple[float, int, int, str, int],
    chosen: Sequence[tuple[float, int, int, str, int]],
    retrieved: Sequence[Retrieved],
) -> bool:
    """An English sentence the notes give as the rendering of a Chinese sentence already chosen, or
    vice versa."""
    _, rank, _, sentence, _ = candidate
    for pair in retrieved[rank].section.bilingual_pairs:
        for _, other_rank, _, other, _ in chosen:
            if other_rank != rank:
                continue
            if (sentence in pair.en and (other in pair.zh or pair.zh in other)) or (
                other in pair.en and (sentence in pair.zh or pair.zh in sentence)
            ):
                return True
    return False


def rendered_pairs(
    section: Section, renders: Callable[[str, str], float] | None
) -> list[BilingualPair]:
    """A section's Chinese sentences with their English rendering: the English block beside each,
    when the encoder (`renders`, a cross-lingual cosine) agrees it is a translation, as a
    translation drill must. A paper's summary quotes the paper in English after its own Chinese
    sentence (`LoRA 冻结预训练权重…` then `We hypothesize that…`), which is no rendering. Without an
    encoder every English block after a Chinese one is taken for its rendering."""
    return renderings(section.bilingual_pairs, renders, minimum=MIN_TRANSLATION_SCORE)


def _english_for(sentence: str, pairs: Sequence[BilingualPair]) -> str | None:
    """The English of the rendered pair that holds this Chinese sentence, if one does."""
    for pair in pairs:
        if sentence in pair.zh or pair.zh in sentence:
            return pair.en
    return None


def extract_answer(
    question: str,
    results: SearchResults,
    retrieved: Sequence[Retrieved],
    relevance: Relevance | None = None,
    members: Sequence[Section] = (),
    *,
    renders: Callable[[str, str], float] | None = None,
) -> Answer:
    """The extractive answer: best sentences of the top sections, cited, in the notes' order.
    `members` are the top section's sub-sections, for a question that asks what there is of a
    kind; `renders` vouches for the English renderings an English question is given."""
    if should_abstain(results) or not retrieved:
        return declined(question, "extractive", results, notice=results.notice)
    wanted = {t for t in terms(question) if t not in query_stopwords()}
    scored: list[Scored] = []
    support = words_said = 0.0
    sides = compared_sides(question)
    asks_why = bool(_WHY.search(question))
    for rank, item in enumerate(retrieved):
        texts = [s for s, _ in item.sentences]
        # each side's own section is as much the answer as the top one, and so is the section that
        # asks a why-question's why
        weight = (
            1.0
            if any(speaks_for(item.section, side, sides, texts) for side in sides)
            or (asks_why and _WHY.search(item.section.heading))
            else SECTION_WEIGHTS[rank]
        )
        meaning = (
            relevance(question, texts) if relevance is not None and texts else [0.0] * len(texts)
        )
        heading_words = set(terms(" ".join(item.section.heading_path)))
        for order, ((sentence, line), cosine) in enumerate(
            zip(item.sentences, meaning, strict=True)
        ):
            own = set(terms(sentence))
            overlap = len(wanted & (own | heading_words)) / len(wanted) if wanted else 0.0
            support = max(support, 0.6 * overlap + cosine)
            words_said = max(words_said, overlap)
            score = (0.6 * overlap + max(0.0, cosine) + (0.1 if order == 0 else 0.0)) * weight
            scored.append((score, rank, order, sentence, line))
    # No model, and no section holds every word: a sentence (with its heading) must say half the
    # question's words. Requiring all of them declined 32 of 38 covered questions of the ask dev
    # set's tuning split, since a question's words are not its answer's (bench_ask.py with
    # BAGU_EMBEDDER=none). A comparison needs its sides, not its frame: `RDB 和 AOF 有什么区别` is
    # answered when the hits name RDB and AOF, whether or not a note says 区别.
    scored = _reasons_first(question, _steps_first(question, scored, retrieved, members), retrieved)
    unsaid = relevance is None and _lexical_miss(results) and not _sides_found(results)
    if unsaid and words_said < LEXICAL_SUPPORT:
        why = f"no sentence says enough of the question's words ({words_said:.2f})"
        return declined(question, "extractive", results, notice=why)
    sure = results.confidence is not None and results.confidence >= SURE_SEARCH
    if relevance is not None and support < (MIN_SUPPORT_WHEN_SURE if sure else MIN_SUPPORT):
        why = f"the closest sections do not answer this (support {support:.2f})"
        return declined(question, "extractive", results, notice=why)
    chosen: list[Scored] = []
    ranked = sorted(scored, key=lambda c: -c[0])
    floor = RELATIVE_FLOOR * ranked[0][0] if ranked else 0.0
    for candidate in ranked:
        if len(chosen) == MAX_SENTENCES or candidate[0] < floor:
            break
        if not _is_repeat(candidate[3], [c[3] for c in chosen]) and not _is_rendering(
            candidate, chosen, retrieved
        ):
            chosen.append(candidate)
    top = next((c for c in ranked if c[1] == 0), None)
    if top is not None and all(c[1] != 0 for c in chosen):  # the top hit always speaks first
        chosen = [top, *chosen][:MAX_SENTENCES]
    chosen = _both_sides(sides, chosen, ranked, retrieved)
    chosen.sort(key=lambda c: (c[1], c[2]))  # section by rank, sentences in the notes' order
    english_question = detect_language(question) == "en"
    sentences = []
    shown: set[str] = set()
    rendered: dict[int, list[BilingualPair]] = {}  # each cited section's pairs, scored once
    for _, rank, _, sentence, line in chosen:
        item = retrieved[rank]
        english = None
        if english_question and CJK.search(sentence):
            if rank not in rendered:
                rendered[rank] = rendered_pairs(item.section, renders)
            english = _english_for(sentence, rendered[rank])
        if english is not None and (english in shown or any(english in c[3] for c in chosen)):
            english = None  # the notes' English sentence is already in the answer
        shown.add(english or "")
        sentences.append(AnswerSentence(sentence, item.citation.n, line, english))
    used = sorted({s.citation for s in sentences})
    citations = tuple(item.citation for item in retrieved if item.citation.n in used)
    text = " ".join(
        f"{s.text}{f' ({s.english})' if s.english else ''} [{s.citation}]" for s in sentences
    )
    return Answer(
        question,
        "extractive",
        text,
        citations,
        tuple(sentences),
        results.confidence,
        False,
        results.notice,
    )


# A question about a process (its answer is the steps, in order) or one that asks what there is of
# a kind (its answer is the members): either is answered by a list.
_PROCESS = re.compile(
    r"流程|过程|步骤|怎么(?:做|实现|工作|进行|处理)|是怎[么样]|如何(?:实现|工作|进行|处理)|"
    r"\bhow (?:does|do|is|are)\b|walk me through|\bsteps?\b|what happens|\bprocess\b|"
    r"有哪些|哪几[种类个]|有几种|\bwhat (?:kinds?|types?) of\b|\bwhat [\w-]+ (?:kinds|types)\b|"
    r"\bwhich \w+ (?:are there|exist)|\blist the\b",
    re.IGNORECASE,
)
MAX_STEPS = 10
MAX_MEMBER_CHARS = 60  # a member's opening sentence said beside its heading, at most


def asks_for_a_list(question: str) -> bool:
    """A question about a process or about what there is of a kind: a list answers it."""
    return bool(_PROCESS.search(question))


def _steps_first(
    question: str,
    scored: list[Scored],
    retrieved: Sequence[Retrieved],
    members: Sequence[Section] = (),
) -> list[Scored]:
    """A process question is answered with the top section's list of steps said as one unit, first:
    item by item they competed with every sentence and lost to those repeating the question's words
    (`MySQL 执行一条 UPDATE 语句的流程` was answered without its steps). Only a list of 2 to
    MAX_STEPS items short enough to say as one."""
    if not retrieved or not scored or not asks_for_a_list(question):
        return scored
    section = retrieved[0].section
    steps = _best_list(
        [g for g in said_groups(section) if 2 <= len(g) <= MAX_STEPS],
        [c for c in scored if c[1] == 0],
    )
    if steps is None:
        steps = _rows_as_members(section)
    if steps is None:
        return _members_first(scored, retrieved, members)
    return _said_first(scored, steps, rank=0, line=retrieved[0].citation.line) or scored


def _best_list(
    lists: Sequence[tuple[str, ...]], scored: Sequence[Scored]
) -> tuple[str, ...] | None:
    """Of a section's lists, the one whose items the question's sentence scores favour (each item
    by its best sentence): `变量发生逃逸的情况` over the section's first list, `手动分配内存会导致
    如下的两个问题`. None without a list; the first when no item was scored."""
    if not lists:
        return None

    def score(items: tuple[str, ...]) -> float:
        best = []
        for item in items:
            said = " ".join(item.split())
            found = [c[0] for c in scored if " ".join(c[3].split()).rstrip("。；;") in said]
            best.append(max(found, default=0.0))
        return sum(best) / len(best)

    return max(lists, key=score)


def _rows_as_members(section: Section) -> tuple[str, ...] | None:
    """A table of the kinds asked for (`类型 | 用途介绍`): its rows, each said as a sentence."""
    for table in section.tables:
        rows = table_rows_said(table, max_chars=MAX_SENTENCE_CHARS)
        if 2 <= len(rows) <= MAX_STEPS:
            return tuple(sentence for _, sentence in rows)
    return None


def _members_first(
    scored: list[Scored], retrieved: Sequence[Retrieved], members: Sequence[Section]
) -> list[Scored]:
    """With no list of its own, the top section's members are its sub-sections (`分布式事务` ›
    `2PC`, `TCC`, `本地消息表`): each said by its heading and, when short, its first sentence, as
    one unit after the section's own sentences."""
    if not 2 <= len(members) <= MAX_STEPS:
        return scored
    said = []
    for member in members:
        first = next(iter(sentences_of(member)), None)
        opening = first[0].rstrip("。；;") if first else ""
        said.append(
            f"{member.heading}：{opening}"
            if opening and len(opening) <= MAX_MEMBER_CHARS
            else member.heading
        )
    unit = "；".join(said) + "。"
    if len(unit) > MAX_LIST_CHARS or _DEBRIS.search(unit):
        unit = "；".join(member.heading for member in members) + "。"
    last = max((c[2] for c in scored if c[1] == 0), default=0)
    best = max(c[0] for c in scored)
    return [(best + 0.01, 0, last + 1, unit, members[0].line_start), *scored]


def _both_sides(
    sides: Sequence[str],
    chosen: list[Scored],
    ranked: Sequence[Scored],
    retrieved: Sequence[Retrieved],
) -> list[Scored]:
    """A comparison speaks of every side it names: a side whose own section (its heading names the
    side) has not spoken brings that section's best sentence, or, with no such section, the best
    sentence that names it; in place of the weakest one when the answer is full. A sentence that
    mentions both sides in passing (`混合持久化` naming RDB and AOF) does not answer for either."""

    def heading_names(candidate: Scored, side: str) -> bool:
        item = retrieved[candidate[1]]
        return speaks_for(item.section, side, sides, [s for s, _ in item.sentences])

    def names(candidate: Scored, side: str) -> bool:
        return side in candidate[3].casefold()

    added: list[Scored] = []

    def add(candidate: Scored) -> None:
        """In place of the weakest sentence when the answer is full, never one said for a side."""
        nonlocal chosen
        if len(chosen) == MAX_SENTENCES:
            weakest = min((c for c in chosen if c not in added), key=lambda c: c[0], default=None)
            if weakest is None:
                return
            chosen = [c for c in chosen if c is not weakest]
        chosen = [*chosen, candidate]
        added.append(candidate)

    # a side whose own section lists its properties (`MyISAM` › `- 表锁，并发性差` …) is said by
    # its list, the first items in the notes' order, the sides taking turns while the answer has
    # room (nothing chosen is displaced)
    listed = [_listed_side(side, sides, ranked, retrieved) for side in sides]
    for turn in range(max(map(len, listed), default=0)):
        for candidates in listed:
            fits = len(chosen) < MAX_SENTENCES
            if fits and turn < len(candidates) and candidates[turn] not in chosen:
                chosen = [*chosen, candidates[turn]]
                added.append(candidates[turn])
    for side in sides:
        if any(heading_names(c, side) for c in chosen):
            # its own section opens with what the note says first of it (`InnoDB` ›
            # `支持事务，外键，故障恢复快`): said, whichever of its sentences scored best
            opening = next((c for c in ranked if heading_names(c, side) and c[2] == 0), None)
            if opening is not None and opening not in chosen:
                add(opening)
            continue
        best = next((c for c in ranked if heading_names(c, side)), None)
        if best is None and not any(names(c, side) for c in chosen):
            best = next((c for c in ranked if names(c, side)), None)
        if best is not None:
            add(best)
    return chosen


def _listed_side(
    side: str, sides: Sequence[str], ranked: Sequence[Scored], retrieved: Sequence[Retrieved]
) -> list[Scored]:
    """The first sentences of the one section of its own that a side has (its heading names this
    side alone) when they are its list's items: its share of the answer (MAX_SENTENCES over the
    sides), in the notes' order. Nothing when the side has no such section or it is prose."""
    own = [
        rank
        for rank, item in enumerate(retrieved)
        if side in item.section.heading.casefold()
        and not any(other in item.section.heading.casefold() for other in sides if other != side)
    ]
    if len(own) != 1:
        return []
    item = retrieved[own[0]]
    items = {clean(text) for text in item.section.list_items}
    listed = [sentence for sentence, _ in item.sentences if clean(sentence) in items]
    if len(listed) < 2 or len(listed) * 3 < len(item.sentences) * 2:
        return []
    share = MAX_SENTENCES // max(len(sides), 1)
    mine = sorted((c for c in ranked if c[1] == own[0]), key=lambda c: c[2])
    whole = [c for c in mine if clean(c[3]) in items]  # an item said whole before part of one
    return [*whole, *(c for c in mine if c not in whole)][:share]


SYSTEM_PROMPT = (
    "You are a study assistant. Answer the question using ONLY the numbered notes the user gives. "
    "After every sentence, write the number of the note it comes from in square brackets, "
    "for example: Redis keeps its data in memory [1]. "
    f"Only if none of the notes is about the question, reply exactly {NOT_IN_NOTES} and nothing "
    f"else. "
    "Answer in the language of the question, in at most five sentences."
)


def generation_messages(
    question: str, retrieved: Sequence[Retrieved], max_chars: int = 1500
) -> list[dict[str, str]]:
    """The prompt: only the retrieved sections, each under its citation number, then the
    question."""
    notes = "\n\n".join(
        f"[{item.citation.n}] {' › '.join(item.citation.heading_path)}\n"
        + "\n".join(s for s, _ in item.sentences)[:max_chars]
        for item in retrieved
    )
    return [
        {"role": "system", "content": SYSTEM_PROMPT},
        {
            "role": "user",
            "content": f"Notes:\n{notes}\n\nQuestion: {question}\n\nAnswer, citing the notes as "
            f"[n]:",
        },
    ]


# Share of a generated sentence's character pairs found in a section for bagu to cite that section
# for it.
SUPPORTED = 0.4
_REPLY_SENTENCE = re.compile(r"[^。！？!?\n]+(?:[。！？!?]|(?<=[a-z0-9)\]])\.(?=\s|$))?")


def attribute(reply: str, retrieved: Sequence[Retrieved]) -> tuple[str, int, int]:
    """Cite the uncited sentences of a reply to the section that holds most of their words.

    Small local models often leave out citations. Returns the reply with `[n]` added where a section
    supports a sentence, how many were added, and how many sentences no section supports.
    """
    sources = {
        item.citation.n: _pairs(" ".join(s for s, _ in item.sentences)) for item in retrieved
    }
    pieces, added, unsupported = [], 0, 0
    for match in _REPLY_SENTENCE.finditer(reply):
        sentence = match.group()
        mine = _pairs(sentence)
        if _CITATION.search(sentence) or len(mine) < 4:
            pieces.append(sentence)
            continue
        share, best = max(
            ((len(mine & theirs) / len(mine), n) for n, theirs in sources.items()), default=(0.0, 0)
        )
        if share >= SUPPORTED:
            stop = sentence[-1] if sentence[-1] in "。！？!?." else ""
            pieces.append(f"{sentence[: len(sentence) - len(stop)].rstrip()} [{best}]{stop}")
            added += 1
        else:
            pieces.append(sentence)
            unsupported += 1
    text = "".join(pieces)
    # keep whatever the pattern did not cover (spaces, newlines) by rebuilding only when nothing was
    # lost
    return (text, added, unsupported) if len(text) >= len(reply) else (reply, 0, unsupported)


def checked_generation(
    question: str, reply: str, results: SearchResults, retrieved: Sequence[Retrieved]
) -> Answer:
    """Validate a generated reply: citations must name a given section; the rest are removed and
    reported; sentences left uncited are cited by bagu where a section holds their words, and
    counted where none does."""
    valid = {item.citation.n for item in retrieved}
    invalid = sorted({int(n) for n in _CITATION.findall(reply) if int(n) not in valid})
    text = _CITATION.sub(lambda m: m.group() if int(m.group(1)) in valid else "", reply).strip()
    if NOT_IN_NOTES.lower() in text.lower():
        why = "the model found no answer in the retrieved sections"
        return declined(question, "generative", results, notice=why, invalid=tuple(invalid))
    text, added, unsupported = attribute(text, retrieved)
    used = {int(n) for n in _CITATION.findall(text)}
    citations = tuple(item.citation for item in retrieved if item.citation.n in used)
    notes = []
    if added:
        notes.append(
            f"bagu cited {added} sentence(s) the model left uncited, by matching them to the notes"
        )
    if unsupported:
        notes.append(f"{unsupported} sentence(s) match none of the cited notes: check them")
    if not used:
        notes.append("no sentence could be tied to a section: treat this answer with care")
    notice = "; ".join(notes) or None
    return Answer(
        question,
        "generative",
        text,
        citations,
        (),
        results.confidence,
        False,
        notice,
        tuple(invalid),
    )
