"""Grade a typed answer against the notes: which key points of the source it covers, and a proposed rating.

Key points are what the notes themselves stress: the hidden phrase of a cloze, the items of a list, bold
spans and list items of a section, else its clauses; for a translation card, the content words of the
rendering. A point is hit by its own terms (Chinese words and character pairs, English stems), by the
other language's rendering of the same sentence when the notes hold one, or, when an embedder is
available, by meaning. Words the question already gives away never count, so repeating the question
scores nothing. Pure: texts in, a `Grade` out; the embedder arrives as a similarity function.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from bagu.review.scheduler import Rating
from bagu.search.tokenize import normalize_text, query_stopwords, terms, words
from bagu.vault.language import CJK
from bagu.vault.model import Section

# Cosine of two texts under a (cross-lingual) embedder.
Similarity = Callable[[str, str], float]

MAX_POINTS = 8
# Share of a point's own terms an answer must contain for the point to count as hit (half credit at PARTIAL).
HIT = 0.6
PARTIAL = 0.34
# USE cosine above which a passage of the answer says the same as a point: in benchmarks/data/grade_dev.jsonl
# paraphrases and translations of a point score 0.55–0.9, wrong answers on the same topic at most 0.45.
SEMANTIC_HIT = 0.55
SEMANTIC_PARTIAL = 0.47
# Meaning is not trusted for short points (0.5 vs 0.75, RDB vs AOF are "similar"): they need their own words.
MIN_SEMANTIC_CHARS = 6
# Score → rating: chosen on benchmarks/data/grade_dev.jsonl.
RATING_CUTS = ((0.3, Rating.AGAIN), (0.6, Rating.HARD), (0.9, Rating.GOOD))

_CLAUSE = re.compile(r"[^。！？；;!?\n]+")
_SENTENCE_END = re.compile(r"(?<=[A-Za-z0-9)])\.\s+")  # an English full stop, not 0.75 or sync.Mutex
_FRAGMENT = re.compile(r"[^,，、:：]+")
_NUMBERING = re.compile(r"^\s*(?:\d+[.)、]|[-*+])\s*")
# Words too common in answers to count as a key point, beyond the query stopwords (which already hold the
# Chinese function words and English question words).
_GRADING_EXTRA_STOPWORDS = frozenset(
    {"需要", "进行", "使用", "but", "also", "only", "just", "very", "more", "most", "such", "each", "other"}
    | {"some", "any", "all", "one", "two", "use", "used", "using"}
)


@dataclass(frozen=True, slots=True)
class KeyPoint:
    text: str  # as the notes write it: the quote shown when it is missed
    renderings: tuple[str, ...] = ()  # the same point in the other language, when the notes give it


@dataclass(frozen=True, slots=True)
class PointResult:
    point: KeyPoint
    credit: float  # 0, 0.5 or 1
    how: str  # "term", "rendering", "meaning", or "" when missed


@dataclass(frozen=True, slots=True)
class Grade:
    score: float  # 0..1, the share of key points covered
    rating: Rating
    points: tuple[PointResult, ...] = ()
    reason: str = ""  # why an answer failed outright: empty, repeats the question, off-topic
    semantic: bool = False  # whether meaning (an embedder) was used, so a report can say so

    @property
    def hit(self) -> list[PointResult]:
        return [p for p in self.points if p.credit > 0]

    @property
    def missed(self) -> list[PointResult]:
        return [p for p in self.points if p.credit == 0]


def _clean(text: str) -> str:
    return _NUMBERING.sub("", text).strip(" \t-*·:：,，")


def _clauses(text: str) -> list[str]:
    lines = [part for line in text.splitlines() for part in _SENTENCE_END.split(line)]
    found = [_clean(m.group()) for line in lines for m in _CLAUSE.finditer(line)]
    return [c for c in found if sum(ch.isalnum() for ch in c) >= 4]


def _passages(answer: str) -> list[str]:
    """Spans of the answer to compare a point with by meaning: each comma-separated fragment of a clause,
    and runs of two and three of them, since a point may be said in a phrase or across a sentence."""
    passages = []
    for clause in _clauses(answer) or [answer]:
        parts = [p.strip() for p in _FRAGMENT.findall(clause) if p.strip()]
        for size in (1, 2, 3):
            passages += [" ".join(parts[i : i + size]) for i in range(len(parts) - size + 1)]
        passages.append(clause)
    return list(dict.fromkeys(passages))


def key_points(
    kind: str,
    back: str,
    bold: Sequence[str] = (),
    list_items: Sequence[str] = (),
    pairs: Sequence[tuple[str, str]] = (),
) -> list[KeyPoint]:
    """The points an answer should cover, from a card's back and, for a question card, its section's spans."""
    if kind == "cloze":
        texts = [back]
    elif kind == "list":
        texts = [_clean(line) for line in back.splitlines() if _clean(line)]
    elif kind in ("zh-en", "en-zh"):
        # A translation is judged word by word, on the words as the notes write them.
        texts = list(dict.fromkeys(w for w in words(back) if _content_terms(w)))
        return [KeyPoint(text) for text in texts[: 2 * MAX_POINTS]]
    else:
        in_back = [s for s in [*bold, *list_items] if s.strip() and s.strip() in back]
        texts = list(dict.fromkeys(_clean(s) for s in in_back)) if len(in_back) >= 2 else _clauses(back)
        texts = texts or [back]
    points = []
    for text in texts[:MAX_POINTS]:
        renderings = tuple(en if text in zh else zh for zh, en in pairs if text in zh or text in en)
        points.append(KeyPoint(text, renderings))
    return points


def _content_terms(text: str) -> list[str]:
    """Distinct terms worth checking: no stopwords, no lone Chinese characters, no one-letter words."""
    found = []
    for term in dict.fromkeys(terms(text)):
        if term in _GRADING_EXTRA_STOPWORDS or term in query_stopwords() or (len(term) == 1 and not term.isdigit()):
            continue
        found.append(term)
    return found


def _bigrams(text: str) -> set[str]:
    runs = "".join(ch if CJK.match(ch) else " " for ch in normalize_text(text)).split()
    return {run[i : i + 2] for run in runs for i in range(len(run) - 1)}


def _units(text: str) -> set[str]:
    """Chinese character pairs plus the non-Chinese terms: robust to how a segmenter splits 缓存/强缓存."""
    return _bigrams(text) | {t for t in _content_terms(text) if not CJK.search(t)}


def _compact(text: str) -> str:
    return "".join(normalize_text(text).casefold().split())


def _is_acronym_of(point: str, answer: str) -> bool:
    """AOF ← "append only file": the initials of consecutive answer words spell the point."""
    if not (point.isascii() and point.isupper() and 2 <= len(point) <= 6):
        return False
    initials = "".join(word[0] for word in re.findall(r"[A-Za-z]+", answer)).upper()
    return point in initials


def _coverage(point: str, answer: str, answer_terms: set[str], answer_units: set[str], given: set[str]) -> float:
    """Share of the point's own terms (or of its Chinese pairs and other terms) found in the answer."""
    if _compact(point) in _compact(answer) or _is_acronym_of(point, answer):
        return 1.0
    own = [t for t in _content_terms(point) if t not in given] or _content_terms(point)
    by_terms = sum(t in answer_terms for t in own) / len(own) if own else 0.0
    units = (_units(point) - given) or _units(point)
    by_units = len(units & answer_units) / len(units) if units else 0.0
    return max(by_terms, by_units)


