"""The vault model of one note: sections, anchors, links with positions, spans. Pure: strings in."""

from __future__ import annotations

import pytest

from bagu.vault.markdown import parse_document
from bagu.vault.model import LinkKind


def sections(text: str) -> list[tuple[int, str, tuple[str, ...], int, int]]:
    doc = parse_document("note.md", text)
    return [(s.level, s.heading, s.heading_path, s.line_start, s.line_end) for s in doc.sections]


def test_atx_and_setext_headings_with_paths_and_line_ranges() -> None:
    text = "intro line\n\n# Title\n\nbody\n\nSub\n---\n\ntext\n\n### Deep\nx\n## Other\n"
    assert sections(text) == [
        (0, "", (), 1, 2),
        (1, "Title", ("Title",), 3, 6),
        (2, "Sub", ("Title", "Sub"), 7, 11),
        (3, "Deep", ("Title", "Sub", "Deep"), 12, 13),
        (2, "Other", ("Title", "Other"), 14, 14),
    ]


def test_headings_inside_code_fences_and_html_blocks_are_not_sections() -> None:
    text = (
        "# Real\n\n```bash\n# not a heading\n```\n\n<div>\n# also not\n</div>\n\n    # indented "
        "code\n"
    )
    assert [s[1] for s in sections(text)] == ["Real"]


def test_malformed_html_declaration_keeps_the_ids_and_text_around_it() -> None:
    """`<![# ` makes Python 3.11's HTMLParser raise AssertionError; the note still indexes, nothing
    lost."""
    doc = parse_document("n.md", '# T\n\n<div id="keep"><![# oops\n\nafter\n')
    assert doc.sections[0].anchors.explicit == ("keep",)
    assert "oops" in doc.sections[0].body and "after" in doc.sections[0].body


def test_no_pseudo_section_when_the_note_starts_with_a_heading_or_front_matter() -> None:
    assert [s[0] for s in sections("---\ntitle: x\n---\n# A\n")] == [1]
    assert sections("") == [(0, "", (), 1, 1)]


def test_duplicate_and_empty_headings_each_get_a_section_and_occurrence() -> None:
    doc = parse_document("n.md", "# A\n## B\n## B\n#\n## \n")
    assert [(s.heading, s.occurrence) for s in doc.sections] == [
        ("A", 0),
        ("B", 0),
        ("B", 1),
        ("", 0),
        ("", 0),
    ]
    assert [s.anchors.github for s in doc.sections] == ["a", "b", "b-1", "", "-1"]
    assert doc.sections[4].heading_path == ("", "")


def test_anchors_under_every_convention_and_explicit_ids() -> None:
    doc = parse_document(
        "n.md",
        "## 引用计数法**Reference** Counting\n\n## Leader 选举 {#leader-election}\n\n"
        '## <a id="gc"></a>GC\n\n<a name="here"></a>\n\ntext\n',
    )
    first, second, third = doc.sections
    assert first.anchors.raw == "引用计数法**Reference** Counting"
    assert first.anchors.text == "引用计数法Reference Counting"
    assert first.anchors.github == "引用计数法reference-counting"
    assert first.anchors.kramdown == "引用计数法reference-counting"
    assert second.heading == "Leader 选举"
    assert second.anchors.explicit == ("leader-election",)
    assert second.anchors.kramdown is None  # kramdown uses the explicit id instead
    assert second.anchors.github == "leader-选举-leader-election"  # GitHub slugs `{#…}` as text
    assert third.anchors.explicit == ("gc", "here")


LINKS = """# Links

Inline [a](other.md#Some%20Heading) and [b](<a b.md#x y>) and [c](%E4%B8%AD.md).
Reference [d][ref] and autolink <https://example.com/x> and ![img](pics/p.png).
Wiki [[note#Heading|alias]] and embed ![[pic.png]] and [[#local]].
Typora [e](dir/my note.md#引用计数法Reference Counting) works too.

| col | [[t\\|alias]] |
|---|---|
| x | [f](f.md) |

- item [g](g.md)
  > quote [h](h.md#^block-1)

```
[not](a link.md)
```

[ref]: ref.md#R
"""


