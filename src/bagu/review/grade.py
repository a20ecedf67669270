"""Grade a typed answer against the notes: which key points it covers, which it contradicts, and a
rating.

Key points come from review/points.py (sentences, list items, a cloze's hidden term, a rendering's
clauses). A point is hit by its own terms (Chinese words and character pairs, English stems, a Latin
name misspelt by a letter or two), by the glossary's or the note's rendering in the other language,
or, when an embedder is available, by meaning. Before a point earns credit, the answer's sentence
about it is checked for a contradiction (review/contradiction.py): an answer that says the opposite
of the note is graded Again however many words it shares. Words the question already gives away
never count, so repeating the question scores nothing. Pure: texts in, a `Grade` out; the embedder
arrives as a similarity function.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol, runtime_checkable

from bagu.review.contradiction import (
    NO_MARKS,
    YES_MARKS,
    Contradiction,
    contradiction,
    contrast_words,
    has_negator,
    numbers_of,
    opposite_pairs,
    role_groups,
)
from bagu.review.points import MAX_POINTS, KeyPoint, key_points
from bagu.review.scheduler import Rating
from bagu.review.spelling import near, one_edit
from bagu.review.swapped_claims import (
    order_reversed,
    other_value,
    subject_of,
    swapped_claim,
    transposed,
)
from bagu.search.glossary import glossary
from bagu.search.tokenize import normalize_text, query_stopwords, terms
from bagu.vault.bilingual import renderings
from bagu.vault.language import CJK, reading_length
from bagu.vault.model import Section
from bagu.vault.prose import clean

__all__ = [
    "MAX_POINTS",
    "Grade",
    "KeyPoint",
    "PointResult",
    "Reference",
    "Similarity",
    "grade_answer",
    "key_points",
]

# Cosine of two texts under a (cross-lingual) embedder.
Similarity = Callable[[str, str], float]


@runtime_checkable
class BatchSimilarity(Protocol):
    """A similarity that embeds every text once: the best cosine of each point against all
    passages."""

    def __call__(self, a: str, b: str) -> float: ...

    def best(self, points: Sequence[str], passages: Sequence[str]) -> list[tuple[float, int]]: ...


# Share of a point's own terms an answer must contain for the point to count as hit (half credit at
# PARTIAL).
HIT = 0.6
PARTIAL = 0.34
# USE cosine above which a passage of the answer says the same as a point: in
# benchmarks/data/grade_dev.jsonl paraphrases and translations of a point score 0.55–0.9, wrong
# answers on the same topic at most 0.45.
SEMANTIC_HIT = 0.55
SEMANTIC_PARTIAL = 0.47
# Across languages (a Chinese point, an English passage) the same meaning scores lower: chosen on
# the tuning split among 0.55/0.47, 0.50/0.43, 0.47/0.40, 0.44/0.37 and 0.40/0.33
# (benchmarks/bench_grade.py: tune exact 0.76 → 0.80 at 0.47/0.40, no more passed failures; held
# out v2 0.63 → 0.68, v3 0.70 → 0.77, v4 and v5 unchanged).
CROSS_SEMANTIC_HIT = 0.47
CROSS_SEMANTIC_PARTIAL = 0.40
# Meaning is not trusted for short points (0.5 vs 0.75, RDB vs AOF are "similar"): they need their
# own words, the glossary's rendering of them, or a near spelling, unless the answer is in the other
# script. A Chinese term answered in English (条件计算 / conditional computation 0.81, 私钥 /
# private key 0.63) can only be matched by meaning when the glossary lacks it, and names that look
# alike (RDB/AOF) share a script.
MIN_SEMANTIC_CHARS = 6
# Score → rating, fitted on the tuning split of grade_dev_v2 with grade_dev (Easy from 70%: a
# section's key points include minor sentences a person rightly leaves out; exactly half the points
# is Hard).
RATING_CUTS = ((0.25, Rating.AGAIN), (0.55, Rating.HARD), (0.7, Rating.GOOD))
# The part of a very long answer that is read: a spoken answer is a few hundred characters; 10,000
# are pasted.
MAX_ANSWER_CHARS = 3000
MIN_NEAR_CHARS = 4

_CLAUSE = re.compile(r"[^。！？；;!?\n]+")
# an English full stop, not 0.75 or sync.Mutex
_SENTENCE_END = re.compile(r"(?<=[A-Za-z0-9)])\.\s+")
# `脏读：×` stays whole
_FRAGMENT = re.compile(rf"(?:[^,，、:：]|[:：](?=\s*[{NO_MARKS}{YES_MARKS}]))+")
_LATIN = re.compile(r"^(?=[a-z0-9_.+#-]*[a-z])[a-z0-9][a-z0-9_.+#-]*$")
_NAME = re.compile(
    r"(?<![A-Za-z0-9_])(?:[A-Z][A-Za-z0-9]*[A-Z0-9][A-Za-z0-9]*|[A-Z][a-z]+[A-Z][A-Za-z]*)(?![A-Za-z0-9_])"
)
_ENGLISH_WORD = re.compile(r"(?<![A-Za-z0-9_])[A-Za-z][A-Za-z0-9]{2,}(?![A-Za-z0-9_])")
# Ticks and crosses answer a table row's yes/no columns (`脏读 ×`): they are words, not repeating
# the prompt.
_YES_NO = re.compile(f"[{NO_MARKS}{YES_MARKS}]")
_CONFUSABLE = str.maketrans({"l": "i", "1": "i", "|": "i", "0": "o"})
# Words too common in answers to count as a key point, beyond the query stopwords (which already
# hold the Chinese function words and English question words).
_GRADING_EXTRA_STOPWORDS = frozenset(
    {
        "需要",
        "进行",
        "使用",
        "but",
        "also",
        "only",
        "just",
        "very",
        "more",
        "most",
        "such",
        "each",
        "other",
    }
    | {"some", "any", "all", "one", "two", "use", "used", "using"}
)


@dataclass(frozen=True, slots=True)
class PointResult:
    point: KeyPoint
    credit: float  # 0, 0.5 or 1
    # "term", "rendering", "glossary", "spelling", "meaning", "contradicted", or "" when missed
    how: str
    note: str = ""  # for a contradicted point, what the answer says against it

    @property
    def contradicted(self) -> bool:
        return self.how == "contradicted"

    @property
    def mark(self) -> str:
        """⚠ contradicted, ✓ hit, ½ half, ✗ missed: one list tells the four apart."""
        return (
            "⚠" if self.contradicted else "✓" if self.credit == 1 else "½" if self.credit else "✗"
        )

    @property
    def explanation(self) -> str:
        """What to show beside the quote: what the answer says against it, or how it was matched."""
        return (
            self.note if self.contradicted else "" if self.how in ("", "term", "llm") else self.how
        )


@dataclass(frozen=True, slots=True)
class Grade:
    score: float  # 0..1, the share of key points covered, less those contradicted
    rating: Rating
    points: tuple[PointResult, ...] = ()
    # why an answer failed outright: empty, repeats the question, off-topic, contradicts
    reason: str = ""
    semantic: bool = False  # whether meaning (an embedder) was used, so a report can say so

    @property
    def hit(self) -> list[PointResult]:
        return [p for p in self.points if p.credit > 0]

    @property
    def missed(self) -> list[PointResult]:
        return [p for p in self.points if p.credit == 0 and not p.contradicted]

    @property
    def contradicted(self) -> list[PointResult]:
        return [p for p in self.points if p.contradicted]


def _clauses(text: str) -> list[str]:
    lines = [part for line in text.splitlines() for part in _SENTENCE_END.split(line)]
    found = [clean(m.group()) for line in lines for m in _CLAUSE.finditer(line)]
    return [c for c in found if sum(ch.isalnum() for ch in c) >= 2]


def _passages(answer: str) -> list[str]:
    """Spans of the answer to compare a point with: each comma-separated fragment of a clause, and
    runs of two and three of them, since a point may be said in a phrase or across a sentence."""
    passages = []
    for clause in _clauses(answer) or [answer]:
        parts = [p.strip() for p in _FRAGMENT.findall(clause) if p.strip()]
        for size in (1, 2, 3):
            passages += [_joined(parts[i : i + size]) for i in range(len(parts) - size + 1)]
        passages.append(clause)
    return list(dict.fromkeys(passages))


def _joined(fragments: Sequence[str]) -> str:
    """Fragments of a clause run together with their commas kept, so the clause bounds of a negation
    stay."""
    return (
        "，".join(f.strip() for f in fragments)
        if CJK.search("".join(fragments))
        else ", ".join(fragments)
    )


def _content_terms(text: str) -> list[str]:
    """Distinct terms worth checking: no stopwords, no lone Chinese characters, no one-letter
    words."""
    found = []
    for term in dict.fromkeys(terms(text)):
        if (
            term in _GRADING_EXTRA_STOPWORDS
            or term in query_stopwords()
            or (len(term) == 1 and not term.isdigit())
        ):
            continue
        found.append(term)
    return found


def _bigrams(text: str) -> set[str]:
    runs = "".join(ch if CJK.match(ch) else " " for ch in normalize_text(text)).split()
    return {run[i : i + 2] for run in runs for i in range(len(run) - 1)}


@lru_cache(maxsize=4096)
def _units(text: str) -> frozenset[str]:
    """Chinese character pairs plus the non-Chinese terms: robust to how a segmenter splits 缓存/强
    缓存. Cached: a grade aligns every claim of every point with every passage of the answer."""
    return frozenset(_bigrams(text) | {t for t in _content_terms(text) if not CJK.search(t)})


def _compact(text: str) -> str:
    return "".join(normalize_text(text).casefold().split())


# A short English term, and a short English answer to it.
MAX_TERM_WORDS = 4


def _another_term(point: str, answer: str) -> Contradiction | None:
    """A one-point card (a cloze's term) answered with another term of its family: `Offline
    Distillation` for `Self Distillation`, `shared memory` for `global memory`. The answer keeps a
    word of the term, drops another and says one of its own (a misspelling, an acronym or the
    term's initials is the term)."""
    words = re.findall(r"[A-Za-z][A-Za-z0-9+#-]*", point)
    said = re.findall(r"[A-Za-z][A-Za-z0-9+#-]*", answer)
    if not (
        point.isascii()
        and answer.isascii()
        and 2 <= len(words) <= MAX_TERM_WORDS
        and len(said) <= MAX_TERM_WORDS + 1
    ):
        return None
    if _is_acronym_of(point, answer) or _is_initials_of(point, answer):
        return None
    meant, given = set(_content_terms(point)), set(_content_terms(answer))

    def has(term: str, among: set[str]) -> bool:
        return term in among or any(len(term) >= MIN_NEAR_CHARS and near(term, t) for t in among)

    kept = {t for t in meant if has(t, given)}
    missing = {t for t in meant if not has(t, given)}
    extra = {t for t in given if not has(t, meant)}
    if kept and missing and extra:
        return Contradiction("roles", f"names {answer.strip()!r}, another term than {point!r}")
    return None


# A point that is one identifier: `ReadWriteOnce`, `max_connections`, `GOMAXPROCS`.
_IDENTIFIER = re.compile(
    r"[A-Za-z][a-z0-9]*(?:[A-Z][a-z0-9]+){2,}|[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)+"
)


def _says_identifier(point: str, read: _Answer) -> bool:
    """Whether the answer says the identifier a point is, when it is one: whole (`read write once`
    and `ReadWriteOnce` alike), spelt a letter away or by its initials (RWO). Its words said in
    other identifiers (`ReadOnlyOnce`, `ReadWriteMany` for `ReadWriteOnce`) do not say it."""
    name = point.strip()
    if not _IDENTIFIER.fullmatch(name):
        return True
    # only an answer that spells identifiers of its own is held to the whole one (`RWO`, `读已提交`
    # say ReadWriteOnce and READ_COMMITTED in their own way)
    if not _IDENTIFIER.search(read.text):
        return True
    wanted = re.sub(r"[\s_-]", "", name).casefold()
    if wanted in re.sub(r"[\s_-]", "", read.text).casefold() or _is_initials_of(name, read.text):
        return True
    return any(
        one_edit(wanted, re.sub(r"[_-]", "", word).casefold())
        for word in re.findall(r"[A-Za-z][A-Za-z0-9_-]*", read.text)
    )


MAX_TERM_UNITS = 10


def _sibling_term(point: str, read: _Answer) -> Contradiction | None:
    """`_another_term` for a term in Chinese or in both scripts: `训练后量化(PTQ)` for
    `量化感知训练(QAT)`, `搜索本质` for `搜索方式`, `二元Embedding` for `浮点Embedding`. A word of
    the term kept, one dropped and one of the answer's own in its place; not when the two differ
    as a typo does (`循化` / `循环`: one character) or are both generic heads (`方法` / `方式`), nor
    when the glossary gives the answer as a rendering of the term."""
    answer, given = read.text, read.terms
    length = reading_length(point)
    if point.isascii() or length > MAX_TERM_UNITS or reading_length(answer) > length + 2:
        return None  # a longer answer explains rather than names (`推理延迟不变，跟原模型一样`)
    meant = _content_terms(point)
    kept = [t for t in meant if t in given]
    missing = [t for t in meant if t not in given]
    extra = [t for t in given if t not in meant]
    if not (kept and missing and extra):
        return None
    # a word put in another's place is in its script: `键和值矩阵` for `Key 和 Value 矩阵`,
    # `restarting MySQL` for `重启mysql` translate
    if not any(m.isascii() == e.isascii() for m in missing for e in extra):
        return None
    if any(_typo_of(m, e) for m in missing for e in extra):
        return None
    if all(t in _GENERIC_HEADS for t in (*missing, *extra)):
        return None
    # `两倍容量` for `2 倍容量`; `用户自己定义的` holds every character of `自定义`
    if numbers_of(point) == numbers_of(answer) and all(
        re.search(r"[\d零一二两三四五六七八九十百千万]", t) for t in (*missing, *extra)
    ):
        return None
    if all(not m.isascii() and set(m) <= set(answer) for m in missing):
        return None
    if _compact(point) in read.renderings:
        return None
    return Contradiction("roles", f"names {answer.strip()!r}, another term than {point!r}")


def _typo_of(meant: str, said: str) -> bool:
    """Two Chinese words of one length that differ in one character, or Latin words a letter
    apart."""
    if meant.isascii() and said.isascii():
        return len(meant) >= MIN_NEAR_CHARS and near(meant, said)
    return (
        len(meant) == len(said) >= 2 and sum(a != b for a, b in zip(meant, said, strict=True)) == 1
    )


def _is_acronym_of(point: str, answer: str) -> bool:
    """AOF ← "append only file": the initials of consecutive answer words spell the point."""
    if not (point.isascii() and point.isupper() and 2 <= len(point) <= 6):
        return False
    initials = "".join(word[0] for word in re.findall(r"[A-Za-z]+", answer)).upper()
    return point in initials


@dataclass(frozen=True, slots=True)
class _Answer:
    """What is looked up in an answer, computed once: its terms and units, and those of the
    glossary's renderings of the terms it names (`phantom read` brings 幻读)."""

    text: str
    terms: frozenset[str]
    units: frozenset[str]
    latin: tuple[str, ...]
    glossary_terms: frozenset[str]
    glossary_units: frozenset[str]
    # each rendering whole and compacted: 盐 for `salt`, too short to be a term
    renderings: frozenset[str]

    @classmethod
    def of(cls, text: str) -> _Answer:
        answer_terms = frozenset(_content_terms(text))
        found = glossary().renderings(text)
        renderings = " ; ".join(found)
        return cls(
            text,
            answer_terms,
            _units(text),
            tuple(t for t in answer_terms if _LATIN.match(t) and len(t) >= MIN_NEAR_CHARS - 1),
            frozenset(_content_terms(renderings)) - answer_terms,
            _units(renderings),
            frozenset(_compact(r) for r in found),
        )

    def spelt_near(self, term: str) -> bool:
        """A Latin term the answer spells a letter or two differently (Kafak, a note's `RDlB` for
        RDB)."""
        if not _LATIN.match(term):
            return False
        target = term.translate(_CONFUSABLE)
        for word in self.latin:
            candidate = word.translate(_CONFUSABLE)
            if candidate == target:
                return True
            if len(term) >= MIN_NEAR_CHARS and word[0] == term[0] and near(candidate, target):
                return True
        return False


def _is_initials_of(point: str, answer: str) -> bool:
    """RWO ← ReadWriteOnce: an answer word that spells the capitals of a CamelCase point."""
    capitals = "".join(re.findall(r"[A-Z]", point))
    if not (
        point.isascii() and 2 <= len(capitals) <= 6 and re.fullmatch(r"(?:[A-Z][a-z0-9]+)+", point)
    ):
        return False
    return capitals.casefold() in {w.casefold() for w in re.findall(r"[A-Za-z]+", answer)}


# Head nouns that say a term is a way, a method or a mechanism of something: beside the words that
# say of what, they are no part of what a person recalls.
_GENERIC_HEADS = frozenset({"方式", "方法", "机制", "模式", "策略", "过程", "技术", "操作", "手段"})


def _coverage(point: KeyPoint | str, answer: _Answer, given: set[str]) -> tuple[float, str]:
    """Share of the point's own terms (or of its Chinese pairs and other terms) found in the answer,
    and how: by its words, the glossary's renderings of the answer's terms, or a near spelling."""
    text = point.text if isinstance(point, KeyPoint) else point
    emphasis = point.emphasis if isinstance(point, KeyPoint) else ()
    if (
        _compact(text) in _compact(answer.text)
        or _is_acronym_of(text, answer.text)
        or _is_initials_of(text, answer.text)
    ):
        return 1.0, "term"
    if _compact(text) in answer.renderings:
        # the point is what the glossary calls the answer: 盐 for `salt`, too short for words
        return 1.0, "glossary"
    own = [t for t in _content_terms(text) if t not in given] or _content_terms(text)
    # `异步方式` answered `asynchronous transfer`: the way of doing it is not what is recalled
    own = [t for t in own if t not in _GENERIC_HEADS] or own
    stressed = {t for span in emphasis for t in _content_terms(span)}
    weights = {t: 2.0 if t in stressed else 1.0 for t in own}
    total = sum(weights.values())
    found = {t: "term" for t in own if t in answer.terms}
    for t in own:
        if t not in found and t in answer.glossary_terms:
            found[t] = "glossary"
        elif t not in found and answer.spelt_near(t):
            found[t] = "spelling"
    by_terms = sum(weights[t] for t in found) / total if total else 0.0
    units = (_units(text) - given) or _units(text)
    by_units = len(units & answer.units) / len(units) if units else 0.0
    by_glossary = len(units & (answer.units | answer.glossary_units)) / len(units) if units else 0.0
    how = "term"
    if by_terms > by_units and found and all(h != "term" for h in found.values()):
        how = next(iter(found.values()))
    best = max(by_terms, by_units)
    if by_glossary > best:
        return by_glossary, "glossary"
    return best, how


def _credit(coverage: float) -> float:
    return 1.0 if coverage >= HIT else 0.5 if coverage >= PARTIAL else 0.0


def rating_for(score: float) -> Rating:
    return next((rating for cut, rating in RATING_CUTS if score < cut), Rating.EASY)


def _names(points: Sequence[KeyPoint]) -> frozenset[str]:
    """The reference's names (RDB, AOF, InnoDB, MyISAM): a claim given to another of them is a wrong
    claim."""
    return frozenset(
        m.group() for p in points for m in _NAME.finditer(p.text) if len(m.group()) >= 2
    )


def _swappable(points: Sequence[KeyPoint], names: frozenset[str]) -> frozenset[str]:
    """The names two claims can be swapped between: the reference's names and, in a Chinese note,
    the English words it comes back to (`new` and `make`, `tanh` and `sigmoid`): people write the
    technical names in English and the rest in Chinese. Only a swap uses them; as names for every
    check they caught plain words."""
    english = Counter(
        word
        for point in points
        if len(CJK.findall(point.text)) >= 4
        for word in {m.group() for m in _ENGLISH_WORD.finditer(point.text)}
    )
    return names | {word for word, count in english.items() if count >= 2}


# A claim is checked against the answer's passage about it only when that passage shares at least
# this share of the claim's words: a weaker match is another claim of the answer, and
# "contradicting" it is noise.
MIN_ALIGNED_SHARE = 0.5


@lru_cache(maxsize=1)
def _differing_pairs() -> tuple[tuple[str, frozenset[str]], ...]:
    """Each Chinese word of an opposite pair with the character pairs that set it apart from the
    other side: `只有一个` / `多个` differ in all of theirs, `单线程` / `多线程` only in 单线 / 多线
    (线程 is what both are about). Roles (主节点 / 从节点) are what a claim is about: they stay."""
    found = []
    for side, other in (pair for a, b in opposite_pairs() for pair in ((a, b), (b, a))):
        theirs = {u for w in other for u in _bigrams(w)}
        found += [(w, frozenset(_bigrams(w) - theirs)) for w in side if CJK.search(w)]
    return tuple(found)


# characters that only tie words together: a pair of one of them and a word's edge is that word's
_PARTICLES = frozenset("的地得了着过是在和与及或")


def _straddling(text: str, words: Iterable[str]) -> set[str]:
    """The character pairs of `text` that hold the edge of one of these words and a particle beside
    it (`近的` of `最近的`). A content character beside it stays: `存友` of `内存友好` says what is
    friendly."""
    text = normalize_text(text)
    found = set()
    for word in words:
        for match in re.finditer(re.escape(word), text):
            start, end = match.start(), match.end()
            if start and text[start - 1] in _PARTICLES:
                found.add(text[start - 1 : start + 1])
            if end < len(text) and text[end] in _PARTICLES:
                found.add(text[end - 1 : end + 1])
    return found


def _aligned(claim: str, passages: Sequence[str], names: frozenset[str]) -> tuple[str, float]:
    """The answer's passage making the same claim as `claim`, and the share of the claim's words it
    holds: the one sharing most of its words other than names and roles (so `AOF 是快照` is the
    passage about `RDB 是快照`, `Follower 接受请求` the one about `Leader 接受请求`), and, among
    equals, the one with fewest words of its own."""
    units = _units(claim) | _units(" ; ".join(glossary().renderings(claim)))
    claim_units: frozenset[str]
    # a Chinese claim is aligned on its Chinese words: names are what may differ
    if len(_bigrams(claim)) >= 2:
        claim_units = frozenset(u for u in units if CJK.search(u))
    else:
        lowered = {n.casefold() for n in names}
        claim_units = frozenset(u for u in units if u not in lowered) or units
    # nor on the words that differ on purpose (最大 / 最小): `欧式距离最大，向量内积最小` is no
    # better a passage for `欧式距离最小` than `欧式距离最大` for holding its 最小
    present = [(w, units) for w, units in _differing_pairs() if w in claim]
    differing = {u for _, units in present for u in units}
    # and not on the pairs that run into such a word (`最近的` gives 近的, which `按时间取最近的 t
    # 个` shares with it as much as the clause that says 最早的 does)
    differing |= _straddling(claim, {w for w, units in present if units})
    claim_units = (claim_units - contrast_words() - differing) or claim_units
    own = (_units(claim) & claim_units) or claim_units
    scored = []
    for passage in passages:
        passage_units = _units(passage)
        shared = len(passage_units & claim_units)
        scored.append(
            (
                shared,
                -len(passage_units - claim_units),
                -len(passage),
                passage,
                len(passage_units & own),
            )
        )
    best = max(scored, default=(0, 0, 0, "", 0))
    return (best[3], best[4] / len(own)) if best[0] and own else ("", 0.0)


def _aligned_within(
    claim: str, passages: Sequence[str], names: frozenset[str], sentence: str
) -> tuple[str, float]:
    """`_aligned`, first among the passages of `sentence` (the answer sentence the point's first
    clause was found in): the clauses of one sentence are answered in one sentence
    (`从服务器接收数据时，偏移量减 n` is where `从服务器接受数据时，也会将偏移量加 n` is answered,
    not the master's `偏移量加 n` before it)."""
    if sentence:
        clause, share = _aligned(claim, [p for p in passages if p in sentence], names)
        if clause and share >= MIN_ALIGNED_SHARE:
            return clause, share
    return _aligned(claim, passages, names)


def _ascii_words(text: str) -> set[str]:
    return {m.group().casefold() for m in _ENGLISH_WORD.finditer(text)}


def _word_share(claim: str, clause: str) -> float:
    """The share of the claim's words in the clause, leaving out opposite and role words (缩减 / 增
    加)."""
    contrast = contrast_words()
    own = {t for t in _content_terms(claim) if t.casefold() not in contrast}
    return len(own & set(_content_terms(clause))) / len(own) if own else 0.0


def _extends_to_subject(claim: str, clause: str, sentence: str) -> bool:
    """`select、update … 都会记录`: the claim's subject is further back in the answer's sentence.
    Read whole only when that sentence negates nothing: with a negator of its own
    (`select 不会写到 binlog，只有…才会记录`) which words it denies is a guess."""
    further = _ascii_words(claim) & _ascii_words(sentence) - _ascii_words(clause)
    return bool(further) and not has_negator(sentence)


def _agrees_with_another(
    passage: str, claim: str, others: Sequence[str], names: frozenset[str], *, sentence: str
) -> bool:
    """The passage is about another point and says it rightly: it shares more with that point than
    with `claim`, every subject it names (a Latin name, a role, a point's label) is that point's,
    and it clashes with no point about those subjects. A passage giving one subject's claim to
    another (`PEFT 会改动全部权重` beside `全面微调会改变权重`) names a subject the other point
    lacks, so it is still checked."""
    own = len(_units(passage) & _units(claim))
    labels = {subject_of(text) for text in (claim, *others)} - {""}
    # a fragment (`对内存不友好`) names its subject earlier in its sentence
    said = _subjects(sentence, labels)
    about = [other for other in others if said <= _subjects(other, labels)]
    if any(contradiction(other, passage, names=names) is not None for other in about):
        # it clashes with a point about the same subjects: it is wrong, not about another point
        return False
    return any(len(_units(passage) & _units(other)) > own for other in about)


def _subjects(text: str, labels: set[str]) -> set[str]:
    found = {f"role{group}" for group in role_groups(text)} | _ascii_words(text)
    return found | {label for label in labels if label.casefold() in text.casefold()}


def _sentence_of(passage: str, answer: str) -> str:
    """The answer's clause (up to a full stop, semicolon or line end) a passage was cut from, or the
    passage."""
    return next(
        (clause for clause in _clauses(answer) if passage in _joined(_FRAGMENT.findall(clause))),
        passage,
    )


def _claims(point: KeyPoint) -> list[str]:
    """The point's clauses, each checked against the answer on its own: `RDB 是快照，AOF 记录写命令`
    is two, and so is a point of two sentences (`误伤概率越大。(未曝光物品的 k 个位置…)`)."""
    parts = [
        part.strip(" ()（）")
        for part in re.split(r"[，,；;。！？!?]", point.text)
        if sum(ch.isalnum() for ch in part) >= 2
    ]
    return parts if len(parts) > 1 else [point.text]


def _names_in(text: str, names: Iterable[str]) -> set[str]:
    return {
        n for n in names if re.search(rf"(?<![A-Za-z0-9_]){re.escape(n)}(?![A-Za-z0-9_])", text)
    }


def _swap(claim: str, passage: str, answer: str, names: frozenset[str]) -> Contradiction | None:
    """The passage is the claim with one of the note's names put in another's place, and the answer
    names the first elsewhere: two names swapped (`make 返回指针` for `new 函数返回的是指针`,
    `Container API: OCI` for `Container API: 标准就是CRI`). Every other word of the passage is the
    claim's, and the passage shares a name with it or says two of its words."""
    in_claim, in_passage = _names_in(claim, names), _names_in(passage, names)
    missing, extra = in_claim - in_passage, in_passage - in_claim
    if len(missing) != 1 or not extra or not _names_in(answer.replace(passage, " "), missing):
        return None
    lowered, said = {n.casefold() for n in names}, claim.casefold()
    rest = {t for t in _content_terms(passage) if t.casefold() not in lowered}
    if any(t.casefold() not in said for t in rest) or (not in_claim & in_passage and len(rest) < 2):
        return None
    return Contradiction("roles", f"says {min(extra)} where the note says {min(missing)}")


MIN_SHARED_TERMS = 2


def _substituted(claim: str, clause: str, others: Sequence[str]) -> Contradiction | None:
    """The clause says the claim with one of its named terms swapped for a named term of another
    of the reference's points (`clone - 将调用进程移动到新的 Namespace` where the note says that of
    unshare, and clone of creating a process): the answer mixed up two of the note's facts. Named:
    a Latin word or a glossary term; a plain word swapped (`负责复制` for `只进行复制`) is a
    rewording."""
    own, said = _content_terms(claim), _content_terms(clause)
    missing = [t for t in own if t not in said]
    extra = [t for t in said if t not in own]
    if len(missing) != 1 or len(extra) != 1 or len(set(own) & set(said)) < MIN_SHARED_TERMS:
        return None
    if not (_is_named(missing[0], claim) and _is_named(extra[0], clause)):
        return None
    if not any(extra[0] in _content_terms(other) for other in others):
        return None
    return Contradiction("roles", f"says {extra[0]} where the note says {missing[0]}")


def _is_named(term: str, text: str) -> bool:
    """A glossary term, or a Latin word written as a name in `text`: with a capital or a digit, or
    inside Chinese, where Latin letters are kept for names (`clone - 创建一个新进程`)."""
    if CJK.search(term):
        return any(term in entry.zh for entry in glossary().entries_in(term))
    if CJK.search(text):
        return bool(re.search(r"[a-z]{2}", term))
    return any(
        word.casefold().startswith(term) and re.search(r"[A-Z0-9]", word)
        for word in re.findall(r"[A-Za-z0-9_]+", text)
    )


def _clash(
    point: KeyPoint,
    answer: str,
    passages: Sequence[str],
    names: frozenset[str],
    meant: str = "",
    *,
    swappable: frozenset[str] = frozenset(),
    others: Sequence[str] = (),
) -> Contradiction | None:
    """What the answer says against `point`; `others` are the reference's other points: a passage
    that says one of them rightly is about that one (`主库执行 bgsave 生成 rdb` beside the point on
    sending the rdb)."""
    if meant:
        found = contradiction(point.text, meant, names=names, answer=answer)
        if found is not None and not _agrees_with_another(
            meant, point.text, others, names, sentence=_sentence_of(meant, answer)
        ):
            return found
    sentence_of_first = ""
    for claim in _claims(point):
        clause, share = _aligned_within(claim, passages, names, sentence_of_first)
        sentence_of_first = sentence_of_first or (_sentence_of(clause, answer) if clause else "")
        if clause and share < MIN_ALIGNED_SHARE and _word_share(claim, clause) >= MIN_ALIGNED_SHARE:
            # `使用池化层来缩减模型的大小` / `池化层是用来增加模型大小的`: few character pairs in
            # common, but every word besides the ones that differ on purpose
            found = contradiction(claim, clause, names=names, answer=answer)
            if found is not None and found.kind in ("direction", "roles"):
                return found
        if clause and share >= MIN_ALIGNED_SHARE:
            found = contradiction(claim, clause, names=names, answer=answer)
            sentence = _sentence_of(clause, answer)
            if found is None and _extends_to_subject(claim, clause, sentence):
                found = contradiction(claim, sentence, names=names, answer=answer)
            if found is None:
                found = _substituted(claim, clause, others)
            if found is not None and not _agrees_with_another(
                clause, claim, others, names, sentence=sentence
            ):
                return found
        for passage in passages:
            found = _swap(claim, passage, answer, swappable or names)
            if found is not None:
                return found
    return None


def _meaning(
    similarity: Similarity, points: Sequence[str], passages: Sequence[str]
) -> list[tuple[float, int]]:
    if isinstance(similarity, BatchSimilarity):
        return similarity.best(points, passages)
    found = []
    for point in points:
        scores = [similarity(point, passage) for passage in passages]
        best = max(range(len(scores)), key=scores.__getitem__)
        found.append((scores[best], best))
    return found


def _across_scripts(point: str, answer: str) -> bool:
    """A Chinese point answered without Chinese, or a Latin point answered in Chinese."""
    return bool(CJK.search(point)) != bool(CJK.search(answer)) and any(
        ch.isalpha() for ch in answer
    )


def _says_nothing(answer: str) -> bool:
    return not any(ch.isalnum() for ch in normalize_text(answer))


def _names_the_hidden_term(points: Sequence[KeyPoint], question: str, read: _Answer) -> bool:
    """A cloze's one point, absent from its prompt, said in either language: `salt` for 盐 is the
    answer, not a repeat of the prompt, though the topic line (`密码 › salt`) happens to hold the
    word."""
    if len(points) != 1 or _compact(points[0].text) in _compact(question):
        return False
    return _coverage(points[0], read, set())[0] >= HIT


def grade_answer(
    question: str, answer: str, points: Sequence[KeyPoint], similarity: Similarity | None = None
) -> Grade:
    """Grade `answer` to `question` against `points`; an empty, off-topic, parroting or
    contradicting answer is a failure."""
    semantic = similarity is not None
    answer = answer[:MAX_ANSWER_CHARS]
    if _says_nothing(answer):
        return Grade(
            0.0,
            Rating.AGAIN,
            (),
            "empty answer" if not answer.strip() else "no words to grade",
            semantic,
        )
    if not points:
        return Grade(0.0, Rating.AGAIN, (), "nothing to grade against", semantic)
    read = _Answer.of(answer)
    given = set(_content_terms(question)) | _units(question)
    says_more = bool(read.terms - given) or bool(read.units - given) or bool(_YES_NO.search(answer))
    if not says_more and not _names_the_hidden_term(points, question, read):
        missed = tuple(PointResult(p, 0.0, "") for p in points)
        return Grade(0.0, Rating.AGAIN, missed, "only repeats the question", semantic)
    passages = _passages(answer)
    credits: list[tuple[float, str]] = []
    for point in points:
        coverage, how = _coverage(point, read, given)
        credit = _credit(coverage)
        for rendering in point.renderings:
            alt = _credit(_coverage(rendering, read, given)[0])
            credit, how = (alt, "rendering") if alt > credit else (credit, how)
        credits.append((credit, how))
    by_meaning: dict[int, str] = {}
    if similarity is not None:
        wanted = [
            i
            for i, (c, _) in enumerate(credits)
            if c < 1
            and (
                sum(ch.isalnum() for ch in points[i].text) >= MIN_SEMANTIC_CHARS
                or _across_scripts(points[i].text, answer)
            )
        ]
        if wanted:
            for i, (best, at) in zip(
                wanted,
                _meaning(similarity, [points[i].text for i in wanted], passages),
                strict=True,
            ):
                hit, partial = (
                    (CROSS_SEMANTIC_HIT, CROSS_SEMANTIC_PARTIAL)
                    if _across_scripts(points[i].text, passages[at])
                    else (SEMANTIC_HIT, SEMANTIC_PARTIAL)
                )
                alt = 1.0 if best >= hit else 0.5 if best >= partial else 0.0
                if alt > credits[i][0]:
                    credits[i] = (alt, "meaning")
                    by_meaning[i] = passages[at]
    for i, point in enumerate(points):
        if credits[i][0] and not _says_identifier(point.text, read):
            credits[i] = (0.0, "")
    names = _names(points)
    swappable = _swappable(points, names)
    results = []
    for i, (point, (credit, how)) in enumerate(zip(points, credits, strict=True)):
        meant = by_meaning.get(i, "")
        others = [p.text for j, p in enumerate(points) if j != i]
        clash = (
            _clash(point, answer, passages, names, meant, swappable=swappable, others=others)
            if credit
            else None
        )
        if clash is not None:
            results.append(PointResult(point, 0.0, "contradicted", clash.detail))
        else:
            results.append(PointResult(point, credit, how if credit else ""))
    if len(points) == 1 and results[0].credit:
        other = _another_term(points[0].text, answer) or _sibling_term(points[0].text, read)
        if other is not None:
            results[0] = PointResult(points[0], 0.0, "contradicted", other.detail)
    texts = [p.text for p in points]
    reversed_steps = order_reversed(texts, answer)
    if reversed_steps is not None and not any(r.contradicted for r in results):
        credited = next((i for i, r in enumerate(results) if r.credit), None)
        # the steps were said, in the wrong order: the first said one counts against
        if credited is not None:
            results[credited] = PointResult(
                results[credited].point, 0.0, "contradicted", reversed_steps.detail
            )
    swapped = (
        swapped_claim(texts, answer) or other_value(texts, answer) or transposed(texts, answer)
    )
    # the words were there, given to the wrong subject
    if swapped is not None and results[swapped[0]].credit:
        at, found = swapped
        results[at] = PointResult(results[at].point, 0.0, "contradicted", found.detail)
    wrong = [r for r in results if r.contradicted]
    score = max(0.0, (sum(r.credit for r in results) - len(wrong)) / len(results))
    if wrong:
        return Grade(
            round(score, 3),
            Rating.AGAIN,
            tuple(results),
            f"contradicts the note: {wrong[0].note}",
            semantic,
        )
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
        pairs = tuple((pair.zh, pair.en) for pair in renderings(section.bilingual_pairs))
        return cls(kind, back, section.bold, section.list_items, pairs)

    def key_points(self) -> list[KeyPoint]:
        return key_points(self.kind, self.back, self.bold, self.list_items, self.pairs)
