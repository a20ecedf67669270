"""Card generation from parsed notes: each kind, the filters that keep bad cards out,
de-duplication."""

from __future__ import annotations

import pytest

from bagu.cards.generate import (
    Card,
    CardKind,
    candidates_for_section,
    generate_cards,
    is_salient,
    weak_words,
)
from bagu.vault.markdown import parse_document
from bagu.vault.model import Section

NOTE = """# Redis

## 为什么 Redis 这么快

数据在内存中，单线程处理命令，没有锁竞争。

## 数据安全

为了解决宕机丢数据的问题，Redis 提供了 RDB 和 AOF 两种**持久化**方式。

**bundle:** 一个标签，不是知识点。

**整句加粗的句子不会变成填空。**

## 淘汰策略

- noeviction
- allkeys-lru
- volatile-lru

## 代码

```go
// 为什么 **不是** 卡片
m := map[string]int{}
```

## 双语

RDB 在某个时间点把内存数据生成快照写入磁盘。 RDB writes a point-in-time snapshot of memory to disk.

## 显式卡片

CAP 的三个字母::一致性、可用性、分区容错
GIL:::全局解释器锁
std::vector 是 C++ 的容器
"""


def _cards(text: str = NOTE, translation: object = None, path: str = "db/redis.md") -> list[Card]:
    doc = parse_document(path, text)
    return generate_cards(((path, s) for s in doc.sections), translation)  # type: ignore[arg-type]


def _of(kind: CardKind, cards: list[Card]) -> list[tuple[str, str]]:
    return [(c.front, c.back) for c in cards if c.kind is kind]


def test_question_heading_gives_a_card_with_the_section_as_answer() -> None:
    assert _of(CardKind.QUESTION, _cards()) == [
        ("Redis › 为什么 Redis 这么快", "数据在内存中，单线程处理命令，没有锁竞争。")
    ]


def test_bold_becomes_a_cloze_but_not_labels_or_whole_sentences() -> None:
    assert _of(CardKind.CLOZE, _cards()) == [
        (
            "Redis › 数据安全\n为了解决宕机丢数据的问题，Redis 提供了 RDB 和 AOF 两种［…］方式。",
            "持久化",
        )
    ]


def test_a_cloze_hides_a_concept_not_a_phrase_coined_in_passing() -> None:
    """A blank must hide a glossary term or a name a heading of its note is about: `宕机丢数据` is
    a phrase of one sentence, `双写缓冲` what a later heading of the note treats."""
    note = (
        "# InnoDB\n\n## 数据安全\n\n为了解决**宕机丢数据**的问题，InnoDB 提供了 redo log。\n\n"
        "页写入磁盘之前先写入**双写缓冲**，避免页写了一半。\n\n"
        "## 双写缓冲的代价\n\n多写一次磁盘。\n"
    )
    assert [back for _, back in _of(CardKind.CLOZE, _cards(note))] == ["双写缓冲"]


def test_short_list_under_a_heading() -> None:
    ((front, back),) = _of(CardKind.LIST, _cards())
    assert front.startswith("Redis › 淘汰策略 — 列出 3 点")
    assert back == "1. noeviction\n2. allkeys-lru\n3. volatile-lru"


def test_explicit_cards_in_obsidian_syntax_one_and_two_ways() -> None:
    assert _of(CardKind.EXPLICIT, _cards()) == [
        ("CAP 的三个字母", "一致性、可用性、分区容错"),
        ("GIL", "全局解释器锁"),
        ("全局解释器锁", "GIL"),
    ]


def test_nothing_comes_from_code() -> None:
    for card in _cards():
        assert "map[string]int" not in card.front + card.back and "不是" not in card.back


@pytest.mark.parametrize(("score", "expected"), [(0.8, 1), (0.2, 0)])
def test_pairs_need_a_translation_score_and_are_drilled_one_way(
    score: float, expected: int
) -> None:
    cards = _cards(translation=lambda zh, en: score)
    pairs = [c for c in cards if c.kind in (CardKind.ZH_EN, CardKind.EN_ZH)]
    assert len(pairs) == expected
    if pairs:
        (forward,) = pairs
        assert forward.kind is CardKind.ZH_EN
        assert forward.back == "RDB writes a point-in-time snapshot of memory to disk."
    assert not [c for c in _cards() if c.kind is CardKind.ZH_EN]  # no model: no pair cards


def test_the_same_fact_in_two_notes_is_one_card_with_two_sources() -> None:
    text = "# 总结\n\n## 为什么 Redis 这么快\n\n数据在内存中，单线程处理命令，没有锁竞争。\n"
    summary = parse_document("八股文.md", text)
    detail = parse_document("db/redis.md", text)
    cards = generate_cards(
        [
            *(("八股文.md", s) for s in summary.sections),
            *(("db/redis.md", s) for s in detail.sections),
        ]
    )
    assert len(cards) == 1 and [s.path for s in cards[0].sources] == ["八股文.md", "db/redis.md"]


