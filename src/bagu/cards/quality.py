"""Is a candidate card worth a review slot? Flaws a reader of the rubric would name, and one score.

Pure: a candidate's parts (the sentence and its hidden span, a list's items, a question's answer, a
translation pair) in, an `Assessment` out. Each flaw follows from how people write notes, not from
one vault's words: a sentence that starts with 这/它/所以 leans on the one before it; a bold span
that holds a comma is a clause, not a term; a parenthesis beside the blank glosses the hidden term;
a `参考` list is link titles. The weights and the cut-off were fitted on a judged sample of the
shared corpus with one top folder held out (benchmarks/bench_cards.py); this module does not decide
*how* cards are cut.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from enum import StrEnum

from bagu.search.glossary import glossary
from bagu.search.tokenize import query_stopwords, terms
from bagu.vault.language import CJK, reading_length
from bagu.vault.prose import points_elsewhere


class Flaw(StrEnum):
    """The rubric's failure categories that a candidate's text shows on its own."""

    NO_CONTEXT = "no-context-prompt"
    FILLER = "filler-cloze"
    GIVEAWAY = "giveaway-cloze"
    TOO_LONG = "too-long"
    BROKEN_MARKUP = "broken-markup"
    CODE = "code-or-config"
    REFERENCE = "reference-list"
    LOW_VALUE = "low-value"
    DUPLICATE = "duplicate"


# A card with one of these is not made whatever else it has going for it: the rubric calls them
# useless.
FATAL = frozenset({Flaw.GIVEAWAY, Flaw.BROKEN_MARKUP, Flaw.CODE, Flaw.REFERENCE})


@dataclass(frozen=True, slots=True)
class Assessment:
    score: float  # 1.0 is a card with no flaw; made when >= MIN_SCORE and no fatal flaw
    flaws: tuple[Flaw, ...]
    reasons: tuple[str, ...]

    @property
    def is_made(self) -> bool:
        return self.score >= MIN_SCORE and not FATAL.intersection(self.flaws)

    @property
    def reason(self) -> str:
        return "; ".join(self.reasons)

    def with_flaw(self, flaw: Flaw, reason: str) -> Assessment:
        """This verdict with one more flaw found by looking beyond the card (a duplicate)."""
        return Assessment(self.score - PENALTY[flaw], (*self.flaws, flaw), (*self.reasons, reason))


# Each flaw costs half the score and one flaw is enough to drop a card: on the judged sample's
# tuning split (benchmarks/bench_cards.py --fit) cards with any one flaw were 0–24% useful against
# 32% for flawless ones, so no flaw earned a lighter penalty. Revisit with a sample judged after the
# topic lines came in.
PENALTY = dict.fromkeys(Flaw, 0.5)
MIN_SCORE = 0.75

# The sentence leans on the one before it: a pronoun or a connective where its subject should be.
_LEANING = re.compile(
    r"^(?:这|那|它|此|其|该|像这样|像这种|如此|上述|以上|如下|下图|上图|下面|上面|所以|因此|因而|但是|但|而且|并且|"
    r"然后|另外|同时|"
    r"此外|其中|即|则|就|也|还|并|而|或者|否则|于是|接着|最后|首先|其次|再|又|"
    r"(?:this|that|these|those|it|they|them|its|so|but|and|then|also|thus|hence|here|there)\b)",
    re.IGNORECASE,
)
# A hidden span that opens like a clause or an adverbial, not like a term.
_CLAUSE_START = re.compile(
    r"^(?:当|如果|若|假如|可以|可能|需要|必须|应该|通过|因为|由于|对于|为了|就|会|能|将|把|被|使|让|尽量|"
    r"直接|快速|非常|比较|更|最|很|都|已经|一般|通常|主要|只|仅|不|没有|无法|但|而|随着)"
)
# An evaluation ("效率更高", "更快") or a pointer ("这里…", "这个…") is not a fact to recall.
_EVALUATIVE = re.compile(
    r"(?:更|较|很|非常|比较)(?:高|好|快|低|少|多|大|小|强|弱|简单|方便)$|^(?:这|那)"
)
_CLAUSE_PUNCT = re.compile(r"[，,。；;：:！？!?、]")
_BRACKETS = re.compile(r"[（()）]")
_GLOSS_AFTER = re.compile(r"^\s*[（(][^）)]{1,40}[）)]")
# `Pod ［…］ RestartPolicy 应用于…`: a Chinese term followed at once by its English name, written as
# a name is (CamelCase or Title Case words, not an acronym), which a reader of either language sees
# through.
_NAME_AFTER = re.compile(
    r"^ ?(?:[A-Z][a-z]+){2,}(?![A-Za-z])|^ ?[A-Z][a-z]{3,}(?: [A-Z][a-z]+)+(?![A-Za-z])"
)
_GLOSS_BEFORE = re.compile(r"[（(][^（）()]{1,40}[）)]\s*$")
_CODE = re.compile(
    r"`|--\w|\w=\S|\$\{|[{}<>]|\b\w+\.\w+\.\w+\b|\b[a-z]+[A-Z]\w*\(|\w\(\)|/\w+/|"
    r"\.(?:ya?ml|json|conf|sh|toml)\b"
)
_MARKUP = re.compile(
    r"image-\d{6,}|\.(?:png|jpe?g|gif|svg|webp)\b|\bimg\b|\*\*|__|\$[^$]+\$|\$\$|\\[a-z]+\{|\^\{|<br|\|\s*-{3}|!\[",
    re.IGNORECASE,
)
_REFERENCE_HEADING = re.compile(
    r"参考|引用|相关链接|链接|资料|延伸阅读|推荐阅读|文档|来源|reference|links?\b|see "
    r"also|further reading|"
    r"resources|sources|bibliography|issues?\b|changelog|更新日志|todo",
    re.IGNORECASE,
)
# An identifier hidden as if it were a term: snake_case, camelCase, a compound of three capitalised
# words (`NotEnoughReplicasException`), a file name. Judged code-or-config even when the prompt
# reads well.
_IDENTIFIER = re.compile(
    r"\w_\w|[a-z][A-Z]|(?:[A-Z][a-z]+){3,}|\w\.(?:xml|ya?ml|json|conf|ini|log|sh|py|go)\b"
)
# An incident log (`记一次 kafka 排错`, `踩坑`, its 背景 / 现象 / 排查 sections) records one
# person's debugging session: its blanks and lists were judged low-value or code (observed rates,
# log paths, settings).
_INCIDENT = re.compile(
    r"记一次|记录一次|踩坑|排错|排查|故障复盘|事故|postmortem|post-mortem|troubleshoot|"
    r"(?:^|› )(?:背景|现象|问题[一二三四五六七八九十\d]|初步|解决过程|复现)(?: ›|$)",
    re.IGNORECASE,
)
# A heading that names what its list holds (特点, 步骤, 原因, types …): with no lead-in line the
# heading alone must say what to list. Judged lists with neither a lead-in nor such a heading were
# 29% useful, 58% with.
_LIST_CATEGORY = re.compile(
    r"特点|特性|特征|优点|缺点|优势|劣势|好处|坏处|原因|步骤|流程|过程|区别|分类|类型|种类|方式|方法|策略|组成|"
    r"作用|功能|用途|场景|条件|原则|阶段|模式|方案|措施|要素|因素|指标|属性|组件|角色|对比|几种|哪些|"
    r"(?<![A-Za-z])(?:why|how|steps?|types?|kinds?|features?|advantages?|disadvantages?|pros|cons|"
    r"reasons?|components?|phases?|stages?|goals?|rules?|principles?)(?![A-Za-z])",
    re.IGNORECASE,
)
# A Latin span mixing letters and digits (`P2POp`, `1eb8`, `docker0`, `k3s-install-script`) is a
# name from one setup, not a term: 1 of 12 such judged blanks was useful. Short acronyms (`L1`,
# `K8s`, `2PC`) and glossary terms (`IPv6`) are terms; a hexadecimal number (`1eb8`) never is.
_ALPHANUMERIC = re.compile(r"[A-Za-z]\d|\d[A-Za-z]")
_DATED = re.compile(r"^\d{4}-?\d{2}-?\d{2}\b|^v?\d+\.\d+")
_TERMINAL = re.compile(r"[。！？!?.…）)」”\"]\s*$")
_DANGLING_END = re.compile(
    r"(?:[是的了和与及或为：:，,、（(]|其|它的?|缺点|优点|原因|如下|包括|比如|例如)\s*$"
)


def is_incident_log(topic: str) -> bool:
    """Whether a card's topic line (title › heading path) is a debugging diary rather than
    knowledge."""
    return bool(_INCIDENT.search(topic))


def _ascii_words(text: str) -> set[str]:
    return {word.casefold() for word in re.findall(r"[A-Za-z]{3,}", text)}


def _rendering_shown(rest: str, hidden: str) -> bool:
    """The sentence holds the glossary's rendering of the hidden term in the other language."""
    lowered = rest.casefold()
    for entry in glossary().entries_in(hidden):
        others = entry.en if CJK.search(hidden) else entry.zh
        for variant in others:
            word = variant.casefold()
            if len(word) >= 2 and re.search(rf"(?<![a-z]){re.escape(word)}(?![a-z])", lowered):
                return True
    return False


