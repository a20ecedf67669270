"""Does an answer give one thing's claim to another, or put two steps the other way round?
`redo log 是追加写； binlog 是循环写` for a note whose rows say the opposite; `先 fetch 再 query`
for a note that queries first.

A note that compares things writes each claim under its subject: a table row's cells under their
column (`redo log：采用循环写`), a list item after its name (`create 添加新数据，已存在则报错`). An
answer that swaps them shares every word with the note, so word coverage and sentence embeddings
both pass it. Here each sentence of the answer that names exactly one of the subjects is set against
what tells the subjects' claims apart: when a sentence about A says B's claim clearly better than
A's, and one about B says A's better than B's, the claims were swapped. Pure: the key points' texts
and the answer in, a `Contradiction` or None out.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from bagu.review.contradiction import Contradiction
from bagu.review.spelling import near
from bagu.search.glossary import glossary
from bagu.search.tokenize import normalize_text, pairs_and_words, query_stopwords, terms, words
from bagu.vault.language import CJK, reading_length

# `redo log：…`, `Sign=1 的行：…`, `硬策略 - requiredDuring…`, `先到先得策略 (FIFO) -简单…`,
# `FIFO——简单`: a subject before a colon, a dash with a space before it (not a command's flag:
# `redis-cli -n 0`) or a Chinese dash, short enough to be a name.
_LABEL = re.compile(r"^\s*([^：:，,。；;]{1,24}?)(?:\s*[：:]|\s+[-–—](?![A-Za-z-])|\s*——)\s*\S")
# `create 添加新数据…`: a Latin name opening the point, then its claim.
_LEADING_NAME = re.compile(r"^\s*([A-Za-z][A-Za-z0-9_.+#-]*(?: [a-z]+)?)\s+(?=[^\sA-Za-z])")
_SENTENCE = re.compile(r"[^。！？!?；;\n]+")
MAX_LABEL_UNITS = 12
# The other subject's claim must be said this many times better (in its distinctive units), and by
# this many.
MARGIN = 2.0
MIN_SHARED = 2


def subject_of(point: str) -> str:
    """The thing a point makes its claim about, when the point names it first; else ""."""
    for pattern in (_LABEL, _LEADING_NAME):
        found = pattern.match(point)
        if found and reading_length(found.group(1)) <= MAX_LABEL_UNITS:
            return found.group(1).strip()
    return ""


def _mentions(sentence: str, subject: str) -> bool:
    lowered, name = sentence.casefold(), subject.casefold()
    if CJK.search(name):
        return name in lowered
    return re.search(rf"(?<![a-z0-9_]){re.escape(name)}(?![a-z0-9_])", lowered) is not None


# A fragment the answer denies (`…，不是指针`, `but not in order`) claims nothing: it may name the
# other's claim.
_DENIED = re.compile(
    r"^\s*(?:而?不是|并非|不|没有|而非|(?:but )?not\b|never\b|no\b)", re.IGNORECASE
)


def _affirmed(sentence: str) -> str:
    return " ".join(part for part in re.split(r"[，,]", sentence) if not _DENIED.match(part))


# A label inside a point, after a space: `S: 加密(消息+消息摘要) R: 解密 对比摘要` is two claims.
_INNER_LABEL = re.compile(
    r"(?<=\s)(?:[A-Za-z][A-Za-z0-9_]{0,11}|[\u4e00-\u9fff]{1,6})\s*[:：]\s*\S"
)


def labelled_parts(point: str) -> list[str]:
    """The point cut before each label it holds after its first (`S: … R: …`), else the point."""
    first = _LABEL.match(point)
    if first is None:
        return [point]
    starts = [0, *(m.start() for m in _INNER_LABEL.finditer(point, first.end() - 1))]
    return [point[a:b].strip() for a, b in zip(starts, [*starts[1:], len(point)], strict=True)]


def _statements(answer: str, subjects: Sequence[str]) -> list[str]:
    """The answer's sentences, and a sentence that names several subjects cut at its commas: `硬策略
    是 X，软策略是 Y` says one thing of each."""
    found: list[str] = []
    for sentence in _SENTENCE.findall(answer):
        if sum(_mentions(sentence, s) for s in subjects) > 1:
            found += re.split(r"[，,]", sentence)
        else:
            found.append(sentence)
    return found


def _weight(units: set[str]) -> int:
    """How much shared units say: a Latin word (a name: `preferredDuringScheduling…`) as much as two
    character pairs, which an answer shares with a claim by chance more often."""
    return sum(2 if unit.isascii() and len(unit) >= 3 else 1 for unit in units)


def swapped_claim(points: Sequence[str], answer: str) -> tuple[int, Contradiction] | None:
    """The first answer sentence that says another subject's claim in place of its own subject's, if
    any: the index of the point about the subject it names, and what it says against that point."""
    claims: dict[str, set[str]] = {}
    index: dict[str, int] = {}
    for i, point in enumerate(points):
        for part in labelled_parts(point):
            subject = subject_of(part)
            known = next((s for s in claims if s.casefold() == subject.casefold()), subject)
            # every point about one subject makes its claim (`new 返回指针`, `new 只接受一个参数`)
            if subject:
                claims.setdefault(known, set()).update(
                    pairs_and_words(part) - pairs_and_words(subject)
                )
                index.setdefault(known, i)
    # A swap names both subjects; a sentence in the other language than the note shares too few
    # units to tell.
    subjects = [s for s in claims if _mentions(answer, s)]
    if len(subjects) < 2 or bool(CJK.search(answer)) != any(CJK.search(p) for p in points):
        return None
    names = set().union(*(pairs_and_words(s) for s in subjects))
    # What tells the claims apart: each one's units that no other claim has (both rows say 引擎 and
    # 实现).
    distinct = {
        s: claims[s] - set().union(*(claims[o] for o in subjects if o != s)) for s in subjects
    }
    # (named, other) → the sentence says other's claim clearly better
    leaning: dict[tuple[str, str], bool] = {}
    for sentence in _statements(answer, subjects):
        named = [s for s in subjects if _mentions(sentence, s)]
        if len(named) != 1:
            continue
        said = pairs_and_words(_affirmed(sentence)) - names
        own = _weight(said & distinct[named[0]])
        for other in subjects:
            if other != named[0] and _weight(said & distinct[other]) > own:
                clear = _weight(said & distinct[other]) >= max(MIN_SHARED, MARGIN * own)
                leaning[(named[0], other)] = leaning.get((named[0], other), False) or clear
    # A swap goes both ways: A said with B's claim and B with A's. One way alone is as often a
    # paraphrase that happens to use the other's words (`make 返回初始化好的对象` beside
    # `new 返回…零值对象的指针`).
    for (subject, other), clear in leaning.items():
        if clear and (other, subject) in leaning:
            return index[subject], Contradiction("roles", f"gives {other}'s claim to {subject}")
    return None


# `先 fetch 再 query`, `first the binlog, then the redo log`: the answer says which comes first.
_ORDERED = re.compile(
    r"先(?P<a>[^，,。；;先]{1,30}?)[，,]?\s*(?:再|然后|之后|接着|最后)(?P<b>[^，,。；;]{1,30})"
    r"|\bfirst\b(?P<c>[^.;]{1,40}?),?\s*\bthen\b(?P<d>[^.;]{1,40})",
    re.IGNORECASE,
)


def _first_at(text: str, words: set[str]) -> int:
    lowered = text.casefold()
    found = [lowered.find(w) for w in words if w in lowered]
    return min(found) if found else -1


def order_reversed(points: Sequence[str], answer: str) -> Contradiction | None:
    """The answer puts two steps in the order opposite to the note's: what it says comes first (its
    words that name things, Latin names or Chinese words, found in the note) the note says after the
    second."""
    reference = " ".join(points)
    for match in _ORDERED.finditer(answer):
        first, second = (
            (match.group("a"), match.group("b"))
            if match.group("a")
            else (match.group("c"), match.group("d"))
        )
        first_words, second_words = _step_words(first, reference), _step_words(second, reference)
        shared = first_words & second_words
        first_words, second_words = first_words - shared, second_words - shared
        if not first_words or not second_words:
            continue
        at_first, at_second = _first_at(reference, first_words), _first_at(reference, second_words)
        if 0 <= at_second < at_first:
            return Contradiction(
                "order", f"puts {first.strip()} before {second.strip()}, the other way round"
            )
    return None


def _step_words(text: str, reference: str) -> set[str]:
    """The words of a step the note also uses: Latin names (fetch, binlog) and Chinese words of 2+
    characters."""
    lowered = reference.casefold()
    latin = {w.casefold() for w in re.findall(r"[A-Za-z][A-Za-z0-9_]{2,}", text)}
    chinese = {w for w in re.findall(r"[\u4e00-\u9fff]{2,}", text)}
    return {w for w in latin | chinese if w in lowered}


# A row of a table or a labelled list item: `Executed On：Host`, `延迟：低`. Its value is short.
MAX_VALUE_UNITS = 8
_VALUE_END = re.compile(r"[，,；;。.!?！？\n]")


def other_value(points: Sequence[str], answer: str) -> tuple[int, Contradiction] | None:
    """The first labelled point (`Executed On：Host`, `延迟：低`) whose label the answer says,
    once, with another value (`executed on Device`, `延迟：高`): what follows the label shares no
    word with the note's value (a misspelling of it is the value) but has one of its own. Only a
    short value is compared; a long one is a claim the other checks read."""
    lowered = normalize_text(answer).casefold()
    for i, point in enumerate(points):
        found = _LABEL.match(point)
        if found is None:
            continue
        label = normalize_text(found.group(1)).strip().casefold()
        value = point[found.end() - 1 :].strip()
        if not value or reading_length(value) > MAX_VALUE_UNITS or len(label) < 2:
            continue
        at = lowered.find(label)
        if at < 0 or lowered.find(label, at + 1) >= 0:  # not said, or said twice
            continue
        after = lowered[at + len(label) :]
        said = _VALUE_END.split(after, maxsplit=1)[0]
        if bool(CJK.search(said)) != bool(CJK.search(value)):
            continue  # said in the other language: words cannot tell (`low pause times`, 低停顿)
        said_words, meant = _words(said), _words(value)
        # the glossary's rendering of the value is the value (`throughput` for 吞吐量), and so is
        # the value said later in the sentence (`hashed 先对 key 做哈希，写入就被均匀打散`)
        meant |= {w.casefold() for w in _words(" ; ".join(glossary().renderings(value)))}
        sentence = re.split(r"[；;。!?！？\n]", after, maxsplit=1)[0]
        if meant & _words(sentence):
            continue
        # a value of the same shape in the note's value's place; a longer phrase may be a paraphrase
        # (`RDB 是把内存数据定期写到磁盘` for `RDB：快照`)
        if (
            said_words
            and meant
            and not any(w == m or (w.isascii() and near(w, m)) for w in said_words for m in meant)
            and reading_length(said) <= MAX_VALUE_UNITS
        ):
            return i, Contradiction(
                "roles", f"says {said.strip(' :：')!r} for {found.group(1)!r}, the note {value!r}"
            )
    return None


# One-character values a table row says (`延迟：低`): words, though the search stopwords hold them.
_ONE_CHARACTER_VALUES = frozenset("高低快慢大小多少")


def _words(text: str) -> set[str]:
    """A value's words, a one-character Chinese word (`低`, `快`) included."""
    stop = query_stopwords() - _ONE_CHARACTER_VALUES
    return {t for t in terms(text) if t not in stop and any(ch.isalnum() for ch in t)}


MIN_SAID_SHARE = 0.6
MIN_CLAIM_WORDS = 5


def _word_sequence(text: str) -> list[str]:
    """The words of `text` in order, case-folded and stemmed (`adding` → `add`), its stopwords left
    out and each sentence end kept as `|`: what stands beside each word."""
    stop = query_stopwords()
    sequence: list[str] = []
    for sentence in _SENTENCE.findall(normalize_text(text)):
        for word in words(sentence):
            lowered = word.casefold()
            if lowered.isascii() and lowered.isalpha():
                lowered = next(iter(terms(lowered)), lowered)
            if lowered not in stop:
                sequence.append(lowered)
        sequence.append("|")
    return sequence


def _neighbours(sequence: Sequence[str]) -> dict[str, tuple[str, str]]:
    """Each word said once → the nearest words said once before and after it in its sentence (`|`
    when there is none): `matrix`, said twice, stands beside nothing in particular."""
    counts = Counter(sequence)
    once = [w if counts[w] == 1 or w == "|" else "" for w in sequence]
    found: dict[str, tuple[str, str]] = {}
    for i, word in enumerate(once):
        if not word or word == "|":
            continue
        before = next((w for w in reversed(once[:i]) if w), "|")
        after = next((w for w in once[i + 1 :] if w), "|")
        found[word] = (before, after)
    return found


def _significant(word: str) -> bool:
    return len(word) >= 2 and any(ch.isalnum() for ch in word)


def transposed(points: Sequence[str], answer: str) -> tuple[int, Contradiction] | None:
    """The first point the answer says with two of its words in each other's place: each stands
    where the other stood, between the same neighbours (`the outlier matrix in int8 and the
    non-outlier matrix in FP16` for `… outlier matrix in FP16 and the non-outlier matrix in
    int8`; `dequantize the outlier result and add it to the non-outlier one` for the reverse). A
    reordering that keeps each word with its own neighbours (`the non-outlier matrix in int8 and
    the outlier matrix in FP16`) is a paraphrase, as is a pair said side by side the other way
    round (`B 和 A` for `A 和 B`: each one's neighbour is the other). Only a point the answer says
    nearly word for word is read so closely."""
    sequence = _word_sequence(answer)
    if len({w for w in sequence if _significant(w)}) < MIN_CLAIM_WORDS:
        return None  # `定时删除 惰性删除 定期删除` names things and claims nothing
    said = _neighbours(sequence)
    for index, point in enumerate(points):
        meant = _neighbours(_word_sequence(point))
        own = [w for w in meant if _significant(w)]
        if not own or sum(w in said for w in own) < MIN_SAID_SHARE * len(own):
            continue
        shared = [w for w in own if w in said]
        for i, first in enumerate(shared):
            for second in shared[i + 1 :]:
                for side in (0, 1):
                    a, b = meant[first][side], meant[second][side]
                    if (
                        a != b
                        and said[first][side] == b
                        and said[second][side] == a
                        and "|" not in (a, b)
                        and not {a, b} & {first, second}
                    ):
                        return index, Contradiction(
                            "roles", f"says {first} beside {b} where the note has it beside {a}"
                        )
    return None