def test_one_section_under_another_heading_path_in_the_summary_is_still_one_card() -> None:
    """The summary nests the section under its own headings (`语言 › db › redis › why 快`); the
    note has it under its title (`redis介绍 › why 快`): the same fact, one card, both sources."""
    body = (
        "## why 快\n\n- 完全基于内存，绝大部分请求是纯粹的内存操作\n"
        "- 数据结构简单，对数据操作也简单\n- 多路I/O复用模型，非阻塞IO\n"
    )
    lists = _lists_of_a_note_and_its_summary(
        "db/redis.md", f"# redis介绍\n\n{body}", f"# 语言\n\n## db\n\n### redis\n\n#{body}"
    )
    assert len(lists) == 1, [card.front for card in lists]
    assert [s.path for s in lists[0].sources] == ["db/redis.md", "八股文.md"]
    assert "redis介绍 › why 快" in lists[0].front


def _lists_of_a_note_and_its_summary(path: str, note: str, summary: str) -> list[Card]:
    """The list cards of a note and of a summary page (`八股文.md`) repeating it."""
    sections = [
        *((path, s) for s in parse_document(path, note).sections),
        *(("八股文.md", s) for s in parse_document("八股文.md", summary).sections),
    ]
    return [card for card in generate_cards(sections) if card.kind is CardKind.LIST]


def test_the_same_list_under_another_heading_and_lead_in_is_one_card() -> None:
    """`PV 访问模式` in the note and `存储` › `PV的访问模式有三种：` in the summary list the same
    three modes: judged duplicates."""
    items = "- ReadWriteOnce 单节点读写\n- ReadOnlyMany 多节点只读\n- ReadWriteMany 多节点读写\n"
    lists = _lists_of_a_note_and_its_summary(
        "k8s/pv.md",
        f"# pv pvc\n\n## PV 访问模式\n\n{items}",
        f"# 语言\n\n## 存储\n\nPV的访问模式有三种：\n\n{items}",
    )
    assert len(lists) == 1, [card.front for card in lists]
    assert [s.path for s in lists[0].sources] == ["k8s/pv.md", "八股文.md"]


def _section_cards(path: str, text: str, *, score: float | None = None) -> list[Card]:
    """The cards of a note's one level-2 section; with `score`, every pair scores it."""
    (section,) = [s for s in parse_document(path, text).sections if s.level == 2]
    translation = None if score is None else (lambda zh, en: score)
    return generate_cards([(path, section)], translation=translation)


def _drills(path: str, text: str, *, score: float = 0.9) -> list[Card]:
    """The translation drills of a note's one level-2 section, every pair scoring `score`."""
    return [c for c in _section_cards(path, text, score=score) if c.kind is CardKind.ZH_EN]


def test_a_translation_drill_leaves_out_its_list_number() -> None:
    """`1、无需线程上下文切换的开销`: a list item's number is no part of the sentence to
    translate."""
    text = (
        "# aio\n\n## 协程优点\n\n1、无需线程上下文切换的开销\n\n"
        "No overhead of thread context switching.\n"
    )
    (pair,) = _drills("aio.md", text)
    assert pair.front.endswith("\n用英文说 (say it in English): 无需线程上下文切换的开销")


def test_a_translation_drill_says_what_its_sentence_is_about() -> None:
    """A note's sentence seldom names its subject (`写入速度非常快` under `ClickHouse › 优点`): the
    drill's prompt opens with the note and heading path, as every card's does."""
    text = (
        "# ClickHouse\n\n## 优点\n\n写入速度非常快，50-200M/s，对于大量的数据更新非常适用\n\n"
        "Write speed is exceptionally fast, ranging from 50-200 MB/s.\n"
    )
    (pair,) = _drills("ck.md", text)
    assert pair.front.splitlines()[0] == "ck › ClickHouse › 优点"
    assert pair.front.splitlines()[1].startswith("用英文说 (say it in English): 写入速度非常快")


def test_keys_are_stable_and_distinct() -> None:
    first, second = _cards(), _cards()
    assert [c.key for c in first] == [c.key for c in second]
    assert len({c.key for c in first}) == len(first)


@pytest.mark.parametrize(
    ("phrase", "salient"),
    [
        ("AOF", True),
        ("拥塞控制", True),
        ("对称加密", True),
        ("以上拓扑域是由Kubernetes自己维护的", True),  # a long phrase ending in 的 is a whole fact
        ("尝试不", False),  # a fragment
        ("今天的", False),
        ("第二步", False),  # a label
        ("第 2 步", False),
        ("（常用）", False),
        ("的", False),
        ("什么", False),  # a question word only
    ],
)
def test_cloze_salience(phrase: str, salient: bool) -> None:
    assert is_salient(phrase) is salient


