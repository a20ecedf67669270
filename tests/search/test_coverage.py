"""A query naming what no note mentions is not covered: the names, near spellings and glossary
renderings."""

from __future__ import annotations

from pathlib import Path

import pytest

from bagu.indexer import index_vault
from bagu.search.coverage import absent_names, absent_terms
from bagu.search.service import ABSTAIN_NOTICE, search_sections
from bagu.store.sqlite import sqlite3


def _index_note(vault: Path, conn: sqlite3.Connection, name: str, text: str) -> None:
    """One note in an empty vault, indexed lexically."""
    (vault / name).write_text(text, encoding="utf-8")
    index_vault(conn, vault)


@pytest.mark.parametrize(
    ("query", "absent"),
    [
        ("io_uring vs epoll", ["io_uring"]),  # epoll is in the notes, io_uring is not
        ("OAuth 2.0 authorization code flow with PKCE", ["OAuth", "PKCE"]),
        ("MongoDB 分片键怎么选", ["MongoDB"]),
        ("Kafak 的分区为什么能提高吞吐", []),  # a letter from Kafka: a typo, not another product
        ("GOMAXPROCS 有什么用", []),
        ("what is a zombie process", []),  # plain English words are no names
        ("why does TIME_WAIT last 2MSL", []),
    ],
)
def test_names_the_vault_never_mentions(
    example: sqlite3.Connection, query: str, absent: list[str]
) -> None:
    assert absent_names(example, query) == absent


def test_a_glossary_rendering_the_notes_hold_counts_as_mentioned(
    example: sqlite3.Connection,
) -> None:
    """The notes write 三次握手; a query may name it in English or by an acronym the glossary
    knows."""
    assert absent_names(example, "TCP Three-way Handshake") == []


def test_a_search_naming_an_absent_thing_abstains_and_says_which(
    example: sqlite3.Connection,
) -> None:
    results = search_sections(example, "Redis Streams 的 XACK 怎么用")
    assert results.abstained and results.notice == f"{ABSTAIN_NOTICE} (no note mentions XACK)"
    assert results.hits  # the nearest sections are still shown
    covered = search_sections(example, "Redis 哨兵怎么选主")
    assert not covered.abstained


def test_a_plain_glossary_word_counts_when_the_vault_never_says_it(
    example: sqlite3.Connection,
) -> None:
    """`metaclass` is a plain word, but a term of the glossary that the notes never say in either
    language (元类): the top hits cannot cover it. `commit`, also plain, the notes do say (提交),
    so it is any section's word and weighs nothing."""
    from bagu.search.service import Searcher

    searcher = Searcher(example, [])
    assert "≡metaclass" in searcher._concepts("what is a metaclass in Python")
    assert not any("commit" in label for label in searcher._concepts("what does commit do"))


def test_a_concept_is_held_by_the_top_hits_that_write_it_as_a_field_name(
    example: sqlite3.Connection,
) -> None:
    """The example vault writes `livenessProbe：失败就重启容器`: that holds `liveness probe` for the
    confidence too, which had counted the concept missing from the right top hit (confidence
    0.14)."""
    from bagu.search.service import Searcher
    from bagu.search.tokenize import terms

    (_, renderings) = Searcher(example, [])._concepts("what is a liveness probe")["≡liveness probe"]
    assert frozenset(terms("livenessProbe")) in renderings


def test_a_rendering_of_several_words_is_held_only_as_a_phrase(
    vault: Path, conn: sqlite3.Connection
) -> None:
    """The glossary renders DPO as `direct preference optimization`; a note that uses `direct`,
    `preference` and `optimization` apart (as many do) does not mention DPO. One that writes the
    phrase does."""
    root = vault
    note = root / "rlhf.md"
    note.write_text(
        "# RLHF\n\nPPO 是一种 policy optimization 方法，direct reward 来自 preference 数据。\n",
        encoding="utf-8",
    )
    index_vault(conn, root)
    assert absent_names(conn, "DPO 和 PPO 有什么区别") == ["DPO"]
    note.write_text(
        "# RLHF\n\nDirect preference optimization 不像 PPO 那样训练奖励模型。\n", encoding="utf-8"
    )
    index_vault(conn, root)
    assert absent_names(conn, "DPO 和 PPO 有什么区别") == []


def _section_ids(conn: sqlite3.Connection, path: str) -> list[int]:
    return [
        int(row[0])
        for row in conn.execute(
            "SELECT s.id FROM sections s JOIN documents d ON d.id = s.document_id WHERE d.path = ?",
            (path,),
        )
    ]


@pytest.fixture
def two_notes(vault: Path, conn: sqlite3.Connection) -> sqlite3.Connection:
    """Python's garbage collector, which never says java, and a deployment note that does."""
    (vault / "gc.md").write_text(
        "# Python GC\n\n## 引用计数\n\n对象的引用计数为零时立即回收。\n\n"
        "## 分代回收\n\n存活越久的对象越少被扫描，最近最少使用的缓存也是这样淘汰的。\n",
        encoding="utf-8",
    )
    (vault / "deploy.md").write_text("# 部署\n\njava 服务打成 jar 包部署。\n", encoding="utf-8")
    index_vault(conn, vault)
    return conn


