"""Flashcards from what the notes already say: question headings, bold key sentences, short lists,
Chinese→English sentence pairs, and cards written in the Obsidian Spaced Repetition syntax.

Pure: sections in, cards out. Nothing is written to a note. Each card keeps its source section and
the verbatim span it was made from; a card's key is derived from its kind and content, so the same
fact in the summary page and in the detailed note becomes one card with two sources.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from functools import partial

from bagu.cards.quality import (
    MAX_ITEM_UNITS,
    Assessment,
    Flaw,
    assess_answer,
    assess_cloze,
    assess_list,
    assess_pair,
    assess_table_row,
    fold_headings,
)
from bagu.cards.summary_repeats import drop_summary_overviews, merge_summary_repeats
from bagu.fork_map import fork_map
from bagu.search.embedders import MIN_TRANSLATION_SCORE
from bagu.search.tokenize import query_stopwords, terms
from bagu.store.card_sources import CardSource
from bagu.store.cards import SectionKey
from bagu.vault.bilingual import renderings
from bagu.vault.language import CJK, reading_length
from bagu.vault.model import LinkKind, Section
from bagu.vault.names import post_title
from bagu.vault.prose import (
    HTML_TAG,
    clean,
    is_caption,
    is_label,
    is_lead_in,
    is_question,
    list_groups,
    paragraphs,
    without_pointers,
)

# Bumped when the generator makes different cards from the same notes: the next index re-syncs every
# card (survivors keep their ids and history through cards/identity.py, the rest are retired, never
# deleted).
GENERATOR_VERSION = "25"
# Below this a pool's start and the results' pickling win back little: forked, the 450-note
# benchmark vault generates in 1.6 s instead of 2.0, its 10x vault (82,000 sections) in 15 s instead
# of 22.
PARALLEL_MIN_SECTIONS = 4000
# A back that is part of a section is not its answer: judged question backs holding under 85% of
# their section were 12–26% useful (all nine samples, either split), backs holding all of it 52–62%,
# and whole backs of 160–320 characters as useful as shorter ones (59%, 0% useless). So a back is
# the whole section up to MAX_WHOLE_BACK_CHARS; only the summary's fallback card, which must exist,
# is ever a part, and a shorter one (MAX_PART_BACK_CHARS: an early sample's 4 of 13 useful backs of
# 140–170 characters had argued for 320, a blind side-by-side of 40 sections argued back).
MAX_WHOLE_BACK_CHARS = 320
MAX_BACK_CHARS = 160
# The summary's fallback for a section too long to say whole says part of it within this many
# characters: judged blind beside the same units within 320 (40 sections, two judges), held out
# 41% / 35% useful → 59% / 59%, tuning folders 17% / 9% → 35% / 35%, useless unchanged (12–18%);
# cards_judged_ab_fallback_length.jsonl.
MAX_PART_BACK_CHARS = 180
MAX_CLOZES_PER_SECTION = 3
MAX_PAIRS_PER_SECTION = 3
MAX_LISTS_PER_SECTION = 2
MAX_TABLE_ROWS_PER_SECTION = 4
MAX_TABLE_COLUMNS = 4
_QUESTION = re.compile(
    r"[?？]\s*$|为什么|为何|如何|怎么|怎样|什么|哪些|区别|对比|比较|\bvs\.?\b|\bwhy\b|\bhow\b|\bwhat\b|\bwhen\b|"
    r"原理|机制|作用|优缺点|优点|缺点|特点|流程|过程|意义",
    re.IGNORECASE,
)
_SENTENCE = re.compile(r"[^。！？!?\n]+[。！？!?]?")
_URL = re.compile(r"https?://|www\.")
_GLOSS = re.compile(r"^\s*[（(][^（）()]{1,40}[）)]")
# A line that is an image, a table row or raw HTML: never part of an answer read aloud.
_MARKUP_LINE = re.compile(
    rf"image-\d{{6,}}|\.(?:png|jpe?g|gif|svg|webp)\b|^\s*img\s*$|^\s*\||{HTML_TAG.pattern}|\$\$|\\[(\[]",
    re.IGNORECASE,
)
# C++/Rust paths (std::vector) and IPv6 addresses ([::]:port, 2001::10) are not `Q::A` cards.
_IDENT_SCOPE = re.compile(r"[A-Za-z0-9_]::[A-Za-z_]|[0-9A-Fa-f\[\]]::|::[0-9A-Fa-f\[\]/]")
# A hidden phrase that is a fragment or a label rather than a fact: 尝试不, 第二步, （常用）.
_FRAGMENT = re.compile(r"^[（(【\[].*[）)】\]]$")
# Checked in phrases of at most 6 characters: a long phrase ending in 的 is usually a whole fact.
_SHORT_FRAGMENT = re.compile(
    r"[不的了是和或与在把被就都也]$|^[的了是和或与在把被]|^第\s*[一二三四五六七八九十\d]+"
)
# A word used by more than this share of a vault's sections says nothing on its own (问题, 不会:
# 10–13% of the example corpus's 2,124 sections; 触发 4%, 查询 8%). Shares mean something only in
# vaults of 50+ sections.
WEAK_WORD_SHARE = 0.1
MIN_SECTIONS_FOR_SHARES = 50


class CardKind(StrEnum):
    QUESTION = "question"
    CLOZE = "cloze"
    LIST = "list"
    ZH_EN = "zh-en"
    EN_ZH = "en-zh"
    EXPLICIT = "explicit"
    WRITTEN = "written"  # proposed by an LLM for a section the person chose, and accepted by them


@dataclass(frozen=True, slots=True)
class Card:
    key: str
    kind: CardKind
    front: str
    back: str
    sources: tuple[CardSource, ...]
    # cards made from one fact (a pair and its reverse) are buried together
    sibling: str | None = None
    extra: dict[str, str] = field(default_factory=dict, compare=False)

    def with_sources_of(self, other: Card) -> Card:
        """This card, also sourced where `other` is (the same fact made twice)."""
        more = tuple(s for s in other.sources if s not in self.sources)
        return replace(self, sources=self.sources + more)


def _key(kind: CardKind, front: str, back: str) -> str:
    normal = " ".join(f"{kind}\x1f{front}\x1f{back}".split()).casefold()
    return hashlib.sha256(normal.encode("utf-8")).hexdigest()[:16]


def _card(
    kind: CardKind,
    front: str,
    back: str,
    source: CardSource,
    sibling: str | None = None,
    *,
    topic: str = "",
) -> Card:
    """The key hangs on the fact alone, not on the topic line, so one fact in two notes is one
    card."""
    shown = f"{topic}\n{front.strip()}" if topic and not front.startswith(topic) else front.strip()
    return Card(_key(kind, front, back), kind, shown, back.strip(), (source,), sibling)


def topic_of(title: str, section: Section) -> str:
    """What a card is about, said in its prompt: the note's title and the heading path
    (`Kafka › 为什么…`)."""
    path = [part for part in section.heading_path if part.strip()]
    if title.strip() and (not path or path[0].casefold() != title.strip().casefold()):
        path.insert(0, title.strip())
    return " › ".join(path)


def _prose(section: Section) -> str:
    """The section's body without its code blocks and table cells: code is never a card, and a
    table's cells read one per line are no sentences (a flattened table was judged broken every time
    it made a card)."""
    code = "\n".join(block.content for block in section.code_blocks)
    cells = {cell for table in section.tables for row in table for cell in row}
    return "\n".join(
        line
        for line in section.body.splitlines()
        if line.strip() and line.strip() not in code and " ".join(line.split()) not in cells
    )


def _source(path: str, section: Section, span: str) -> CardSource:
    return CardSource(path, section.heading_path, section.line_start, section.line_end, span)


def is_question_heading(heading: str) -> bool:
    return bool(_QUESTION.search(heading)) and len(heading.strip()) >= 2


Candidate = tuple[Card, Assessment]


def _spoken_lines(section: Section, prose: str, captions: Collection[str]) -> list[str]:
    """The lines of a section a person could read aloud: no image, table, formula or HTML lines, and
    no line that is only a link's title (a section of article titles has nothing of its own to
    say), unless it names the subject of the sentence below it (`[SecurityContext](…)` over
    `用于定义容器运行时的安全属性…。`): that sentence then says it (`SecurityContext：用于…`); no
    caption of what the back leaves out (`_left_out`)."""
    link_texts = {link.text.strip() for link in section.links if link.text.strip()}
    items = _item_texts(section)
    lines = [
        _without_inline_image(line.strip(), section)
        for line in prose.splitlines()
        if line.strip() and not _MARKUP_LINE.search(line) and line.strip() not in captions
    ]
    lines = [line for line in lines if line]
    spoken: list[str] = []
    for i, line in enumerate(lines):
        bare = line.lstrip("-*+ ").strip()
        if bare not in link_texts:
            spoken.append(line)
        elif i + 1 < len(lines) and _names_subject_of(bare, lines[i + 1], items):
            lines[i + 1] = f"{bare}：{lines[i + 1]}"  # said with the sentence it is the subject of
    return spoken


def _shown_apart(section: Section) -> tuple[set[str], set[str], set[str]]:
    """What of a section's body no back says: its code lines (whitespace collapsed), its table
    cells and its images' alt texts."""
    code = {
        " ".join(line.split())
        for block in section.code_blocks
        for line in block.content.splitlines()
    }
    code.discard("")
    cells = {cell for table in section.tables for row in table for cell in row}
    images = {
        link.text.strip()
        for link in section.links
        if link.kind is LinkKind.IMAGE and link.text.strip()
    }
    return code, cells, images


