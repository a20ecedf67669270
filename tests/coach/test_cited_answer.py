"""`bagu ask` on the example vault: cited extractive answers, abstention, and the LLM mode with its
checks."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from bagu.coach.asker import Asker
from bagu.coach.cited_answer import (
    NOTES_DO_NOT_COVER,
    Answer,
    extract_answer,
    retrieve,
    sentences_of,
)
from bagu.coach.llm import ChatClient, LLMConfig
from bagu.search.service import Searcher, search_sections
from bagu.store.db import connect
from bagu.store.queries import load_sections, sections_by_id
from bagu.store.sqlite import sqlite3
from tests.cli.run import bagu
from tests.coach.fake_openai import Script, fake_openai
from tests.conftest import EXAMPLE_VAULT


@pytest.fixture(scope="module")
def indexed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("ask") / "bagu.db"
    bagu("index", str(EXAMPLE_VAULT), db=db)
    return db


@pytest.fixture
def store(indexed: Path) -> Iterator[sqlite3.Connection]:
    conn = connect(indexed)
    yield conn
    conn.close()


def test_sentences_keep_their_lines_and_skip_code(store: sqlite3.Connection) -> None:
    sections = dict(((p, s.heading), s) for p, s in load_sections(store, "db/redis-sentinel.md"))
    fast = sections[("db/redis-sentinel.md", "为什么 Redis 这么快")]
    lines = (EXAMPLE_VAULT / "db/redis-sentinel.md").read_text(encoding="utf-8").splitlines()
    found = sentences_of(fast, lines)
    assert ("数据在内存中", fast.line_start + 2) in found  # the blank line after the heading counts
    for sentence, line in found:  # each sentence is on the line it cites
        assert sentence[:6] in lines[line - 1]
    # without the note: the heading's line
    assert {line for _, line in sentences_of(fast)} == {fast.line_start}


@pytest.mark.parametrize(
    ("question", "path", "heading"),
    [
        ("为什么不是两次握手", "network/tcp-handshake.md", "为什么不是两次握手"),
        ("Redis 为什么这么快", "db/redis-sentinel.md", "为什么 Redis 这么快"),
        ("全局解释器锁是什么", "language/python-gil.md", "GIL 是什么"),
    ],
)
def test_extractive_answers_cite_the_section(
    store: sqlite3.Connection, question: str, path: str, heading: str
) -> None:
    answer = Asker(Searcher(store, [])).ask(question)
    assert not answer.abstained and answer.mode == "extractive"
    first = answer.citations[0]
    assert (first.path, first.heading_path[-1]) == (path, heading)
    assert answer.sentences and all(f"[{s.citation}]" in answer.text for s in answer.sentences)
    assert {s.citation for s in answer.sentences} == {c.n for c in answer.citations}
    cited = {c.n: c.path for c in answer.citations}
    for sentence in answer.sentences:  # cited to the exact line
        lines = (EXAMPLE_VAULT / cited[sentence.citation]).read_text(encoding="utf-8").splitlines()
        assert sentence.text[:6] in lines[sentence.line - 1]


def test_uncovered_questions_are_abstained(store: sqlite3.Connection) -> None:
    answer = Asker(Searcher(store, [])).ask("量子纠缠的原理")
    assert answer.abstained and answer.text == NOTES_DO_NOT_COVER and not answer.citations


def test_generative_answers_keep_valid_citations_only(store: sqlite3.Connection) -> None:
    script = Script(["两次握手会让失效的请求建立连接 [1]，浪费资源 [7]。"])
    with fake_openai(script) as url:
        asker = Asker(Searcher(store, []), ChatClient(LLMConfig(url, "qwen")))
        answer = asker.ask("为什么不是两次握手")
    assert answer.mode == "generative" and answer.invalid_citations == (7,)
    assert "[1]" in answer.text and "[7]" not in answer.text
    assert [c.heading_path[-1] for c in answer.citations] == ["为什么不是两次握手"]
    prompt = script.requests[0]["messages"][1]["content"]
    # only the retrieved notes are sent
    assert "[1] " in prompt and "已失效的连接请求报文" in prompt


def test_the_model_can_say_the_notes_do_not_cover_it(store: sqlite3.Connection) -> None:
    with fake_openai(Script(["NOT IN NOTES"])) as url:
        answer = Asker(Searcher(store, []), ChatClient(LLMConfig(url, "qwen"))).ask(
            "为什么不是两次握手"
        )
    assert answer.abstained and answer.mode == "generative"


def _ask(db: Path, *args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return bagu("ask", *args, "-V", str(EXAMPLE_VAULT), db=db, env=env)


def test_cli_streams_from_the_endpoint_and_degrades_when_it_is_down(indexed: Path) -> None:
    with fake_openai(Script(["失效的连接请求会浪费服务端资源 [1]"])) as url:
        streamed = _ask(
            indexed, "为什么不是两次握手", env={"BAGU_LLM_BASE_URL": url, "BAGU_LLM_MODEL": "q"}
        )
    assert streamed.returncode == 0 and "失效的连接请求会浪费服务端资源 [1]" in streamed.stdout
    assert "generative" in streamed.stderr and "network/tcp-handshake.md" in streamed.stdout

    down = _ask(
        indexed,
        "为什么不是两次握手",
        "--json",
        env={"BAGU_LLM_BASE_URL": url, "BAGU_LLM_MODEL": "q"},
    )
    # the server is gone: extractive, one clear notice, no traceback
    payload = json.loads(down.stdout)
    assert down.returncode == 0 and "Traceback" not in down.stderr
    assert payload["mode"] == "extractive" and "is the server running" in payload["notice"]
    assert payload["citations"][0]["link"].startswith("network/tcp-handshake.md#")

    offline = json.loads(_ask(indexed, "量子纠缠的原理", "--json", env={}).stdout)
    assert offline["abstained"] and offline["text"] == NOTES_DO_NOT_COVER


def test_uncited_sentences_are_tied_to_the_notes_or_flagged(store: sqlite3.Connection) -> None:
    reply = (
        "已失效的连接请求报文突然又传到服务端，服务端会误以为是新连接。握手一共要七次，用 UDP 完成"
        "。"
    )
    with fake_openai(Script([reply])) as url:
        answer = Asker(Searcher(store, []), ChatClient(LLMConfig(url, "qwen"))).ask(
            "为什么不是两次握手"
        )
    assert answer.text.startswith(
        "已失效的连接请求报文突然又传到服务端，服务端会误以为是新连接 [1]。"
    )
    assert "用 UDP 完成。" in answer.text and answer.text.count("[") == 1
    assert (
        answer.notice is not None
        and "cited 1 sentence" in answer.notice
        and "1 sentence(s) match none" in answer.notice
    )


def test_sections_that_do_not_answer_are_not_quoted(store: sqlite3.Connection) -> None:
    """With a model, search may still return its nearest sections; the answer needs sentences that
    support it."""
    found = replace(search_sections(store, "三次握手"), confidence=0.9, notice=None)
    sections = sections_by_id(store, [hit.section_id for hit in found.hits])
    retrieved = retrieve(found, [sections[hit.section_id][1] for hit in found.hits])
    far = extract_answer("quantum entanglement", found, retrieved, lambda q, s: [0.05] * len(s))
    assert far.abstained and far.notice is not None and "support 0.05" in far.notice
    near = extract_answer("why three handshakes", found, retrieved, lambda q, s: [0.7] * len(s))
    assert not near.abstained and near.sentences


def test_text_before_the_first_heading_cites_the_note_and_its_line() -> None:
    """A level-0 section has no heading to anchor to: the citation is the note, never `path#`."""
    from bagu.coach.cited_answer import Citation

    note = Citation(1, "db/myisam.md", (), "", "", 8)
    assert note.link == "db/myisam.md"
    assert Citation(2, "db/redis.md", ("Redis", "RDB"), "RDB", "rdb", 3).link == "db/redis.md#rdb"


def test_a_sentence_that_announces_a_list_brings_its_list() -> None:
    """`两个原因：` said alone promises what the answer does not give; labels, questions and images
    are no claims."""
    from bagu.vault.markdown import parse_document

    text = (
        "# Redis\n\n## 为什么快\n\n**核心原因**\n\n![img](a.png)\n\n那为什么单线程还这么快？\n\n"
        "所以总结起来，主要就是两个原因：\n\n- 纯内存操作\n- IO 多路复用\n\n"
        "$$T = O(1)$$\n\n单线程避免了上下文切换和锁竞争。\n"
    )
    (section,) = [s for s in parse_document("redis.md", text).sections if s.level == 2]
    said = [sentence for sentence, _ in sentences_of(section)]
    assert said == [
        "所以总结起来，主要就是两个原因：纯内存操作；IO 多路复用。",
        "单线程避免了上下文切换和锁竞争。",
    ]


def test_a_long_line_the_author_wrapped_runs_on_but_a_short_one_is_a_paragraph() -> None:
    from bagu.vault.markdown import parse_document

    wrapped = (
        "Kafka在设计上是采用时间复杂度为常数的磁盘结构它提供了与数据量无关的常量时间的性能即使是"
        "存\n储海量的信息也如此。"
    )
    text = f"# K\n\n## 存储\n\n{wrapped}\n\n记录都写到 redolog 中\n\n另一段话也很重要。\n"
    (section,) = [s for s in parse_document("k.md", text).sections if s.level == 2]
    said = [sentence for sentence, _ in sentences_of(section)]
    assert said[0].endswith("即使是存储海量的信息也如此。") and "记录都写到 redolog 中" in said


def test_a_comparison_names_its_sides_and_a_table_row_is_a_sentence() -> None:
    from bagu.coach.cited_answer import compared_sides
    from bagu.vault.markdown import parse_document

    assert compared_sides(
        "What are the main differences between the MyISAM and InnoDB storage engines?"
    ) == [
        "myisam",
        "innodb",
    ]
    assert (
        compared_sides("TCP 和 UDP 有什么区别？") == ["tcp", "udp"]
        and compared_sides("Redis 为什么快") == []
    )
    text = (
        "# IO\n\n## 对比\n\n| | select | epoll |\n|---|---|---|\n| 最大连接数 | 1024 | 无上限 "
        "|\n\nMYsql innodb\n"
    )
    (section,) = [s for s in parse_document("io.md", text).sections if s.level == 2]
    assert [sentence for sentence, _ in sentences_of(section)] == [
        "最大连接数：select 1024；epoll 无上限。"
    ]


def test_chinese_comparisons_name_their_sides() -> None:
    from bagu.coach.cited_answer import compared_sides

    assert compared_sides("数据预处理里，归一化和标准化有什么区别？") == ["归一化", "标准化"]
    assert compared_sides("聚簇索引与非聚簇索引的区别是什么") == ["聚簇索引", "非聚簇索引"]
    assert compared_sides("Linux 的 namespace 和 cgroup 有什么区别？")[:2] == [
        "namespace",
        "cgroup",
    ]
    assert compared_sides("RAG 和微调该怎么选？两者有什么不同？")[:2] == ["rag", "微调"]
    assert compared_sides("进程和线程") == []  # no comparison asked


@pytest.mark.parametrize(
    "question", ["RDB 和 AOF 有什么区别？", "what is the difference between RDB and AOF"]
)
def test_a_comparison_is_answered_from_each_sides_own_section(
    store: sqlite3.Connection, question: str
) -> None:
    """Lexical only: the notes never say 区别, and a section naming both sides in passing
    (混合持久化) answers for neither."""
    answer = Asker(Searcher(store, [])).ask(question)
    assert not answer.abstained
    headings = [c.heading_path[-1] for c in answer.citations]
    assert any("RDB" in h for h in headings) and any("AOF" in h for h in headings), headings
    unknown = Asker(Searcher(store, [])).ask("RDB 和 Kafka 有什么区别？")
    assert unknown.abstained


@pytest.mark.parametrize(
    ("question", "heading"),
    [
        ("为什么 TCP 握手不能只有两次", "为什么不是两次握手"),
        ("GIL 是什么，为什么 Python 需要它", "GIL 是什么"),
        ("Redis 为什么这么快，单线程够用吗", "为什么 Redis 这么快"),
    ],
)
def test_without_a_model_a_question_is_answered_when_a_sentence_says_half_its_words(
    store: sqlite3.Connection, question: str, heading: str
) -> None:
    """No note holds every word of these questions (不能, 需要, 够用): lexical search alone once
    declined them all."""
    answer = Asker(Searcher(store, [])).ask(question)
    assert not answer.abstained, answer.notice
    assert answer.citations[0].heading_path[-1] == heading


def test_without_a_model_a_question_the_notes_barely_touch_is_declined(
    store: sqlite3.Connection,
) -> None:
    answer = Asker(Searcher(store, [])).ask("Redis 持久化有哪几种方式，线上怎么选")
    assert answer.abstained and answer.notice is not None
    assert "question's words (0.22)" in answer.notice


UPDATE_NOTE = """# MySQL

