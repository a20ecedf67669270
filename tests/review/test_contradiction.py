"""Right words, wrong claim: the checks that run before a point earns credit, and what they let
through."""

from __future__ import annotations

import pytest

from bagu.review.contradiction import contradiction, numbers_of, rough_quantities
from bagu.review.grade import grade_answer
from bagu.review.points import key_points
from bagu.review.scheduler import Rating


@pytest.mark.parametrize(
    ("point", "clause", "kind"),
    [
        ("Redis 的事务不支持回滚", "Redis 事务支持回滚", "negation"),
        ("MyISAM 支持全文索引", "MyISAM 不支持全文索引", "negation"),
        (
            "Goroutines are not preempted at arbitrary points",
            "goroutines are preempted at arbitrary points",
            "negation",
        ),
        ("扩容后哈希冲突会减少", "扩容后哈希冲突会增加", "direction"),
        ("每收到一条消息，计数器加 1", "每收到一条消息，计数器减 1", "direction"),
        # the same words and negators, each said of the other subject
        (
            "B+ 树：对范围查询友好，对随机写入不友好",
            "B+ 树对随机写入友好、对范围查询不友好",
            "negation",
        ),
        ("负载因子大于 0.75 时扩容", "负载因子小于 0.75 时扩容", "direction"),
        (
            "the index is built before the data is loaded",
            "the index is built after the data is loaded",
            "direction",
        ),
        ("客户端向服务端发送 SYN", "服务端向客户端发送 SYN", "roles"),
        ("leader 把日志复制给 follower", "follower 把日志复制给 leader", "roles"),
        ("AOF 比 RDB 更安全", "RDB 比 AOF 更安全", "roles"),
        ("三次握手", "两次握手", "number"),
        ("TIME_WAIT 持续 2MSL", "TIME_WAIT 持续 4MSL", "number"),
        # the step number is shared
        ("将16384个槽分配给主节点", "3）把 65536 个槽分配给主节点", "number"),
        ("写入速度 50-200 MB/s", "writes run at 500 to 2000 MB/s", "number"),
        (
            "binlog可通过配置参数max_binlog_size设置每个binlog文件的大小",
            "每个文件大小固定死，没有参数可以调",
            "negation",
        ),
        # having it and having none of it, whoever the subject
        ("它还允许无亲缘关系进程间的通信", "它只能在有亲缘关系的进程之间用", "negation"),
        # the same thing given the other role, though the answer names both elsewhere
        (
            "A pointer to a stack object cannot survive after the stack object is deallocated",
            "A pointer to a heap object can't outlive the function's stack frame",
            "roles",
        ),
        # a contraction is a negation too: the segmenter splits `can` from `t`
        ("a goroutine can block the thread", "a goroutine can't block the thread", "negation"),
        # everyday antonyms of the notes' claims
        ("这种分离计算的方式拖慢了推理速度", "这种分离计算的方式加快了推理速度", "direction"),
        ("过拟合的原因：模型复杂度太高", "过拟合的原因：模型复杂度太低", "direction"),
        ("保留最近的 r 个物品", "保留最早的 r 个物品", "direction"),
        (
            "pause 容器是 Linux 命名空间共享的基础",
            "pause 容器负责 Linux 命名空间的隔离",
            "direction",
        ),
        (
            "you can fine-tune multiple tasks together",
            "fine-tune the tasks one at a time",
            "direction",
        ),
        # how one quantity follows another
        ("哈希函数越多，误伤概率越大", "哈希函数越多，误伤概率越小", "direction"),
        (
            "it marks all live objects in the heap",
            "it marks all the dead objects in the heap",
            "direction",
        ),
    ],
)
def test_a_wrong_claim_in_the_notes_words_is_found(point: str, clause: str, kind: str) -> None:
    found = contradiction(point, clause, names=frozenset({"AOF", "RDB", "MyISAM"}))
    assert found is not None and found.kind == kind


