"""A note's text as a person reads it: paragraphs with their soft wraps joined, list items apart,
and which lines say something and which only introduce what follows them.

Notes title their parts below the heading with plain or bold lines (`**更新策略**`, `探针的区别`)
and introduce lists with lead-ins (`Kafka 快的原因：`, `它的缺点是`). Read back as an answer (a
card's back) or asked for as a key point (the grader) or said in an answer (ask), such a line
dangles. One definition serves the three. Pure.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from bagu.vault.language import CJK, WIDE, reading_length
from bagu.vault.model import Section, Table

# A line that ends where its content should start: `原因：`, `它的缺点是`, `如下`, `包括`.
_LEAD_IN_END = re.compile(
    r"(?:[:：]|是|如下|包括|分为|有以下几[点种个]|as follows|include|includes)\s*$"
)
_SENTENCE_MARK = re.compile(r"[。！？!?，,；;、.]")
# What a sub-heading names: `探针的区别`, `优缺点`, `执行流程`.
_HEADING_NOUN = re.compile(
    r"(?:区别|对比|原理|流程|过程|步骤|特点|优点|缺点|优缺点|作用|分类|总结|概述|问题|方案|方法)\s*$"
)
MAX_LABEL_UNITS = 12
# A stored body line this long that ends without punctuation was wrapped by its author (text pasted
# from a PDF): it runs on into the next line; a shorter one is most often a line of its own.
WRAPPED_LINE_UNITS = 40
MAX_TITLE_UNITS = 30
_NUMBERING = re.compile(r"^\s*(?:\d+[.)、](?!\d)|[-*+•](?=\s))\s*")
_TERMINAL = re.compile(r"[。！？!?；;：:.…）)」”\"]\s*$")
# A line that stops in the middle of a clause (at a comma, after `the`) runs on however short.
_MID_CLAUSE_END = re.compile(
    r"(?:[，,、]|(?<![A-Za-z])(?:the|a|an|and|or|of|to|in|on|with|for|by|as|that|is|are))\s*$",
    re.IGNORECASE,
)
# A line that ends one sentence and starts another (`…刷盘。消费者`): no paragraph starts mid-line.
_UNFINISHED_TAIL = re.compile(r"[。！？；][^。！？；]+$")
# A labelled line (`脏读：×`, a table row's `column：cell`): a fact of its own, never a soft wrap.
_LABELLED = re.compile(r"^[^：:，,。；;\s][^：:，,。；;]{0,23}[：:]\s*\S")


# A clause that points at what the text cannot show: a figure (`如下图所示`, `如图 7.1`, `as shown
# below`) or another part of the source (`后文会介绍`, `上一篇文章中讲过`, `本书`).
_POINTER = re.compile(
    r"如[上下左右]?图|[上下左右此该]图|[这那两几][张幅]图|见图|图\s*\d|[后前上]文|(?<!上)下文|[上下]一?篇|本书|"
    r"\b(?:as shown|shown (?:above|below)|(?:figure|diagram|picture|image) (?:above|below)|"
    r"see (?:the )?(?:figure|diagram|below|above)|(?:fig\.|figure)\s*\d)",
    re.IGNORECASE,
)
# An HTML element left in a note's text (`<br>`, `<div align="center">`, `</font>`), which is no
# prose; a placeholder in angle brackets (`<topic>-<partition>`, `<podDir>`) is, and it was 43 of
# the corpus's 44 lines a looser `<word>` pattern dropped.
HTML_TAG = re.compile(
    r"</?(?:a|abbr|b|br|center|code|del|details|div|em|figcaption|figure|font|h[1-6]|hr|i|iframe|"
    r"img|ins|kbd|li|mark|ol|p|pre|s|small|span|strong|style|sub|summary|sup|table|tbody|td|th|"
    r"thead|tr|u|ul|video)\b[^>]*>",
    re.IGNORECASE,
)
# A sentence that leans on what came before it in the note: `前面介绍的模型`, `使用上述判断`,
# `如上，最后…`.
_BACK_REFERENCE = re.compile(r"上述|前述|前面(?:介绍|提到|讲|说|所)|如上[，,：:所]|^以上")
_CLAUSE = re.compile(r"[^，,；;]+[，,；;]?")
# A pointer clause this short only points (`如下图所示，`, `具体原理后文会介绍，`); a longer one
# says something about the figure (`就出现了类似于如图 7.1 所示的内核数据结构`).
MAX_POINTER_UNITS = 12


def points_elsewhere(sentence: str) -> bool:
    """Whether the sentence points at a figure or at another part of the note (`如下图所示`,
    `前面介绍的模型`, `使用上述判断`): alone on a card it leaves out what it points at."""
    return bool(_POINTER.search(sentence) or _BACK_REFERENCE.search(sentence.strip()))


def without_pointers(sentence: str) -> str:
    """The sentence without the clauses that only point at a figure or at another part of the
    source, or "" when what it says is about the figure itself: read back as an answer (a card's
    back, ask's reply) such a clause dangles (judged broken or too-long on every sample)."""
    if not _POINTER.search(sentence):
        return sentence
    kept: list[str] = []
    for clause in _CLAUSE.findall(sentence):
        if not _POINTER.search(clause):
            kept.append(clause)
        elif reading_length(_SENTENCE_MARK.sub("", clause)) > MAX_POINTER_UNITS:
            return ""
    said = "".join(kept).strip().rstrip("，,；;")
    if not said:
        return ""
    end = sentence.rstrip()[-1:]
    return said if _TERMINAL.search(said) or end not in "。！？!?." else f"{said}{end}"


# A question, typed with its mark or with a full stop after its particle (`万一删掉了呢。`).
_QUESTION_END = re.compile(r"(?:[？?]|[吗呢嘛][。！!.]?)\s*$")


# A question typed without its mark, as notes title what follows (`- Why 加密摘要 not 直接发摘要`,
# `为什么要用B+树`): an interrogative first, then no punctuation at all, in a short line.
_BARE_QUESTION = re.compile(r"^\s*(?:为什么|为何|为啥|如何|怎么|怎样|(?:why|how)\b)", re.I)
MAX_BARE_QUESTION_UNITS = 20


def is_question(sentence: str) -> bool:
    """Whether the sentence asks rather than says: read back as an answer, it answers nothing."""
    if _QUESTION_END.search(sentence):
        return True
    text = sentence.strip(" -*>\t")
    return (
        bool(_BARE_QUESTION.match(text))
        and not _SENTENCE_MARK.search(text)
        and reading_length(text) <= MAX_BARE_QUESTION_UNITS
    )


# A line that points elsewhere: a web address, a book's title, a numbered citation.
_REFERENCE_LINE = re.compile(r"https?://|www\.|^[-*+]?\s*《[^》]+》|^\[\d+\]")


def only_references(body: str, link_texts: Iterable[str] = ()) -> bool:
    """Whether every line of a section is a web address, a link's title or a book's (`参考`:
    `https://dev.mysql.com/…/index-condition-pushdown-optimization.html`, `《MySQL 是怎样运行的》`):
    it says where the answer is and none of it, though an address may spell the very words a
    question asks."""
    titles = {" ".join(text.split()) for text in link_texts if text.strip()}
    lines = [" ".join(line.split()) for line in body.splitlines() if line.strip()]
    return bool(lines) and all(_REFERENCE_LINE.search(line) or line in titles for line in lines)


def is_lead_in(line: str) -> bool:
    return bool(_LEAD_IN_END.search(line))


def is_label(line: str, bold: Iterable[str] = ()) -> bool:
    """A short line without a single punctuation mark that is bold or names a kind of content: a
    heading below the heading. A short unpunctuated claim (`Redis 是单线程的`) is no label."""
    text = line.strip().strip("*_ ").rstrip(":：")
    if not text or _SENTENCE_MARK.search(text):
        return False
    # `MySQL存储引擎MyISAM与InnoDB的主要区别对比`: a title however long
    if _HEADING_NOUN.search(text):
        return reading_length(text) <= MAX_TITLE_UNITS
    return reading_length(text) <= MAX_LABEL_UNITS and text in {
        b.strip().rstrip(":：") for b in bold
    }


# A copula or a modal makes a short line a claim (`map 是引用类型`), not a caption.
_CLAIM_VERB = re.compile(
    r"是|为|有|会|能|可以|不|没|\b(?:is|are|was|were|be|has|have|can|cannot|can't|must|should|will|"
    r"not|never|does|do)\b",
    re.IGNORECASE,
)


def is_caption(line: str) -> bool:
    """A line that only introduces what follows it: a lead-in, or a short line without a single
    punctuation mark that claims nothing (`声明赋值` over a code block)."""
    text = line.strip().rstrip(":：").strip()
    return is_lead_in(line) or (
        bool(text)
        and not _SENTENCE_MARK.search(text)
        and not _CLAIM_VERB.search(text)
        and reading_length(text) <= MAX_LABEL_UNITS
    )


def introduces(line: str, bold: Iterable[str] = ()) -> bool:
    """Whether a line titles or introduces the lines after it rather than saying something
    itself."""
    return is_lead_in(line) or is_label(line, bold)


def clean(text: str) -> str:
    return _NUMBERING.sub("", text).strip(" \t-*·:：,，")


def _join(left: str, right: str) -> str:
    """Two soft-wrapped lines as one: no space between Chinese characters, one between words."""
    glue = "" if WIDE.match(left[-1:]) or WIDE.match(right[:1]) else " "
    return f"{left}{glue}{right}"


def paragraphs(
    text: str, list_items: Sequence[str] = (), *, wrapped_at: int | None = 0
) -> list[str]:
    """The text's paragraphs and list items, soft wraps joined: a line that does not end a sentence
    runs on into the next one unless the next is a list item. With `wrapped_at`, only a line at
    least that many reading units long runs on: a section's stored body has no blank lines between
    paragraphs, and a short unpunctuated line there is most often a paragraph of its own, a long one
    a line the author wrapped; so is a line that ends inside a word or in the middle of a clause (at
    a comma, after `the`), however short, and one that ends a sentence and starts another. With
    `wrapped_at=None` only a line that ends inside a word or mid-clause runs on: read back as an
    answer, two paragraphs run together were judged broken more often than a wrapped line was."""
    items = {clean(item) for item in list_items if clean(item)}
    blocks: list[str] = []
    open_paragraph = unended = False
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            open_paragraph = unended = False
            continue
        # a labelled line (`脏读：×`, a table row's `column：cell`) is a fact of its own, never a
        # soft wrap
        is_item = bool(_NUMBERING.match(raw)) or clean(line) in items or bool(_LABELLED.match(line))
        if is_item:
            blocks.append(clean(line))
            open_paragraph = unended = False
            continue
        if blocks and (open_paragraph or (unended and breaks_a_word(blocks[-1], line))):
            blocks[-1] = _join(blocks[-1], line)
        else:
            blocks.append(line)
        unended = not _TERMINAL.search(line)
        open_paragraph = unended and (
            bool(_MID_CLAUSE_END.search(line))
            or (
                wrapped_at is not None
                and (reading_length(line) >= wrapped_at or bool(_UNFINISHED_TAIL.search(line)))
            )
        )
    return blocks


def breaks_a_word(line: str, following: str) -> bool:
    """Whether the break between two lines falls inside a two-character Chinese word (`即使是存` /
    `储海量`, `持久化到磁` / `盘上`): a tool wrapped that text, however short its lines. Read with
    rjieba's dictionary alone (no HMM, which joins any two characters): the line ends in a lone
    character that forms a word with the next line's first."""
    if not (line and following and CJK.match(line[-1]) and CJK.match(following[0])):
        return False
    if line[-1] == following[0]:  # `不高` / `高点击`: a doubled character is two words
        return False
    import rjieba  # loaded by the first note that needs it (~0.15 s)

    if len(rjieba.cut(line[-4:], False)[-1]) != 1:
        return False
    joined = rjieba.cut(line[-4:] + following[:4], False)
    return f"{line[-1]}{following[0]}" in joined


def list_groups(section: Section) -> list[tuple[str, ...]]:
    """The section's lists, each as its top-level items: two lists are never one card, and sub-items
    are details of their item, not siblings of it (judged broken-markup when they were flattened
    together)."""
    if len(section.list_shape) != len(section.list_items):  # indexed before lists had a shape
        return [tuple(item.strip() for item in section.list_items if item.strip())]
    groups: dict[int, list[str]] = {}
    for item, (group, depth) in zip(section.list_items, section.list_shape, strict=True):
        if depth == 0 and item.strip():
            groups.setdefault(group, []).append(item.strip())
    return [tuple(items) for items in groups.values()]


def said_groups(section: Section) -> list[tuple[str, ...]]:
    """The section's lists as a person says them: each its top-level items (`list_groups`), an
    item that is only a label (`防御手段：`) said with the sub-items that are its content
    (`防御手段：只允许幂等请求走 0-RTT，服务端做 anti-replay`); alone it promises what is not
    said."""
    if len(section.list_shape) != len(section.list_items):
        return list_groups(section)
    groups: dict[int, list[str]] = {}
    label_open = False
    for item, (group, depth) in zip(section.list_items, section.list_shape, strict=True):
        text = item.strip()
        if not text:
            continue
        items = groups.setdefault(group, [])
        if depth == 0:
            items.append(text)
            label_open = text.endswith((":", "："))
        elif label_open and items:
            joiner = "" if items[-1].endswith((":", "：")) else "，"
            items[-1] = f"{items[-1]}{joiner}{text.rstrip('。；;')}"
    return [tuple(items) for items in groups.values() if items]


_ORDINAL_HEADER = re.compile(r"^(?:编号|序号|序|no\.?|number|#|index|idx)$", re.IGNORECASE)


def without_ordinal_column(table: Table) -> Table:
    """A table read by its rows' names: a first column that only numbers the rows (`编号`, `#`,
    or 1, 2, 3 … down the rows) names nothing, so the second column names them (`4：类型
    ExternalName` was said for the row `ExternalName`). A table of fewer than three columns is kept
    as it is."""
    if len(table) < 2 or min(len(row) for row in table) < 3:
        return table
    numbers = [row[0].strip() for row in table[1:]]
    counted = numbers == [str(n) for n in range(1, len(numbers) + 1)]
    if not (counted or _ORDINAL_HEADER.match(table[0][0].strip())):
        return table
    return tuple(row[1:] for row in table)


def table_rows_said(
    table: Table, *, max_chars: int = 300, labelled: bool = False
) -> list[tuple[str, str]]:
    """A table's rows as sentences, each with its name (the first cell, after any column that only
    numbers the rows): `最大连接数：select 1024；poll 无上限。`, and with one column of values, the
    value alone (`ClusterIp：默认类型…`, not `ClusterIp：用途介绍 默认类型…`). A row longer than
    `max_chars` is left out. `labelled`: each cell said under its column as a label
    (`select：1024`), as a card's back says a row, for the grader to read each value apart."""
    table = without_ordinal_column(table)
    header = table[0] if table else ()
    names = header[1:] if len(header) > 2 else ("",)
    rows = []
    for row in table[1:]:
        said = "；".join(
            (f"{name}：{cell}" if labelled and name else f"{name} {cell}").strip()
            for name, cell in zip(names, row[1:], strict=False)
            if cell
        )
        if row and row[0] and said and len(said) <= max_chars:
            rows.append((row[0], f"{row[0]}：{said}。"))
    return rows


def body_with_rows_said(section: Section) -> str:
    """The section's body with each table's cells, one per line as the parser keeps them, replaced
    by its rows said as sentences (`table_rows_said`): read line by line, a table's cells are no
    claims (`含义`, `size-tiered`, `低` were key points of a reference holding a table)."""
    cells = {" ".join(cell.split()) for table in section.tables for row in table for cell in row}
    rows = [said for table in section.tables for _, said in table_rows_said(table, labelled=True)]
    lines: list[str] = []
    for line in section.body.splitlines():
        if line.strip() and " ".join(line.split()) in cells:
            lines += rows
            rows = []
        else:
            lines.append(line)
    return "\n".join(lines)