## 更新

update 语句的执行流程和 select 差不多，但 MySQL 执行 update 时多了 redo log 和 binlog。

select 语句不会记录到 binlog，只有 update 语句才会记录到 binlog。

- 执行器调用引擎接口，把数据更新到内存
- 写 redo log，进入 prepare 状态
- 执行器写 binlog
- redo log 改为 commit 状态
"""


OVERFITTING_NOTE = """# 模型

## 过拟合的解决办法

过拟合时模型在训练集上表现很好，在测试集上表现很差，模型过拟合说明模型学到了噪声。

- 数据清洗
- 获取更多数据
- 正则化
- 减少特征
"""


def _answer(tmp_path: Path, note: str, question: str) -> Answer:
    """The lexical answer to `question` from a vault of one note."""
    from bagu.indexer import index_vault

    vault = tmp_path / "vault"
    vault.mkdir()
    (vault / "note.md").write_text(note, encoding="utf-8")
    conn = connect(tmp_path / "bagu.db")
    try:
        index_vault(conn, vault)
        return Asker(Searcher(conn, [])).ask(question)
    finally:
        conn.close()


def _first_answer(tmp_path: Path, note: str, question: str) -> list[str]:
    return [s.text for s in _answer(tmp_path, note, question).sentences]


@pytest.mark.parametrize(
    ("note", "question", "items"),
    [
        (
            UPDATE_NOTE,
            "MySQL 执行 update 语句的流程是怎样的？",
            "执行器调用引擎接口，把数据更新到内存；写 redo log，进入 prepare 状态；"
            "执行器写 binlog；redo log 改为 commit 状态。",
        ),
        (
            OVERFITTING_NOTE,
            "模型过拟合了，有哪些办法可以缓解？",
            "数据清洗；获取更多数据；正则化；减少特征。",
        ),
    ],
)
def test_a_question_for_steps_or_members_is_answered_with_the_list(
    tmp_path: Path, note: str, question: str, items: str
) -> None:
    """Item by item, the list lost to the sentences that repeat the question's words."""
    said = _first_answer(tmp_path, note, question)
    assert items in said and said.index(items) == len(said) - 1, said  # in the notes' order