def _dropped_as(line: str, code: set[str], cells: set[str], images: set[str]) -> str:
    """What a body line no back says is ("code", "table", "figure"), "" for one a back may say."""
    text = line.strip()
    if " ".join(text.split()) in code:
        return "code"
    if " ".join(text.split()) in cells:
        return "table"
    return "figure" if text in images or _MARKUP_LINE.search(text) else ""


def _left_out(section: Section) -> tuple[set[str], bool]:
    """The lines that only introduce a code block, a table or a figure the back leaves out, and
    whether leaving out the section's code and tables loses part of its answer.

    A caption is a lead-in (`总的损失函数：`) or a short line without a punctuation mark (`声明赋值`
    over a code block, `键值运算关系` over a table), or a caption above one. Without what they
    introduce they promise what the back does not give (judged broken markup: `声明赋值` then an
    unrelated sentence). A list item over code stays: it is a step even without its command, and so
    does a label over a figure: it titles the part the figure opens.

    Code or a table that a caption introduces, or that more prose follows, is part of the
    explanation; one that only closes the section after its prose (a struct's definition under
    `epitem 是…`, a diagram under the properties it draws) illustrates what was said."""
    code, cells, images = _shown_apart(section)
    items = _item_texts(section)
    captions: set[str] = set()
    below = ""
    prose_below = needed = False
    for line in reversed([line.strip() for line in section.body.splitlines() if line.strip()]):
        if dropped := _dropped_as(line, code, cells, images):
            below = dropped
            needed = needed or (prose_below and dropped != "figure")
            continue
        step = below == "code" and " ".join(line.split()) in items
        # a label over a figure titles the part the figure opens (`排序`, an image, its list)
        titles_part = below == "figure" and not is_lead_in(line)
        if below and not step and not titles_part and is_caption(line):
            captions.add(line)
            needed = needed or below != "figure"
            continue  # a caption over a caption introduces the same block
        below, prose_below = "", True
    return captions, needed


def _without_inline_image(line: str, section: Section) -> str:
    """A line that ends with an image (`总的损失函数： ![img](…)`) without the image's alt text:
    the alt is no word of the sentence, and a line left as a lead-in introduces the missing figure,
    so it is dropped ("")."""
    for link in section.links:
        alt = link.text.strip()
        if link.kind is LinkKind.IMAGE and alt and line.endswith(alt) and line != alt:
            rest = line[: -len(alt)].rstrip()
            return "" if is_lead_in(rest) or not rest else rest
    return line


def _item_texts(section: Section) -> set[str]:
    """The section's list items as its lines show them, whitespace collapsed."""
    return {" ".join(item.split()) for item in section.list_items}


MAX_NAME_UNITS = 12