_PAIRED = re.compile(r"^\s*(?:和|与|及|或|、|以及|还是|/)\s*")


def _counterpart_shown(before: str, hidden: str, after: str) -> bool:
    """`记忆分为［…］和短期记忆`: the blank is one of a pair whose other half, sharing its last
    characters (长期记忆 / 短期记忆, 水平融合 / 垂直融合), stands beside it, so the answer is the
    obvious opposite."""
    tail = "".join(CJK.findall(hidden))[-2:]
    if len(tail) < 2:
        return False
    following = _PAIRED.match(after)
    if following and tail in after[following.end() : following.end() + 12]:
        return True
    preceding = re.search(r"(?:和|与|及|或|、|以及|还是|/)\s*$", before)
    return bool(preceding and tail in before[max(0, preceding.start() - 12) : preceding.start()])


def _is_setup_name(hidden: str) -> bool:
    span = hidden.strip()
    if not span.isascii() or not _ALPHANUMERIC.search(span):
        return False
    if len(span) < 5 and not re.fullmatch(r"[0-9a-f]+", span):
        return False
    return not any(
        span.casefold() in {v.casefold() for v in (*e.zh, *e.en)}
        for e in glossary().entries_in(span)
    )


def _content_terms(text: str) -> set[str]:
    stop = query_stopwords()
    return {t for t in terms(text) if t not in stop and (len(t) > 1 or not CJK.match(t))}