@pytest.mark.parametrize(
    ("query", "unheld"),
    [
        ("java 里的对象什么时候会被回收", ["java"]),  # Latin in Chinese: a name, lower case or not
        ("When are Java objects collected", ["Java"]),
        ("How does Python's GC free an object", []),  # `How` opens the sentence: no name
        ("Compare Python GC with reference counting.", []),  # nor `Compare`, a word the vault has
        ("Pyhton 的对象怎么回收", []),  # a letter from python: a typo
        ("LRU 淘汰", []),  # the glossary's rendering, 最近最少使用, is in the note
    ],
)
def test_names_the_notes_found_never_mention(
    two_notes: sqlite3.Connection, query: str, unheld: list[str]
) -> None:
    from bagu.search.coverage import unheld_names

    gc = _section_ids(two_notes, "gc.md")
    assert unheld_names(two_notes, query, gc[:1]) == unheld  # the note, not only the section
    assert unheld_names(two_notes, query, gc + _section_ids(two_notes, "deploy.md")) == []


def test_a_search_whose_notes_never_mention_its_name_abstains_and_says_which(
    two_notes: sqlite3.Connection,
) -> None:
    """java is in the vault (the deployment note), so it is not absent; but the notes a search of
    gc.md finds never say it."""
    results = search_sections(two_notes, "java 的对象回收", path_glob="gc.md")
    assert results.hits and {hit.path for hit in results.hits} == {"gc.md"}
    assert results.abstained
    assert results.notice == f"{ABSTAIN_NOTICE} (the notes found never mention java)"
    assert not search_sections(two_notes, "python 的对象回收", path_glob="gc.md").abstained
    assert not search_sections(two_notes, "java 服务怎么部署").abstained


@pytest.fixture
def replicas(vault: Path, conn: sqlite3.Connection) -> sqlite3.Connection:
    """A note on replicas and Redis Cluster, which says hash and slot but never 向量时钟."""
    _index_note(
        vault,
        conn,
        "replicas.md",
        "# 副本\n\n## 冲突\n\n两个副本上的并发写入会冲突，最后写入者胜出。\n\n"
        "## Redis Cluster\n\n集群把 key 的 hash 值映射到 16384 个 slot 上。\n\n"
        "## 探针\n\nlivenessProbe 失败就重启容器。\n",
    )
    return conn


@pytest.mark.parametrize(
    ("query", "absent"),
    [
        # a term of the glossary that no note writes in either language
        ("向量时钟是怎么判断两个副本上的写入是并发冲突的？", ["向量时钟"]),
        ("CRDTs vs vector clocks for conflicting writes", ["vector clock"]),
        # the words of a rendering in one section are enough: `hash slot` is `hash … slot`
        ("While Redis Cluster is moving a hash slot, what happens?", []),
        ("副本上的并发写入怎么处理", []),  # 并发 is the glossary's, and the note says it
        ("what is a liveness probe", []),  # written as the field's name, `livenessProbe`
    ],
)
def test_terms_the_vault_never_mentions(
    replicas: sqlite3.Connection, query: str, absent: list[str]
) -> None:
    assert absent_terms(replicas, query) == absent


def test_a_name_spelt_out_or_compounded_is_judged_by_what_the_notes_write(
    vault: Path, conn: sqlite3.Connection
) -> None:
    """`High Water Mark … HW`: the query spells its acronym out, and the notes write the words;
    `ReAct-style` is ReAct. Both were declined as names no note mentions."""
    _index_note(
        vault,
        conn,
        "agent.md",
        "# kafka\n\n## 可见性\n\nHigh Water Mark 标记消费者能读到的最后一条消息。\n\n"
        "## ReAct\n\nReAct 让 agent 交替思考和行动。\n",
    )
    assert (
        absent_names(conn, "Kafka 的 High Water Mark 是干嘛用的？为什么读不到 HW 后面的消息") == []
    )
    assert absent_names(conn, "Why might a plan-first agent beat a ReAct-style loop?") == []
    assert absent_names(conn, "How does ReAct differ from Reflexion?") == ["Reflexion"]


def test_an_english_rendering_is_held_by_its_words_near_each_other(
    vault: Path, conn: sqlite3.Connection
) -> None:
    """`load average`: a long section saying `load` in one paragraph and `average` far below holds
    two common words, not the term; the words close together do."""
    from bagu.indexer import index_vault
    from bagu.search.coverage import TERM_WINDOW, absent_terms

    filler = " ".join(f"word{n}" for n in range(TERM_WINDOW + 5))
    (vault / "ops.md").write_text(
        f"# ops\n\n## 排查\n\nthe load balancer spreads requests. {filler}\n\n"
        "the average response time matters.\n",
        encoding="utf-8",
    )
    index_vault(conn, vault)
    query = "what does the load average of a Linux host measure"
    assert absent_terms(conn, query) == ["load average"]
    (vault / "ops.md").write_text(
        "# ops\n\n## 排查\n\nuptime prints the load average of the last minutes.\n",
        encoding="utf-8",
    )
    index_vault(conn, vault)
    assert absent_terms(conn, query) == []