def _names_subject_of(name: str, following: str, items: set[str]) -> bool:
    """Whether a line that only names something (a link's title) is the subject the line below it
    leaves out: that line is a sentence of prose, not a list item, that opens with its verb
    (`用于…`, `是…`, `provides …`)."""
    return (
        0 < reading_length(name) <= MAX_NAME_UNITS
        and " ".join(following.split()) not in items
        and bool(_PREDICATE_START.match(following))
        and bool(_SENTENCE_END.search(following))
    )


# A sentence that opens with its verb has left its subject out.
_PREDICATE_START = re.compile(
    r"^(?:用于|用来|是|指|即|可以|可用于|能够|负责|提供|定义|表示|通过|采用|允许|支持|包括|包含|属于|"
    r"实现|保证|确保|作为|(?:is|are|provides?|defines?|allows?|implements?|manages?)\b)",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"[。！？!?.]\s*$")


def _without_labels(section: Section, lines: Sequence[str]) -> list[str]:
    """The lines with the labels that title a part of the section (`**一致性**`, `**更新策略**`)
    said with the part's first line (`一致性：所有节点访问同一份最新的数据副本`): alone on a line of
    an answer a label dangles (judged broken markup), and dropped it takes the subject of the line
    below with it. A label over a list titles it (`缺点：`); one over another label is left out; a
    list item stays, and so does the last line."""
    items = _item_texts(section)
    kept = list(lines)
    out: list[str] = []
    for i, line in enumerate(kept):
        if (
            i == len(kept) - 1
            or " ".join(line.split()) in items
            or not is_label(line, section.bold)
        ):
            out.append(line)
            continue
        following = kept[i + 1]
        if is_label(following, section.bold):
            continue
        label = line.strip().strip("*_ ").rstrip(":：").strip()
        if " ".join(following.split()) in items:
            # over a list it titles the list (`缺点：`): dropped, the list was judged to lose what
            # it lists ("drawbacks lose their 缺点 label")
            out.append(f"{label}{':' if label.isascii() else '：'}")
            continue
        kept[i + 1] = f"{label}{_label_mark(label, following)}{following}"
    return out


def _label_mark(label: str, following: str) -> str:
    return ": " if label.isascii() and following[:1].isascii() else "："


def answer_lines(section: Section, prose: str) -> tuple[list[str], bool]:
    """`answer_blocks` as the back shows them: a list item as `- item`, a sub-item indented under
    its item, so the back keeps the note's outline (flattened, the items of a nested list read as
    siblings and lost their parents: judged broken markup)."""
    blocks, complete = answer_blocks(section, prose)
    return [as_item(text, depth) for text, depth in blocks], complete


def as_item(text: str, depth: int | None) -> str:
    """A back's line: prose as it is, a list item marked and indented by its depth."""
    return text if depth is None else f"{'  ' * depth}- {text}"


def _item_depths(section: Section) -> dict[str, int]:
    """Each list item as `paragraphs` gives it → its nesting depth, 0 at the top."""
    if len(section.list_shape) != len(section.list_items):  # indexed before lists had a shape
        return {clean(item): 0 for item in section.list_items if clean(item)}
    return {
        clean(item): depth
        for item, (_, depth) in zip(section.list_items, section.list_shape, strict=True)
        if clean(item)
    }


def answer_blocks(section: Section, prose: str) -> tuple[list[tuple[str, int | None]], bool]:
    """The blocks a question card's back says (each with its list depth, None for prose) and
    whether they are all the section says: no image,
    table, formula, HTML or bare link-title lines, labels said with the line they title, lines cut
    mid-clause joined (a line cut mid-sentence was judged broken), no clause that only points at a
    figure or elsewhere (`如下图所示`) and no rhetorical question (`那四次握手可以嘛？`). A section
    that loses images or links, or a sentence about a figure, is not whole: its explanation was in
    the figure or behind the link."""
    captions, needed = _left_out(section)
    spoken = _spoken_lines(section, prose, captions)
    complete = len(spoken) == sum(1 for line in prose.splitlines() if line.strip()) and not needed
    lines = paragraphs(
        "\n".join(_without_labels(section, spoken)), section.list_items, wrapped_at=None
    )
    depths = _item_depths(section)
    said: list[tuple[str, int | None]] = []
    for line in lines:
        kept = []
        sentences = [m.group().strip() for m in _SENTENCE.finditer(line)]
        for at, sentence in enumerate(sentences):
            if is_question(sentence):
                # one its own paragraph goes on to answer (`…如果这个滞留的包到达了服务端呢？
                # 这时候…`) is a step of the explanation; one that ends its paragraph titles what
                # follows
                if not any(sentences[at + 1 :]):
                    sentence = _before_question(sentence)
            else:
                pointed = without_pointers(sentence)
                complete = complete and bool(pointed)
                sentence = pointed
            if sentence:
                kept.append(sentence)
        if kept:
            said.append((_join_sentences(kept), depths.get(line)))
    if said and said[-1][1] is None and is_lead_in(said[-1][0]):
        # its list or code was below it and the back leaves it out (`…是 runtime.sudog 结构：`)
        said.pop()
    return said, complete


def _before_question(sentence: str) -> str:
    """What a sentence says before the question it ends with: `三次握手的目的是…，那四次握手可以
    嘛？` says its first clause; "" when it only asks."""
    head, mark, _ = sentence.rpartition("，") if "，" in sentence else sentence.rpartition(", ")
    if not mark or reading_length(head) < 6:
        return ""
    return f"{head}。" if not head.isascii() else f"{head}."


def _join_sentences(sentences: Sequence[str]) -> str:
    out = sentences[0]
    for sentence in sentences[1:]:
        out += sentence if not (out[-1:].isascii() and sentence[:1].isascii()) else f" {sentence}"
    return out


def answer_of(section: Section, prose: str) -> tuple[str, bool]:
    """A question card's back and whether it is the whole answer: the section itself when it is
    short enough to say back, else its opening cut with an ellipsis, which is never made. Its lines
    are not counted: six or more short ones (steps, a list of features) were judged useful 6 times
    of 9 (cards_judged_diff_v13_v14.jsonl)."""
    lines, complete = answer_lines(section, prose)
    whole = "\n".join(lines)
    if len(whole) <= MAX_WHOLE_BACK_CHARS:
        return whole, complete
    # Bold fragments stitched together were judged no answer at all, so a long section makes no
    # question card.
    return whole[:MAX_BACK_CHARS].rstrip() + "…", False