@dataclass(slots=True)
class _Findings:
    flaws: list[Flaw]
    reasons: list[str]

    def add(self, flaw: Flaw, reason: str) -> None:
        if flaw not in self.flaws:
            self.flaws.append(flaw)
        self.reasons.append(reason)

    def check_topic(self, topic: str) -> None:
        """What the card's topic line alone says against every kind of card: an incident log."""
        if is_incident_log(topic):
            self.add(Flaw.LOW_VALUE, "an incident log: one debugging session, not knowledge")

    def assessment(self) -> Assessment:
        score = 1.0 - sum(PENALTY[flaw] for flaw in self.flaws)
        return Assessment(round(max(score, 0.0), 3), tuple(self.flaws), tuple(self.reasons))


def _folded(text: str) -> str:
    return re.sub(r"\s+", "", text).casefold()


def names_a_concept(
    hidden: str, note_headings: Collection[str], *, before: str = "", after: str = ""
) -> bool:
    """Whether a hidden span names something the notes treat as a concept: a term of the shipped
    glossary, a name one of its own note's headings is about (`量化感知训练(QAT)` under a `QAT`
    heading), or the term its sentence defines (`［…］是数据按行划分时用到的逻辑概念`, `称为［…］`).
    Judged clozes hiding none of these were 39% useful and 30% useless (samples v8–v11 and the
    blind v11/v12 one, 460 judgements), against 55% / 10% for the rest and 69% / 6% for defined
    terms: a label the author coined in passing (`可扩展性`, `一定的时间`, `图例`) is no fact to
    recall."""
    if glossary().entries_in(hidden) or _defines(before, after):
        return True
    parts = [_folded(part) for part in _BRACKETS.split(hidden)]
    return any(
        len(part) >= 2 and any(part in heading for heading in note_headings) for part in parts
    )


# The sentence names the hidden term (`称为［…］`, `即发生了［…］`, `called […]`) or defines it,
# with the blank as its subject (`［…］是…`, `［…］ is …`).
_NAMED_AS = re.compile(
    r"(?:称为|称作|叫做|叫作|简称|又称|也叫|所谓|即发生了|called|known as|termed)\s*[“\"「]?\s*$",
    re.IGNORECASE,
)
_DEFINED_AS = re.compile(
    r"^\s*(?:是|指|就是|表示|意味着|用来|用于|负责|(?:is|are|refers to|means)\b)", re.IGNORECASE
)


def _defines(before: str, after: str) -> bool:
    return bool(_NAMED_AS.search(before)) or (not before.strip() and bool(_DEFINED_AS.match(after)))


def fold_headings(headings: Iterable[str]) -> frozenset[str]:
    """A note's headings as `names_a_concept` compares them: without spaces, case folded."""
    return frozenset(_folded(h) for h in headings if h.strip())