def test_words_used_everywhere_are_weak_only_in_a_big_enough_vault() -> None:
    def section(n: int, text: str) -> Section:
        return parse_document("n.md", f"# S{n}\n\n{text}\n").sections[-1]

    sections = [
        section(n, "问题在于缓存。" if n % 5 == 0 else f"第{n}节讲别的内容") for n in range(60)
    ]
    weak = weak_words(sections)
    assert "问题" in weak and "缓存" in weak and "内容" in weak
    assert not is_salient("问题", weak) and is_salient("问题 AOF", weak)
    assert weak_words(sections[:10]) == frozenset()


def test_a_summary_linked_section_of_only_link_titles_gets_no_explain_it_card() -> None:
    """The summary page keeps every section it links to carded, but a section that is only links to
    other notes has nothing of its own to say back."""
    text = (
        "# AI\n\n## AI推理引擎\n\n- [模型推理系统](infer.md)\n- [推理流程全景](flow.md)\n"
        "- [推理引擎整体架构](arch.md)\n- [模型转化与图优化](graph.md)\n\n"
        "## 模型压缩\n\n剪枝去掉不重要的权重，量化把权重从 FP32 映射到 INT8，蒸馏让小模型学大模型"
        "的输出。\n"
    )
    sections = [("ai.md", s) for s in parse_document("ai.md", text).sections]
    syllabus = frozenset(("ai.md", s.heading_path) for _, s in sections if s.level)
    cards = generate_cards(sections, syllabus=syllabus)
    headings = {c.sources[0].heading_path[-1] for c in cards}
    assert "AI推理引擎" not in headings and "模型压缩" in headings


def test_an_explain_it_back_is_the_stressed_and_opening_sentences_never_a_dangling_lead_in() -> (
    None
):
    from bagu.cards.generate import key_sentences

    sentences = [
        "Volume Manager 是 Kubelet 的一部分。",
        "它负责本节点 Volume 的挂载。",
        "这里讲一下 Attach/Detach 两个操作：",
    ]
    assert key_sentences(sentences, ()) == [0, 1]
    long_one = "甲" * 150 + "。"
    stressed = ["开头一句。", long_one, "**关键**在于最后这一句。"]
    assert key_sentences(stressed, ("关键",), limit=40) == [0, 2]
    assert key_sentences([long_one], (), limit=40) == []


COMPARISON = """# mysql

## redo log与binlog区别

|          | redo log | binlog |
| -------- | -------- | ------ |
| 文件大小 | redo log的大小是固定的。 | binlog可通过配置参数`max_binlog_size`设置每个文件的大小。 |
| 实现方式 | redo log是InnoDB引擎层实现的。 | binlog是Server层实现的，所有引擎都可以使用。 |
| 适用场景 | 崩溃恢复(crash-safe) | 主从复制和数据恢复 |

## 参数

| 参数 | 说明 |
| --- | --- |
| `max_binlog_size` | 单个文件大小 |
| innodb_log_file_size | 日志文件大小 |
"""


def test_a_comparison_table_is_asked_row_by_row_never_read_as_lines() -> None:
    """A flattened table (one cell per line) was judged broken every time it made a card."""
    sections = [("db/mysql.md", s) for s in parse_document("db/mysql.md", COMPARISON).sections]
    syllabus = frozenset(("db/mysql.md", s.heading_path) for _, s in sections if s.level)
    cards = generate_cards(sections, syllabus=syllabus)
    rows = [c for c in cards if c.sources[0].heading_path[-1] == "redo log与binlog区别"]
    assert [c.front.splitlines()[-1] for c in rows] == [
        "文件大小 — redo log / binlog",
        "实现方式 — redo log / binlog",
        "适用场景 — redo log / binlog",
    ]
    assert rows[2].back == "redo log：崩溃恢复(crash-safe)\nbinlog：主从复制和数据恢复"
    # configuration keys are no concepts, and no card reads the cells as a paragraph or a list
    assert not [c for c in cards if "innodb_log_file_size" in c.front + c.back]
    assert not [c for c in cards if c.kind is not CardKind.QUESTION]


def _summary_linked_cards(text: str) -> list[Card]:
    """The cards of `redis.md` when the summary page links to each of its sections."""
    sections = [("redis.md", s) for s in parse_document("redis.md", text).sections]
    return generate_cards(
        sections, syllabus=frozenset(("redis.md", s.heading_path) for _, s in sections if s.level)
    )


