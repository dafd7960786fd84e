"""The parse pool: this process takes chunks of the items beside the workers, every result
lands at its item's place, and a worker's results come back through `back`."""
from __future__ import annotations

import os
import time

from handbook_gen.build import pipeline


def _worker(item: int) -> tuple[int, int]:
    time.sleep(0.002)  # long enough that every process gets chunks
    return os.getpid(), item * item


def _here(item: int) -> tuple[str, int]:
    time.sleep(0.002)
    return "here", item * item


def _back(value: tuple[int, int]) -> tuple[str, int]:
    assert value[0] != os.getpid(), "a result of this process went through the pool"
    return "worker", value[1]


def test_this_process_and_the_workers_share_the_items_in_order():
    items = list(range(300))
    out = pipeline._map(_worker, items, 3, here=_here, back=_back)
    assert [square for _, square in out] == [i * i for i in items]
    assert {who for who, _ in out} == {"here", "worker"}
    assert pipeline._SHARED is None


def test_one_process_runs_here_only():
    assert pipeline._map(_worker, list(range(5)), 2, here=_here, back=_back) == \
        [("here", i * i) for i in range(5)]  # fewer items than the parallel threshold