def test_links_of_every_kind_with_line_column_and_decoded_targets() -> None:
    doc = parse_document("n.md", LINKS)
    got = [
        (link.line, link.column, link.kind, link.path, link.anchor, link.text) for link in doc.links
    ]
    assert got == [
        (3, 8, LinkKind.INLINE, "other.md", "Some Heading", "a"),
        (3, 41, LinkKind.INLINE, "a b.md", "x y", "b"),
        (3, 63, LinkKind.INLINE, "中.md", None, "c"),
        (4, 11, LinkKind.REFERENCE, "ref.md", "R", "d"),
        (4, 33, LinkKind.AUTOLINK, "https://example.com/x", None, "https://example.com/x"),
        (4, 61, LinkKind.IMAGE, "pics/p.png", None, "img"),
        (5, 6, LinkKind.WIKILINK, "note", "Heading", "alias"),
        (5, 39, LinkKind.EMBED, "pic.png", None, "pic.png"),
        (5, 56, LinkKind.WIKILINK, "", "local", "#local"),
        (6, 8, LinkKind.INLINE, "dir/my note.md", "引用计数法Reference Counting", "e"),
        (8, 9, LinkKind.WIKILINK, "t", None, "alias"),
        (10, 7, LinkKind.INLINE, "f.md", None, "f"),
        (12, 8, LinkKind.INLINE, "g.md", None, "g"),
        (13, 11, LinkKind.INLINE, "h.md", "^block-1", "h"),
    ]
    loose = [link for link in doc.links if link.is_loose]
    assert [link.raw_target for link in loose] == ["dir/my note.md#引用计数法Reference Counting"]
    assert doc.links[1].raw_target == "<a b.md#x y>"
    assert doc.links[4].is_external and not doc.links[0].is_external


def test_link_columns_point_at_the_bracket_in_the_source() -> None:
    doc = parse_document("n.md", LINKS)
    lines = LINKS.split("\n")
    for link in doc.links:
        assert lines[link.line - 1][link.column - 1] in "[!<", link


def test_crlf_and_mixed_line_endings_keep_line_numbers() -> None:
    text = "# A\r\ntext\r\n\r\n## B\rmore [x](y.md)\n## C\n"
    doc = parse_document("n.md", text)
    assert [(s.heading, s.line_start, s.line_end) for s in doc.sections] == [
        ("A", 1, 3),
        ("B", 4, 5),
        ("C", 6, 6),
    ]
    assert (doc.links[0].line, doc.links[0].column) == (5, 6)


def test_spans_bold_highlight_list_items_code_never_from_code() -> None:
    doc = parse_document(
        "n.md",
        "# S\n\n**关键句。** and ==marked== text, `**not bold**`.\n\n- one **b**\n- two\n  - "
        "nested\n\n```py\nx = '**no**'\n```\n",
    )
    section = doc.sections[0]
    assert section.bold == ("关键句。", "b")
    assert section.highlights == ("marked",)
    assert section.list_items == ("one b", "two", "nested")
    assert [(c.line, c.info, c.content) for c in section.code_blocks] == [
        (9, "py", "x = '**no**'\n")
    ]


def test_bilingual_pairs_paragraph_and_inline_tail() -> None:
    doc = parse_document(
        "n.md",
        "# GC\n\n一旦对象的引用计数为0，该对象立即被回收。\n\nWhen the count reaches zero, the "
        "object is freed.\n\n"
        "全局解释器锁确保同一时间只有一个线程执行字节码。ensures only one thread runs bytecode\n",
    )
    pairs = [(p.line, p.zh, p.en) for p in doc.sections[0].bilingual_pairs]
    assert pairs == [
        (
            3,
            "一旦对象的引用计数为0，该对象立即被回收。",
            "When the count reaches zero, the object is freed.",
        ),
        (
            7,
            "全局解释器锁确保同一时间只有一个线程执行字节码。",
            "ensures only one thread runs bytecode",
        ),
    ]


@pytest.mark.parametrize(
    ("text", "fmt", "title", "error"),
    [
        ("---\ntitle: Redis 持久化\ntags: [a]\n---\n# H\n", "yaml", "Redis 持久化", None),
        ('+++\ntitle = "Kafka"\n+++\n# H\n', "toml", "Kafka", None),
        (
            "---\ntitle: [unclosed\n---\n# H\nbody\n",
            "yaml",
            "H",
            "YAML front matter does not parse",
        ),
        ("+++\ntitle = \n+++\n# H\n", "toml", "H", "TOML front matter does not parse"),
    ],
)
def test_front_matter(text: str, fmt: str, title: str, error: str | None) -> None:
    doc = parse_document("n.md", text)
    assert doc.front_matter is not None
    assert doc.front_matter.format == fmt
    assert doc.title == title
    assert (doc.front_matter.error or "").startswith(error or "")
    assert doc.sections[0].heading == "H"
    assert doc.sections[0].line_start == doc.front_matter.line_count + 1


def test_unclosed_front_matter_is_a_thematic_break_not_front_matter() -> None:
    doc = parse_document("n.md", "---\n# Title\nbody\n")
    assert doc.front_matter is None
    assert doc.title == "Title"


def test_title_falls_back_to_file_stem() -> None:
    assert parse_document("dir/2021-08-11-tcp.md", "no heading\n").title == "2021-08-11-tcp"