def test_a_summary_fallback_card_holds_the_whole_section_when_it_fits() -> None:
    """A back that is part of its section was judged useful a fifth as often as the whole
    section."""
    steps = "\n".join(
        f"{n}. 第{n}步：主服务器执行第{n}个动作，并把结果记录到缓冲区里以便之后发送。"
        for n in range(1, 6)
    )
    (card,) = _summary_linked_cards(f"# redis\n\n## 主从同步\n\n{steps}\n")
    assert (
        card.front == "讲讲 (explain): redis › 主从同步"
        and card.back.count("\n") == 4
        and "第5步" in card.back
    )


def test_a_summary_fallback_says_a_long_section_in_short() -> None:
    """A section too long to say whole is said by its opening and stressed units within 180
    characters: within 320 it was judged a pasted passage (blind side by side of 40 sections, two
    judges: useful 17–41% against 35–59%)."""
    paragraphs = "\n\n".join(
        f"第{n}点：主服务器在这个阶段执行一个耗时较长的动作，并把结果记录到缓冲区里以便之后发送。"
        for n in range(1, 9)
    )
    text = f"# redis\n\n## 主从同步\n\n主从同步分为全量同步和命令传播两个阶段。\n\n{paragraphs}\n"
    (card,) = _summary_linked_cards(text)
    assert card.back.startswith("主从同步分为全量同步和命令传播两个阶段。")
    assert 60 < len(card.back) <= 180, card.back


def test_a_placeholder_in_angle_brackets_is_prose_not_html() -> None:
    """`<topic>-<partition>` read as an HTML tag left the summary's `日志` section with nothing to
    say and no card."""
    text = (
        "# 八股文\n\n## 日志\n\n**kafka以 `<topic>-<partition>` 为存储文件夹名，"
        "里面的文件按日志追加形式进行分段**\n"
    )
    (section,) = [s for s in parse_document("八股文.md", text).sections if s.level == 2]
    syllabus = frozenset({("八股文.md", section.heading_path)})
    (card,) = generate_cards([("八股文.md", section)], syllabus=syllabus)
    assert (
        card.back == "kafka以 <topic>-<partition> 为存储文件夹名，里面的文件按日志追加形式进行分段"
    )


def test_a_question_its_paragraph_goes_on_to_answer_is_kept() -> None:
    """`…如果这个滞留的包到达了服务端呢？这时候…`: the question is the explanation's premise, and
    cut to its first clause the back lost the stale SYN it is about (judged broken by two judges);
    a question that ends its paragraph still titles what follows and is left out."""
    text = (
        "# tcp\n\n## 为什么不是两次\n\n根本原因：无法确认客户端的接收能力。\n\n"
        "看似没有问题，但是连接关闭后，如果这个滞留的包到达了服务端呢？这时候服务端就默认建立连接。\n\n"
        "三次握手的目的是确认双方的收发能力，那四次握手可以嘛？\n\n这就带来了连接资源的浪费。\n"
    )
    (section,) = [s for s in parse_document("tcp.md", text).sections if s.level == 2]
    (card,) = [c for c in generate_cards([("tcp.md", section)]) if c.kind is CardKind.QUESTION]
    assert "如果这个滞留的包到达了服务端呢？这时候服务端就默认建立连接。" in card.back
    assert (
        "那四次握手可以嘛" not in card.back and "三次握手的目的是确认双方的收发能力。" in card.back
    )


def test_a_bold_label_inside_a_section_is_said_with_the_line_it_titles() -> None:
    """`**更新策略**` titles what follows it: alone on a line of an answer it dangles (judged broken
    markup), dropped it takes the subject of the line below with it; said with that line it is a
    labelled point. A label over a list titles it, and the list's items are marked as items."""
    text = (
        "# k8s\n\n## Deployment 的更新原理\n\n**更新策略**\n\n"
        "默认用 RollingUpdate 滚动更新，也可以选 Recreate 先删后建。\n\n**更新过程**\n\n"
        "- 控制器扩容新 ReplicaSet\n- 缩容旧的 ReplicaSet\n\n**水平触发和边缘触发是两种工作模式**\n"
    )
    cards = _section_cards("k8s.md", text)
    (question,) = [c for c in cards if c.kind is CardKind.QUESTION]
    assert question.back.splitlines() == [
        "更新策略：默认用 RollingUpdate 滚动更新，也可以选 Recreate 先删后建。",
        "更新过程：",
        "- 控制器扩容新 ReplicaSet",
        "- 缩容旧的 ReplicaSet",
        "水平触发和边缘触发是两种工作模式",
    ]