TRANSACTIONS_NOTE = """# 分布式

## 分布式事务

分布式事务保证不同数据库的数据一致性，解决方案有以下几种。

### 两阶段提交 2PC

协调者先让参与者 prepare，再统一提交或回滚。

### TCC

业务分 Try、Confirm、Cancel 三个阶段。

### 本地消息表

业务表与消息表在同一个本地事务中写入，由 MQ 重试投递。
"""


def test_a_question_for_members_is_answered_by_the_sub_sections_when_there_is_no_list(
    tmp_path: Path,
) -> None:
    said = _first_answer(tmp_path, TRANSACTIONS_NOTE, "常见的分布式事务解决方案有哪些？")
    members = said[-1]
    assert members.startswith("两阶段提交 2PC：协调者先让参与者 prepare") and (
        "；TCC：业务分 Try、Confirm、Cancel 三个阶段；本地消息表：" in members
    ), said


def test_a_line_that_is_only_a_link_title_is_no_sentence() -> None:
    """A paper's title over the section that explains it names a source; said as an answer it
    says nothing (`What is MoE` answered with two paper titles)."""
    from bagu.vault.markdown import parse_document

    text = (
        "# LLM\n\n## MOE\n\n"
        "[Outrageously Large Neural Networks: The Sparsely-Gated Mixture-of-Experts Layer]"
        "(https://arxiv.org/abs/1701.06538)\n\n"
        "稀疏门控专家混合模型旨在实现条件计算，每个样本只激活一部分专家。\n"
    )
    (section,) = [s for s in parse_document("llm.md", text).sections if s.level == 2]
    assert [sentence for sentence, _ in sentences_of(section)] == [
        "稀疏门控专家混合模型旨在实现条件计算，每个样本只激活一部分专家。"
    ]