def test_english_first_renderings_are_candidates_a_score_chooses_among() -> None:
    """The summary page writes the English point and then its Chinese rendering. Read Chinese-first,
    each Chinese sentence pairs with the *next* point's English; with a cross-lingual score the
    candidates that translate each other are chosen, each paragraph in one pair."""
    from bagu.vault.bilingual import renderings

    doc = parse_document(
        "n.md",
        "# bert\n\nCross-attention takes the encoder output as its keys and values.\n\n"
        "交叉注意力用编码器的输出作为键和值。\n\n"
        "The decoder stops when it outputs the stop token.\n\n"
        "解码器输出停止符时停止。\n",
    )
    pairs = doc.sections[0].bilingual_pairs
    true = {
        (
            "交叉注意力用编码器的输出作为键和值。",
            "Cross-attention takes the encoder output as its keys and values.",
        ),
        ("解码器输出停止符时停止。", "The decoder stops when it outputs the stop token."),
    }

    def score(zh: str, en: str) -> float:
        return 0.8 if (zh, en) in true else 0.3

    assert {(p.zh, p.en) for p in renderings(pairs, score, minimum=0.6)} == true
    # without a score, the Chinese-first reading as before
    assert [(p.line, p.zh) for p in renderings(pairs)] == [
        (5, "交叉注意力用编码器的输出作为键和值。")
    ]


def test_tables_are_kept_as_rows_of_cells_and_are_no_bilingual_pairs() -> None:
    text = (
        "# T\n\n| 中文 | English |\n|---|---|\n| 数据在内存中 | Data lives in memory. |\n| 单线程 "
        "| |\n"
    )
    (section,) = parse_document("t.md", text).sections
    assert section.tables == (
        (("中文", "English"), ("数据在内存中", "Data lives in memory."), ("单线程", "")),
    )
    assert "数据在内存中" in section.body and section.bilingual_pairs == ()


def test_emphasis_commonmark_leaves_open_beside_cjk_punctuation_is_no_text() -> None:
    """Typora and Obsidian show these as bold; CommonMark keeps the `**`, which cards then
    showed."""
    text = (
        "# T\n\n**定时删除：**在键过期时删除。\n\n**[滚动更新](d.md#更新)**是一个重要功能。\n\n调"
        "用 model(**inputs) 即可，`a**b` 不变。\n"
    )
    (section,) = parse_document("t.md", text).sections
    assert section.body.splitlines() == [
        "定时删除：在键过期时删除。",
        "滚动更新是一个重要功能。",
        "调用 model(**inputs) 即可，a**b 不变。",
    ]


def test_bold_beside_cjk_punctuation_is_bold_as_editors_show_it() -> None:
    """`**定时删除：**在…` is a bold label in Typora and Obsidian: the grader and the cards stress
    it."""
    text = (
        "# T\n\n- **定时删除：**在键过期时删除。\n- **惰性删除。**读取时检查。\n\nA "
        "**WARNING:**DON'T stays as CommonMark says.\n"
    )
    (section,) = parse_document("t.md", text).sections
    assert section.bold == ("定时删除：", "惰性删除。")
    assert "**WARNING:**DON'T" in section.body


def test_underscores_inside_cjk_words_stay_text() -> None:
    (section,) = parse_document("t.md", "# T\n\n中文_下划线_中文 与 snake_case_name。\n").sections
    assert section.body == "中文_下划线_中文 与 snake_case_name。" and section.bold == ()


def test_a_note_of_several_top_headings_is_titled_by_its_file() -> None:
    """A summary page's `# 数据库`, `# 网络`, `# java` each title a part: the first is not the
    page's title (every card of the page had said `数据库 › java › G1 Region`)."""
    text = "# 数据库\n\n## mongodb\n\nx\n\n# java\n\n## G1\n\ny\n"
    assert parse_document("八股文.md", text).title == "八股文"
    assert parse_document("n.md", "# Redis\n\n## RDB\n\nx\n").title == "Redis"


def test_an_obsidian_callouts_type_marker_is_no_text() -> None:
    """`> [!warning] 2PC 的问题` titles the list the callout holds: the title is text (a card's
    prompt said `[!warning] 2PC 的问题 — 列出 3 点`), the marker is not, and a link on the line
    keeps its column."""
    text = (
        "# 2PC\n\n> [!warning] 2PC 的问题 [详见](b.md)\n"
        "> - 同步阻塞：锁着资源\n> - 协调者单点：卡住\n\n"
        "> [!tip]-\n> 折叠的内容\n\n> [!not a callout] 留着\n"
    )
    (section,) = parse_document("n.md", text).sections
    assert section.body.splitlines()[0] == "2PC 的问题 详见"
    assert "[!" not in section.body.replace("[!not a callout]", "")
    assert "折叠的内容" in section.body and "[!not a callout] 留着" in section.body
    assert section.list_items == ("同步阻塞：锁着资源", "协调者单点：卡住")
    (link,) = section.links
    assert (link.line, link.column) == (3, text.splitlines()[2].index("[详见") + 1)