@pytest.mark.parametrize(
    ("point", "clause"),
    [
        # another subject
        ("两次握手无法防止已失效的连接请求", "还要防止已失效的连接请求又传到服务端"),
        # 不同 is "different", not a negation
        ("不同的隔离级别解决不同的问题", "隔离级别解决的问题不同"),
        ("RDB 是快照", "RDB 就是内存的快照"),
        ("快照读不加锁", "快照读 不加锁"),  # 快 inside 快照 is not "fast"
        ("负载因子默认 0.75", "默认 0.750"),
        # order without an asymmetric word is no swap
        ("客户端和服务端都要确认", "服务端和客户端都要确认"),
        ("默认 16 个数据库，编号 0 到 15", "默认有 16 个库，编号从 0 开始"),  # one number in common
        (
            "pod 可以（但不要求）被调度到具有匹配 taint 的节点上",
            "pod 可以(但不是必须)调度到有匹配 taint 的节点",
        ),
        ("B+ 树：对范围查询友好，对随机写入不友好", "B+ 树对范围查询很友好，但随机写入不太友好"),
        # `can't` says what `cannot` says
        (
            "A pointer to a stack object cannot survive after the stack object is deallocated",
            "A poiner to a stak object can't survive after the stack objcet is deallocated",
        ),
        # 未被调度 denies 调度 as 没调度 does: the passive marker is no verb
        ("若 pod 未被调度或已经退出，则设置为 0", "要是 pod 还没调度上或者已经退出了，直接设为 0"),
    ],
)
def test_a_paraphrase_is_no_contradiction(point: str, clause: str) -> None:
    assert contradiction(point, clause, names=frozenset({"RDB", "AOF"})) is None


def test_chinese_numerals_and_full_width_digits_are_numbers() -> None:
    assert numbers_of("三次握手") == {"3"} and numbers_of("１２８ 位") == {"128"}


def test_a_contradicting_answer_is_again_however_many_words_it_shares() -> None:
    points = key_points(
        "question", "Redis 有 **RDB** 和 **AOF** 两种持久化。RDB 是快照，AOF 记录写命令。"
    )
    grade = grade_answer(
        "Redis › 持久化", "Redis 有 RDB 和 AOF 两种持久化，AOF 是快照，RDB 记录写命令", points
    )
    assert grade.rating == Rating.AGAIN and grade.reason.startswith("contradicts the note")
    assert [r.point.text for r in grade.contradicted] == ["RDB 是快照，AOF 记录写命令"]
    right = grade_answer("Redis › 持久化", "两种：RDB 是快照，AOF 记录写命令", points)
    assert right.rating >= Rating.GOOD and not right.contradicted


def test_a_negation_further_back_in_the_answer_sentence_is_seen() -> None:
    """The passage about `记录到 binlog` starts at `insert`; the claim's subject, `select`, is
    earlier."""
    points = key_points(
        "question", "select不会记录到binlog中，只有update/delete/insert才会记录到binlog中。"
    )
    grade = grade_answer(
        "mysql › 执行过程", "select、update、delete、insert 都会记录到 binlog 里。", points
    )
    assert grade.rating == Rating.AGAIN and "记录" in grade.reason


ISOLATION = "脏读：×\n不可重复读：√\n幻影读：√"


@pytest.mark.parametrize(
    ("answer", "rating"),
    [
        ("脏读：× | 不可重复读：√ | 幻影读：√", Rating.EASY),
        ("脏读 ×，不可重复读 √，幻读 √", Rating.EASY),
        ("脏读不会出现，不可重复读和幻读都还可能出现。", Rating.EASY),  # named, then denied
        ("脏读 × 不可重复读 × 幻影读 √", Rating.AGAIN),
        ("脏读 / 不可重复读 / 幻影读", Rating.AGAIN),  # the prompt's columns pasted back
    ],
)
def test_a_table_rows_ticks_and_crosses_are_claims(answer: str, rating: Rating) -> None:
    question = "事务 › 隔离级别对比\n隔离级别 READ-COMMITTED — 脏读 / 不可重复读 / 幻影读"
    assert grade_answer(question, answer, key_points("question", ISOLATION)).rating == rating


def test_a_fraction_is_one_number() -> None:
    assert numbers_of("模型大小为原始的 1/4") == {"1/4"}
    found = contradiction(
        "权重量化成 INT8 类型，模型大小为原始的 1/4", "量化成 INT8 后模型大小是原来的 1/2"
    )
    assert found is not None and found.kind == "number"