def assess_cloze(
    before: str,
    hidden: str,
    after: str,
    *,
    weak: frozenset[str] = frozenset(),
    topic: str = "",
    note_headings: Collection[str] | None = None,
) -> Assessment:
    """A cloze: the sentence around the blank (`before` ［…］ `after`), the hidden span, the
    prompt's topic line, and the headings of its note, folded (`fold_headings`; None: not known,
    the concept check is skipped)."""
    found = _Findings([], [])
    if note_headings is not None and not names_a_concept(
        hidden, note_headings, before=before, after=after
    ):
        found.add(
            Flaw.LOW_VALUE,
            "the hidden span names no concept: no glossary term, no heading of its note, not the "
            "term its sentence defines",
        )
    rest = f"{before} {after}"
    heading = topic.rsplit(" › ", 1)[-1].strip().casefold()
    # term, gloss
    parts = [part.strip().casefold() for part in _BRACKETS.split(hidden) if len(part.strip()) >= 2]
    if topic and (
        any(part in topic.casefold() for part in parts)
        or (len(heading) >= 2 and heading in hidden.casefold())
    ):
        found.add(Flaw.GIVEAWAY, "the topic line names the hidden term")
    hidden_terms = _content_terms(hidden)
    if any(part in rest.casefold() for part in parts) or (
        hidden_terms and hidden_terms <= _content_terms(rest)
    ):
        found.add(Flaw.GIVEAWAY, "the sentence names the hidden term again")
    if _GLOSS_AFTER.match(after) or _GLOSS_BEFORE.search(before):
        found.add(Flaw.GIVEAWAY, "a gloss in brackets beside the blank gives the term away")
    if CJK.search(hidden) and _NAME_AFTER.match(after):
        found.add(
            Flaw.GIVEAWAY,
            "the term's English name follows the blank (`［…］ RestartPolicy` for 重启策略)",
        )
    if _rendering_shown(rest, hidden):
        found.add(
            Flaw.GIVEAWAY,
            "the hidden term's translation is in the sentence (`Authorization：［…］` for 鉴权)",
        )
    if _counterpart_shown(before, hidden, after):
        found.add(
            Flaw.GIVEAWAY,
            "the other half of a pair is shown beside the blank (短期记忆 beside ［…］)",
        )
    english = _ascii_words(hidden)
    if english and all(word in f"{topic} {rest}".casefold() for word in english):
        found.add(
            Flaw.GIVEAWAY,
            "the hidden span's English words are all in the prompt (`Version` in its title)",
        )
    if _CODE.search(hidden) or _IDENTIFIER.search(hidden) or _is_setup_name(hidden):
        found.add(Flaw.CODE, "the hidden span is code, an identifier or configuration")
    if _MARKUP.search(before + hidden + after):
        found.add(
            Flaw.BROKEN_MARKUP, "the sentence carries markup (an image name, **, LaTeX, a table)"
        )
    # Judged clozes (tuning splits of three samples): hidden spans of 1–4 units were 44% useful, 5–8
    # 28%, 9+ 21%.
    if _CLAUSE_PUNCT.search(hidden) or reading_length(hidden) > 8:
        found.add(Flaw.TOO_LONG, "the hidden span is a clause, not a term")
    if (
        _CLAUSE_START.match(hidden)
        or _EVALUATIVE.search(hidden)
        or (hidden_terms and hidden_terms <= weak)
    ):
        found.add(Flaw.FILLER, "the hidden span is a filler or an adverbial, not a fact")
    if _LEANING.match(before.lstrip()) or (
        not before.strip() and _LEANING.match(after.lstrip(" ，,"))
    ):
        found.add(Flaw.NO_CONTEXT, "the sentence leans on the one before it (这, 它, 所以 …)")
    if points_elsewhere(f"{before}{hidden}{after}"):
        found.add(
            Flaw.NO_CONTEXT,
            "the sentence points at what the card does not show (前面介绍的, 上述, 如下图)",
        )
    if reading_length(rest) < 5:
        found.add(Flaw.NO_CONTEXT, "too little of the sentence is left to cue the answer")
    if re.match(r"^\s*[，,。；;、）)]", before):
        found.add(Flaw.NO_CONTEXT, "the sentence is the tail of another one")
    found.check_topic(topic)
    if reading_length(before + after) > 70:
        found.add(Flaw.TOO_LONG, "the sentence is too long to read as a cue")
    return found.assessment()