def test_a_link_title_over_a_sentence_is_its_subject_not_a_dropped_line() -> None:
    """A summary page names a note by a link on a line of its own and says what it is below it:
    the back keeps the name with the sentence (`SecurityContext：用于…`), not a subjectless
    sentence; a line that names its own subject, or a list of link titles, stays as it was."""
    text = (
        "# 八股文\n\n## 安全\n\n[SecurityContext](k8s/res.md#cgroup)\n\n"
        "用于定义容器运行时的安全属性和策略。\n\n"
        "[NetworkPolicy](k8s/net.md)\n\nNetworkPolicy 定义了网络规则，用于限制 Pod 之间的通信。\n"
    )
    (section,) = [s for s in parse_document("八股文.md", text).sections if s.level == 2]
    syllabus = frozenset({("八股文.md", section.heading_path)})
    (card,) = generate_cards([("八股文.md", section)], syllabus=syllabus)
    assert card.back.splitlines() == [
        "SecurityContext：用于定义容器运行时的安全属性和策略。",
        "NetworkPolicy 定义了网络规则，用于限制 Pod 之间的通信。",
    ]


def test_a_list_of_named_explanations_asks_for_the_names() -> None:
    """Items that each name a thing and explain it are recalled by their names: the list asks for
    `定时删除 / 惰性删除 / 定期删除`, not for three paragraphs; counted steps (`第一步：`) name
    nothing, and a list of fewer than three is left as it was."""
    text = (
        "# redis\n\n## 删除策略\n\n下面介绍三种删除策略：\n\n"
        "- 定时删除：在设置键的过期时间的同时，创建一个定时器，让定时器在键过期时间来临时立即执行对"
        "过期键的删除，对内存最友好。\n"
        "- 惰性删除：键过期后不管，每次读取该键时判断该键是否过期，如果过期就删除该键并返回空。\n"
        "- 定期删除：每隔一段时间对数据库中的过期键进行一次检查，删除其中的过期键，折中前两种。\n"
        "\n## 挂载过程\n\n挂载分为以下几步：\n\n"
        "- 第一步：用户创建一个包含 PVC 的 Pod，该 PVC 要求使用动态存储卷，调度器把它调度到节点。\n"
        "- 第二步：PV Controller 发现这个 PVC 处于待绑定状态，调用 Volume Plugin 去创建存储卷。\n"
        "- 第三步：AD Controller 发现 Pod 和 PVC 处于待挂接状态，调用 Volume Plugin 挂接设备。\n"
    )
    lists = dict(_of(CardKind.LIST, _cards(text)))
    assert (
        lists["redis › 删除策略\n下面介绍三种删除策略： — 列出 3 点 (name the 3 points)"]
        == "1. 定时删除\n2. 惰性删除\n3. 定期删除"
    )
    assert "1. 第一步\n2. 第二步\n3. 第三步" not in lists.values()


def test_a_list_of_questions_is_no_card() -> None:
    """`如何 patch 更新？` twice: the answers sat under the questions, the list holds none."""
    text = (
        "# k8s\n\n## Patch 的步骤\n\n"
        "- 如果要在其中新增一个 nginx 容器，如何 patch 更新？\n"
        "- 如果要修改 app 容器的镜像，如何 patch 更新？\n"
    )
    assert _of(CardKind.LIST, _cards(text)) == []


def test_paragraphs_that_each_open_with_a_name_are_a_list_of_the_names() -> None:
    """`应用层：…` `传输层：…` written as paragraphs, not list items, is a list all the same,
    asked for by its names; a line before them introduces it only when it says so (a colon)."""
    text = (
        "# tcp\n\n## 五层网络模型\n\n上三层如下所述：\n\n"
        "应用层：为应用程序提供网络服务，定义应用进程间通信和交互的规则，例如 HTTP 和 DNS。\n\n"
        "传输层：负责向两台主机进程之间的通信提供通用的数据传输服务，例如 TCP 和 UDP。\n\n"
        "网络层：负责为分组交换网上的不同主机提供通信服务，选择合适的路由，例如 IP 协议。\n"
    )
    assert _of(CardKind.LIST, _cards(text, path="net/tcp.md")) == [
        (
            "tcp › 五层网络模型\n上三层如下所述： — 列出 3 点 (name the 3 points)",
            "1. 应用层\n2. 传输层\n3. 网络层",
        )
    ]


@pytest.mark.parametrize(
    "labels",
    [
        ("情况1", "重启恢复", "备份恢复"),  # a counted case among names
        ("优点", "场景", "问题"),  # how the note is laid out, not what it knows
        ("输入维度为", "权重维度为", "输出维度为"),  # the values (formulas) were the answer
        ("ap", "cp", "ca"),  # too little to recall
    ],
)
def test_labels_that_name_nothing_make_no_list_of_names(labels: tuple[str, ...]) -> None:
    items = "".join(
        f"- {label}：这里是一段足够长的解释，说明这个部分讲的是什么内容，以及为什么它很重要，"
        "读者需要把它和其他几个部分放在一起比较才能理解全貌。\n"
        for label in labels
    )
    text = f"# db\n\n## 恢复的类型\n\n恢复的过程如下：\n\n{items}"
    backs = [back for _, back in _of(CardKind.LIST, _cards(text))]
    assert not any(back.splitlines()[0] == f"1. {labels[0]}" for back in backs), backs