def test_a_top_section_with_nothing_to_say_gives_way_to_the_next() -> None:
    """`检测探针` holds only an identifier over a YAML block: an answer cannot quote it, so the
    section below it answers (before, the answer was declined for want of any sentence)."""
    from bagu.search.results import SearchHit, SearchResults
    from bagu.vault.markdown import parse_document

    text = (
        "# 探针\n\n## 检测探针\n\n- readinessProbe-httpget\n\n"
        "```yaml\nreadinessProbe:\n  port: 80\n```\n\n"
        "## 容器探针\n\nLiveness probe 失败会重启容器，Readiness probe 失败会把 Pod 移出。\n"
    )
    code_only, prose = [s for s in parse_document("probe.md", text).sections if s.level == 2]
    hits = tuple(
        SearchHit(
            s.ordinal,
            "probe.md",
            s.heading,
            s.heading_path,
            s.heading,
            "",
            s.line_start,
            "",
            (),
            score,
        )
        for s, score in ((code_only, 3.0), (prose, 1.0))
    )
    results = SearchResults("liveness 和 readiness 的区别", terms=(), mode="hybrid", hits=hits)
    (answering,) = retrieve(results, [code_only, prose])
    assert answering.section is prose and answering.citation.n == 1


SERVICE_NOTE = """# Service

## Service 的类型

| 编号 | 类型 | 用途介绍 |
| --- | --- | --- |
| 1 | **ClusterIP** | 默认类型，分配一个仅集群内部可以访问的虚拟 IP |
| 2 | **NodePort** | 在每台机器上绑定一个端口，通过节点端口访问服务 |
| 3 | **ExternalName** | 把集群外部的服务引入到集群内部来 |

每个节点运行一个 kube-proxy 进程，负责实现 Service 的虚拟 IP。
"""