def test_a_search_naming_a_term_no_note_mentions_abstains_and_says_which(
    replicas: sqlite3.Connection,
) -> None:
    """Its other words (副本, 写入, 并发, 冲突) all found the note on conflicts."""
    results = search_sections(replicas, "向量时钟是怎么判断两个副本上的写入是并发冲突的？")
    assert results.hits and results.abstained
    assert results.notice == f"{ABSTAIN_NOTICE} (no note mentions 向量时钟)"
    assert not search_sections(replicas, "两个副本上的并发写入为什么会冲突").abstained


def test_a_word_of_several_glossary_senses_is_held_by_any_of_them(
    vault: Path, conn: sqlite3.Connection
) -> None:
    """`parameter` renders 参数 and also 形参 (a function's formal parameter): a vault that
    writes 可训练参数 says the word, though it never says 形参. Judged sense by sense, `how does
    LoRA reduce trainable parameters` abstained as naming a term no note mentions."""
    from bagu.indexer import index_vault
    from bagu.search.service import Searcher

    (vault / "lora.md").write_text(
        "# LoRA\n\n## 方法\n\nLoRA 冻结预训练权重，注入低秩分解矩阵，大幅减少可训练参数量。\n\n"
        "LoRA 的可训练参数减少了 10000 倍。\n",
        encoding="utf-8",
    )
    index_vault(conn, vault)
    query = "how does LoRA reduce trainable parameters"
    assert absent_terms(conn, query) == []
    assert not any("parameter" in label for label in Searcher(conn, [])._concepts(query))
    assert absent_terms(conn, "what is a formal parameter") == ["formal parameter"]


def test_a_question_verb_opening_the_question_is_no_name(
    vault: Path, conn: sqlite3.Connection
) -> None:
    """`Compare token bucket and leaky bucket…`: capitalised by its place. A small vault that never
    writes `compare` declined the question as naming something no note mentions."""
    _index_note(
        vault,
        conn,
        "rate.md",
        "# Rate limiting\n\n## Algorithms\n\nToken bucket allows bursts; leaky bucket smooths "
        "output to a constant rate.\n",
    )
    assert absent_names(conn, "Compare token bucket and leaky bucket rate limiting.") == []
    assert absent_names(conn, "Terraform state locking vs token bucket") == ["Terraform"]


def test_a_term_is_held_by_the_headings_that_title_a_section(
    vault: Path, conn: sqlite3.Connection
) -> None:
    """`Compaction › Leveled` names leveled compaction though its words stand in two headings,
    never near each other in one column."""
    _index_note(
        vault,
        conn,
        "lsm.md",
        "# LSM-Tree\n\n## Compaction\n\n### Leveled\n\n每层大小是上一层的 10 倍，写放大大。\n",
    )
    assert absent_terms(conn, "Compare size-tiered and leveled compaction in an LSM tree.") == []


def test_a_term_is_held_without_the_generic_head_notes_leave_out(
    vault: Path, conn: sqlite3.Connection
) -> None:
    """`naive GET then SET is a race`: the note is about race conditions without the word."""
    _index_note(
        vault,
        conn,
        "limit.md",
        "# Rate limiting\n\n## Redis\n\nnaive GET then SET is a race: use INCR + EXPIRE.\n",
    )
    query = "How do you build a rate limiter on Redis without race conditions?"
    assert absent_terms(conn, query) == []
    assert absent_terms(conn, "what is a deadlock and how do you detect one") == ["deadlock"]


def test_an_attack_is_held_by_what_it_does(vault: Path, conn: sqlite3.Connection) -> None:
    """`0-RTT data can be replayed`: the note is about replay attacks without the word attack."""
    _index_note(
        vault,
        conn,
        "tls.md",
        "# TLS 1.3\n\n## 0-RTT\n\n0-RTT 的数据可以被重放。\n(0-RTT data can be replayed.)\n",
    )
    assert absent_terms(conn, "Why is TLS 1.3 0-RTT open to replay attacks?") == []
    assert absent_terms(conn, "what is a timing attack") == ["timing attack"]


def test_a_name_spelt_with_inner_capitals_is_a_plain_word_in_lowercase(
    vault: Path, conn: sqlite3.Connection
) -> None:
    """`how should a client react` is the verb, not the ReAct prompting pattern the vault lacks."""
    _index_note(
        vault,
        conn,
        "redis.md",
        "# Redis Cluster\n\n## MOVED vs ASK\n\n"
        "MOVED 说明槽已经迁走，客户端要更新槽表；ASK 只重定向一次。\n",
    )
    assert absent_terms(conn, "how should a client react to MOVED versus ASK") == []
    assert "ReAct" in absent_terms(conn, "what is the ReAct prompting pattern")