def test_head_and_tail_memory_and_disk_are_opposites() -> None:
    assert contradiction("消息被追加到日志文件的尾部", "消息被追加到日志文件的头部") is not None
    assert (
        contradiction("term index 是一棵 trie 树，存在内存中", "term index 是一棵树，存储在磁盘上")
        is not None
    )


def test_an_opposite_that_contains_the_word_it_opposes_is_seen() -> None:
    """`non-blocking` holds `blocking`: read as both sides at once, the swap went unseen."""
    found = contradiction(
        "epoll_wait blocks until a file descriptor is ready", "epoll_wait is non-blocking"
    )
    assert found is not None and found.kind == "direction"
    assert contradiction("默认是阻塞的 IO 调用", "默认是非阻塞的 IO 调用") is not None
    assert contradiction("非阻塞 IO 会立即返回", "非阻塞 IO 调用会立即返回结果") is None


def test_a_step_said_rightly_is_no_clash_with_the_next_step() -> None:
    """`主库执行 bgsave 生成 rdb` is the note's second step, not a wrong version of the third."""
    back = (
        "从服务器向主服务器发送 sync 命令。\n收到 sync 命令后，主服务器执行 bgsave 命令，用来生"
        "成 rdb 文件。\n"
        "bgsave 执行完成后，将生成的 rdb 文件发送给从服务器，用来给从服务器更新数据。"
    )
    answer = (
        "从库先给主库发 sync；主库收到后执行 bgsave 生成 rdb 文件；rdb 生成好后发给从库，从库用它更"
        "新数据。"
    )
    assert (
        grade_answer("redis › 主从同步", answer, key_points("question", back)).rating
        != Rating.AGAIN
    )


def test_an_answer_sentence_with_its_own_negation_is_not_read_whole() -> None:
    points = key_points(
        "question", "select不会记录到binlog中，只有update/delete/insert才会记录到binlog中。"
    )
    answer = "select 不会写到 binlog 里，只有 update/delete/insert 才会记录 binlog。"
    assert grade_answer("mysql › 执行过程", answer, points).rating != Rating.AGAIN


def test_an_opposite_is_seen_where_the_words_agree_but_few_character_pairs_do() -> None:
    points = key_points("question", "使用池化层来缩减模型的大小，提高计算速度。")
    grade = grade_answer("CNN › 池化层", "池化层是用来增加模型大小的，可以提高计算速度", points)
    assert grade.rating == Rating.AGAIN and "增加" in grade.reason


def test_a_flipped_claim_said_rightly_elsewhere_in_the_answer_is_about_another_point() -> None:
    """Two strategies with opposite trade-offs, answered rightly: the sentence about the other
    strategy holds the same words the other way round, and the answer says the point's way in the
    sentence about its lead."""
    answer = "B+ 树对范围查询友好、对随机写入不友好；LSM 树对随机写入友好、对范围查询不友好"
    point = "B+ 树：对范围查询友好，对随机写入不友好"
    assert contradiction(point, "LSM 树对随机写入友好、对范围查询不友好", answer=answer) is None
    swapped = "B+ 树对随机写入友好、对范围查询不友好；LSM 树对范围查询友好、对随机写入不友好"
    assert contradiction(point, "B+ 树对随机写入友好、对范围查询不友好", answer=swapped) is not None


def test_the_clauses_of_one_point_are_answered_in_one_sentence() -> None:
    """A point's second clause (`也会把提交序号加 1`) is looked for in the answer sentence its first
    clause was found in, not in the sentence before that says the same words of the other node."""
    points = key_points(
        "list",
        "- 主节点每写入一条日志，就把自己的提交序号加 1\n- 从节点每收到一条日志时，也会把自己的提"
        "交序号加 1\n",
    )
    wrong = (
        "1. 主节点每写入一条日志，就把自己的提交序号加 1。\n2. 从节点每收到一条日志时，会把自己的提"
        "交序号减 1。"
    )
    right = (
        "1. 主节点每写入一条日志，就把自己的提交序号加 1。\n2. 从节点每收到一条日志时，也把自己的提"
        "交序号加 1。"
    )
    assert grade_answer("日志复制 — 列出 2 点", wrong, points).rating == Rating.AGAIN
    assert grade_answer("日志复制 — 列出 2 点", right, points).rating >= Rating.GOOD