def _question(path: str, section: Section, prose: str, topic: str) -> list[Candidate]:
    if section.level == 0 or not is_question_heading(section.heading):
        return []
    back, complete = answer_of(section, prose)
    if len(back) < 10:
        return []
    card = _card(
        CardKind.QUESTION,
        " › ".join(section.heading_path),
        back,
        _source(path, section, section.heading),
    )
    return [(replace(card, front=topic), assess_answer(back, complete=complete, topic=topic))]


def weak_words(sections: Sequence[Section]) -> frozenset[str]:
    """Terms so common across the vault that hiding one of them tests nothing."""
    if len(sections) < MIN_SECTIONS_FOR_SHARES:
        return frozenset()
    counts: Counter[str] = Counter()
    for section in sections:
        counts.update(set(terms(f"{section.heading}\n{section.body}")))
    return weak_words_of(counts, len(sections))


def weak_words_of(section_counts: Mapping[str, int], sections: int) -> frozenset[str]:
    """The weak words of a vault of `sections` sections, from how many of them use each term (a sync
    reads those counts from the index instead of segmenting every section again: 19 s → 0.4 s on
    82,000 sections)."""
    if sections < MIN_SECTIONS_FOR_SHARES:
        return frozenset()
    limit = WEAK_WORD_SHARE * sections
    return frozenset(term for term, count in section_counts.items() if count > limit)


def is_salient(phrase: str, weak: frozenset[str] = frozenset()) -> bool:
    """Whether hiding `phrase` tests a fact: it is not a fragment, and has a word that is not stop
    or weak."""
    if _FRAGMENT.search(phrase) or (len(phrase) <= 6 and _SHORT_FRAGMENT.search(phrase)):
        return False
    content = [
        t for t in terms(phrase) if t not in query_stopwords() and (len(t) > 1 or not CJK.match(t))
    ]
    return any(t not in weak for t in content)


def _clozes(
    path: str,
    section: Section,
    prose: str,
    weak: frozenset[str],
    topic: str,
    note_headings: frozenset[str] | None,
) -> list[Candidate]:
    cards: list[Candidate] = []
    # one cloze per sentence: two blanks in one sentence are one fact asked twice
    used: set[str] = set()
    for bold in dict.fromkeys(section.bold):
        bold = bold.strip()
        if (
            len(bold) < 2
            or len(bold) > 60
            or not any(ch.isalnum() for ch in bold)
            or bold.isdigit()
        ):
            continue
        if not is_salient(bold, weak):
            continue
        if bold.isascii() and len(bold) < 4:  # `b`, `Q`, `k8s`: too little to recall
            continue
        if bold.endswith((":", "：")):  # a label ("**bundle:** …"), not a fact
            continue
        sentence = next(
            (m.group().strip() for m in _SENTENCE.finditer(prose) if bold in m.group()), ""
        )
        context = sentence.replace(bold, "", 1).strip(" ，,:：;；")
        # The hidden part must leave enough of the sentence to be a cue.
        cue = sum(ch.isalnum() for ch in context)
        if cue < 8 or len(bold) > len(sentence) / 2 or len(sentence) > 300 or _URL.search(sentence):
            continue
        if sentence in used:
            continue
        before, _, after = sentence.partition(bold)
        hidden, after = _with_gloss(bold, after)
        front = f"{before}［…］{after}"
        card = _card(CardKind.CLOZE, front, hidden, _source(path, section, sentence), topic=topic)
        verdict = assess_cloze(
            before, hidden, after, weak=weak, topic=topic, note_headings=note_headings
        )
        cards.append((card, verdict))
        used.add(sentence)
        if sum(a.is_made for _, a in cards) == MAX_CLOZES_PER_SECTION:
            break
    return cards


def lead_in_of(
    prose: str,
    first_item: str,
    *,
    among_lists: bool = False,
    not_a_lead_in: Collection[str] = frozenset(),
) -> str:
    """The line just before a list when it introduces it: it ends with a colon, or, in a section
    with more than one list (where the heading cannot say which is asked), it is a short line of its
    own. A line that is only a link's or an image's text (`not_a_lead_in`) introduces nothing."""
    lines = [line.strip() for line in prose.splitlines() if line.strip()]
    index = next((i for i, line in enumerate(lines) if first_item in line), 0)
    before = lines[index - 1] if index > 0 else ""
    words = len(CJK.findall(before)) + len(re.findall(r"[A-Za-z]{2,}", before))
    # an image's name or alt text (`img`, `file`, `图片`) says nothing
    if _MARKUP_LINE.search(before) or words < 2 or before in not_a_lead_in:
        return ""
    if before.endswith((":", "：")) and len(before) <= 120:
        return before
    # a statement (`…都会被 invalidate。`) says something itself: the list goes on from it, and
    # judged lists under one were 35% useful (tuning folders; 41% held out), 72% under a colon; one
    # that asks (`它需要满足哪三条？`) or names its part (`方法 2:…。`) still introduces
    says = before.endswith(("。", ".", "！", "!")) and not re.search(r"[:：？?]", before)
    return before if among_lists and 2 <= len(before) <= 80 and not says else ""


def block_before(section: Section, first_item: str) -> str:
    """What the section shows just above the list that opens with `first_item`: "code", "table"
    or "figure" (`_dropped_as`), "prose", or "" when the list opens the section."""
    code, cells, images = _shown_apart(section)
    first = " ".join(first_item.split())
    lines = [" ".join(line.split()) for line in section.body.splitlines() if line.strip()]
    at = next(
        (i for i, line in enumerate(lines) if line not in cells and first.startswith(line)), 0
    )
    return (_dropped_as(lines[at - 1], code, cells, images) or "prose") if at else ""


def _with_gloss(hidden: str, after: str) -> tuple[str, str]:
    """`**redo log**（重做日志）`: the bracketed gloss is part of the answer, or it would give it
    away."""
    gloss = _GLOSS.match(after)
    if gloss is None:
        return hidden, after
    return hidden + gloss.group().rstrip(), after[gloss.end() :]


