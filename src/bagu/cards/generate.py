"""Flashcards from what the notes already say: question headings, bold key sentences, short lists,
Chinese→English sentence pairs, and cards written in the Obsidian Spaced Repetition syntax.

Pure: sections in, cards out. Nothing is written to a note. Each card keeps its source section and the
verbatim span it was made from; a card's key is derived from its kind and content, so the same fact in
the summary page and in the detailed note becomes one card with two sources.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum

from bagu.search.tokenize import query_stopwords, terms
from bagu.vault.language import CJK
from bagu.vault.model import Section

MAX_BACK_CHARS = 400
MAX_CLOZES_PER_SECTION = 3
MAX_PAIRS_PER_SECTION = 3
_QUESTION = re.compile(
    r"[?？]\s*$|为什么|为何|如何|怎么|怎样|什么|哪些|区别|对比|比较|\bvs\.?\b|\bwhy\b|\bhow\b|\bwhat\b|\bwhen\b|"
    r"原理|机制|作用|优缺点|优点|缺点|特点|流程|过程|意义",
    re.IGNORECASE,
)
_SENTENCE = re.compile(r"[^。！？!?\n]+[。！？!?]?")
_URL = re.compile(r"https?://|www\.")
_IDENT_SCOPE = re.compile(r"[A-Za-z0-9_]::[A-Za-z_]")  # C++/Rust paths (std::vector) are not cards
# A hidden phrase that is a fragment or a label rather than a fact: 尝试不, 第二步, （常用）.
_FRAGMENT = re.compile(r"^[（(【\[].*[）)】\]]$")
# Checked in phrases of at most 6 characters: a long phrase ending in 的 is usually a whole fact.
_SHORT_FRAGMENT = re.compile(r"[不的了是和或与在把被就都也]$|^[的了是和或与在把被]|^第\s*[一二三四五六七八九十\d]+")
# A word used by more than this share of a vault's sections says nothing on its own (问题, 不会: 10–13% of
# the example corpus's 2,124 sections; 触发 4%, 查询 8%). Shares mean something only in vaults of 50+ sections.
WEAK_WORD_SHARE = 0.1
MIN_SECTIONS_FOR_SHARES = 50


class CardKind(StrEnum):
    QUESTION = "question"
    CLOZE = "cloze"
    LIST = "list"
    ZH_EN = "zh-en"
    EN_ZH = "en-zh"
    EXPLICIT = "explicit"


@dataclass(frozen=True, slots=True)
class CardSource:
    path: str
    heading_path: tuple[str, ...]
    line_start: int
    line_end: int
    span: str  # the verbatim text the card was made from


@dataclass(frozen=True, slots=True)
class Card:
    key: str
    kind: CardKind
    front: str
    back: str
    sources: tuple[CardSource, ...]
    sibling: str | None = None  # cards made from one fact (a pair and its reverse) are buried together
    extra: dict[str, str] = field(default_factory=dict, compare=False)


def _key(kind: CardKind, front: str, back: str) -> str:
    normal = " ".join(f"{kind}\x1f{front}\x1f{back}".split()).casefold()
    return hashlib.sha256(normal.encode("utf-8")).hexdigest()[:16]


def _card(kind: CardKind, front: str, back: str, source: CardSource, sibling: str | None = None) -> Card:
    return Card(_key(kind, front, back), kind, front.strip(), back.strip(), (source,), sibling)


def _prose(section: Section) -> str:
    """The section's body without its code blocks: code is never a card."""
    code = "\n".join(block.content for block in section.code_blocks)
    return "\n".join(line for line in section.body.splitlines() if line.strip() and line.strip() not in code)


def _source(path: str, section: Section, span: str) -> CardSource:
    return CardSource(path, section.heading_path, section.line_start, section.line_end, span)


def is_question_heading(heading: str) -> bool:
    return bool(_QUESTION.search(heading)) and len(heading.strip()) >= 2


def _question(path: str, section: Section, prose: str) -> list[Card]:
    if section.level == 0 or not is_question_heading(section.heading):
        return []
    back = prose[:MAX_BACK_CHARS].strip()
    if len(back) < 10:
        return []
    front = " › ".join(section.heading_path)
    return [_card(CardKind.QUESTION, front, back, _source(path, section, section.heading))]


def weak_words(sections: Sequence[Section]) -> frozenset[str]:
    """Terms so common across the vault that hiding one of them tests nothing."""
    if len(sections) < MIN_SECTIONS_FOR_SHARES:
        return frozenset()
    counts: Counter[str] = Counter()
    for section in sections:
        counts.update(set(terms(f"{section.heading}\n{section.body}")))
    limit = WEAK_WORD_SHARE * len(sections)
    return frozenset(term for term, count in counts.items() if count > limit)


def is_salient(phrase: str, weak: frozenset[str] = frozenset()) -> bool:
    """Whether hiding `phrase` tests a fact: it is not a fragment, and has a word that is not stop or weak."""
    if _FRAGMENT.search(phrase) or (len(phrase) <= 6 and _SHORT_FRAGMENT.search(phrase)):
        return False
    content = [t for t in terms(phrase) if t not in query_stopwords() and (len(t) > 1 or not CJK.match(t))]
    return any(t not in weak for t in content)


