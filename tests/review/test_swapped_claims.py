"""Two subjects' claims swapped: the answer shares every word with the note and still says the
opposite."""

from __future__ import annotations

from bagu.review.grade import grade_answer
from bagu.review.points import KeyPoint
from bagu.review.scheduler import Rating
from bagu.review.swapped_claims import subject_of, swapped_claim, transposed

ROWS = [
    "redo log：redo log 采用循环写的方式记录，当写到结尾时，会回到开头循环写日志",
    "binlog：binlog 通过追加的方式记录，当文件大小大于给定值后，后续的日志会记录到新的文件上",
]


def test_the_subject_is_a_label_or_a_leading_name() -> None:
    assert [subject_of(p) for p in ROWS] == ["redo log", "binlog"]
    assert subject_of("create 添加新数据，如果数据已经存在则会引发异常") == "create"
    assert subject_of("数据在内存中，所以很快") == ""


def test_claims_given_to_each_other_are_a_swap() -> None:
    swapped = (
        "redo log 是追加写的，一个文件写满了就切到新文件继续写；binlog 是固定大小循环写，写到末尾再"
        "回到开头覆盖。"
    )
    found = swapped_claim(ROWS, swapped)
    assert found is not None and found[0] == 0 and "binlog" in found[1].detail
    assert (
        swapped_claim(ROWS, "redo log 循环写，写满从头覆盖；binlog 追加写，文件满了就写新文件。")
        is None
    )


def test_one_subject_using_the_others_words_is_no_swap() -> None:
    """`make 返回初始化好的对象，不是指针` uses new's words without giving make new's claim."""
    points = [
        "new 函数用于创建指定类型的零值对象，并返回指向该对象的指针",
        "make 用于内置引用类型（切片、map 和通道）",
        "make 函数接受两个或三个参数",
    ]
    answer = (
        "new 返回指向零值对象的指针；make 只用于切片、map、chan，接 2~3 个参数，返回初始化好的对象"
        "，不是指针"
    )
    assert swapped_claim(points, answer) is None


def test_a_swapped_answer_is_graded_again() -> None:
    points = [KeyPoint(p) for p in ROWS]
    answer = "redo log 是追加写的，写满了就切到新文件；binlog 是循环写，写到末尾回到开头覆盖。"
    grade = grade_answer("redo log与binlog区别\n记录方式 — redo log / binlog", answer, points)
    assert grade.rating == Rating.AGAIN and grade.contradicted


def test_two_steps_the_other_way_round_are_a_wrong_claim() -> None:
    from bagu.review.swapped_claims import order_reversed

    note = ["两步 query + fetch：先从各分片拿到 doc id，再拿 doc"]
    found = order_reversed(note, "分两步：先 fetch 再 query，协调节点先把完整文档拉过来")
    assert found is not None and found.kind == "order"
    assert order_reversed(note, "先 query 拿 doc id，再 fetch 文档") is None
    assert order_reversed(note, "query 和 fetch 两个阶段") is None  # no order said


def test_labels_before_a_dash_swapped_in_one_sentence_are_a_swap() -> None:
    """`硬策略 - required…` / `软策略 - preferred…`, answered with the two field names the other way
    round in one sentence: a whole Latin name is the claim."""
    points = [
        "硬策略 - requiredDuringSchedulingIgnoredDuringExecution",
        "软策略 - preferredDuringSchedulingIgnoredDuringExecution",
    ]
    assert [subject_of(p) for p in points] == ["硬策略", "软策略"]
    swapped = (
        "硬策略是 preferredDuringSchedulingIgnoredDuringExecution，"
        "软策略是 requiredDuringSchedulingIgnoredDuringExecution"
    )
    assert swapped_claim(points, swapped) is not None
    right = (
        "硬策略 requiredDuringSchedulingIgnoredDuringExecution，"
        "软策略 perferredDuringSchedulingIgnoredDuringExecution"
    )
    assert swapped_claim(points, right) is None


def test_two_labelled_claims_in_one_point_swapped_are_a_swap() -> None:
    """`S: 加密(消息+消息摘要) R: 解密 对比摘要` is one line of the note and two claims."""
    from bagu.review.swapped_claims import labelled_parts

    point = "S: 加密(消息+消息摘要) R: 解密 对比摘要"
    assert labelled_parts(point) == ["S: 加密(消息+消息摘要)", "R: 解密 对比摘要"]
    assert labelled_parts("Callable From：Host") == ["Callable From：Host"]
    assert swapped_claim([point], "R 加密消息加摘要发出去，S 解密后对比摘要") is not None
    assert swapped_claim([point], "S 加密消息加摘要发出去，R 解密后对比摘要") is None