def test_a_question_for_kinds_is_answered_with_the_rows_of_a_table_of_them(
    tmp_path: Path,
) -> None:
    """Rows are named by their second column when the first only numbers them (`1：类型
    ClusterIP…` named nothing), and a table of one value column says the value alone."""
    said = _first_answer(tmp_path, SERVICE_NOTE, "Service 有哪些类型？")
    assert (
        "ClusterIP：默认类型，分配一个仅集群内部可以访问的虚拟 IP；"
        "NodePort：在每台机器上绑定一个端口，通过节点端口访问服务；"
        "ExternalName：把集群外部的服务引入到集群内部来。"
    ) in said, said


def test_a_formula_ends_the_paragraph_above_it() -> None:
    """The stored body has no blank lines: a display formula between two paragraphs ran the first
    on into it, and the whole was dropped as debris."""
    from bagu.vault.markdown import parse_document

    first = "数据均值为0，标准差为1 其中μ是样本的均值，σ是样本的标准差 在样本足够多的情况下比较稳定"
    text = (
        f"# 预处理\n\n## 标准化\n\n{first}\n\n"
        "$$x'=\\frac{x-\\mu}\\sigma$$\n\n想保留标准差反映的权重关系应该选择归一化\n"
    )
    (section,) = [s for s in parse_document("p.md", text).sections if s.level == 2]
    assert [sentence for sentence, _ in sentences_of(section)] == [
        first,
        "想保留标准差反映的权重关系应该选择归一化",
    ]


CHOICE_NOTE = """# 检索增强生成 (RAG) + finetune

## 怎样选择RAG和微调

两者可以结合使用，并不是独立排他的。

## 微调

如果需要更一致的输出（格式，风格），走微调。

## RAG

如果需要特定上下文去回答问题，走 RAG。
"""


