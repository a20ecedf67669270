"""Heading ids under the conventions that notes are published with: GitHub, Jekyll (kramdown GFM),
mdBook, VuePress, raw text.

Each slugger reimplements the reference tool's rules (github-slugger 2.0.0, kramdown-parser-gfm 1.1,
mdBook's `normalize_id`, VuePress's `slugify` from @vuepress/shared-utils and @mdit-vue/shared);
the expected values in tests/vault/test_anchors.py were produced by running those tools. Slugs
depend on earlier headings in the same document (duplicate suffixes), so each convention has a
stateful counter that is fed the headings in document order.
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from functools import lru_cache

# github-slugger deletes these Unicode general categories (its generated regex), keeping '-', ' '
# and connector punctuation; all other punctuation (P*) and symbols (S*) go too.
_GITHUB_DROPPED = {"No", "Cc", "Co", "Cf", "Cn", "Cs", "Zl", "Zp", "Zs"}
# kramdown-parser-gfm keeps \p{Word} (letters, marks, decimal digits, connector punctuation), '-',
# space, tab.
_KRAMDOWN_KEPT_PREFIXES = ("L", "M")
_KRAMDOWN_KEPT = {"Nd", "Pc"}


def _github_keeps(ch: str) -> bool:
    if ch in "- ":
        return True
    category = unicodedata.category(ch)
    if category == "Pc":
        return True  # `_` and other connector punctuation survive (`a_b.c` → `a_bc`)
    return not (category in _GITHUB_DROPPED or category[0] in "PS")


def github_slug_base(text: str) -> str:
    """github-slugger's `slug()` without the duplicate counter."""
    kept = "".join(ch for ch in text.lower() if _github_keeps(ch))
    return kept.replace(" ", "-")


def _kramdown_keeps(ch: str) -> bool:
    if ch in "- \t":
        return True
    category = unicodedata.category(ch)
    return category.startswith(_KRAMDOWN_KEPT_PREFIXES) or category in _KRAMDOWN_KEPT


def kramdown_slug_base(raw_text: str) -> str:
    """kramdown-parser-gfm's `generate_gfm_header_id` without the duplicate counter."""
    kept = "".join(ch for ch in raw_text.lower() if _kramdown_keeps(ch))
    return kept.replace(" ", "-").replace("\t", "-")


class GithubSlugger:
    """Duplicate handling as github-slugger: `gc`, `gc-1`, then a real `GC-1` heading becomes
    `gc-1-1`."""

    def __init__(self) -> None:
        self._occurrences: dict[str, int] = {}

    def slug(self, text: str) -> str:
        base = github_slug_base(text)
        result = base
        while result in self._occurrences:
            self._occurrences[base] += 1
            result = f"{base}-{self._occurrences[base]}"
        self._occurrences[result] = 0
        return result


class KramdownSlugger:
    """Duplicate handling as kramdown GFM: counts the base only, so `GC`, `GC`, `GC-1` gives a
    collision."""

    def __init__(self) -> None:
        self._counter: defaultdict[str, int] = defaultdict(int)

    def slug(self, raw_text: str) -> str | None:
        base = kramdown_slug_base(raw_text)
        if not base:
            return None
        self._counter[base] += 1
        count = self._counter[base]
        return base if count == 1 else f"{base}-{count - 1}"


def mdbook_slug_base(text: str) -> str:
    """mdBook's `normalize_id`: alphanumerics (any script), `_` and `-` kept, ASCII lower-cased,
    whitespace to `-`, everything else dropped."""
    kept = (
        ch.lower() if ch.isascii() else ch
        for ch in text.strip()
        if ch.isalnum() or ch in "_-" or ch.isspace()
    )
    return "".join("-" if ch.isspace() else ch for ch in kept)


# VuePress's `rSpecial`: whitespace and ASCII and typographic punctuation, each run becoming one
# `-`.
_VUEPRESS_SPECIAL = set("~`!@#$%^&*()-_+=[]{}|\\;:\"'“”‘’–—<>,.?/")


def vuepress_slug_base(text: str) -> str:
    """VuePress's `slugify`: NFKD without combining marks, each run of whitespace or punctuation one
    `-`, none at the ends, `_` before a leading digit, lower case (CJK kept as is)."""
    decomposed = unicodedata.normalize("NFKD", text)
    out: list[str] = []
    for ch in decomposed:
        if unicodedata.combining(ch) or ord(ch) < 0x20:
            continue
        if ch.isspace() or ch in _VUEPRESS_SPECIAL:
            if out and out[-1] != "-":
                out.append("-")
            continue
        out.append(ch)
    slug = "".join(out).strip("-")
    return ("_" + slug if slug[:1].isdigit() else slug).lower()


def unique_slugs(bases: list[str], *, first_duplicate: int) -> list[str]:
    """Duplicate suffixes the way mdBook (`-1` first) and markdown-it-anchor (`-1` or, in VuePress
    1, `-2` first) add them: the first heading keeps its id, each later one gets the next free
    counter."""
    seen: set[str] = set()
    counters: dict[str, int] = {}
    result = []
    for base in bases:
        slug, n = base, counters.get(base, first_duplicate)
        while slug in seen:
            slug, n = f"{base}-{n}", n + 1
        counters[base] = n
        seen.add(slug)
        result.append(slug)
    return result


@lru_cache(maxsize=1 << 16)  # link checks compare the same heading texts many times over
def normalize_heading_text(text: str) -> str:
    """Case- and space-insensitive form used to match a raw anchor to a heading (Typora,
    Obsidian)."""
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def written_anchor(raw: str, text: str) -> str:
    """The heading as a Typora or Obsidian link names it: as written, or its text when what is
    written holds Markdown (`## [**哨兵**](redis.md#哨兵)` is linked to as `#哨兵`)."""
    return text if raw != text and any(mark in raw for mark in "[]*`<_~=") else raw