def test_a_list_of_names_its_prompt_already_names_is_a_giveaway() -> None:
    text = (
        "# 事务\n\n## 脏读？幻读？不可重复读？\n\n"
        "- 脏读(Dirty Read)：一个事务读取了另一个未提交的事务中的数据，这些数据随后可能被回滚，"
        "读到的就是从来没有存在过的数据。\n"
        "- 不可重复读(Non-repeatable read)：一个事务的两次查询之中数据不一致，有事务提交了更新，"
        "同一行读出了两个值。\n"
        "- 幻读(Phantom Read)：一个事务两次查询的记录条数不一致，中间有事务插入了新的记录，"
        "像出现了幻觉一样。\n"
    )
    assert _of(CardKind.LIST, _cards(text)) == []


def test_a_back_says_sentences_whole_without_pointers_or_rhetorical_questions() -> None:
    """A sentence the author wrapped is said in one line; a clause that only points at a figure
    (`如下图所示`) or elsewhere (`后文会介绍`) and a rhetorical question are left out: read back
    without the figure they dangle."""
    text = (
        "# redis\n\n## 为什么用槽分区\n\n"
        "在Redis集群中，借助槽实现数据分区，具体原理后文会介绍。\n"
        "一致性哈希将哈希值空间组织成一个虚拟的圆环，如下图所示，\n"
        "数据沿环顺时针找到的第一台服务器就是它的节点。\n"
        "槽的数量固定，那为什么不是一致性哈希呢？\n"
    )
    (section,) = [s for s in parse_document("redis.md", text).sections if s.level == 2]
    (question,) = [
        c for c in generate_cards([("redis.md", section)]) if c.kind is CardKind.QUESTION
    ]
    assert question.back.splitlines() == [
        "在Redis集群中，借助槽实现数据分区。",
        "一致性哈希将哈希值空间组织成一个虚拟的圆环，数据沿环顺时针找到的第一台服务器就是它的节点。",
        "槽的数量固定。",
    ]


def test_an_explain_it_back_opens_with_the_sections_first_sentence() -> None:
    """What the section is about comes before what it stresses."""
    from bagu.cards.generate import key_sentences

    sentences = ["Go 的 GC 采用并发标记清除。", "其余的句子。", "白色：未扫描。", "灰色：扫描中。"]
    assert key_sentences(sentences, ("白色", "灰色"), limit=25) == [0, 2]


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        # `缺点` asked as a question and as a list of its three items is one fact: the list is made
        (
            "# clickhouse\n\n## 缺点\n\n- 没有完整的事务支持\n- 不适合按主键检索单行的点查询\n"
            "- 只能批量删除或修改数据\n",
            CardKind.LIST,
        ),
        # a heading that asks (`…？`) is asked as written; the list of the same items is the copy,
        # and the line introducing it is no point of the answer that the list lacks
        (
            "# ZooKeeper\n\n## 为什么客户端先看到 watch 事件再看到新数据？\n\n"
            "ZooKeeper 的顺序保证：\n\n"
            "- 看到新数据之前一定先收到 watch 事件\n- 事件和读结果按服务端处理顺序交给客户端\n",
            CardKind.QUESTION,
        ),
    ],
)
def test_a_question_whose_back_is_the_sections_list_is_no_second_card(
    text: str, kind: CardKind
) -> None:
    (section,) = [s for s in parse_document("note.md", text).sections if s.level == 2]
    kinds = [card.kind for card in generate_cards([("note.md", section)])]
    assert kinds == [kind]


def test_a_list_under_a_table_or_code_remarks_on_what_the_card_leaves_out() -> None:
    """`常见系统分类`, its table, then two caveats about it: the heading names the table."""
    caveats = "- 分类说的是默认行为，很多系统能调\n- PA/EC 指正常时一致，分区时可用\n"
    table = "| 系统 | 类别 |\n|---|---|\n| Cassandra | PA/EL |\n| Spanner | PC/EC |\n\n"
    code = "```\nrpc Get(Req) returns (Resp);\n```\n\n"
    for above in (table, code, "常见系统的分类如下：\n\n" + table + "注意：\n\n"):
        text = f"# PACELC\n\n## 常见系统分类\n\n{above}{caveats}"
        section = parse_document("p.md", text).sections[-1]
        ((_, verdict),) = [
            c for c in candidates_for_section("p.md", section) if c[0].kind is CardKind.LIST
        ]
        # a lead-in between the table and the list introduces the list itself
        assert verdict.is_made == above.endswith("注意：\n\n"), (above, verdict.reasons)