def _credit(coverage: float) -> float:
    return 1.0 if coverage >= HIT else 0.5 if coverage >= PARTIAL else 0.0


def rating_for(score: float) -> Rating:
    return next((rating for cut, rating in RATING_CUTS if score < cut), Rating.EASY)


def grade_answer(question: str, answer: str, points: Sequence[KeyPoint], similarity: Similarity | None = None) -> Grade:
    """Grade `answer` to `question` against `points`; an empty, off-topic or parroting answer is a failure."""
    semantic = similarity is not None
    answer_terms = set(_content_terms(answer))
    given = set(_content_terms(question)) | _units(question)
    if not answer_terms and not answer.strip():
        return Grade(0.0, Rating.AGAIN, (), "empty answer", semantic)
    if not points:
        return Grade(0.0, Rating.AGAIN, (), "nothing to grade against", semantic)
    if not (answer_terms - given) and not (_units(answer) - given):
        missed = tuple(PointResult(p, 0.0, "") for p in points)
        return Grade(0.0, Rating.AGAIN, missed, "only repeats the question", semantic)
    answer_units = _units(answer)
    passages = _passages(answer)
    results = []
    for point in points:
        credit, how = _credit(_coverage(point.text, answer, answer_terms, answer_units, given)), "term"
        for rendering in point.renderings:
            alt = _credit(_coverage(rendering, answer, answer_terms, answer_units, given))
            credit, how = (alt, "rendering") if alt > credit else (credit, how)
        if credit < 1 and similarity is not None and sum(ch.isalnum() for ch in point.text) >= MIN_SEMANTIC_CHARS:
            best = max(similarity(point.text, passage) for passage in passages)
            alt = 1.0 if best >= SEMANTIC_HIT else 0.5 if best >= SEMANTIC_PARTIAL else 0.0
            credit, how = (alt, "meaning") if alt > credit else (credit, how)
        results.append(PointResult(point, credit, how if credit else ""))
    score = sum(r.credit for r in results) / len(results)
    reason = "" if score else "off-topic: none of the key points is there"
    return Grade(round(score, 3), rating_for(score), tuple(results), reason, semantic)


@dataclass(frozen=True, slots=True)
class Reference:
    """What a card is graded against: its kind and back, plus the spans of its source section."""

    kind: str
    back: str
    bold: tuple[str, ...] = ()
    list_items: tuple[str, ...] = ()
    pairs: tuple[tuple[str, str], ...] = ()

    @classmethod
    def of_card(cls, kind: str, back: str, section: Section | None) -> Reference:
        """A card's reference, with its source section's spans when the section still exists."""
        if section is None:
            return cls(kind, back)
        pairs = tuple((pair.zh, pair.en) for pair in section.bilingual_pairs)
        return cls(kind, back, section.bold, section.list_items, pairs)

    def key_points(self) -> list[KeyPoint]:
        return key_points(self.kind, self.back, self.bold, self.list_items, self.pairs)