def test_a_section_on_both_sides_that_speaks_for_neither_leaves_room_for_each_sides_own(
    tmp_path: Path,
) -> None:
    """`怎样选择RAG和微调` names both sides but says `两者可以结合使用`: the answer still draws on
    the `RAG` and `微调` sections (a parent heading naming RAG, the note's title, made every
    section of the note speak for it)."""
    answer = _answer(tmp_path, CHOICE_NOTE, "RAG 和微调该怎么选？两者有什么区别？")
    headings = [c.heading_path[-1] for c in answer.citations]
    assert "RAG" in headings and "微调" in headings, headings


def test_a_question_for_kinds_is_answered_with_the_list_it_asks_for() -> None:
    """Of a section's two lists, the one whose items the question's words favour: the first list
    of the section once answered every such question."""
    from bagu.coach.cited_answer import _best_list

    first = (
        "不需要分配到堆上的对象分配到了堆上，浪费内存空间",
        "需要分配到堆上的对象分配到了栈上，悬挂指针",
    )
    second = ("方法内返回局部变量指针，变量逃逸到堆上", "发送指针到 channel 中，变量逃逸")
    scored = [
        (0.4, 0, 1, "不需要分配到堆上的对象分配到了堆上，浪费内存空间", 3),
        (0.9, 0, 4, "方法内返回局部变量指针，变量逃逸到堆上", 8),
        (0.8, 0, 5, "发送指针到 channel 中，变量逃逸", 9),
    ]
    assert _best_list([first, second], scored) == second
    assert _best_list([first, second], []) == first and _best_list([], scored) is None


ENGINES_NOTE = """# MyISAM与InnoDB的主要区别

## InnoDB

支持事务，外键，故障恢复快

InnoDB 存储引擎的索引和数据紧密捆绑，主键索引就是聚簇索引。

InnoDB 存储引擎的二级索引区别在于叶子保存主键值，查询要回表。

InnoDB 存储引擎的索引用 B+ 树组织，区别于哈希结构，范围查询快。

InnoDB 存储引擎在 MyISAM 之后成为默认引擎，索引区别由此被广泛讨论。

## MyISAM

适合读多写少，不支持事务

MyISAM 存储引擎的索引和数据分开存放，索引文件有压缩。

MyISAM 存储引擎的索引区别还在于叶子保存数据行的物理地址。

MyISAM 存储引擎的全文索引出现得早，和 InnoDB 的区别曾经很明显。

MyISAM 存储引擎的表锁让写入排队，索引维护区别不大。
"""


def test_a_comparison_says_what_each_sides_own_section_opens_with(tmp_path: Path) -> None:
    """Each side spoke only through the sentence repeating the question's words; the section's
    opening line, the note's definition of the side, was left out."""
    said = _first_answer(tmp_path, ENGINES_NOTE, "MyISAM 和 InnoDB 存储引擎的索引有什么区别？")
    assert "支持事务，外键，故障恢复快" in said and "适合读多写少，不支持事务" in said, said


LISTED_ENGINES_NOTE = """# 存储引擎

## 文件存储结构

MyISAM 的 .myd 文件存储表的数据，.myi 文件存储表的索引相关信息。

## InnoDB

- 支持事务，外键，故障恢复快
- 大量 INSERT 或 UPDATE 时应该使用 InnoDB 表
- 提供行锁
- 不支持 FULLTEXT 类型的索引

## MyISAM

- 适合读多写少，不支持事务
- 保存表的具体行数
- 表锁，并发性差
"""


def test_a_side_whose_section_lists_its_properties_is_said_by_its_list(tmp_path: Path) -> None:
    """`MyISAM` and `InnoDB` each list their properties: the answer says the items of both sides
    in turn, a short one (`提供行锁`) included, where it said the sentences that scored best and
    left out the locks."""
    said = _first_answer(tmp_path, LISTED_ENGINES_NOTE, "MyISAM 和 InnoDB 存储引擎有什么区别？")
    assert "提供行锁" in said and "表锁，并发性差" in said, said
    assert "支持事务，外键，故障恢复快" in said and "适合读多写少，不支持事务" in said, said


