"""The card quality model: each flaw of the rubric that a candidate's text shows, table-driven from
judged cards."""

from __future__ import annotations

import pytest

from bagu.cards.generate import CardKind, generate_candidates, topic_of
from bagu.cards.quality import (
    Flaw,
    assess_answer,
    assess_cloze,
    assess_list,
    assess_pair,
    assess_table_row,
    fold_headings,
)
from bagu.vault.markdown import parse_document


@pytest.mark.parametrize(
    ("before", "hidden", "after", "flaw"),
    [
        # cases from the judged sample (benchmarks/data/cards_judged.jsonl), reason in the comment
        (
            "索引有Hash索引，",
            "B+树索引",
            "等，而我们经常使用的InnoDB存储引擎的默认索引实现为：B+树索引。",
            Flaw.GIVEAWAY,
        ),
        ("", "预训练语言模型", "：Pre-trained language model（预训练语言模型）", Flaw.GIVEAWAY),
        (
            "MSL (Maximum Segment Lifetime)，",
            "报文最大生存时间",
            "（报文最大生存时间）",
            Flaw.GIVEAWAY,
        ),
        ("这样的设计模式会有一个典型的问题：", "Master 节点的可用性", "。", Flaw.NO_CONTEXT),
        ("而且还有", "需要离线安装", "，安装k3s的install.sh也需要修改", Flaw.NO_CONTEXT),
        # judged useless: what the sentence points back at is not on the card
        ("前面介绍的模型主要用于", "精排", "，本节介绍怎么做粗排。", Flaw.NO_CONTEXT),
        ("", "分析驱动优化", "：使用上述判断来指导第一阶段的代码重构工作。", Flaw.NO_CONTEXT),
        ("", "快速", "从海量数据中取回几千个用户可能感兴趣的物品", Flaw.FILLER),
        (
            "然而 preStop 也有执行失败的情况，",
            "kubelet 也不会重复执行，而是会等一段时间",
            "。",
            Flaw.TOO_LONG,
        ),
        ("K3s 会在启动时检查是否存在 /etc/rancher/k3s/", "registries.yaml", " 文件", Flaw.CODE),
        # a function call, however lowercase its name
        ("优化线程分支，调用 ", "syncthreads()", " 确保共享内存写完", Flaw.CODE),
        (
            "用 img 作为权重，对 image-20220905144757719 进行加权平均 (",
            "一组神经网络就是一个目标",
            ")",
            Flaw.BROKEN_MARKUP,
        ),
    ],
)
def test_a_flawed_cloze_is_not_made(before: str, hidden: str, after: str, flaw: Flaw) -> None:
    verdict = assess_cloze(before, hidden, after)
    assert flaw in verdict.flaws and not verdict.is_made, verdict


@pytest.mark.parametrize(
    ("before", "hidden", "after"),
    [
        ("", "双塔 BERT 模型", "不够准确，但是推理代价小，常用于链路上游（粗排、召回海选）"),
        (
            "存在一个负责协调各个本地资源管理器的",
            "事务管理器",
            "，本地资源管理器一般是由数据库实现，",
        ),
        (
            "Coroutines are implemented in ",
            "user space",
            " The scheduling of coroutines is done by the user program.",
        ),
        ("从 CPU 发起任何 CUDA 操作都会产生通常所说的", "启动延迟", "开销。"),
        ("Pod 代表着集群中运行的进程：", "共享网络", "、共享存储"),
    ],
)
def test_a_judged_useful_cloze_is_made(before: str, hidden: str, after: str) -> None:
    verdict = assess_cloze(before, hidden, after)
    assert verdict.is_made and not verdict.flaws, verdict


