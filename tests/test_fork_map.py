"""Work over many items in forked workers: the same results in the same order as mapping here, and
no fork off the main thread."""

from __future__ import annotations

import os
import threading

import pytest

from bagu.fork_map import fork_map, fork_workers

pytestmark = pytest.mark.skipif(not fork_workers(), reason="needs two cores and fork")


def _square_with_pid(n: int) -> tuple[int, int]:
    return n * n, os.getpid()


def test_results_come_back_in_order_from_other_processes() -> None:
    items = list(range(1000))
    results = fork_map(_square_with_pid, items, min_items=10)
    assert [r for r, _ in results] == [n * n for n in items]
    assert os.getpid() not in {pid for _, pid in results}


def test_few_items_and_other_threads_map_here() -> None:
    assert {pid for _, pid in fork_map(_square_with_pid, [1, 2, 3], min_items=10)} == {os.getpid()}
    seen: list[set[int]] = []
    thread = threading.Thread(
        target=lambda: seen.append(
            {pid for _, pid in fork_map(_square_with_pid, list(range(100)), min_items=1)}
        )
    )
    thread.start()
    thread.join()
    assert seen == [{os.getpid()}]


def test_a_closure_reaches_the_workers_by_fork_not_pickle() -> None:
    offset = 7
    assert fork_map(lambda n: n + offset, list(range(50)), min_items=1) == [
        n + 7 for n in range(50)
    ]