def test_a_question_back_keeps_the_outline_of_a_nested_list() -> None:
    """Flattened, a sub-item reads as a sibling of the items above it and loses its parent (judged
    broken markup): items are marked and sub-items indented under their item."""
    text = (
        "# redis\n\n## 为什么需要分布式锁的续期\n\n"
        "锁会因为过期而被自动释放，有两种做法。\n\n"
        "- 把过期时间设置得足够长\n- 增加守护线程续期\n  - 每隔三分之一过期时间检查一次\n"
        "  - 锁还在就重设过期时间\n"
    )
    (section,) = [s for s in parse_document("redis.md", text).sections if s.level == 2]
    (question,) = [
        c for c in generate_cards([("redis.md", section)]) if c.kind is CardKind.QUESTION
    ]
    assert question.back.splitlines() == [
        "锁会因为过期而被自动释放，有两种做法。",
        "- 把过期时间设置得足够长",
        "- 增加守护线程续期",
        "  - 每隔三分之一过期时间检查一次",
        "  - 锁还在就重设过期时间",
    ]


def test_a_summary_fallback_says_a_lead_in_with_its_whole_list_or_neither() -> None:
    """A long section's fallback back is chosen sentence by sentence; a lead-in and the list it
    announces are one unit, said whole or not at all: said alone the items dangle, and a lead-in
    with part of its list (`由以下 3 部分组成：` and one item) was judged cut short."""
    items = (
        "- 主从服务器的复制偏移量，主从双方各自维护，"
        "每次传播 n 个字节就加 n，用来判断双方是否一致。\n"
        "- 主服务器的复制积压缓冲区，一个固定长度的先进先出队列，保存最近传播过的写命令。\n"
        "- 服务器的运行 id，从服务器重连时发给主服务器，主服务器据此判断能否部分重同步。\n"
    )
    lead_in = "部分重同步功能由以下 3 部分组成："

    def fallback(paragraphs: int) -> list[str]:
        filler = "".join(
            f"第{n}点说明：主服务器在这个阶段执行一个耗时较长的动作，并把结果记录到缓冲区里。"
            for n in range(1, paragraphs + 1)
        )
        text = (
            "# redis\n\n## psync\n\n2.8 版本开始，主从同步可能只需要执行命令传播即可。\n\n"
            f"{filler}\n\n{lead_in}\n\n{items}"
        )
        (card,) = [c for c in _summary_linked_cards(text) if "讲讲" in c.front]
        assert len(card.back) <= 320 and card.back.startswith("2.8 版本开始")
        return card.back.splitlines()

    crowded = fallback(4)  # the list does not fit beside the four paragraphs
    assert lead_in not in crowded and not [line for line in crowded if "积压缓冲区" in line]
    roomy = fallback(1)
    at = roomy.index(lead_in)
    assert [line[:6] for line in roomy[at + 1 : at + 4]] == [
        "- 主从服务",
        "- 主服务器",
        "- 服务器的",
    ]


def test_a_back_does_not_end_on_a_lead_in_whose_code_it_leaves_out() -> None:
    """`…链表中所有的元素都是 runtime.sudog 结构：` over a code block: the back shows no code, so
    the lead-in would promise what it does not give, and the code it introduces was part of the
    answer: the back is not whole, and no question card is made of it."""
    text = (
        "# go\n\n## chan 原理是什么\n\n发送方写入缓冲区，然后唤醒接收方。\n\n"
        "等待队列使用双向链表 runtime.waitq 表示，元素都是 runtime.sudog 结构：\n\n"
        "```go\ntype sudog struct {\n    g *g\n}\n```\n"
    )
    (section,) = [s for s in parse_document("go.md", text).sections if s.level == 2]
    ((question, verdict),) = [
        (card, verdict)
        for card, verdict in candidates_for_section("go.md", section)
        if card.kind is CardKind.QUESTION
    ]
    assert question.back == "发送方写入缓冲区，然后唤醒接收方。"
    assert not verdict.is_made and "what it leaves out" in verdict.reason
    assert question not in generate_cards([("go.md", section)])