def test_lists_of_references_long_steps_or_commands_are_not_made() -> None:
    assert Flaw.REFERENCE in assess_list("参考", ("官方文档", "某篇博客"), frozenset()).flaws
    assert (
        Flaw.REFERENCE
        in assess_list(
            "kubeflow", ("20220505-Any way make model API", "20220428-Add user"), frozenset()
        ).flaws
    )
    assert Flaw.REFERENCE in assess_list("工具", ("a", "b"), frozenset({"a", "b"})).flaws
    steps = (
        "缺陷：浏览器与服务器只保持短暂的连接，浏览器的每次请求都需要与服务器建立一个TCP连接"
        "（TCP连接的新建成本很高，因为需要客户端和服务器三次握手），服务器完成请求处理后立即断开TCP连接",
        "支持 Host 头",
    )
    assert Flaw.TOO_LONG in assess_list("http1.0", steps, frozenset()).flaws
    heartbeat = ("检测主从服务器的网络状态", "辅助实现 min-slaves 选项", "检测命令丢失")
    assert assess_list("心跳", heartbeat, frozenset(), lead_in="心跳检测有三个作用：").is_made
    assert assess_list("心跳的作用", heartbeat, frozenset()).is_made


def test_a_list_that_nothing_introduces_is_not_made() -> None:
    """`心跳 — 列出 3 点` does not say what to list: neither a lead-in line nor a heading like 作用
    / 步骤."""
    heartbeat = ("检测主从服务器的网络状态", "辅助实现 min-slaves 选项", "检测命令丢失")
    assert Flaw.NO_CONTEXT in assess_list("心跳", heartbeat, frozenset()).flaws
    assert Flaw.NO_CONTEXT not in assess_list("Steps", ("plan", "apply"), frozenset()).flaws


def test_an_incident_log_makes_no_card() -> None:
    topic = "记一次kafka clickhouse 排错 › 问题一 › 初步"
    assert Flaw.LOW_VALUE in assess_cloze("发现消费记录大概", "200 rows/sec", "", topic=topic).flaws
    assert (
        Flaw.LOW_VALUE
        in assess_list("初步", ("看后台log", "看 kafka 消费组"), frozenset(), topic=topic).flaws
    )
    assert (
        Flaw.LOW_VALUE
        not in assess_cloze("Kafka 用", "页缓存", "加速读写", topic="Kafka › 为什么快").flaws
    )


def test_identifiers_and_english_giveaways_are_not_hidden() -> None:
    assert (
        Flaw.CODE
        in assess_cloze("增大", "kafka_max_block_size", "，可以直接 drop table", topic="t").flaws
    )
    assert (
        Flaw.CODE
        in assess_cloze("生产者会收到", "NotEnoughReplicasException", "异常", topic="t").flaws
    )
    assert (
        Flaw.CODE in assess_cloze("会触发", "watchHandler", "回调，将变化放入队列", topic="t").flaws
    )
    versioned = assess_cloze(
        "建表语句中", "新增了一列Version", "，记录状态行", topic="MergeTree › VersionedCollapsing"
    )
    assert Flaw.GIVEAWAY in versioned.flaws
    assert (
        Flaw.NO_CONTEXT
        in assess_cloze("，InnoDB 会执行语句来重置", "自增计数器", "", topic="t").flaws
    )


def test_pairs_that_are_cut_off_or_not_chinese_are_not_made() -> None:
    assert not assess_pair(
        "一旦对象的引用计数为0，该对象立即被回收。它的缺点是", "When the count is zero it is freed"
    ).is_made
    assert not assess_pair(
        "non-nil slice with both capacity and length equal to 0", "but the Data pointer may not be"
    ).is_made
    assert not assess_pair(
        "在这些 IP 地址之间建立一个覆盖网络。", "。Build an overlay network between them"
    ).is_made
    assert assess_pair(
        "保护密码的最好办法是使用加盐密码哈希。",
        "The best way to protect passwords is salted hashing.",
    ).is_made


def test_an_answer_that_is_an_image_or_nothing_is_not_made() -> None:
    assert not assess_answer("image-20220905144757719 后面的文字").is_made
    assert not assess_answer("见图").is_made
    assert assess_answer("两步 query + fetch：先从各分片拿到 doc id，再取文档。").is_made


def test_prompts_say_the_note_and_heading_they_are_about() -> None:
    doc = parse_document(
        "2022-05-01-karmada.md",
        "## why\n\n为了解决**异构多云**下应用无感知运行在多个集群的问题。\n",
    )
    assert topic_of("karmada", doc.sections[-1]) == "karmada › why"
    ((card, _),) = [
        c
        for c in generate_candidates([("2022-05-01-karmada.md", s) for s in doc.sections])
        if c[0].kind is CardKind.CLOZE
    ]
    assert card.front == "karmada › why\n为了解决［…］下应用无感知运行在多个集群的问题。"


