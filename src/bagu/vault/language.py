"""Which language a piece of note text is in: Chinese, English, or a mix (by script, not by
model)."""

from __future__ import annotations

import re

CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
# CJK characters and their punctuation and full-width forms: where two lines join without a space,
# and what CommonMark's emphasis rules stumble on.
WIDE_CHAR = r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]"
WIDE = re.compile(WIDE_CHAR)
LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")
_MIN_ENGLISH_WORDS = 3


def reading_length(text: str) -> int:
    """Length as a reader feels it: a CJK character or an English word (or number) counts one."""
    return len(CJK.findall(text)) + len(re.findall(r"[A-Za-z0-9]+", text))


def is_chinese(text: str) -> bool:
    cjk = len(CJK.findall(text))
    return cjk >= 2 and cjk >= len(LATIN_WORD.findall(text))


def is_english(text: str) -> bool:
    return not CJK.search(text) and len(LATIN_WORD.findall(text)) >= _MIN_ENGLISH_WORDS


def detect_language(text: str) -> str:
    """'zh', 'en', 'mixed' or 'none'. A Latin word weighs like two Chinese characters."""
    cjk = len(CJK.findall(text))
    words = len(LATIN_WORD.findall(text))
    if cjk + words == 0:
        return "none"
    share = cjk / (cjk + 2 * words)
    if share >= 0.8:
        return "zh"
    if share <= 0.2:
        return "en"
    return "mixed"