def test_a_caption_leaves_with_the_code_it_introduces_and_a_claim_stays() -> None:
    """`声明赋值` over a code block titled the code and dangled without it (judged broken: the back
    of `作用域的坑` was `声明赋值` and an unrelated sentence); `map 是引用类型` over code is a claim
    of its own."""
    text = (
        "# go\n\n## 变量\n\n声明赋值\n\n```go\nx := 1\n```\n\n"
        "表达式 new(T) 将创建一个 T 类型的匿名变量，初始化为零值，然后返回变量地址。\n\n"
        "map 是引用类型\n\n```go\nm := map[string]int{}\n```\n\n"
        "通过 key 的哈希值将 key 散落到不同的桶中，每个桶中有 8 个 cell。\n"
    )
    (card,) = _summary_linked_cards(text)
    assert "声明赋值" not in card.back
    assert card.back.startswith("表达式 new(T)") and "map 是引用类型" in card.back


def test_an_image_inside_a_line_leaves_no_alt_text_and_no_lead_in() -> None:
    """`- 总的损失函数： ![img](…)`: the alt text `img` read as a word of the back (judged broken),
    and the lead-in left introduces a formula the back cannot show."""
    text = (
        "# 推荐\n\n## 多目标排序模型\n\n训练：让预估值接近真实目标值\n\n"
        "- 总的损失函数： ![img](https://example.com/latex.png)\n"
        "- 对损失函数求梯度，做梯度下降更新参数\n"
        "- 负样本降采样，保留一小部分负样本 ![示意](down.png)\n"
    )
    (card,) = _summary_linked_cards(text)
    assert "img" not in card.back and "总的损失函数" not in card.back
    assert "对损失函数求梯度" in card.back and "保留一小部分负样本" in card.back
    assert "示意" not in card.back


def test_code_that_closes_a_section_illustrates_and_keeps_the_question_card() -> None:
    """`epitem 是…` and then the struct it describes: the prose is the whole answer and the code an
    illustration; code in the middle of the explanation is part of it."""
    closing = (
        "# io\n\n## 什么是 epitem\n\nepitem 是 epoll 中很重要的一种数据结构，是红黑树和 rdllist "
        "的基本组成元素。\n\n```c\nstruct epitem {\n    struct rb_node rbn;\n};\n```\n"
    )
    (section,) = [s for s in parse_document("io.md", closing).sections if s.level == 2]
    (question,) = [c for c in generate_cards([("io.md", section)]) if c.kind is CardKind.QUESTION]
    assert question.back.startswith("epitem 是 epoll 中很重要的一种数据结构")
    middle = closing.replace("```\n", "```\n\n它的成员 rbn 用于加入红黑树。\n", 1)
    middle = middle.replace("rbn;\n};\n```\n\n它的", "rbn;\n};\n```\n\n它的")
    (section,) = [s for s in parse_document("io.md", middle).sections if s.level == 2]
    assert not [c for c in generate_cards([("io.md", section)]) if c.kind is CardKind.QUESTION]


def test_a_rendering_written_before_its_chinese_sentence_is_drilled_too() -> None:
    """The summary page writes the English first: the drill still asks for the English of the
    Chinese sentence, and a pair the encoder rates below the bar makes none."""
    text = (
        "# bert\n\n## cross attention\n\n"
        "Cross-attention takes the encoder output as its keys and values.\n\n"
        "交叉注意力用编码器的输出作为键和值。\n"
    )
    assert len(_drills("ai.md", text, score=0.5)) == 0
    (drill,) = _drills("ai.md", text, score=0.8)
    prompt = drill.front.splitlines()[-1]
    assert prompt == "用英文说 (say it in English): 交叉注意力用编码器的输出作为键和值。"
    assert drill.back == "Cross-attention takes the encoder output as its keys and values."


def test_a_question_saying_a_list_and_its_sub_items_is_the_list_card_again() -> None:
    """`缺点` with a detail under one item: the question's back is the list card's items and that
    detail, the same fact; the list card is made and the question is not."""
    text = (
        "# 布隆过滤器\n\n## 缺点\n\n- 不能删（除非 counting）\n- 不能取出元素\n"
        "- 容量要提前估好，超过 n 之后误判率迅速上升，只能重建\n"
        "  - Redis 的 BF 有 scalable 扩容，但误判率会叠加\n"
    )
    assert [c.kind for c in _section_cards("bf.md", text)] == [CardKind.LIST]


def test_a_table_column_whose_name_holds_a_slash_keeps_the_prompts_columns_apart() -> None:
    """`Leveled | Size-tiered / Universal`: joined by ` / ` the row asked for three columns."""
    text = (
        "# LSM\n\n## compaction\n\n| | Leveled | Size-tiered / Universal |\n|---|---|---|\n"
        "| Write amp | high | low |\n| Read amp | low | higher |\n"
    )
    fronts = [c.front for c in _section_cards("lsm.md", text) if c.kind is CardKind.QUESTION]
    assert any(f.endswith("Write amp — Leveled | Size-tiered / Universal") for f in fronts), fronts
