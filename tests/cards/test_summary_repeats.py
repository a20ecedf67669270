"""A summary page's question and the card of the note section it links to are one fact, one card."""

from __future__ import annotations

from bagu.cards.generate import CardKind, generate_candidates, generate_cards
from bagu.vault.markdown import parse_document
from bagu.vault.model import Section

NOTE = (
    "# mongodb\n\n## shard key\n\n好的 shard key：\n\n- 基数高 high cardinality\n"
    "- 频率低，值分布均匀\n- 不要单调递增（ObjectId、时间戳），否则写热点\n"
    "- 常用查询里带上 shard key\n\n"
    "## ESR 原则\n\n复合索引的字段顺序：Equality → Sort → Range。先放等值匹配的字段，再放排序字段，"
    "最后放范围字段。这样等值过滤后的索引项本身就是有序的，不用内存排序（SORT stage，超过 100MB 会"
    "报错，除非 allowDiskUse）。排序方向也要一致，{a:1, b:-1} 能支持 sort({a:1,b:-1})。\n\n"
    "## explain\n\nexplain 看几个值：\n\n- stage: COLLSCAN / IXSCAN / FETCH\n"
    "- totalKeysExamined vs totalDocsExamined\n- nReturned\n"
)
SUMMARY = (
    "# 数据库\n\n## mongodb\n\n### shard key 怎么选\n\n"
    "基数高、频率低、不单调递增、查询里常带 shard key。\n\n"
    "### 复合索引字段顺序\n\n"
    "ESR：等值 → 排序 → 范围，等值过滤后的索引项本身有序，不用内存排序。\n\n"
    "### 覆盖查询\n\n查询和投影字段都在索引里，不用回表读文档，投影要写 _id:0。\n"
)


def _sections() -> list[tuple[str, Section]]:
    note = [("notes/mongodb.md", s) for s in parse_document("notes/mongodb.md", NOTE).sections]
    summary = [("八股文.md", s) for s in parse_document("八股文.md", SUMMARY).sections]
    return [*note, *summary]


def _key(path: str, heading: str) -> tuple[str, tuple[str, ...]]:
    (section,) = [s for p, s in _sections() if p == path and s.heading == heading]
    return path, section.heading_path


def test_a_summary_question_restating_a_notes_list_is_that_list_card() -> None:
    summarised = {
        _key("notes/mongodb.md", "shard key"): _key("八股文.md", "shard key 怎么选"),
        _key("notes/mongodb.md", "ESR 原则"): _key("八股文.md", "复合索引字段顺序"),
        _key("notes/mongodb.md", "explain"): _key("八股文.md", "覆盖查询"),
    }
    # the syllabus: what the summary links to, and the summary itself
    syllabus = frozenset(summarised) | frozenset(summarised.values())
    cards = generate_cards(_sections(), syllabus=syllabus, summarised=summarised)
    fronts = [c.front for c in cards]
    # the summary's restatement of the criteria is the note's list card, with both sources
    (listed,) = [c for c in cards if c.kind is CardKind.LIST and "shard key" in c.front]
    assert {s.path for s in listed.sources} == {"notes/mongodb.md", "八股文.md"}
    assert not any(f.endswith("shard key 怎么选") for f in fronts)
    # the note's long ESR section and the summary's short answer: the short one, both sources
    (esr,) = [c for c in cards if "ESR" in c.back and c.kind is CardKind.QUESTION]
    assert esr.back.startswith("ESR：") and len(esr.sources) == 2
    # a summary question that says something else than the linked list stays its own card
    assert any("覆盖查询" in f for f in fronts)


def test_without_the_summary_links_nothing_is_merged() -> None:
    made = [c for c, v in generate_candidates(_sections()) if v.is_made]
    assert any(c.front.endswith("shard key 怎么选") for c in made)
    assert sum(c.kind is CardKind.LIST for c in made) == 2


