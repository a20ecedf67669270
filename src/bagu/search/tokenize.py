"""Terms for search: Chinese words from rjieba (search mode), English lower-cased and stemmed,
identifiers whole and split, full-width forms folded (NFKC) and traditional Chinese mapped to
simplified.

FTS5's own tokenizers cannot segment Chinese (unicode61 makes a whole run one token; trigram misses
two-character words), so bagu segments before FTS5 sees the text and joins the terms with spaces.
Index and query go through the same function, so they always agree.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache
from types import ModuleType
from typing import Any

from bagu.vault.language import CJK

# Bump when `terms` changes: the indexer then re-segments every section's FTS row.
SEGMENTER_VERSION = "3"
_ASCII_WORD = re.compile(r"^[a-z]+$")
# A word glued to its version (http2, oauth2, gpt4, http1_1 from http1.1): notes write HTTP/2, OAuth
# 2, GPT-4 and HTTP/1.1 just as often, which segment into the word and the number (or gpt_4).
_WORD_VERSION = re.compile(r"^([a-z]+)_?(\d[\d_]*)$")
_DOTTED_NUMBER = re.compile(r"^\d+(?:_\d+)+$")  # 1.1, 2.0, 86_64: whole and split, like identifiers

_NON_WORD = re.compile(r"[^\w]+")


@cache
def _segmenter() -> ModuleType:
    """rjieba loads its dictionary on import (~0.15 s); a warm `bagu index` never needs it."""
    import rjieba

    return rjieba


@cache
def _stemmer() -> Any:
    import snowballstemmer

    return snowballstemmer.stemmer("english")


@lru_cache(maxsize=1 << 15)
def _stem(word: str) -> str:
    """Snowball English stem of a plain lower-case word: replicates/replication → replic."""
    return str(_stemmer().stemWord(word)) if len(word) > 3 else word


# Only dropped from queries, never from the index: with AND semantics a question word like 为什么 or
# "why" would otherwise demand to appear in the answer's section. Chinese: the stopwords-iso list
# (794 function words: 把, 到, 该, 时候, 同时, 哪里) plus the spoken ones it lacks. English words
# are matched as written and as stemmed ("does" is the term "doe", "differences" is "differ"), so
# both forms are listed.
_ZH_STOPWORDS = (
    "的 了 是 在 和 与 及 吗 呢 啊 吧 要 会 能 有 什么 为什么 为何 怎么 怎样 如何 哪些 哪个 一个 "
    "这个 那个"
)
_ZH_SPOKEN = "为啥 干嘛 是否 有没有 里 之间 意思 一下"
_EN_STOPWORDS = """
a an the is are was were be been being am do does did doing done of to in on at for with and or vs
versus what why how when where which who whom whose can could should would will shall may might must
explain describe tell me my i we our us you your it its this that these those there here they them
their so not no if then than about into from by as up out has have had having instead make makes
sure difference differences between work works working happen happens mean means
"""


@cache
def query_stopwords() -> frozenset[str]:
    """The words above, as written and stemmed; a function so the stemmer and the stopwords-iso list
    load with the first query, not on import."""
    import stopwordsiso

    english = _EN_STOPWORDS.split()
    chinese = [*_ZH_STOPWORDS.split(), *_ZH_SPOKEN.split(), *stopwordsiso.stopwords("zh")]
    return frozenset([*chinese, *english, *(_stem(word) for word in english)])


@cache
def _traditional_chars() -> frozenset[str]:
    """The characters zhconv turns into another one for zh-cn: a text with none of them is left as
    it is."""
    import zhconv

    table = zhconv.zhconv.getdict("zh-cn")
    return frozenset(key for key, value in table.items() if len(key) == 1 and key != value)


def normalize_text(text: str) -> str:
    """Full-width → half-width (ＴＣＰ → TCP) and traditional → simplified Chinese (記憶體 → 内存).

    zhconv walks every character in Python; most notes are simplified already, so a text without a
    single traditional character skips it (indexing the corpus spent a fifth of its time there)."""
    import zhconv

    text = unicodedata.normalize("NFKC", text)
    if _traditional_chars().isdisjoint(text):
        return text
    return str(zhconv.convert(text, "zh-cn"))


def pairs_and_words(text: str) -> set[str]:
    """Chinese character pairs and Latin words (2+ letters or digits), case-folded: robust to how a
    segmenter splits 缓存 / 强缓存 and to how a text rewords a claim."""
    normal = normalize_text(text).casefold()
    runs = "".join(ch if CJK.match(ch) else " " for ch in normal).split()
    pairs = {run[i : i + 2] for run in runs for i in range(len(run) - 1)}
    return pairs | set(re.findall(r"[a-z0-9_]{2,}", normal))


def normalize_term(token: str) -> str | None:
    """`sync.Mutex` → `sync_mutex`, `TIME_WAIT` → `time_wait`, punctuation → None."""
    term = _NON_WORD.sub("_", token.strip().lower()).strip("_")
    return term or None


def terms(text: str) -> list[str]:
    """Every term of `text` in order, identifiers both whole and split (rjieba search mode does
    that), a word glued to its version number split in two."""
    result: list[str] = []
    for token in _segmenter().cut_for_search(normalize_text(text)):
        # a Chinese word: nothing to stem, split or unglue
        if not token.isascii() and token.isalnum():
            result.append(token.lower())
            continue
        if token.isalnum():  # the common case (a Chinese word or a plain English word), kept fast
            lowered = token.lower()
            term: str | None = _stem(lowered) if _ASCII_WORD.match(lowered) else lowered
        elif not token.isspace():
            term = normalize_term(token)
        else:
            continue
        if term is None:
            continue
        glued = _WORD_VERSION.match(term)
        if glued:  # http2 → http 2, the terms HTTP/2 gives
            result.append(_stem(glued[1]))
            term = glued[2]
        result.append(term)
        if _DOTTED_NUMBER.match(term):
            result += term.split("_")
    return result


def words(text: str) -> list[str]:
    """The words of `text` as written (rjieba accurate mode, no sub-words), punctuation and spaces
    dropped."""
    return [token for token in _segmenter().cut(text) if any(ch.isalnum() for ch in token)]


_CHINESE_RUN = re.compile(r"[\u3400-\u9fff]+")
_LATIN_TOKEN = re.compile(r"[A-Za-z0-9_.+#-]+")
# A name has a capital, a digit or an identifier character (TCP, OAuth2, TIME_WAIT, C++, C#) or an
# inner dot (sync.Mutex). Hyphens alone do not make one: "three-way", "two-tower" are plain English.
_NAME_MARK = re.compile(r"[A-Z0-9_+#]|\w\.\w")


def latin_tokens(text: str) -> list[str]:
    """The runs of Latin letters, digits and identifier characters in `text` (`io_uring`, `C++`,
    `sync.Mutex`)."""
    return _LATIN_TOKEN.findall(normalize_text(text))


# A capitalised word opening an English sentence: `Compare…` may be a name only by its position.
SENTENCE_OPENER = re.compile(r"(?:^|[.?!:;]\s+)([A-Z][a-z]+)\b")
# The verbs an interview question opens with (`Walk me through…`, `Explain…`): capitalised there,
# never a name. Other openers may be (`Rust borrow checker…`).
_QUESTION_VERBS = frozenset(
    [
        "walk",
        "explain",
        "describe",
        "compare",
        "contrast",
        "tell",
        "show",
        "give",
        "list",
        "name",
        "define",
        "outline",
        "summarize",
        "summarise",
        "discuss",
        "state",
        "mention",
        "illustrate",
        "sketch",
    ]
)


def question_verbs(query: str) -> set[str]:
    """The verbs an English question opens its sentences with (`Compare`, `Walk`): capitalised by
    their place, never names."""
    if _CHINESE_RUN.search(query):
        return set()
    return {word for word in SENTENCE_OPENER.findall(query) if word.casefold() in _QUESTION_VERBS}


def named_terms(query: str, among: list[str]) -> list[str]:
    """Those of `among` (the query's `query_terms`) that come from its Chinese words and named
    things (TCP, Webpack, OAuth2, sync.Mutex), not from plain English: the verb an English question
    opens with (`Walk me through…`, `Explain…`) is none.

    An English question to a Chinese vault is full of words the vault never uses ("zombie",
    "process"); a product name or a Chinese word that the top hits never mention is a sign they are
    about something else.
    """
    openers = question_verbs(query)
    tokens = _CHINESE_RUN.findall(normalize_text(query)) + [
        t for t in latin_tokens(query) if _NAME_MARK.search(t) and t not in openers
    ]
    named: set[str] = set()
    for token in tokens:
        named.update(terms(token))
    return [term for term in among if term in named]


def finest_terms(query_terms: list[str]) -> list[str]:
    """The terms without those that contain another: rjieba's search mode gives 分布式系统 beside 分
    布式 and 系统, and `TIME_WAIT` beside time and wait. A compound the notes never write (效率高)
    says less than its parts do. A single letter or digit is no part (`zgc` stays beside the `g` of
    `G1`)."""
    return [
        t for t in query_terms if not any(o != t and len(o) > 1 and o in t for o in query_terms)
    ]


def segment(text: str) -> str:
    """Text as FTS5 should index it: terms separated by spaces."""
    return " ".join(terms(text))


def query_terms(query: str) -> list[str]:
    """Distinct terms of a query, question words dropped unless nothing else is left."""
    distinct = list(dict.fromkeys(terms(query)))
    content = [t for t in distinct if t not in query_stopwords()]
    return content or distinct


def fts_match(
    query_terms: list[str],
    operator: str = "AND",
    *,
    within: int | None = None,
    or_in: tuple[str, ...] = (),
) -> str:
    """The one place that builds FTS5 query syntax: every term is a quoted string, so user text is
    never syntax. `within`: the terms within that many tokens of each other (`NEAR`), not
    anywhere in the section, or (`or_in`, column names) anywhere in those columns."""
    if operator not in ("AND", "OR"):
        raise ValueError(operator)
    quoted = ['"' + term.replace('"', '""') + '"' for term in query_terms]
    if within is not None and len(quoted) > 1:
        near = f"NEAR({' '.join(quoted)}, {int(within)})"
        if or_in:
            return f"{near} OR {{{' '.join(or_in)}}} : ({' AND '.join(quoted)})"
        return near
    return f" {operator} ".join(quoted)