def test_a_sentence_the_question_card_says_back_is_no_cloze_of_its_own() -> None:
    doc = parse_document(
        "pacelc.md",
        "# 为什么 CAP 不够\n\n- CAP 只描述**发生网络分区时**的取舍，而分区是少数时间\n"
        "- 系统大多数时间没有分区，这时候也在做取舍\n\n# PACELC\n\n"
        "PACELC 说没有分区时要在**延迟和一致性**之间取舍。\n\n同步复制慢，异步复制不一致。\n",
    )
    made = {
        (c.kind, c.sources[0].heading_path[-1]): v
        for c, v in generate_candidates([("pacelc.md", s) for s in doc.sections])
    }
    assert made[(CardKind.QUESTION, "为什么 CAP 不够")].is_made
    assert Flaw.DUPLICATE in made[(CardKind.CLOZE, "为什么 CAP 不够")].flaws
    # a cloze no question card says back stays
    assert made[(CardKind.CLOZE, "PACELC")].is_made


def test_a_gloss_beside_the_bold_term_becomes_part_of_the_answer() -> None:
    doc = parse_document(
        "db.md",
        "# MySQL\n\n## 日志\n\nInnoDB 崩溃恢复依靠 **redo log**（重做日志）把已提交的事务重放到数"
        "据页。\n",
    )
    ((card, _),) = [
        c
        for c in generate_candidates([("db.md", s) for s in doc.sections])
        if c[0].kind is CardKind.CLOZE
    ]
    assert card.back == "redo log（重做日志）" and "重做日志" not in card.front


def test_every_candidate_the_model_drops_says_why() -> None:
    doc = parse_document(
        "n.md", "# N\n\n## 参考\n\n- [官方文档](https://a.example)\n- [博客](https://b.example)\n"
    )
    dropped = [
        (card, verdict)
        for card, verdict in generate_candidates([("n.md", s) for s in doc.sections])
    ]
    assert all(not verdict.is_made and verdict.reason for _, verdict in dropped)


def test_a_topic_line_that_names_the_hidden_term_gives_it_away() -> None:
    verdict = assess_cloze(
        "",
        "拥塞窗口 cwnd",
        "是发送方维护的一个状态变量，它会根据网络的拥塞程度动态变化。",
        topic="tcp 机制 › 拥塞控制 › 拥塞窗口",
    )
    assert Flaw.GIVEAWAY in verdict.flaws
    kept = assess_cloze(
        "Kafka 快是因为", "顺序写磁盘", "和零拷贝。", topic="Kafka › 为什么 Kafka 这么快"
    )
    assert kept.is_made


def test_a_question_card_holds_the_whole_answer_or_is_not_made() -> None:
    short = parse_document(
        "n.md",
        "# Go\n\n## new 和 make 的区别\n\nnew 返回指针，make 只用于 slice、map 和 chan 并返回值本"
        "身。\n",
    )
    long_body = "。".join(f"第 {i} 句很长的解释，讲了很多细节，没有一句是重点" for i in range(20))
    long = parse_document("m.md", f"# Go\n\n## 为什么 GC 这么复杂\n\n{long_body}。\n")
    made = {c.kind: v for c, v in generate_candidates([("n.md", s) for s in short.sections])}
    dropped = {c.kind: v for c, v in generate_candidates([("m.md", s) for s in long.sections])}
    assert made[CardKind.QUESTION].is_made
    assert (
        not dropped[CardKind.QUESTION].is_made and Flaw.TOO_LONG in dropped[CardKind.QUESTION].flaws
    )


def test_a_list_prompt_says_what_its_lead_in_says() -> None:
    doc = parse_document(
        "raft.md",
        "# Raft\n\n## 日志同步\n\nRaft 保证如下两点：\n\n- 索引和任期相同的条目命令相同\n- 之前的"
        "所有条目也都相同\n",
    )
    ((card, _),) = [
        c
        for c in generate_candidates([("raft.md", s) for s in doc.sections])
        if c[0].kind is CardKind.LIST
    ]
    assert card.front == "Raft › 日志同步\nRaft 保证如下两点： — 列出 2 点 (name the 2 points)"


