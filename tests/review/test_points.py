"""Key points as a person would list them: sentences, not lines; a sentence and its rendering one
point."""

from __future__ import annotations

from bagu.review.points import MAX_POINTS, key_points
from bagu.vault.prose import paragraphs


def test_a_soft_wrapped_paragraph_is_one_text_and_each_sentence_a_point() -> None:
    back = "Kafka 把消息写入页缓存，\n再由操作系统刷盘。消费者\n按 offset 顺序读取。"
    assert paragraphs(back) == [
        "Kafka 把消息写入页缓存，再由操作系统刷盘。消费者按 offset 顺序读取。"
    ]
    assert [p.text for p in key_points("question", back)] == [
        "Kafka 把消息写入页缓存，再由操作系统刷盘",
        "消费者按 offset 顺序读取",
    ]


def test_english_soft_wraps_join_with_a_space_and_numbers_are_not_sentence_ends() -> None:
    back = "The load factor defaults to 0.75 and the\ntable doubles when it is exceeded."
    assert [p.text for p in key_points("question", back)] == [
        "The load factor defaults to 0.75 and the table doubles when it is exceeded"
    ]
    assert [p.text for p in key_points("explicit", "0.75")] == ["0.75"]


def test_a_sentence_and_its_rendering_are_one_point() -> None:
    zh, en = (
        "哨兵负责监控主从节点并自动故障转移。",
        "Sentinel monitors the nodes and performs failover.",
    )
    (point,) = key_points("question", f"{zh}\n{en}", pairs=((zh, en),))
    assert point.text == zh.rstrip("。") and point.renderings == (en,)


def test_list_items_are_points_and_a_lead_in_is_not() -> None:
    back = "Kafka 快的原因：\n顺序写磁盘\n零拷贝"
    assert [p.text for p in key_points("question", back, list_items=("顺序写磁盘", "零拷贝"))] == [
        "顺序写磁盘",
        "零拷贝",
    ]


def test_bold_spans_are_emphasis_and_stressed_sentences_are_kept_first() -> None:
    back = "。".join(f"第{i}句说明一件事" for i in range(12)) + "。最后一句讲**关键**。"
    points = key_points("question", back, bold=("关键",))
    assert len(points) == MAX_POINTS and points[-1].emphasis == ("关键",)


def test_a_translation_is_graded_by_its_clauses_not_word_by_word() -> None:
    en = "First, check the new capacity; if it is more than twice the old one, use it"
    assert [p.text for p in key_points("zh-en", en)] == [
        "First, check the new capacity",
        "if it is more than twice the old one, use it",
    ]


def test_the_notes_own_questions_are_not_points() -> None:
    back = (
        "接下来讲一下怎么对容器里的文件进行操作？读的时候数据都从 lower 层来。写的时候先 copy up "
        "到 upper 层。"
    )
    assert [p.text for p in key_points("question", back)] == [
        "读的时候数据都从 lower 层来",
        "写的时候先 copy up 到 upper 层",
    ]


def test_a_whole_bold_sentence_is_emphasis_of_that_sentence() -> None:
    """`**UDP是无连接的。**`: the bold span keeps its stop, the sentence split off loses it."""
    (point,) = key_points(
        "question", "UDP是一个面向无连接的传输层协议。", ("UDP是一个面向无连接的传输层协议。",)
    )
    assert point.emphasis == ("UDP是一个面向无连接的传输层协议",)


def test_a_label_or_a_lead_in_is_no_point_of_its_own() -> None:
    back = (
        "探针的区别\n\nReadinessProbe：检测失败后把 Pod 从 Endpoints 摘除。\n\n它的缺点是\n\n需要额"
        "外的空间维护引用计数。"
    )
    assert [p.text for p in key_points("question", back)] == [
        "ReadinessProbe：检测失败后把 Pod 从 Endpoints 摘除",
        "需要额外的空间维护引用计数",
    ]


def test_a_reference_holding_a_table_gives_its_rows_as_points_not_its_cells() -> None:
    """`grade --batch` reads a Markdown reference as a section: a table's cells, one per line in
    the body, were key points of their own (`含义`, `size-tiered`, `低`)."""
    from bagu.review.batch import reference_from_markdown

    reference = reference_from_markdown(
        "LSM 的三种放大：\n\n| | 含义 | size-tiered | leveled |\n|---|---|---|---|\n"
        "| 写放大 | 写盘字节 / 用户写入字节 | 低 | 高 |\n| 读放大 | 一次读查几个文件 | 高 | 低 |\n"
    )
    points = [point.text for point in reference.key_points()]
    assert "size-tiered" not in points and "低" not in points and "含义" not in points
    assert any(p.startswith("写放大") and "写盘字节" in p for p in points)
    assert any(p.startswith("读放大") for p in points)


def test_a_value_swapped_between_two_columns_of_a_reference_table_is_a_wrong_claim() -> None:
    """Each cell is said under its column (`size-tiered：低`), so an answer giving leveled's value
    to size-tiered is read as another value, not credited for naming both."""
    from bagu.review.batch import reference_from_markdown
    from bagu.review.grade import Rating, grade_answer

    reference = reference_from_markdown(
        "| | 含义 | size-tiered | leveled |\n|---|---|---|---|\n"
        "| 写放大 | 写盘字节 / 用户写入字节 | 低 | 高 |\n"
    )
    points = reference.key_points()
    swapped = grade_answer("LSM › 写放大", "size-tiered 写放大高，leveled 写放大低", points)
    assert swapped.rating == Rating.AGAIN
    right = grade_answer("LSM › 写放大", "size-tiered 写放大低，leveled 写放大高", points)
    assert right.rating >= Rating.HARD