def test_a_label_said_with_another_value_is_a_wrong_claim() -> None:
    """A table row asked as `Callable From / Executed On / Executed By`, answered with the row
    below it."""
    from bagu.review.swapped_claims import other_value

    row = ["Callable From：Host", "Executed On：Host", "Executed By：Caller host thread"]
    found = other_value(row, "Callable from Host, executed on Device, executed by device threads")
    assert found is not None and found[0] == 1
    assert (
        other_value(row, "callable from the host, executed on the host, by the host thread") is None
    )
    assert other_value(["延迟：低", "吞吐：高"], "延迟：高，吞吐：低") is not None
    assert other_value(["延迟：低", "吞吐：高"], "延迟很低，吞吐高") is None
    # a paraphrase in a phrase of its own is left to the other checks
    assert other_value(["RDB：快照"], "RDB 是把内存里的数据定期整个写到磁盘上") is None
    # a misspelt value is the value
    assert (
        other_value(["软策略：preferredDuringScheduling"], "软策略 perferredDuringScheduling")
        is None
    )


def test_a_label_before_an_unspaced_or_chinese_dash_is_a_subject() -> None:
    points = [
        "先到先得策略 (FIFO) -简单、相对公平，上手快",
        "优先级策略 (Priority) - 符合日常公司业务特点",
    ]
    assert subject_of(points[0]) == "先到先得策略 (FIFO)"
    assert subject_of("FIFO——简单") == "FIFO"
    swapped = (
        "先到先得策略 (FIFO)——符合日常公司业务特点；优先级策略 (Priority)——简单、相对公平，上手快。"
    )
    found = swapped_claim(points, swapped)
    assert found is not None and found[0] == 0
    right = (
        "先到先得策略 (FIFO)——简单、相对公平，上手快；优先级策略 (Priority)——符合日常公司业务特点。"
    )
    assert swapped_claim(points, right) is None


OUTLIERS = (
    "Performing matrix multiplication on the outlier matrix in FP16 and the non-outlier matrix in "
    "int8."
)


def test_two_words_in_each_others_place_are_transposed() -> None:
    found = transposed(
        [OUTLIERS],
        "Perform matrix multiplication separately on the outlier matrix in int8 and the "
        "non-outlier matrix in FP16.",
    )
    assert found is not None and found[0] == 0 and found[1].kind == "roles"
    dequantize = (
        "Dequantizing the result of the non-outlier matrix and adding it to the outlier matrix to "
        "obtain the full result in FP16."
    )
    swapped = (
        "Dequantize the result of the outlier matrix and add it to the non-outlier result to "
        "obtain the complete result in FP16."
    )
    assert transposed([dequantize], swapped) is not None


def test_a_reordering_that_keeps_each_words_neighbours_is_no_transposition() -> None:
    reordered = (
        "On the non-outlier matrix in int8 and the outlier matrix in FP16, perform matrix "
        "multiplication."
    )
    assert transposed([OUTLIERS], reordered) is None
    assert (
        transposed(
            ["Redis 和 Memcached 都是内存数据库，数据放在内存里"],
            "Memcached 和 Redis 都是内存数据库，数据放在内存里",
        )
        is None
    )
    # a bare list of names claims nothing
    assert (
        transposed(["定期删除：是定时删除和惰性删除的一种折中"], "定时删除 惰性删除 定期删除")
        is None
    )


def test_a_transposed_answer_is_graded_again() -> None:
    grade = grade_answer(
        "用英文说 (say it in English): 对 FP16 中的离群值矩阵和 int8 中的非离群值矩阵分别执行"
        "矩阵乘法",
        "Perform matrix multiplication on the outlier matrix in int8 and the non-outlier matrix in "
        "FP16.",
        [KeyPoint(OUTLIERS)],
    )
    assert grade.rating == Rating.AGAIN and "note has" in grade.reason


def test_a_value_said_in_the_other_language_or_later_in_its_sentence_is_no_other_value() -> None:
    """`Parallel：吞吐量` answered `Parallel: throughput`, and `hashed：写入均匀打散` answered
    `hashed 先对 key 做哈希，写入就被均匀打散`: the value, not another."""
    from bagu.review.swapped_claims import other_value

    assert (
        other_value(["Parallel：吞吐量", "CMS：低停顿"], "Parallel: throughput; CMS: low pauses")
        is None
    )
    assert (
        other_value(
            ["hashed：写入均匀打散"], "hashed 先对 key 做哈希，写入就被均匀打散到各个 chunk"
        )
        is None
    )
    assert other_value(["延迟：低"], "延迟：高，吞吐也高") is not None
