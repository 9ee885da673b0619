"""The query workers: warmed ahead of the first query, answering from the in-memory copy."""

import multiprocessing
import time

from graph import pool, sandbox

LIMITS = sandbox.Limits(timeout=10.0, rows=10, memory_mb=1024, max_length=100_000, max_nesting=64)


def _workers() -> set[int]:
    return {p.pid for p in multiprocessing.active_children() if p.name == "hwbkg-query"}


def test_a_warmed_pool_starts_its_worker_before_the_first_query(published):
    before = _workers()
    workers = pool.QueryPool(published.path, LIMITS, workers=1, queue_size=0)
    try:
        workers.warm()
        deadline = time.monotonic() + 60
        while not _workers() - before and time.monotonic() < deadline:
            time.sleep(0.05)
        started = _workers() - before
        assert len(started) == 1
        reply = workers.run(sandbox.Request("ASK { ?s a hwb:Action }", {"ask": "json"}))
        assert reply.body == b'{"head":{},"boolean":true}'
        # The query went to the warmed worker: the pool of one started no other.
        assert _workers() - before == started
    finally:
        workers.close()