BAD_SHAPES = """# Karmada

## 架构图

![image-20220905144757719](assets/image-20220905144757719.png)

## 只有代码

```yaml
apiVersion: v1
kind: Pod
```

## 只有表格

| 组件 | 作用 |
| --- | --- |
| **scheduler** | 调度 |
| etcd | 存储 |

## 参考

- [Karmada 官方文档](https://karmada.io)
- [一篇博客](https://blog.example)

## how

为了解决**异构多云**下应用无感知运行在多个集群的问题，Karmada 提供统一的控制面。

## 公式

损失函数是 $L = -\\sum y \\log \\hat{y}$，也叫**交叉熵**损失，分类任务常用。
"""


def test_sections_that_are_images_code_tables_links_or_latex_make_no_broken_card() -> None:
    doc = parse_document("2022-05-01-karmada.md", BAD_SHAPES)
    made = [
        card
        for card, verdict in generate_candidates(
            [("2022-05-01-karmada.md", s) for s in doc.sections]
        )
        if verdict.is_made
    ]
    text = " ".join(card.front + " " + card.back for card in made)
    for broken in (
        "image-2022",
        ".png",
        "apiVersion",
        "| 组件",
        "$",
        "\\\\sum",
        "karmada.io",
        "官方文档",
    ):
        assert broken not in text, (broken, text)
    how = [card for card in made if "异构多云" in card.back]
    # a one-word heading gets its note
    assert how and all(card.front.startswith("Karmada › how") for card in how)


def test_two_lists_are_two_cards_and_sub_items_stay_with_their_item() -> None:
    text = (
        "# Redis\n\n## 多线程\n\n两个方向：\n\n- 网络 I/O 多线程\n  - 读写 socket 交给 I/O 线"
        "程\n  - 命令仍单线程执行\n"
        "- 后台删除\n\n采用多线程的原因：\n\n1. 网络 I/O 成为瓶颈\n2. 大 key 删除阻塞主线程\n"
    )
    doc = parse_document("redis.md", text)
    section = doc.sections[-1]
    assert section.list_shape == ((0, 0), (0, 1), (0, 1), (0, 0), (1, 0), (1, 0))
    lists = [
        c
        for c, v in generate_candidates([("redis.md", section)])
        if c.kind is CardKind.LIST and v.is_made
    ]
    assert [card.back for card in lists] == [
        "1. 网络 I/O 多线程\n2. 后台删除",
        "1. 网络 I/O 成为瓶颈\n2. 大 key 删除阻塞主线程",
    ]
    assert lists[1].front == "Redis › 多线程\n采用多线程的原因： — 列出 2 点 (name the 2 points)"


def test_among_several_lists_each_prompt_says_which_list_it_asks_for() -> None:
    text = (
        "# Redis\n\n## 对象编码\n\n集合对象的编码\n\n- intset\n- hashtable\n\n有序集合的编码\n\n- "
        "ziplist\n- skiplist\n"
    )
    section = parse_document("redis.md", text).sections[-1]
    fronts = [
        c.front for c, _ in generate_candidates([("redis.md", section)]) if c.kind is CardKind.LIST
    ]
    assert fronts == [
        "Redis › 对象编码\n集合对象的编码 — 列出 2 点 (name the 2 points)",
        "Redis › 对象编码\n有序集合的编码 — 列出 2 点 (name the 2 points)",
    ]


def test_a_statement_before_one_of_several_lists_does_not_introduce_it() -> None:
    """`…其他核上的副本都会被 invalidate。` says something itself; `它需要满足哪三条？` asks."""
    second = "\n\n- 其他核再读就 cache miss\n- Intel 用 MESIF，AMD 用 MOESI\n"
    for line, made in (
        ("一个核要写某个 cache line，其他核上的副本都会被 invalidate。", False),
        ("容器网络要满足哪两条？", True),
    ):
        text = f"# CPU\n\n## MESI 缓存一致性\n\n- M 修改\n- E 独占\n\n{line}{second}"
        section = parse_document("cpu.md", text).sections[-1]
        last = [
            c for c in generate_candidates([("cpu.md", section)]) if c[0].kind is CardKind.LIST
        ][-1]
        assert last[1].is_made is made, (line, last[0].front, last[1].reasons)