# What a person can say back as a list: no item over MAX_ITEM_UNITS reading units, all of them
# within MAX_LIST_UNITS (a list's items, a table row's cells).
MAX_ITEM_UNITS = 45
MAX_LIST_UNITS = 110


def _too_long_to_list(lengths: list[int]) -> bool:
    return max(lengths, default=0) > MAX_ITEM_UNITS or sum(lengths) > MAX_LIST_UNITS


_ZH_COUNTS = {"两": 2, **{ch: n for n, ch in enumerate("零一二三四五六七八九十") if n >= 2}}
# A count a lead-in announces: `需要保证如下两点：`, `分为三种`, `三个 column family：`, `3 steps:`.
_ANNOUNCED = re.compile(
    r"(?<![\d一二三四五六七八九十几])([两二三四五六七八九十]|[2-9]|1[0-9])\s*"
    r"(?:个|种|点|类|步|阶段|方面|部分|条|项|层|大|column famil|ways?\b|steps?\b|types?\b|kinds?\b|"
    r"parts?\b|phases?\b|reasons?\b|points?\b|things?\b)",
    re.IGNORECASE,
)


def announced_count(lead_in: str) -> int | None:
    """How many things a list's lead-in says follow (`如下两点：` → 2), if it says."""
    found = _ANNOUNCED.findall(lead_in)
    if len(found) != 1:
        return None  # none, or several (`分两阶段，每阶段三步`): no one count to hold the list to
    word = found[0]
    return _ZH_COUNTS.get(word) or int(word)


def assess_list(
    heading: str,
    items: tuple[str, ...],
    link_texts: frozenset[str],
    *,
    lead_in: str = "",
    topic: str = "",
    named: bool = False,
    follows: str = "",
) -> Assessment:
    """A list card: its heading, top-level items, the section's link texts, the line introducing it,
    its topic; `named` when the items are the names of things the list explained (`定时删除`,
    `惰性删除`, `定期删除`): three or more names of the heading's parts say what they are;
    `follows`, what the section shows just above the list (`generate.block_before`)."""
    found = _Findings([], [])
    # a list right under a table or code remarks on it (`常见系统分类`, its table, then two
    # caveats): the heading and any caption above name what the card leaves out (judged 0 useful
    # of 5)
    if follows in ("table", "code"):
        found.add(
            Flaw.BROKEN_MARKUP,
            f"the list remarks on the {follows} above it, which the card leaves out",
        )
    prompt = f"{topic} {lead_in}".casefold()
    shown = sum(_BRACKETS.split(item)[0].strip().casefold() in prompt for item in items)
    if named and shown * 2 >= len(items):
        found.add(
            Flaw.GIVEAWAY, "the prompt names the items it asks for (`脏读？幻读？不可重复读？`)"
        )
    if sum(item.rstrip().endswith(("？", "?")) for item in items) * 2 >= len(items):
        found.add(
            Flaw.BROKEN_MARKUP, "the items are questions whose answers sat under them (`如何…？`)"
        )
    announced = announced_count(lead_in)
    if announced is not None and announced != len(items):
        found.add(
            Flaw.BROKEN_MARKUP,
            f"the lead-in announces {announced}, the list holds {len(items)}: what it announced was"
            " a table, code or a figure (`三个 column family：` over two notes of a dropped table)",
        )
    if not lead_in.strip() and not named and not _LIST_CATEGORY.search(heading):
        found.add(Flaw.NO_CONTEXT, "neither a lead-in line nor the heading says what the items are")
    found.check_topic(topic)
    if _REFERENCE_HEADING.search(heading):
        found.add(Flaw.REFERENCE, f"a list under {heading!r} is references, not knowledge")
    linked = sum(item.strip() in link_texts for item in items)
    if linked * 2 >= len(items) or sum(bool(_DATED.match(item)) for item in items) * 2 >= len(
        items
    ):
        found.add(Flaw.REFERENCE, "the items are link titles or dated entries")
    if any(_MARKUP.search(item) for item in items):
        found.add(Flaw.BROKEN_MARKUP, "an item carries markup (an image name, **, LaTeX, a table)")
    # one such item is enough: judged list cards with an item ending in a colon were useful 0 of 11
    # times (every sample, tuning split), its content being the nested list the card leaves out
    if any(item.rstrip().endswith((":", "：")) for item in items):
        found.add(
            Flaw.BROKEN_MARKUP, "an item is a label whose explanation sat under it (`非对称加密：`)"
        )
    if sum(bool(_CODE.search(item)) for item in items) * 2 > len(items):
        found.add(Flaw.CODE, "most items are commands or configuration")
    if named and sum(bool(_IDENTIFIER.search(item)) for item in items) * 2 >= len(items):
        found.add(Flaw.CODE, "the names are fields or identifiers (`revisionHistoryLimit`)")
    if _too_long_to_list([reading_length(item) for item in items]):
        found.add(Flaw.TOO_LONG, "the items are steps or paragraphs, too long to list from memory")
    return found.assessment()