# `管道（Pipe）：` at the start of an item: a short name, then its explanation.
_ITEM_LABEL = re.compile(
    r"^(?P<label>[^，。；：:,;！？!?（）()]{1,30}(?:[（(][^）)]{1,30}[）)])?)\s*[：:]"
)
MAX_LABEL_UNITS = 10
MIN_LABELLED_ITEMS = 3
# `第一步：`, `方法二：`, `情况1：`, `Step 3:` count the items; they name nothing to recall.
_ORDINAL_LABEL = re.compile(
    r"^(?:第\s*[一二三四五六七八九十\d]+|"
    r"(?:方法|步骤|阶段|方案|情况|场景|例子?|示例|案例)\s*[一二三四五六七八九十\d]+|"
    r"(?:step|phase|stage|case|example)\s*\d+|\d+)",
    re.IGNORECASE,
)
# Labels that title the parts of any explanation (`优点：`, `场景：`, `问题：`): a list of them says
# how the note is laid out, not what it knows.
_GENERIC_LABEL = re.compile(
    r"^(?:优点|缺点|优势|劣势|好处|坏处|场景|使用场景|应用场景|问题|背景|原因|方法|总结|注意|注意事项|说明|"
    r"原理|作用|定义|特点|例如|示例|结果|现象|解决|解决方法|解决方案|方案|目的|用法|效果|步骤|流程|结论|"
    r"概念|简介|介绍|备注|参考|pros|cons|note|example|usage|summary)$",
    re.IGNORECASE,
)
# `输入维度为：` ends where its value (a formula) began: a fragment, not a name.
_PREDICATE_END = re.compile(r"(?:为|是|指|有|包括|等于|如下)$")


def _is_a_name(label: str) -> bool:
    """Enough of a name to recall: two Chinese characters, or a Latin word of three letters
    (`ap`, `cp` are too little)."""
    return len(CJK.findall(label)) >= 2 or bool(re.search(r"[A-Za-z]{3,}", label))


def labels_of(items: Sequence[str], *, paragraphs: bool = False) -> tuple[str, ...] | None:
    """The names of a list whose every item names a thing and then explains it, or whose items
    are names whose explanations sat under them (`运行状态：`): 3 or more distinct short names, none
    an ordinal (`第一步`). None for any other list: its items are what a person recalls, unless
    they are `paragraphs` (a list written without list markers): those are never said back whole."""
    if len(items) < MIN_LABELLED_ITEMS:
        return None
    labels: list[str] = []
    for item in items:
        match = _ITEM_LABEL.match(item.strip())
        if match is None:
            return None
        label = match.group("label").strip(" *_`")
        rest = item.strip()[match.end() :].strip()
        if (
            not label
            or reading_length(label) > MAX_LABEL_UNITS
            or _ORDINAL_LABEL.match(label)
            or _PREDICATE_END.search(label)
            or not _is_a_name(label)
            or (rest and len(rest) < 4)
            or rest.startswith(("//", ":"))  # `https://…`, an explicit card's `Q::A`
        ):
            return None
        labels.append(label)
    if len(set(labels)) < len(labels) or sum(
        bool(_GENERIC_LABEL.match(x)) for x in labels
    ) * 2 >= len(labels):
        return None
    if (
        not paragraphs
        and max(reading_length(item) for item in items) <= MAX_ITEM_UNITS
        and not all(item.rstrip().endswith((":", "：")) for item in items)
    ):
        return None  # short enough to say back whole
    return tuple(labels)


def _labelled_runs(section: Section, prose: str) -> list[tuple[str, ...]]:
    """Paragraphs in a row that each open with a name (`应用层：…`, `传输层：…`): a list written
    without list markers, asked for by its names like one (`labels_of`)."""
    items = _item_texts(section)
    runs: list[tuple[str, ...]] = []
    run: list[str] = []
    for line in [*(line.strip() for line in prose.splitlines() if line.strip()), ""]:
        label = _ITEM_LABEL.match(line)
        # a line ending in its colon introduces the run (`…分别如下所述：`); it is no part of it
        if label and line[label.end() :].strip() and " ".join(line.split()) not in items:
            run.append(line)
            continue
        if labels_of(run, paragraphs=True):
            runs.append(tuple(run))
        run = []
    return runs


def _list(path: str, section: Section, prose: str, topic: str) -> list[Candidate]:
    if section.level == 0:
        return []
    link_texts = frozenset(link.text.strip() for link in section.links)
    cards: list[Candidate] = []
    lists = list_groups(section)
    groups = lists + _labelled_runs(section, prose)
    for number, items in enumerate(groups[:MAX_LISTS_PER_SECTION]):
        # items that each name a thing and explain it (`管道（Pipe）：管道可用于…`) are recalled by
        # their names: the explanations are too long to list from memory
        first_line = items[0]
        names = labels_of(items, paragraphs=number >= len(lists))
        items = names or items
        if not 2 <= len(items) <= 7 or any(len(i) > 120 or _URL.search(i) for i in items):
            continue
        front = f"{topic} — 列出 {len(items)} 点 (name the {len(items)} points)"
        # paragraphs in a row are introduced only by a line that says so (`…分别如下所述：`)
        among_lists = len(groups) > 1 and number < len(lists)
        lead_in = lead_in_of(prose, first_line, among_lists=among_lists, not_a_lead_in=link_texts)
        if lead_in:  # "…需要保证如下两点：" says what the items are better than the heading does
            front = f"{topic}\n{lead_in} — 列出 {len(items)} 点 (name the {len(items)} points)"
        back = "\n".join(f"{n}. {item}" for n, item in enumerate(items, 1))
        card = _card(CardKind.LIST, front, back, _source(path, section, "\n".join(items)))
        verdict = assess_list(
            section.heading,
            items,
            link_texts,
            lead_in=lead_in,
            topic=topic,
            named=bool(names),
            follows=block_before(section, first_line) if number < len(lists) else "",
        )
        cards.append((card, verdict))
    return cards


