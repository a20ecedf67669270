"""The bilingual technical glossary shipped with bagu: 幻读 / phantom read, 最近最少使用 / LRU, 幂等
/ idempotent.

Data: `glossary.tsv` beside this module, one entry per line (`domain`, Chinese variants, English
variants, variants separated by `|`), sorted and deduplicated; tests/search/test_glossary.py checks
its format. Pure lookups over a table loaded once: which entries a text names, and what the other
language calls them. The grader uses it to credit a short term said in the other language; search
can use it to cross languages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

from bagu.errors import GlossaryFormatError
from bagu.search.tokenize import normalize_text
from bagu.vault.language import CJK

GLOSSARY_FILE = "glossary.tsv"
HEADER = ("domain", "zh", "en")
_HEADER_LINE = "\t".join(HEADER)
DOMAINS = frozenset(
    {
        "network",
        "os",
        "database",
        "distributed",
        "language",
        "ml",
        "cloud",
        "security",
        "algorithm",
        "architecture",
        "hardware",
    }
)
# the longest Chinese variant looked for in a text (longer entries are phrases, rare)
_MAX_ZH_CHARS = 8
_MAX_EN_WORDS = 5
_EN_WORD = re.compile(r"[a-z0-9][a-z0-9+#.\-]*[a-z0-9+#]|[a-z0-9]")


@dataclass(frozen=True, slots=True)
class Entry:
    domain: str
    zh: tuple[str, ...]
    en: tuple[str, ...]


def parse_glossary(text: str) -> tuple[Entry, ...]:
    """The entries of a glossary file; a malformed line raises `GlossaryFormatError` naming it."""
    lines = text.splitlines()
    if not lines or tuple(lines[0].split("\t")) != HEADER:
        raise GlossaryFormatError(f"line 1: the header must be {_HEADER_LINE!r}")
    entries = []
    for number, line in enumerate(lines[1:], start=2):
        columns = line.split("\t")
        if len(columns) != 3 or not all(columns):
            raise GlossaryFormatError(
                f"line {number}: three non-empty tab-separated columns expected"
            )
        domain, zh, en = columns
        zh_variants, en_variants = tuple(zh.split("|")), tuple(en.split("|"))
        if domain not in DOMAINS:
            raise GlossaryFormatError(f"line {number}: unknown domain {domain!r}")
        if any(not v or v != v.strip() for v in zh_variants + en_variants):
            raise GlossaryFormatError(
                f"line {number}: an empty variant or one with spaces around it"
            )
        if not all(CJK.search(v) for v in zh_variants) or any(CJK.search(v) for v in en_variants):
            raise GlossaryFormatError(
                f"line {number}: Chinese variants need Chinese, English ones none"
            )
        entries.append(Entry(domain, zh_variants, en_variants))
    return tuple(entries)


def _en_key(text: str) -> str:
    """`Phantom Reads` → `phantom read`: lower case, one space, a plural s dropped from each
    word."""
    found = _EN_WORD.findall(normalize_text(text).casefold())
    return " ".join(
        w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w for w in found
    )


def _writes_english(english: str, variant: str) -> bool:
    """Whether a text, as its `_en_key`, holds this English variant as words of its own."""
    key = _en_key(variant)
    return (
        bool(key) and re.search(rf"(?<![a-z0-9]){re.escape(key)}(?![a-z0-9])", english) is not None
    )


@dataclass(frozen=True, slots=True)
class Glossary:
    entries: tuple[Entry, ...]
    by_zh: dict[str, tuple[int, ...]]
    by_en: dict[str, tuple[int, ...]]

    @classmethod
    def of(cls, entries: tuple[Entry, ...]) -> Glossary:
        by_zh: dict[str, list[int]] = {}
        by_en: dict[str, list[int]] = {}
        for index, entry in enumerate(entries):
            for variant in entry.zh:
                by_zh.setdefault(normalize_text(variant), []).append(index)
            for variant in entry.en:
                by_en.setdefault(_en_key(variant), []).append(index)
        return cls(
            entries,
            {k: tuple(v) for k, v in by_zh.items()},
            {k: tuple(v) for k, v in by_en.items() if len(k) > 1},  # `A*` is not every English "a"
        )

    def entries_in(self, text: str) -> list[Entry]:
        """The entries whose variants `text` contains, longest match first at each position."""
        found: dict[int, None] = {}
        normalized = normalize_text(text)
        for run in re.findall(r"[\u3400-\u9fff]+", normalized):
            for start in range(len(run)):
                for size in range(min(_MAX_ZH_CHARS, len(run) - start), 1, -1):
                    hits = self.by_zh.get(run[start : start + size])
                    if hits:
                        found.update(dict.fromkeys(hits))
                        break
        words = _en_key(normalized).split()
        for start in range(len(words)):
            for size in range(min(_MAX_EN_WORDS, len(words) - start), 0, -1):
                hits = self.by_en.get(" ".join(words[start : start + size]))
                if hits:
                    found.update(dict.fromkeys(hits))
                    break
        return [self.entries[i] for i in found]

    def other_language(self, text: str) -> list[str]:
        """The variants in the other language of the entries `text` names: 幻读 for `phantom read`
        in an English text, `phantom read` for 幻读 in a Chinese one; both ways for a text of both
        languages."""
        normalized = normalize_text(text)
        english = _en_key(normalized)
        found: list[str] = []
        for entry in self.entries_in(text):
            if any(_writes_english(english, v) for v in entry.en):
                found += entry.zh
            if any(normalize_text(v) in normalized for v in entry.zh):
                found += entry.en
        return list(dict.fromkeys(found))

    def terms_named(self, text: str) -> list[tuple[Entry, str]]:
        """The entries `text` names, each with the variant it writes, leaving out a term that is
        part of a longer one it writes (`哈希索引` inside `自适应哈希索引`)."""
        normalized = normalize_text(text)
        english = _en_key(normalized)
        found: list[tuple[Entry, str]] = []
        for entry in self.entries_in(text):
            written = [v for v in entry.zh if normalize_text(v) in normalized] + [
                v for v in entry.en if _writes_english(english, v)
            ]
            if written:
                found.append((entry, max(written, key=len)))
        return [
            (entry, span)
            for entry, span in found
            if not any(
                len(other) > len(span) and span.casefold() in other.casefold() for _, other in found
            )
        ]

    def renderings(self, text: str) -> list[str]:
        """Every variant, in both languages, of the entries `text` names: what else the same terms
        are called."""
        return list(
            dict.fromkeys(v for entry in self.entries_in(text) for v in (*entry.zh, *entry.en))
        )


@cache
def glossary() -> Glossary:
    """The shipped glossary, loaded once."""
    text = resources.files("bagu.search").joinpath(GLOSSARY_FILE).read_text(encoding="utf-8")
    return Glossary.of(parse_glossary(text))
