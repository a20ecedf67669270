"""Find Chinese sentences beside their English rendering, the way bilingual interview notes are
written.

Three shapes occur in real vaults: a Chinese paragraph followed by an English paragraph, a Chinese
sentence with an English tail in the same paragraph (`…线程安全。ensures only one thread …`), and an
English paragraph followed by its Chinese rendering (the corpus's summary page writes
`Cross-attention calculate the output of an encoder…` and then `编码器的输出和掩码层的输出…`). In a
run of alternating paragraphs the text alone cannot tell which way a note pairs them: read
Chinese-first, the summary's run paired each Chinese sentence with the *next* point's English. So
the English-first pairs are candidates, and `renderings` chooses among the candidates with a
cross-lingual score when there is one (each paragraph in one pair at most, the best first); without
a score only the Chinese-first pairs are taken, as before.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from bagu.vault.language import CJK, is_chinese, is_english
from bagu.vault.model import BilingualPair

_CLOSING_PUNCTUATION = "。！？；，、：）】」』”’"


def split_english_tail(text: str) -> tuple[str, str] | None:
    """`中文句子。English rendering here` → (zh, en) when the tail after the last CJK char is
    English."""
    last = None
    for match in CJK.finditer(text):
        last = match
    if last is None:
        return None
    cut = last.end()
    while cut < len(text) and text[cut] in _CLOSING_PUNCTUATION:
        cut += 1  # the sentence's own full stop or closing bracket belongs to the Chinese part
    head, tail = text[:cut], text[cut:].lstrip(" \t,.;:)'\"")
    if is_english(tail) and is_chinese(head):
        return head.strip(), tail.strip()
    return None


def find_bilingual_pairs(blocks: list[tuple[int, str]]) -> list[BilingualPair]:
    """Pairs and English-first candidates from consecutive text blocks `(line, text)` of one
    section, in order."""
    pairs: list[BilingualPair] = []
    previous: tuple[int, str] | None = None
    for line, text in blocks:
        text = text.strip()
        if (
            previous is not None
            and is_english(text)
            and is_chinese(previous[1])
            and not split_english_tail(previous[1])
        ):
            pairs.append(BilingualPair(previous[0], previous[1], text))
        else:
            tail = split_english_tail(text)
            if tail is not None:
                pairs.append(BilingualPair(line, tail[0], tail[1]))
            elif previous is not None and is_chinese(text) and is_english(previous[1]):
                pairs.append(BilingualPair(previous[0], text, previous[1], english_first=True))
        previous = (line, text)
    return pairs


def renderings(
    pairs: Sequence[BilingualPair],
    score: Callable[[str, str], float] | None = None,
    *,
    minimum: float = 0.0,
) -> list[BilingualPair]:
    """The pairs a section's candidates make, in their order: with `score` (a cross-lingual
    cosine), those scoring at least `minimum`, best first, each paragraph in one pair at most;
    without, the Chinese-first ones."""
    if score is None:
        return [pair for pair in pairs if not pair.english_first]
    scored = sorted(
        ((score(pair.zh, pair.en), at) for at, pair in enumerate(pairs)), key=lambda s: -s[0]
    )
    used: set[str] = set()
    chosen = []
    for value, at in scored:
        pair = pairs[at]
        if value < minimum or pair.zh in used or pair.en in used:
            continue
        used.update((pair.zh, pair.en))
        chosen.append(at)
    return [pairs[at] for at in sorted(chosen)]