def _table_rows(path: str, section: Section, topic: str) -> list[Candidate]:
    """A comparison table, asked one row at a time:
    `redo log与binlog区别 — 文件大小: redo log / binlog`, answered with that row's cells under their
    column names. The first row names the columns and the first column names the rows, the way
    people tabulate differences; a table of one column or one row is not a comparison, and one of
    many rows is a reference listing."""
    cards: list[Candidate] = []
    for table in section.tables:
        header, rows = table[0], table[1:]
        columns = [name for name in header[1:] if name]
        if (
            not 2 <= len(header) <= MAX_TABLE_COLUMNS
            or len(columns) < len(header) - 1
            or not 2 <= len(rows) <= 8
        ):
            continue
        for row in rows[:MAX_TABLE_ROWS_PER_SECTION]:
            if len(row) != len(header) or not row[0] or not any(row[1:]):
                continue
            label = f"{header[0]} {row[0]}".strip() if header[0] else row[0]
            # a column named `Size-tiered / Universal` would read as two in `A / B / C`
            between = " | " if any("/" in column for column in columns) else " / "
            front = f"{topic}\n{label} — {between.join(columns)}"
            back = "\n".join(
                f"{name}：{cell}" for name, cell in zip(columns, row[1:], strict=True) if cell
            )
            card = _card(CardKind.QUESTION, front, back, _source(path, section, " | ".join(row)))
            cards.append(
                (card, assess_table_row(row[0], row[1:], columns=tuple(columns), topic=topic))
            )
        if cards:
            break  # one table per section: a second is usually the first's continuation
    return cards


# Cross-lingual similarity of a Chinese sentence and its supposed English rendering (an embedder's
# cosine).
TranslationScore = Callable[[str, str], float]


def _pairs(
    path: str, section: Section, translation: TranslationScore | None, *, topic: str
) -> list[Candidate]:
    """Only pairs that really are translations: a zh sentence is often followed by unrelated
    English.

    A pair is one fact, so it is drilled one way: Chinese to English, what an English-language
    interview asks of these notes (a reverse card was judged a duplicate of its forward one). The
    prompt says what the sentence is about, as every card's does: a sentence of a note seldom names
    its subject (`写入速度非常快，50-200M/s` under `ClickHouse › 优点`), and without it the drill
    was judged without context.
    """
    if translation is None:
        return []
    cards: list[Candidate] = []
    candidates = [
        pair
        for pair in section.bilingual_pairs
        if 6 <= len(zh := pair.zh.strip()) <= 200
        and 10 <= len(en := pair.en.strip()) <= 300
        and not _URL.search(zh + en)
        and 0.6 <= len(en) / len(zh) <= 6
    ]
    for pair in renderings(candidates, translation, minimum=MIN_TRANSLATION_SCORE):
        zh, en = pair.zh.strip(), pair.en.strip()
        source = _source(path, section, f"{zh}\n{en}")
        # a list item's number is no part of the sentence (`1、无需线程上下文切换的开销`)
        cards.append(
            (
                _card(
                    CardKind.ZH_EN,
                    f"用英文说 (say it in English): {clean(zh)}",
                    en,
                    source,
                    topic=topic,
                ),
                assess_pair(zh, en),
            )
        )
        if sum(a.is_made for _, a in cards) >= MAX_PAIRS_PER_SECTION:
            break
    return cards


def _explicit(path: str, section: Section, prose: str) -> list[Card]:
    """`Q::A` and `Q:::A` (both directions), one per line, as the Obsidian Spaced Repetition plugin
    reads them."""
    cards: list[Card] = []
    for line in prose.splitlines():
        if "::" not in line or _IDENT_SCOPE.search(line) or _URL.search(line):
            continue
        reverse = ":::" in line
        question, _, answer = line.partition(":::" if reverse else "::")
        question, answer = question.strip(" -*"), answer.strip()
        if len(question) < 2 or not answer:
            continue
        source = _source(path, section, line.strip())
        forward = _card(CardKind.EXPLICIT, question, answer, source)
        cards.append(forward)
        if reverse:
            cards.append(_card(CardKind.EXPLICIT, answer, question, source, sibling=forward.key))
    return cards


def candidates_for_section(
    path: str,
    section: Section,
    translation: TranslationScore | None = None,
    weak: frozenset[str] = frozenset(),
    *,
    title: str = "",
    note_headings: frozenset[str] | None = None,
) -> list[Candidate]:
    """Every card one section could yield, each with the quality model's verdict (made or not, and
    why). `note_headings` are its note's headings, folded (`quality.fold_headings`): a cloze must
    hide a glossary term or a name one of them is about; None skips that check."""
    prose = _prose(section)
    topic = topic_of(title or post_title(path), section)
    # the user wrote them
    explicit = [(card, Assessment(1.0, (), ())) for card in _explicit(path, section, prose)]
    lists = _list(path, section, prose, topic)
    questions, lists = _unless_listed(_question(path, section, prose, topic), lists, section)
    return [
        *questions,
        *_unless_asked(_clozes(path, section, prose, weak, topic, note_headings), questions),
        *lists,
        *_table_rows(path, section, topic),
        *explicit,
        *_pairs(path, section, translation, topic=topic),
    ]


def _unless_listed(
    questions: list[Candidate], lists: list[Candidate], section: Section
) -> tuple[list[Candidate], list[Candidate]]:
    """A question card whose back is only the items of a list card the section makes (and their
    sub-items, the details a list card leaves out) is that card again (judged duplicate: `缺点`
    asked as a question and as a list of its three items). The list says how many points to
    recall, so it is the one made, unless the heading is a question as written (`为什么说客户端一定
    先看到 watch 事件…？`): the question card asks it so, and the list is the copy."""
    listed = {
        re.sub(r"^\d+\.\s*", "", line).strip()
        for card, verdict in lists
        if verdict.is_made
        for line in card.back.splitlines()
    }
    # the line introducing the list is its prompt (`ZooKeeper 的顺序保证：`)
    listed |= {
        card.front.splitlines()[-1].rsplit(" — 列出", 1)[0].strip()
        for card, verdict in lists
        if verdict.is_made and "\n" in card.front
    }
    details = {" ".join(item.split()) for item, depth in _item_depths(section).items() if depth}
    out: list[Candidate] = []
    repeated = False
    for card, verdict in questions:
        lines = [line.strip().removeprefix("- ") for line in card.back.splitlines() if line.strip()]
        said = [line for line in lines if line not in details]
        if verdict.is_made and said and all(line in listed for line in said):
            if not section.heading.rstrip().endswith(("?", "？")):
                verdict = verdict.with_flaw(
                    Flaw.DUPLICATE, "the same fact as the section's list card"
                )
            else:
                repeated = True
        out.append((card, verdict))
    if repeated:
        reason = "the question card of the section's heading says the same items"
        lists = [(c, v.with_flaw(Flaw.DUPLICATE, reason) if v.is_made else v) for c, v in lists]
    return out, lists


