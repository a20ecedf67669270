"""Find Chinese sentences followed by their English rendering, the way bilingual interview notes are
written.

Two shapes occur in real vaults: a Chinese paragraph followed by an English paragraph, and a Chinese
sentence with an English tail in the same paragraph (`…线程安全。ensures only one thread …`).
"""

from __future__ import annotations

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
    """Pairs from consecutive text blocks `(line, text)` of one section, in order."""
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
        previous = (line, text)
    return pairs