def test_an_enumeration_is_read_item_by_item() -> None:
    """`欧式距离最大、向量内积最小` holds both 最大 and 最小: each item is set against its own
    point, never the run of two that happens to hold the point's direction word."""
    points = key_points("list", "1. 欧式距离最小\n2. 向量内积最大\n3. 余弦相似度最大")
    wrong = grade_answer(
        "knn › 衡量最近邻的标准", "欧式距离最大、向量内积最小、余弦相似度最大", points
    )
    assert wrong.rating == Rating.AGAIN and wrong.contradicted
    right = grade_answer(
        "knn › 衡量最近邻的标准", "欧式距离最小、向量内积最大、余弦相似度最大", points
    )
    assert right.rating >= Rating.GOOD and not right.contradicted


def test_a_word_affirmed_of_another_subject_does_not_excuse_its_denial() -> None:
    point = "当 select 中的其它分支都没有准备好时，default 分支就会执行"
    answer = "多个分支都准备好时按代码顺序执行第一个；都没准备好时 default 也不会执行"
    assert contradiction("default 分支就会执行", "default 也不会执行", answer=answer) is not None
    # said the note's way of the same subject elsewhere in the answer: the clause may be about
    # another claim
    both = "default 也不会执行的情况是有其他分支；分支都没准备好时 default 就会执行"
    assert contradiction("default 分支就会执行", "default 也不会执行", answer=both) is None
    assert point


def test_each_sentence_of_a_point_is_checked_on_its_own() -> None:
    """A point's second sentence (an aside in brackets) does not dilute its first one's claim."""
    back = (
        "1. n 越大，向量中的 1 越多，误伤概率越大。(未曝光物品的 k 个位置恰好都是 1 的概率大。)\n"
        "2. m 越大，向量越长，越不容易发生哈希碰撞。"
    )
    points = key_points("list", back)
    wrong = grade_answer(
        "曝光过滤 › Bloom Filter", "n 越大，误伤概率越小；m 越大越不容易碰撞", points
    )
    assert wrong.rating == Rating.AGAIN and wrong.contradicted
    right = grade_answer(
        "曝光过滤 › Bloom Filter", "n 越大，误伤概率越大；m 越大越不容易碰撞", points
    )
    assert right.rating > Rating.AGAIN and not right.contradicted


def test_a_claim_is_aligned_on_its_subject_not_its_quantifier() -> None:
    """`只有一个 value 被选定` is answered by `可以有多个 value 被选定`, not by another item that
    shares its `只有`."""
    back = (
        "1. 只有被提出的 value 才能被选定\n2. 只有一个 value 被选定\n"
        "3. 进程认为被选定的 value 必须真的被选定"
    )
    points = key_points("list", back)
    answer = (
        "只有被提出的 value 才能被选定；只要多数派同意，可以有多个 value 被选定；"
        "进程认为被选定的就是真的被选定"
    )
    grade = grade_answer("Paxos › 安全性", answer, points)
    assert grade.rating == Rating.AGAIN and grade.contradicted


def test_a_negation_reaches_past_a_determiner_and_a_conjunction_is_no_subject() -> None:
    point = "The thread is in a running state but without any executable goroutines."
    found = contradiction(
        point,
        "A spinning thread is a thread that is in the running state and has executable goroutines",
    )
    assert found is not None and found.kind == "negation" and "executable" in found.detail
    assert (
        contradiction(point, "A spinning thread is running but has no goroutine it can execute")
        is None
    )


def test_rough_quantities_of_another_order_are_a_wrong_number() -> None:
    assert rough_quantities("每秒几亿行") == {8: "几亿"}
    assert rough_quantities("hundreds of millions of rows") == {8: "hundreds of millions"}
    assert rough_quantities("万一失败，千万不要重试") == {}
    found = contradiction("给几百篇笔记打分", "精排：给几千篇笔记打分")
    assert found is not None and found.kind == "number" and "几千" in found.detail
    assert contradiction("每秒几亿行的吞吐能力", "hundreds of millions of rows per second") is None
    assert contradiction("给几百篇笔记打分", "精排给几百篇笔记打分") is None


