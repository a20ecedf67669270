"""A short excerpt of a section around the query's terms, with the matched spans marked by offsets.

Built from the original text (not FTS5's `snippet()`, which would show the segmented form).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

_WIDTH = 160
_LEAD = 40
_LATIN_START = r"(?<![A-Za-z0-9])"


@dataclass(frozen=True, slots=True)
class Snippet:
    text: str
    highlights: tuple[tuple[int, int], ...]  # [start, end) offsets into `text`


def _pattern(terms: list[str]) -> re.Pattern[str] | None:
    alternatives = []
    for term in sorted(set(terms), key=len, reverse=True):
        # `time_wait` was normalized from TIME_WAIT, `sync_mutex` from sync.Mutex: match any
        # separator.
        parts = [re.escape(p) for p in term.split("_") if p]
        if not parts:
            continue
        alternative = r"[\W_]?".join(parts)
        if term[0].isascii() and term[0].isalnum():
            # "2" is not the 2 of 502, "pod" not the end of ipod
            alternative = _LATIN_START + alternative
        if term[-1].isascii() and term[-1].isalpha():
            # a stem marks its whole word: epol → epoll, replic → replication
            alternative += "[a-z]*"
        elif term[-1].isdigit():
            alternative += r"(?!\d)"
        alternatives.append(alternative)
    return re.compile("|".join(alternatives), re.IGNORECASE) if alternatives else None


def make_snippet(text: str, terms: list[str], width: int = _WIDTH) -> Snippet:
    flat = " ".join(text.split())
    pattern = _pattern(terms)
    matches = list(pattern.finditer(flat)) if pattern else []
    if not matches:
        cut = flat[:width]
        return Snippet(cut + ("…" if len(flat) > width else ""), ())
    best_start, best_score = 0, -1
    # Matches never overlap and come in order, so a window's matches are one slice of them, found by
    # bisection: a long section that repeats a query word a thousand times costs a thousand small
    # slices, not a million.
    starts, ends = [m.start() for m in matches], [m.end() for m in matches]
    for match in matches:
        start = max(0, match.start() - _LEAD)
        space = flat.find(" ", start, match.start())
        if start > 0 and 0 <= space - start < 15:
            start = space + 1  # do not open the excerpt in the middle of a word
        window = matches[bisect_left(starts, start) : bisect_right(ends, start + width)]
        score = len({m.group().lower() for m in window}) * 10 + len(window)
        if score > best_score:
            best_start, best_score = start, score
    end = min(len(flat), best_start + width)
    prefix = "…" if best_start > 0 else ""
    suffix = "…" if end < len(flat) else ""
    shift = len(prefix) - best_start
    highlights = tuple(
        (m.start() + shift, m.end() + shift)
        for m in matches
        if best_start <= m.start() and m.end() <= end
    )
    return Snippet(prefix + flat[best_start:end] + suffix, highlights)