def _folded(text: str) -> str:
    return "".join(ch for ch in text.casefold() if ch.isalnum())


def _unless_asked(clozes: list[Candidate], questions: list[Candidate]) -> list[Candidate]:
    """A cloze of a sentence that the section's question card says back whole is that card's fact
    asked again (judged duplicate every time: `为什么 CAP 不够` answered in three points, one of
    them blanked); the question asks it with its neighbours, so it is the one made."""
    said = [_folded(card.back) for card, verdict in questions if verdict.is_made]
    out: list[Candidate] = []
    for card, verdict in clozes:
        sentence = _folded(card.sources[0].span)
        if verdict.is_made and sentence and any(sentence in back for back in said):
            verdict = verdict.with_flaw(Flaw.DUPLICATE, "the section's question card says it back")
        out.append((card, verdict))
    return out


def cards_for_section(
    path: str,
    section: Section,
    translation: TranslationScore | None = None,
    weak: frozenset[str] = frozenset(),
    *,
    title: str = "",
) -> list[Card]:
    """The cards one section yields: the candidates the quality model keeps."""
    return [
        card
        for card, verdict in candidates_for_section(path, section, translation, weak, title=title)
        if verdict.is_made
    ]


SYLLABUS_REASON = "the summary page links to this section and no other card of it was good enough"


def key_sentences(
    sentences: Sequence[str], bold: Sequence[str], limit: int = MAX_BACK_CHARS
) -> list[int]:
    """`key_units` of sentences each on its own."""
    return [i for i, _ in key_units([[sentence] for sentence in sentences], bold, limit)]


def key_units(
    units: Sequence[Sequence[str]], bold: Sequence[str], limit: int = MAX_BACK_CHARS
) -> list[tuple[int, int]]:
    """Which units a person should say back about a section, within `limit` characters, in the
    note's order, each with how many of its sentences are said. A unit is a sentence, or a lead-in
    or list item with the items it heads (`主从同步实际分 2 种情况：` and its two items): said
    whole (an item's also as its head and the first sub-items that fit), never members without
    their head, since
    items without their lead-in dangle and a lead-in without its list promises what the back does
    not give (both judged broken markup). First the section's first unit (most often what the
    section is about: `Go 的垃圾回收器采用了…`), then the ones it stresses (bold), then its opening
    ones in a row. A lead-in alone (`APIs:`) is never an answer; a sentence too long to fit is left
    out rather than cut (a back cut mid-sentence was judged broken).

    No bound on their number: capped at five, fallback backs lost the steps and cases that made
    them useful (judged 56% useful uncapped, 33% capped, on the same 16 sections)."""
    usable = [i for i, unit in enumerate(units) if not (len(unit) == 1 and is_lead_in(unit[0]))]
    stressed = [
        i for i in usable if any(b.strip() and b.strip() in s for b in bold for s in units[i])
    ]
    stressed = usable[:1] + [i for i in stressed if i not in usable[:1]]
    chosen: dict[int, int] = {}
    length = 0

    def fitting(unit: Sequence[str]) -> int:
        """How many of the unit's sentences fit: all, or an item's head and at least one of its
        sub-items."""
        taken, size = 0, length
        for sentence in unit:
            if size + len(sentence) > limit:
                break
            taken, size = taken + 1, size + len(sentence)
        if taken < len(unit) and any(is_lead_in(sentence) for sentence in unit[:-1]):
            # a lead-in promises its whole list: `由以下 3 部分组成：` and one item was judged cut
            return 0
        return taken if taken == len(unit) or taken >= 2 else 0

    for i in stressed:
        if taken := fitting(units[i]):
            chosen[i] = taken
            length += sum(len(sentence) for sentence in units[i][:taken])
    for i in usable:
        if i in chosen:
            continue
        if not (taken := fitting(units[i])):
            break
        chosen[i] = taken
        length += sum(len(sentence) for sentence in units[i][:taken])
    return sorted(chosen.items())


def _opening_clauses(sentence: str, limit: int) -> str:
    kept = ""
    for clause in re.split(r"(?<=[，,；;])", sentence):
        if len(kept) + len(clause) > limit:
            break
        kept += clause
    return kept.rstrip("，,；; ")


def _units(blocks: Sequence[tuple[str, int | None]]) -> list[list[tuple[int, str]]]:
    """A back's sentences as `key_units` chooses them, each with its block's index: a lead-in
    block with the list right below it is one unit, as is a list item with its sub-items (without
    their item they read as siblings of the items above: judged broken markup); every other
    sentence is one of its own."""
    units: list[list[tuple[int, str]]] = []
    n = 0
    while n < len(blocks):
        text, depth = blocks[n]
        sentences = [(n, m.group().strip()) for m in _SENTENCE.finditer(text) if m.group().strip()]
        n += 1
        if depth is None and is_lead_in(text) and n < len(blocks) and blocks[n][1] is not None:
            floor = -1  # the whole list
        elif depth is not None and n < len(blocks) and (blocks[n][1] or 0) > depth:
            floor = depth  # an item with its sub-items
        else:
            units.extend([sentence] for sentence in sentences)
            continue
        unit = sentences
        while n < len(blocks) and (below := blocks[n][1]) is not None and below > floor:
            unit.append((n, blocks[n][0]))
            n += 1
        units.append(unit)
    return units