def test_a_contrast_said_the_other_way_round_is_a_wrong_claim() -> None:
    point = "高效计算核（kernel）实现，基于计算操作 compute-bound 而非内存绑定 memory-bound"
    found = contradiction(
        point, "高效计算核（kernel）实现，要基于内存绑定 memory-bound 而不是 compute-bound"
    )
    assert found is not None and "other way round" in found.detail
    # the same contrast in other words denies nothing the note affirms
    assert (
        contradiction(point, "高效计算核（kernel）实现，要基于 compute-bound 而不是 memory-bound")
        is None
    )


@pytest.mark.parametrize(
    ("point", "clause"),
    [
        ("写入速度非常快，50-200M/s", "Writes are extremely fast, around 50-200 KB/s"),
        ("session 超时默认 10 秒", "session 超时默认 10 ms"),
        ("每 5m 同步一次", "每 5 小时同步一次"),  # m, a minute among times
        # a one-character unit glued to the word after it: 秒, not 秒强
        ("长时间没 GC 就强制触发一次（2 分钟）", "每 2 秒强制 GC 一次"),
    ],
)
def test_the_same_number_in_another_unit_of_its_quantity_is_a_wrong_number(
    point: str, clause: str
) -> None:
    found = contradiction(point, clause)
    assert found is not None and found.kind == "number", found


@pytest.mark.parametrize(
    ("point", "clause"),
    [
        ("内存 16 GB", "内存 16G"),
        ("超时 30 秒", "timeout of 30 s"),
        ("延迟 2 ms", "延迟 2 毫秒"),
        ("每 5m 重试", "每 5 min 重试"),
        ("默认 16 个数据库", "默认 16 个库"),  # a count, no unit of a quantity
    ],
)
def test_the_same_amount_spelt_another_way_is_no_wrong_number(point: str, clause: str) -> None:
    assert contradiction(point, clause) is None


def test_a_clause_going_on_with_ye_keeps_the_subject_before_it() -> None:
    """`数据很快，也能防重放`: the clause opened by 也 says 防重放 of 数据, as the note denies
    it."""
    found = contradiction("0-RTT 数据不防重放，只能用于幂等请求", "0-RTT 数据很快，也能防重放")
    assert found is not None and found.kind == "negation"


def test_having_what_the_note_lacks_is_seen_however_the_words_are_cut() -> None:
    """`有前向安全` segments as 有前 / 向 / 安全: the words after 没有 in the note are looked for
    after 有 in the answer."""
    found = contradiction("也没有前向安全（用的是 PSK 派生的 key）", "0-RTT 数据有前向安全")
    assert found is not None and found.kind == "negation"
    assert contradiction("没有前向安全", "前向安全是没有的") is None


def test_a_negator_cut_from_its_modal_denies_what_the_modal_governs() -> None:
    """`不需要 STW` segments as 不 / 需要 / STW: it denies STW, which the note's `全程 STW`
    affirms."""
    found = contradiction("全程 STW", "不需要 STW")
    assert found is not None and found.kind == "negation"
    assert contradiction("不需要加锁", "无需加锁") is None


def test_two_values_that_differ_in_a_digit_are_no_typo_of_each_other() -> None:
    """`TLS 1.2：2-RTT` answered `TLS 1.2: 1-RTT`: another count of round trips, not a
    misspelling."""
    from bagu.review.spelling import near

    assert not near("1-rtt", "2-rtt") and near("kafak", "kafka")
    found = contradiction("TLS 1.2：2-RTT", "TLS 1.2: 1-RTT")
    assert found is not None and found.kind == "number"


def test_a_verb_glued_to_its_negator_is_denied_with_its_object() -> None:
    """`不防重放` (the segmenter keeps 不防 whole) denies 防重放, not 重放: `可以被重放` says the
    same, `能防重放` the opposite, and `不能防重放` the same again."""
    point = "0-RTT 数据不防重放，只能用于幂等请求"
    assert contradiction(point, "0-RTT 数据可以被重放") is None
    found = contradiction(point, "0-RTT 数据能防重放")
    assert found is not None and found.kind == "negation"
    assert contradiction(point, "0-RTT 数据不能防重放") is None
