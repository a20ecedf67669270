"""Which lines of a note's text say something, and which only introduce what follows them.

Notes title their parts below the heading with plain or bold lines (`**更新策略**`, `探针的区别`) and
introduce lists with lead-ins (`Kafka 快的原因：`, `它的缺点是`). Read back as an answer (a card's back) or
asked for as a key point (the grader), such a line dangles. One definition serves both. Pure.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from bagu.vault.language import reading_length

# A line that ends where its content should start: `原因：`, `它的缺点是`, `如下`, `包括`.
_LEAD_IN_END = re.compile(r"(?:[:：]|是|如下|包括|分为|有以下几[点种个]|as follows|include|includes)\s*$")
_SENTENCE_MARK = re.compile(r"[。！？!?，,；;、.]")
# What a sub-heading names: `探针的区别`, `优缺点`, `执行流程`.
_HEADING_NOUN = re.compile(
    r"(?:区别|对比|原理|流程|过程|步骤|特点|优点|缺点|优缺点|作用|分类|总结|概述|问题|方案|方法)\s*$"
)
MAX_LABEL_UNITS = 12


def is_lead_in(line: str) -> bool:
    return bool(_LEAD_IN_END.search(line))


def is_label(line: str, bold: Iterable[str] = ()) -> bool:
    """A short line without a single punctuation mark that is bold or names a kind of content: a heading
    below the heading. A short unpunctuated claim (`Redis 是单线程的`) is no label."""
    text = line.strip().strip("*_ ").rstrip(":：")
    if not text or _SENTENCE_MARK.search(text) or reading_length(text) > MAX_LABEL_UNITS:
        return False
    return text in {b.strip().rstrip(":：") for b in bold} or bool(_HEADING_NOUN.search(text))


def introduces(line: str, bold: Iterable[str] = ()) -> bool:
    """Whether a line titles or introduces the lines after it rather than saying something itself."""
    return is_lead_in(line) or is_label(line, bold)