def assess_answer(answer: str, *, complete: bool = True, topic: str = "") -> Assessment:
    """A question card's back (already cut to its key content); `complete` says it holds the whole
    answer."""
    found = _Findings([], [])
    if not complete:
        found.add(
            Flaw.TOO_LONG,
            "the answer is longer than a person can say back, or lived in what it leaves out (a "
            "figure, a link, code, a table)",
        )
    found.check_topic(topic)
    if not answer.strip() or _MARKUP.search(answer):
        found.add(
            Flaw.BROKEN_MARKUP, "the answer carries markup (an image name, **, LaTeX, a table)"
        )
    if reading_length(answer) < 4:
        found.add(Flaw.LOW_VALUE, "the answer says almost nothing")
    return found.assessment()


# A column of remarks or descriptions: a table whose only values are such a column describes its
# rows (`参数 | 说明`, `节点 | 角色`) rather than comparing things.
_REMARKS_COLUMN = re.compile(
    r"说明|描述|备注|注释|解释|含义|作用|角色|remarks?|notes?|descriptions?|comments?", re.I
)


def assess_table_row(
    label: str, cells: tuple[str, ...], *, columns: tuple[str, ...] = (), topic: str = ""
) -> Assessment:
    """One row of a comparison table: its label (first cell), the cells the card asks for, their
    columns."""
    found = _Findings([], [])
    found.check_topic(topic)
    compared = [name for name in columns if not _REMARKS_COLUMN.fullmatch(name.strip())]
    if columns and len(compared) < 2:
        found.add(
            Flaw.LOW_VALUE,
            "the table describes its rows (one value column, or remarks) and compares nothing",
        )
    if (
        _IDENTIFIER.search(label)
        or _CODE.search(label)
        or sum(bool(_CODE.search(c)) for c in cells) * 2 > len(cells)
    ):
        found.add(Flaw.CODE, "the row is a configuration key or a command, not a concept")
    if any(_MARKUP.search(cell) for cell in (label, *cells)) or re.search(
        r"https?://", " ".join(cells)
    ):
        found.add(Flaw.BROKEN_MARKUP, "a cell carries markup or a link")
    if reading_length(label) < 2 or label.strip().isdigit():
        found.add(Flaw.NO_CONTEXT, "the row's label says nothing (a number, one character)")
    if (
        _too_long_to_list([reading_length(cell) for cell in cells])
        or max(map(len, cells), default=0) > 90
    ):
        found.add(Flaw.TOO_LONG, "the cells are paragraphs, too long to say back")
    return found.assessment()


def assess_pair(zh: str, en: str) -> Assessment:
    found = _Findings([], [])
    if len(CJK.findall(zh)) < 0.4 * reading_length(zh) or len(
        CJK.findall(en)
    ) > 0.1 * reading_length(en):
        found.add(
            Flaw.BROKEN_MARKUP, "the pair is not a Chinese sentence and its English rendering"
        )
    if _CODE.search(zh):
        found.add(Flaw.CODE, "the sentence is about paths or commands")
    if _DANGLING_END.search(zh) or (not _TERMINAL.search(zh) and reading_length(zh) < 8):
        found.add(Flaw.BROKEN_MARKUP, "the Chinese sentence is cut off")
    # `（ search slow logs)。`: a sentence split at a bracket
    if re.match(r"^\s*[。，,.;；:：（(）)]", en):
        found.add(Flaw.BROKEN_MARKUP, "the English rendering starts with stray punctuation")
    english = _ascii_words(en)
    if english and len(english & _ascii_words(zh)) * 2 >= len(english):
        found.add(Flaw.BROKEN_MARKUP, "the Chinese side already holds most of the English words")
    if _MARKUP.search(zh + en):
        found.add(Flaw.BROKEN_MARKUP, "the pair carries markup")
    if len(re.findall(r"[。！？]", zh)) > 1 or reading_length(zh) > 60:
        found.add(Flaw.TOO_LONG, "more than one sentence to translate")
    return found.assessment()