JOINS = (
    "# join\n\n## Nested Loop Join 为什么要索引？\n\n"
    "INLJ：被驱动表 join 列有索引时每行查一次索引，代价 M × log N。没有索引就退化成 M × N 的全表"
    "扫描，MySQL 会改用 BNL 把驱动表分批读进 join buffer。\n\n"
    "## Hash Join 怎么做？\n\n"
    "build 小表建哈希表、probe 大表逐行查，只支持等值 join。MySQL 8.0.18 起支持，内存不够时两边按"
    "哈希分区落盘再逐个分区 join。\n\n"
    "## Sort Merge Join 什么时候用？\n\n"
    "两边输入已按 join 列排好序时最划算，顺序扫描两边各一次。要先排序时代价是排序本身，PostgreSQL "
    "在大表非等值连接时常选它。\n"
)
OVERVIEW = (
    "# 数据库\n\n## join 算法\n\n"
    "- [INLJ](notes/join.md#nested-loop-join)：被驱动表 join 列有索引，M × log N\n"
    "- [Hash Join](notes/join.md#hash-join)：build 小表、probe 大表，只支持等值\n"
    "- [Sort Merge](notes/join.md#sort-merge-join)：两边输入已排好序时最划算\n"
)


def test_a_summary_section_whose_points_restate_the_cards_it_links_is_no_card() -> None:
    """Each point of `join 算法` links a section whose card says it again: the summary's question
    on them is those cards once more; with more points of its own than repeated, it stays."""

    def cards_of(overview: str) -> list[str]:
        sections = [
            *[("notes/join.md", s) for s in parse_document("notes/join.md", JOINS).sections],
            *[("八股文.md", s) for s in parse_document("八股文.md", overview).sections],
        ]
        keys = {s.heading: (p, s.heading_path) for p, s in sections}
        summarised = {
            keys[heading]: keys["join 算法"]
            for heading in (
                "Nested Loop Join 为什么要索引？",
                "Hash Join 怎么做？",
                "Sort Merge Join 什么时候用？",
            )
        }
        syllabus = frozenset(summarised) | frozenset(summarised.values())
        cards = generate_cards(sections, syllabus=syllabus, summarised=summarised)
        assert any("Hash Join" in c.front for c in cards)  # the linked sections keep theirs
        return [c.front for c in cards if c.sources[0].path == "八股文.md"]

    assert cards_of(OVERVIEW) == []
    own = OVERVIEW + (
        "- 优化器按统计信息估算代价选算法\n- 驱动表选过滤后结果集小的\n"
        "- 两边 join 列的类型和字符集要一致\n- 先过滤再 join，只取需要的列\n"
    )
    assert len(cards_of(own)) == 1


def test_a_summary_question_linking_one_note_question_asks_it_again_in_other_words() -> None:
    """`GMP 里为什么要有 P` links `为什么需要 P？` alone: one question, however the words differ."""
    note = (
        "# Go 调度\n\n## 为什么需要 P？\n\nGo 1.0 只有 G 和 M，所有 G 在一个全局队列里，"
        "一把大锁，M 多了锁竞争严重。有了 P 以后本地队列基本无锁，mcache 挂在 P 上，"
        "还能做 work stealing，这就是 Go 1.1 引入 P 的原因。\n"
    )
    summary = "# Go\n\n## GMP 里为什么要有 P\n\n去掉全局锁：每个 P 一个本地队列；偷任务靠 P。\n"
    sections = [
        *[("notes/go.md", s) for s in parse_document("notes/go.md", note).sections],
        *[("八股文.md", s) for s in parse_document("八股文.md", summary).sections],
    ]
    keys = {s.heading: (p, s.heading_path) for p, s in sections}
    summarised = {keys["为什么需要 P？"]: keys["GMP 里为什么要有 P"]}
    syllabus = frozenset(summarised) | frozenset(summarised.values())
    questions = [
        c
        for c in generate_cards(sections, syllabus=syllabus, summarised=summarised)
        if c.kind is CardKind.QUESTION
    ]
    assert len(questions) == 1 and len(questions[0].sources) == 2