def _syllabus_card(path: str, section: Section, title: str) -> Candidate | None:
    """A section the summary page links to keeps one card: asked to explain it, answered with the
    whole section when it is short enough to say back, else with its stressed and opening
    sentences within MAX_PART_BACK_CHARS, each paragraph's on one line."""
    blocks, _ = answer_blocks(section, _prose(section))
    answer = "\n".join(as_item(text, depth) for text, depth in blocks)
    # its claims one per paragraph were judged worse: 10% useful against 38%
    # (cards_ab_outline.jsonl)
    if len(answer) > MAX_WHOLE_BACK_CHARS:
        units = _units(blocks)
        chosen = key_units(
            [[sentence for _, sentence in unit] for unit in units],
            section.bold,
            limit=MAX_PART_BACK_CHARS,
        )
        by_block: dict[int, list[str]] = {}
        for i, taken in chosen:
            for n, sentence in units[i][:taken]:
                by_block.setdefault(n, []).append(sentence)
        answer = "\n".join(
            as_item(_join_sentences(said), blocks[n][1]) for n, said in by_block.items()
        )
        if not chosen and units:  # one long sentence: its opening clauses
            answer = _opening_clauses(units[0][0][1], MAX_PART_BACK_CHARS)
    if sum(ch.isalnum() for ch in answer) < 20:
        return None
    topic = topic_of(title or post_title(path), section)
    front = topic if is_question_heading(section.heading) else f"讲讲 (explain): {topic}"
    card = _card(
        CardKind.QUESTION,
        " › ".join(section.heading_path),
        answer,
        _source(path, section, section.heading),
    )
    return replace(card, front=front), Assessment(0.8, (), (SYLLABUS_REASON,))


def written_card(
    path: str, section: Section, *, question: str, answer: str, span: str, title: str = ""
) -> Card:
    """A card the person accepted from the LLM card writer: the topic line, the question, the cited
    span."""
    card = _card(CardKind.WRITTEN, question, answer, _source(path, section, span))
    return replace(card, front=f"{topic_of(title or post_title(path), section)}\n{question}")


def generate_candidates(
    sections: Iterable[tuple[str, Section]],
    translation: TranslationScore | None = None,
    titles: Mapping[str, str] | None = None,
    syllabus: frozenset[SectionKey] = frozenset(),
    *,
    weak: frozenset[str] | None = None,
    summarised: Mapping[SectionKey, SectionKey] | None = None,
) -> list[Candidate]:
    """Every candidate of the vault with its verdict; duplicates across notes are merged, sources
    kept.

    A section in `syllabus` (what the summary page links to) with real content always keeps one
    card. `weak` (the vault's too-common words) is computed from the sections unless given: a sync
    passes the set it used before, so an edit elsewhere in the vault cannot flip a card of an
    unchanged section. `summarised`: each note section a summary page links to → the summary's
    section holding the link, whose question on it is one fact with the section's card
    (`summary_repeats`)."""
    sections = list(sections)
    if weak is None:
        weak = weak_words([section for _, section in sections])
    merged: dict[str, Candidate] = {}
    facts: dict[tuple[str, ...], str] = {}
    # Each section's candidates but its pairs in worker processes (the encoder that vouches for
    # pairs stays here). Pairs come last in a section's list, so the order is the one a single
    # process gives.
    headings: dict[str, set[str]] = {}
    for path, section in sections:
        headings.setdefault(path, set()).add(section.heading)
    folded = {path: fold_headings(names) for path, names in headings.items()}
    without_pairs = fork_map(
        partial(_candidates_without_pairs, weak=weak, titles=titles or {}, headings=folded),
        sections,
        min_items=PARALLEL_MIN_SECTIONS,
    )
    for (path, section), found in zip(sections, without_pairs, strict=True):
        title = (titles or {}).get(path, "")
        found += _pairs(
            path, section, translation, topic=topic_of(title or post_title(path), section)
        )
        if (
            (path, section.heading_path) in syllabus
            and section.level
            and not any(v.is_made for _, v in found)
        ):
            fallback = _syllabus_card(path, section, title)
            found += [fallback] if fallback is not None else []
        topic = topic_of(title or post_title(path), section)
        for card, verdict in found:
            # one fact in two notes (a summary page repeating a note's section) is one card,
            # though each prompt names its own note
            key = facts.setdefault(_fact(card, section.heading, topic), card.key)
            known = merged.get(key)
            if known is None:
                merged[key] = (card, verdict)
            else:  # the made verdict wins: a fallback can repeat a candidate that was not made
                better = verdict if verdict.is_made and not known[1].is_made else known[1]
                merged[key] = (known[0].with_sources_of(card), better)
    found = merge_summary_repeats(list(merged.values()), summarised or {})
    return drop_summary_overviews(found, summarised or {})


def _fact(card: Card, heading: str, topic: str) -> tuple[str, ...]:
    """What a card asks and answers, whichever note it is in: its kind, its section's own heading,
    its prompt without the topic line, its back (`语言 › db › redis › why 快` in the summary and
    `redis介绍 › why 快` in the note, both listing the same four reasons, were judged
    duplicates)."""
    if card.kind in _SAID_BY_ITS_BACK:
        return (card.kind, _folded(card.back))
    prompt = card.front.replace(topic, "", 1) if topic else card.front
    return (
        card.kind,
        " ".join(heading.split()),
        " ".join(prompt.split()),
        " ".join(card.back.split()),
    )


# A list's items or a sentence's translation are the fact itself: the same ones under another
# heading or lead-in (`PV 访问模式` in the note, `PV的访问模式有三种：` in the summary) are the same
# card (judged duplicates). A cloze's or a question's back is one answer to its own prompt.
_SAID_BY_ITS_BACK = frozenset({CardKind.LIST, CardKind.ZH_EN, CardKind.EN_ZH})


def _candidates_without_pairs(
    item: tuple[str, Section],
    *,
    weak: frozenset[str],
    titles: Mapping[str, str],
    headings: Mapping[str, frozenset[str]],
) -> list[Candidate]:
    path, section = item
    return candidates_for_section(
        path, section, None, weak, title=titles.get(path, ""), note_headings=headings.get(path)
    )


def generate_cards(
    sections: Iterable[tuple[str, Section]],
    translation: TranslationScore | None = None,
    titles: Mapping[str, str] | None = None,
    syllabus: frozenset[SectionKey] = frozenset(),
    *,
    weak: frozenset[str] | None = None,
    summarised: Mapping[SectionKey, SectionKey] | None = None,
) -> list[Card]:
    """Every card of the vault worth studying, one per distinct fact."""
    candidates = generate_candidates(
        sections, translation, titles, syllabus, weak=weak, summarised=summarised
    )
    return [card for card, verdict in candidates if verdict.is_made]
