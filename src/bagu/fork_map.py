"""Pure work over many items in two forked worker processes: the items reach the workers by fork,
only the results come back (pickled), in the items' order.

For work that is pure and large enough to win back a pool's start and the pickling of its results
(card generation on a first index of 82,000 sections: 22 s in one process, 15 s forked, of which 4 s
unpickling). It does not stream (the results are a list) and it never runs where `fork` is not
available, on one core or off the main thread; there, and for few items, it maps in this process.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")

# enough that one slow stretch of a vault does not leave the other worker idle
CHUNKS_PER_WORKER = 16
_job: tuple[Callable[[Any], Any], Sequence[Any]] | None = None  # what the forked workers inherit


def fork_workers() -> int:
    """How many worker processes to fork: two on two or more cores where `fork` exists, else none;
    none from any thread but the main one too (the web app's refresh thread: a fork there copies
    locks other threads may hold)."""
    if (os.cpu_count() or 1) < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return 0
    return 2 if threading.current_thread() is threading.main_thread() else 0


def fork_map(
    function: Callable[[Item], Result], items: Sequence[Item], *, min_items: int
) -> list[Result]:
    """`[function(item) for item in items]`, in forked workers when there are at least
    `min_items`."""
    global _job
    workers = fork_workers()
    if len(items) < min_items or not workers:
        return [function(item) for item in items]
    step = max(1, -(-len(items) // (workers * CHUNKS_PER_WORKER)))
    _job = (function, items)
    try:
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
            starts = range(0, len(items), step)
            chunks = pool.map(_run_chunk, starts, [step] * len(starts))
            return [result for chunk in chunks for result in chunk]
    finally:
        _job = None


def _run_chunk(start: int, size: int) -> list[Any]:
    assert _job is not None, "fork_map's workers inherit their job by fork"
    function, items = _job
    return [function(item) for item in items[start : start + size]]