def test_an_image_line_before_a_list_is_not_its_lead_in() -> None:
    text = (
        "# 索引\n\n## 索引覆盖\n\n![img](a.png)\n\n- 只查索引列\n- 不回"
        "表\n\n![image-20240701221913953](b.png)\n\n- Extra: Using index\n- 减少 IO\n"
    )
    section = parse_document("i.md", text).sections[-1]
    fronts = [
        c.front for c, _ in generate_candidates([("i.md", section)]) if c.kind is CardKind.LIST
    ]
    assert fronts and all("img" not in front and "image-" not in front for front in fronts), fronts


def test_a_pair_split_at_a_bracket_or_holding_its_own_english_is_not_made() -> None:
    zh = "慢日志有两种：index slow logs 和 search slow logs"
    assert Flaw.BROKEN_MARKUP in assess_pair(zh, "（ search slow logs)。").flaws
    assert (
        Flaw.BROKEN_MARKUP
        in assess_pair("慢日志分为 index slow logs 两种。", "index slow logs and search").flaws
    )
    assert assess_pair(
        "线程是 CPU 调度的基本单位。", "A thread is the basic unit of CPU scheduling."
    ).is_made


def test_a_blank_whose_counterpart_stands_beside_it_is_a_giveaway() -> None:
    assert (
        Flaw.GIVEAWAY
        in assess_cloze("记忆主要分为", "长期记忆", "和短期记忆。", topic="AI Agent › Memory").flaws
    )
    assert (
        Flaw.GIVEAWAY
        in assess_cloze("有水平融合和", "垂直融合", "两种。", topic="cuda › 融合").flaws
    )
    assert (
        Flaw.GIVEAWAY
        not in assess_cloze("Redis 的持久化方式有 RDB 和 ", "AOF", " 两种", topic="t").flaws
    )


def test_a_list_of_bare_labels_is_broken_markup() -> None:
    """`-g：` / `-G：`: the explanations sat under the labels and were not carried into the card."""
    labels = assess_list(
        "关键编译选项", ("-g：", "-G："), frozenset(), lead_in="cuda-gdb 的编译选项："
    )
    assert Flaw.BROKEN_MARKUP in labels.flaws


def test_a_blank_whose_translation_is_in_the_sentence_is_a_giveaway() -> None:
    """The glossary knows 幻读 is phantom read: the sentence already says it in English."""
    shown = assess_cloze(
        "可重复读下仍可能出现 phantom read，即", "幻读", "。", topic="MySQL › 隔离级别"
    )
    assert Flaw.GIVEAWAY in shown.flaws
    hidden = assess_cloze(
        "可重复读下仍可能出现", "幻读", "，需要间隙锁解决。", topic="MySQL › 隔离级别"
    )
    assert Flaw.GIVEAWAY not in hidden.flaws


def test_a_table_row_of_a_flag_or_of_paragraph_cells_is_not_made() -> None:
    assert assess_table_row("实现方式", ("InnoDB引擎层实现", "Server层实现")).is_made
    assert Flaw.CODE in assess_table_row("--etcd-snapshot-retention", ("保留的快照数量",)).flaws
    assert Flaw.NO_CONTEXT in assess_table_row("1", ("第一步", "第二步")).flaws
    assert not assess_table_row(
        "Quantization", ("Weights:Set by TensorRT (internal) per-channel " * 3, "x")
    ).is_made


def test_a_name_of_one_setup_is_not_hidden_but_short_acronyms_are_terms() -> None:
    for name in ("P2POp", "1eb8", "docker0", "k3s-install-script"):
        assert Flaw.CODE in assess_cloze("通信时使用", name, "完成点对点传输。", topic="t").flaws, (
            name
        )
    for term in ("L1", "K8s", "2PC", "IPv6"):
        assert Flaw.CODE not in assess_cloze("这里用的是", term, "协议。", topic="t").flaws, term


def test_a_blank_that_opens_with_a_conjunction_is_a_clause() -> None:
    verdict = assess_cloze(
        "虽然原主节点已经挂掉，（", "但是从节点不变", "），", topic="redis › 哨兵"
    )
    assert Flaw.FILLER in verdict.flaws and not verdict.is_made