def _clozes(path: str, section: Section, prose: str, weak: frozenset[str]) -> list[Card]:
    cards: list[Card] = []
    for bold in dict.fromkeys(section.bold):
        bold = bold.strip()
        if len(bold) < 2 or len(bold) > 60 or not any(ch.isalnum() for ch in bold) or bold.isdigit():
            continue
        if not is_salient(bold, weak):
            continue
        if bold.isascii() and len(bold) < 4:  # `b`, `Q`, `k8s`: too little to recall
            continue
        if bold.endswith((":", "：")):  # a label ("**bundle:** …"), not a fact
            continue
        sentence = next((m.group().strip() for m in _SENTENCE.finditer(prose) if bold in m.group()), "")
        context = sentence.replace(bold, "", 1).strip(" ，,:：;；")
        # The hidden part must leave enough of the sentence to be a cue.
        cue = sum(ch.isalnum() for ch in context)
        if cue < 8 or len(bold) > len(sentence) / 2 or len(sentence) > 300 or _URL.search(sentence):
            continue
        front = sentence.replace(bold, "［…］", 1)
        cards.append(_card(CardKind.CLOZE, front, bold, _source(path, section, sentence)))
        if len(cards) == MAX_CLOZES_PER_SECTION:
            break
    return cards


def _list(path: str, section: Section) -> list[Card]:
    items = [item.strip() for item in section.list_items if item.strip()]
    if section.level == 0 or not 2 <= len(items) <= 7 or any(len(i) > 120 or _URL.search(i) for i in items):
        return []
    front = f"{' › '.join(section.heading_path)} — 列出 {len(items)} 点 (name the {len(items)} points)"
    back = "\n".join(f"{n}. {item}" for n, item in enumerate(items, 1))
    return [_card(CardKind.LIST, front, back, _source(path, section, "\n".join(items)))]


# Cross-lingual similarity of a Chinese sentence and its supposed English rendering (an embedder's cosine).
TranslationScore = Callable[[str, str], float]
# USE cosine of true zh/en translations in the example vault is 0.55–0.85; unrelated neighbours score < 0.35.
MIN_TRANSLATION_SCORE = 0.45


def _pairs(path: str, section: Section, translation: TranslationScore | None) -> list[Card]:
    """Only pairs that really are translations: a zh sentence is often followed by unrelated English."""
    if translation is None:
        return []
    cards: list[Card] = []
    for pair in section.bilingual_pairs:
        zh, en = pair.zh.strip(), pair.en.strip()
        if not (6 <= len(zh) <= 200 and 10 <= len(en) <= 300) or _URL.search(zh + en):
            continue
        if not 0.6 <= len(en) / len(zh) <= 6 or translation(zh, en) < MIN_TRANSLATION_SCORE:
            continue
        source = _source(path, section, f"{zh}\n{en}")
        forward = _card(CardKind.ZH_EN, f"用英文说 (say it in English): {zh}", en, source)
        reverse = _card(CardKind.EN_ZH, f"用中文说 (say it in Chinese): {en}", zh, source, sibling=forward.key)
        cards += [replace(forward, sibling=reverse.key), reverse]
        if len(cards) >= 2 * MAX_PAIRS_PER_SECTION:
            break
    return cards


def _explicit(path: str, section: Section, prose: str) -> list[Card]:
    """`Q::A` and `Q:::A` (both directions), one per line, as the Obsidian Spaced Repetition plugin reads them."""
    cards: list[Card] = []
    for line in prose.splitlines():
        if "::" not in line or _IDENT_SCOPE.search(line) or _URL.search(line):
            continue
        reverse = ":::" in line
        question, _, answer = line.partition(":::" if reverse else "::")
        question, answer = question.strip(" -*"), answer.strip()
        if len(question) < 2 or not answer:
            continue
        source = _source(path, section, line.strip())
        forward = _card(CardKind.EXPLICIT, question, answer, source)
        cards.append(forward)
        if reverse:
            cards.append(_card(CardKind.EXPLICIT, answer, question, source, sibling=forward.key))
    return cards


def cards_for_section(
    path: str, section: Section, translation: TranslationScore | None = None, weak: frozenset[str] = frozenset()
) -> list[Card]:
    """The cards one section yields; Chinese→English pair cards only when `translation` can vouch for them."""
    prose = _prose(section)
    return [
        *_question(path, section, prose),
        *_clozes(path, section, prose, weak),
        *_list(path, section),
        *_pairs(path, section, translation),
        *_explicit(path, section, prose),
    ]


def generate_cards(sections: Iterable[tuple[str, Section]], translation: TranslationScore | None = None) -> list[Card]:
    """Every card of the vault, one per distinct fact: duplicates across notes are merged, sources kept."""
    sections = list(sections)
    weak = weak_words([section for _, section in sections])
    merged: dict[str, Card] = {}
    for path, section in sections:
        for card in cards_for_section(path, section, translation, weak):
            known = merged.get(card.key)
            merged[card.key] = card if known is None else replace(known, sources=known.sources + card.sources)
    return list(merged.values())
