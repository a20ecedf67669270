"""Acceptance on the real vault: every broken link of 八股文.md, with the repair a careful reader
would pick."""

from __future__ import annotations

from pathlib import Path

import pytest

from bagu.indexer import index_vault
from bagu.links.check import LinkReport
from bagu.links.graph import check_vault
from bagu.store.db import connect
from bagu.store.sqlite import sqlite3
from tests.conftest import SHARED_CORPUS

pytestmark = pytest.mark.skipif(not SHARED_CORPUS.is_dir(), reason="shared corpus not present")

# line → (reason, a repair that must be offered, or None where no reader could tell)
EXPECTED = {
    # prefix of the heading
    15: ("missing-anchor", "language/py/key/2018-08-17-GC.md#标记清除解决循环引用问题"),
    200: ("missing-anchor", "language/go/key/2021-06-07-go总结.md#栈堆"),  # characters swapped
    287: ("missing-anchor", "language/py/key/2018-03-20-aio.md#进程线程"),
    # moved and renamed
    405: ("missing-anchor", "LLM/key/2024-05-31-分布式AI训练框架.md#Deepspeed实战"),
    # moved to another note
    414: ("missing-anchor", "LLM/key/2024-05-31-分布式AI训练框架.md#Megatron-LM实践"),
    814: ("missing-anchor", None),
    880: ("missing-file", None),
    935: ("missing-file", None),
    939: ("missing-file", None),
    941: ("missing-file", None),
    943: ("missing-file", None),
    945: ("missing-file", None),
    # ACID is in the note's opening text
    1097: ("missing-anchor", "db/mysql/key/2018-08-19-事务.md"),
    # the anchor repeats the note's name
    1407: ("missing-anchor", "db/es/2020-10-05-es_集群管理.md"),
    # stray ]
    1857: ("missing-anchor", "k8s/集群调度/2022-01-09-k8s集群调度3.md#Scheduler Extender"),
    1864: ("missing-anchor", "k8s/集群调度/2022-01-09-k8s集群调度3.md#Scheduler Framework"),
    1868: ("missing-anchor", "k8s/集群调度/2022-01-03-k8s集群调度2.md#高级调度能力"),
    2085: ("missing-file", "language/py/key/2019-03-05-IO.md#惊群"),  # anguage/ for language/
    2419: ("missing-file", None),  # stray _posts/ prefix, but the note is not in the vault
    2423: (
        "missing-anchor",
        "k8s/排错/2023-02-13-集群排错.md#记一次apiserver kubelet CPU占用居高不下",
    ),
}


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> LinkReport:
    conn: sqlite3.Connection = connect(Path(tmp_path_factory.mktemp("corpus")) / "bagu.db")
    index_vault(conn, SHARED_CORPUS)
    return check_vault(conn, SHARED_CORPUS)


def test_every_broken_link_of_the_summary_page_with_its_reason(report: LinkReport) -> None:
    found = {
        b.link.line: b.resolution.status.value
        for b in report.broken
        if b.source_path == "八股文.md"
    }
    assert found == {line: reason for line, (reason, _) in EXPECTED.items()}


def test_the_intended_target_is_among_the_suggestions(report: LinkReport) -> None:
    by_line = {b.link.line: b for b in report.broken if b.source_path == "八股文.md"}
    for line, (_, wanted) in EXPECTED.items():
        if wanted is not None:
            assert wanted in [r.destination for r in by_line[line].repairs], (
                line,
                by_line[line].repairs,
            )


def test_a_typora_target_with_a_parenthesised_tail_resolves(report: LinkReport) -> None:
    # Line 1639: `[EndpointSlices](k8s/…/2022-06-05-endpoints.md#端点分片 (EndpointSlices))`, the
    # heading as Typora writes it; CommonMark reads ` (EndpointSlices)` as a title and would cut the
    # anchor.
    assert 1639 not in {b.link.line for b in report.broken if b.source_path == "八股文.md"}


def test_raw_heading_anchors_that_resolve_are_not_reported(report: LinkReport) -> None:
    # 八股文.md links mostly by raw heading text (Typora style); all but 20 of its internal links
    # resolve.
    assert report.conventions["raw"] >= 190
    summary_links = sum(1 for b in report.broken if b.source_path == "八股文.md")
    assert summary_links == len(EXPECTED)