KAFKA_NOTE = """# Kafka

Kafka 是一个高吞吐量、分布式的发布订阅消息系统，Kafka 的吞吐量很高。

## 分区

Kafka 的 topic 分为多个分区，分区让 Kafka 的吞吐量可以水平扩展。

## 副本

Kafka 的每个分区有多个副本，副本保证了 Kafka 的高可用。

## 消费者

消费者组里的消费者分摊分区，Kafka 的消费吞吐量随消费者增加。

## why快

1. 顺序写入磁盘，避免随机寻址
2. 利用操作系统的页缓存
3. 零拷贝技术，减少数据复制
4. 批量发送和压缩消息
"""


def test_a_why_question_is_answered_with_the_reasons_of_the_section_that_asks_why(
    tmp_path: Path,
) -> None:
    """`Kafka 为什么吞吐量这么高`: the sections repeating its words outrank `why快`, whose list of
    reasons is the answer; once answered with the note's opening line alone (issue 25)."""
    said = _first_answer(tmp_path, KAFKA_NOTE, "Kafka 为什么吞吐量这么高")
    assert (
        "顺序写入磁盘，避免随机寻址；利用操作系统的页缓存；零拷贝技术，减少数据复制；批量发送和压缩消息。"
        in said
    ), said


def test_an_english_question_gets_only_renderings_the_encoder_vouches_for() -> None:
    """A paper summary quotes the paper after its own Chinese sentence: that English is no rendering
    of it, and an English question's answer shows it only when the encoder says it translates the
    sentence, as a translation drill requires (without an encoder, every such block is taken)."""
    from bagu.coach.cited_answer import _english_for, rendered_pairs
    from bagu.vault.markdown import parse_document

    text = (
        "# LoRA\n\n## 方法\n\nLoRA 冻结预训练权重，注入可训练的低秩分解矩阵。\n\n"
        'We hypothesize that the change in weights has a low "intrinsic rank".\n\n'
        "训练开始时 ΔW 为 0。\n\nAt the start of training ΔW is zero.\n"
    )
    (section,) = [s for s in parse_document("lora.md", text).sections if s.level == 2]
    quoted, rendered = "LoRA 冻结预训练权重，注入可训练的低秩分解矩阵。", "训练开始时 ΔW 为 0。"

    def renders(zh: str, en: str) -> float:
        return 0.8 if en.startswith("At the start") else 0.2

    assert _english_for(quoted, rendered_pairs(section, renders)) is None
    pairs = rendered_pairs(section, renders)
    assert _english_for(rendered, pairs) == "At the start of training ΔW is zero."
    assert _english_for(quoted, rendered_pairs(section, None)) is not None


def test_a_list_said_as_one_unit_brings_the_sentence_that_sets_it_up() -> None:
    """`How does Raft elect a leader`: the steps list what each outcome of the vote leads to; the
    sentence before them (a follower times out, becomes a candidate, asks for votes) is the first
    step and is said with them. A fragment cut at its comma (`在 Raft 中，`) is not."""
    from bagu.coach.cited_answer import _said_first

    items = ("拿到多数票 → leader", "超时没结果 → 新一轮")
    setup = "follower 超时没收到心跳，变成 candidate，发 RequestVote。"
    scored = [
        (0.4, 0, 0, setup, 3),
        (0.5, 0, 1, items[0], 5),
        (0.5, 0, 2, items[1], 6),
        (0.45, 0, 3, "日志复制另说。", 8),
    ]
    said = _said_first(scored, items, rank=0, line=3)
    assert said is not None
    assert [c[3] for c in said[:2]] == ["拿到多数票 → leader；超时没结果 → 新一轮。", setup]
    assert said[1][0] > max(c[0] for c in scored)
    cut = [(0.4, 0, 0, "在 Raft 中，", 3), *scored[1:]]
    lifted = _said_first(cut, items, rank=0, line=3)
    assert lifted is not None and [c[0] for c in lifted[1:]] == [0.4, 0.45]
