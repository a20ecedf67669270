"""Lines that introduce what follows them, as notes write them."""

from __future__ import annotations

import pytest

from bagu.vault.prose import (
    breaks_a_word,
    introduces,
    is_label,
    is_lead_in,
    is_question,
    paragraphs,
    without_pointers,
)


@pytest.mark.parametrize(
    "line", ["Kafka 快的原因：", "它的缺点是", "主要包括", "The steps are as follows"]
)
def test_lead_ins(line: str) -> None:
    assert is_lead_in(line) and introduces(line)


def test_labels_are_bold_or_name_a_kind_of_content() -> None:
    assert (
        is_label("**更新策略**", bold=("更新策略",))
        and is_label("探针的区别")
        and is_label("优缺点：")
    )
    assert not is_label("Redis 是单线程的")  # a short claim without punctuation
    assert not is_label("更新策略", bold=())  # plain, and names no kind of content
    assert not is_label(
        "水平触发(LT)和边缘触发(ET)是 epoll_wait 的 2 种工作模式", bold=("水平触发",)
    )


def test_a_line_that_ends_inside_a_word_runs_on_however_short() -> None:
    """Text copied from a PDF is wrapped at a width, mid-word: `即使是存` / `储海量`."""
    wrapped = (
        "Kafka 提供了常量时间的性能，即使是存\n储海量的信息也如此，同时将数据持久化到磁\n盘上。"
    )
    assert paragraphs(wrapped, wrapped_at=40) == [
        "Kafka 提供了常量时间的性能，即使是存储海量的信息也如此，同时将数据持久化到磁盘上。"
    ]
    # lines that each say a thing stay apart: no word spans their break
    facts = "数据在内存中\n单线程处理命令\n子域拆分\n子域和限界上下文"
    assert paragraphs(facts, wrapped_at=40) == facts.split("\n")


@pytest.mark.parametrize(
    ("line", "following", "breaks"),
    [
        ("持久化到磁", "盘上", True),
        ("已经支", "持容器镜像", True),
        ("子域拆分", "子域和限界", False),  # 拆分 ends the line, 分子 is no word split here
        ("点击次数不高", "高点击物品", False),  # a doubled character is two words
        ("使用代理", "会发送", False),
        ("RDB", "快照", False),
    ],
)
def test_a_break_inside_a_word(line: str, following: str, breaks: bool) -> None:
    assert breaks_a_word(line, following) is breaks


@pytest.mark.parametrize(
    ("sentence", "asks"),
    [
        ("那么 Kafka 是如何实现的呢", True),
        ("万一不小心把这个 Pod 删掉了呢。", True),
        ("Redis 是单线程的吗", True),
        ("Why does it block?", True),
        ("前者侧重于考虑如何实现，而后者侧重于定义想要什么。", False),
        ("数据在内存中。", False),
        # typed without its mark, as notes title an answer below it
        ("- Why 加密摘要 not 直接发摘要", True),
        ("为什么要用B+树", True),
        ("如何实现高可用，主要靠哨兵。", False),  # punctuated: a claim that opens with 如何
        # too long to title anything
        ("怎么说呢这个东西其实就是一个队列而已没什么特别的地方大家都懂", False),
    ],
)
def test_a_question_is_told_by_its_mark_or_its_particle(sentence: str, asks: bool) -> None:
    assert is_question(sentence) is asks


@pytest.mark.parametrize(
    ("sentence", "said"),
    [
        (
            "在Redis集群中，借助槽实现数据分区，具体原理后文会介绍。",
            "在Redis集群中，借助槽实现数据分区。",
        ),
        ("The log is split into segments, as shown below.", "The log is split into segments."),
        ("所有网络栈变量都被放入了类似于如图 7.1 所示的数据结构中。", ""),
        ("上下文切换开销大。", "上下文切换开销大。"),
    ],
)
def test_a_clause_pointing_at_a_figure_or_elsewhere_is_left_out(sentence: str, said: str) -> None:
    assert without_pointers(sentence) == said


def test_a_list_item_that_only_labels_its_sub_items_is_said_with_them() -> None:
    """`防御手段：` alone promises what is not said; its sub-items are its content."""
    from bagu.vault.markdown import parse_document
    from bagu.vault.prose import said_groups

    text = (
        "# 0-RTT\n\n- 没有前向安全\n- 防御手段：\n  - 只允许幂等请求\n  - ticket 只能用一次\n"
        "- 可以被重放\n"
    )
    section = parse_document("tls.md", text).sections[-1]
    assert said_groups(section) == [
        ("没有前向安全", "防御手段：只允许幂等请求，ticket 只能用一次", "可以被重放")
    ]
