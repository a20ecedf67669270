"""Lines that introduce what follows them, as notes write them."""

from __future__ import annotations

import pytest

from bagu.vault.prose import introduces, is_label, is_lead_in


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