def test_a_blank_followed_by_its_english_name_gives_it_away() -> None:
    verdict = assess_cloze(
        "Pod ", "重启策略", " RestartPolicy 应用于 Pod 内的所有容器。", topic="k8s › pod 生命周期"
    )
    assert Flaw.GIVEAWAY in verdict.flaws
    assert Flaw.GIVEAWAY not in assess_cloze("Kafka 用", "页缓存", " API 读写。", topic="t").flaws


def test_a_table_that_describes_its_rows_makes_no_row_cards() -> None:
    described = assess_table_row("Achievable 可实现", ("由 kernel 写法决定",), columns=("说明",))
    assert Flaw.LOW_VALUE in described.flaws and not described.is_made
    remarks = assess_table_row(
        "如何提高效率", ("并行多个子任务", "如何并行"), columns=("multi", "备注")
    )
    assert not remarks.is_made
    compared = assess_table_row(
        "文件大小", ("固定大小", "max_binlog_size"), columns=("redo log", "binlog")
    )
    assert compared.is_made


def test_a_cloze_may_hide_the_term_its_sentence_defines() -> None:
    """A blank that is the subject of a definition (`［…］是…的逻辑概念`) or the name a sentence
    gives (`称为［…］`) hides a concept though neither the glossary nor a heading holds it; a
    phrase coined in passing does not."""
    headings = fold_headings(["存储结构"])
    defined = assess_cloze(
        "", "Granule", "是数据按行划分时用到的逻辑概念。", note_headings=headings
    )
    named = assess_cloze(
        "构建器以序列化的形式创建引擎，称为",
        "计划 plan",
        "，可以保存到磁盘。",
        note_headings=headings,
    )
    coined = assess_cloze(
        "每一个操作总是能够在", "一定的时间", "内返回结果", note_headings=headings
    )
    assert defined.is_made and named.is_made
    assert Flaw.LOW_VALUE in coined.flaws


def test_a_list_with_an_item_whose_content_was_its_sub_list_is_broken() -> None:
    """`非对称加密：` as an item says nothing: what it titled was the nested list the card leaves
    out."""
    items = ("对称加密：加密和解密用同一个密钥", "非对称加密：", "数字签名：证明信息没有被修改过")
    lead_in = "HTTPS 的三种加密方式："
    assert Flaw.BROKEN_MARKUP in assess_list("HTTPS", items, frozenset(), lead_in=lead_in).flaws
    whole = (items[0], "非对称加密：公钥加密私钥解密", items[2])
    assert assess_list("HTTPS", whole, frozenset(), lead_in=lead_in).is_made


@pytest.mark.parametrize(
    "before",
    ["像这样的一个概念，在 Kubernetes 里面叫做", "它的作用是", "所以这个模式叫做"],
)
def test_a_cloze_whose_sentence_points_back_has_no_context(before: str) -> None:
    """`像这样的一个概念…叫做［…］` is about the example before it, which the card does not show."""
    flaws = assess_cloze(before, "Sidecar", "。", topic="k8s › 容器设计模式").flaws
    assert Flaw.NO_CONTEXT in flaws
    said = assess_cloze(
        "在 Pod 里与主容器一起运行的辅助容器叫做", "Sidecar", "。", topic="k8s › 容器设计模式"
    )
    assert Flaw.NO_CONTEXT not in said.flaws


def test_a_list_holding_another_count_than_its_lead_in_announces_is_not_made() -> None:
    """`TiKV 用 RocksDB 的三个 column family：` over a table the card leaves out, then two notes:
    the list is not what the lead-in announced (judged useless, broken markup); `如下两点：` over
    two items is."""
    from bagu.cards.quality import announced_count

    assert announced_count("TiKV 用 RocksDB 的三个 column family：") == 3
    assert announced_count("分两阶段，每阶段三步") is None and announced_count("十几种") is None
    items = ("时间戳按降序编码进 key", "短 value 直接内联到 CF_WRITE")
    lead = "TiKV 用 RocksDB 的三个 column family："
    assert not assess_list("MVCC 存储", items, frozenset(), lead_in=lead, topic="TiDB").is_made
    two = assess_list("MVCC 存储", items, frozenset(), lead_in="需要注意如下两点：", topic="TiDB")
    assert Flaw.BROKEN_MARKUP not in two.flaws
