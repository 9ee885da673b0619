"""Running users' queries in worker processes, under limits that really hold.

pyoxigraph has no timeout and a running query cannot be interrupted from Python, so each
query runs in a worker process holding its own copy of the store. The worker polices the
text (graph.guard), runs it and writes the result; the web process only waits on a pipe,
so no query, however hostile, costs a web thread CPU. A worker past the deadline is killed
(SIGKILL ends the evaluation wherever it is); one that dies on a query (the engine crashed,
or hit the memory cap) is reported as that query's fault. Either way a replacement is
started at once in the background, so the pool stays full.

At most ``workers`` queries run at once and ``queue`` more wait; anything beyond is turned
away at once (PoolBusy, with a Retry-After estimate) rather than holding a web thread.
"""

from __future__ import annotations

import math
import multiprocessing
import queue
import signal
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path

from graph import sandbox
from graph.sandbox import Failure, Limits, Reply, Request
from graph.server import ServerTimeout, ServerUnavailable

START_TIMEOUT = 60.0
"""Seconds a new worker may take to import its modules and open the store."""
WAIT_FLOOR = 5.0
"""Seconds a query waits for a free worker at least, however short the time limit, so that
it is not turned away while a replacement worker starts."""


class QueryFailed(ValueError):
    """The query is at fault: its Failure says how."""

    def __init__(self, failure: Failure) -> None:
        super().__init__(failure.message)
        self.failure = failure


class QueryTimeout(RuntimeError):
    """The query ran past the time limit and its worker was stopped."""


class PoolBusy(RuntimeError):
    """No worker could take the query soon enough; try again after ``retry_after`` s."""

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


@contextmanager
def _admission(
    places: threading.BoundedSemaphore, workers: int, waiting: int, retry_after: Callable[[], int]
) -> Iterator[None]:
    """Hold one of the ``workers + waiting`` places for a query, or raise PoolBusy at once."""
    if not places.acquire(blocking=False):
        raise PoolBusy(f"{workers} queries are running and {waiting} are waiting "
                       "(QUERY_WORKERS, QUERY_QUEUE)", retry_after())  # fmt: skip
    try:
        yield
    finally:
        places.release()


def _settled(reply: Reply | Failure) -> Reply:
    """The reply, or QueryFailed when the query was at fault."""
    if isinstance(reply, Failure):
        raise QueryFailed(reply)
    return reply


@dataclass(eq=False)
class _Worker:
    process: multiprocessing.process.BaseProcess
    conn: Connection

    def stop(self) -> None:
        """Kill the process (mid-query if need be) and release its pipe."""
        self.process.kill()
        self.process.join()
        self.conn.close()


class QueryPool:
    """``workers`` processes over the build in ``build_dir``, kept started and full."""

    def __init__(
        self,
        build_dir: Path,
        limits: Limits,
        workers: int,
        queue_size: int,
        in_memory: bool = True,
    ) -> None:
        self.build_dir = build_dir
        self.limits = limits
        self._in_memory = in_memory
        self._size = workers
        self._queue_size = queue_size
        self._admitted = threading.BoundedSemaphore(workers + queue_size)
        self._idle: queue.LifoQueue[_Worker] = queue.LifoQueue()
        self._lock = threading.Lock()
        self._started = 0
        self._live: set[_Worker] = set()
        self._closed = False
        self._mean_seconds = 0.05
        # spawn, not fork: the server is threaded and holds the store open.
        self._context = multiprocessing.get_context("spawn")

    def run(self, request: Request) -> Reply:
        """Run ``request`` on an idle worker, waiting for one at most the time limit (but at
        least WAIT_FLOOR).

        Raises QueryFailed (the query is at fault), QueryTimeout, or PoolBusy.
        """
        with _admission(self._admitted, self._size, self._queue_size, self._retry_after):
            worker = self._checkout()
            began = time.monotonic()
            reply = self._ask(worker, request)
            self._mean_seconds = 0.8 * self._mean_seconds + 0.2 * (time.monotonic() - began)
        return _settled(reply)

    def warm(self, wait: bool = False) -> None:
        """Start every worker, so first queries do not wait for them: in the background, or
        here and now with ``wait`` (raising PoolBusy if one cannot start)."""
        if not wait:
            for _ in range(self._size):
                self._replenish()
            return
        with self._lock:
            places = self._size - self._started
            self._started += places
        with ThreadPoolExecutor(max(places, 1)) as starting:  # side by side: start-up time
            futures = [starting.submit(self._start) for _ in range(places)]
        failures = []
        for future in futures:
            try:
                self._return(future.result())
            except PoolBusy as error:
                failures.append(error)
        if failures:
            raise failures[0]

    def pids(self) -> list[int]:
        """The process ids of the workers alive now, busy or idle."""
        return sorted(worker.process.pid for worker in list(self._live))

    def close(self) -> None:
        """Stop the idle workers; busy ones are stopped when they come back."""
        self._closed = True
        while True:
            try:
                self._discard(self._idle.get_nowait())
            except queue.Empty:
                return

    def _ask(self, worker: _Worker, request: Request) -> Reply | Failure:
        """Send ``request`` to ``worker`` and wait for its answer within the time limit."""
        timeout = self.limits.timeout
        try:
            worker.conn.send(request)
            if not worker.conn.poll(timeout):
                self._discard(worker)
                raise QueryTimeout(f"the query ran past the time limit of {timeout:g} s")
            reply = worker.conn.recv()
        except (EOFError, OSError):
            self._discard(worker)
            return Failure("refused", self._death(worker.process.exitcode))
        self._return(worker)
        return reply

    def _death(self, exitcode: int | None) -> str:
        """Why a worker died on a query, as the refusal the user reads."""
        if exitcode == -signal.SIGABRT:
            return (f"the query needed more than {self.limits.memory_mb:,} MB of memory "
                    "(QUERY_MEMORY_MB) and its worker was stopped")  # fmt: skip
        name = signal.Signals(-exitcode).name if exitcode and exitcode < 0 else f"exit {exitcode}"
        return f"the query stopped the query engine ({name}); its worker was replaced"

    def _retry_after(self) -> int:
        """Seconds until a place is likely free: the queue drained at the recent pace,
        never more than one time limit."""
        estimate = self._mean_seconds * (self._queue_size + self._size) / max(self._size, 1)
        return max(1, min(math.ceil(self.limits.timeout), math.ceil(estimate)))

    def _checkout(self) -> _Worker:
        """An idle worker, a new one if the pool is not full, else wait for one."""
        try:
            return self._idle.get_nowait()
        except queue.Empty:
            pass
        with self._lock:
            grow = self._started < self._size
            self._started += grow
        if grow:
            return self._start()
        wait = max(self.limits.timeout, WAIT_FLOOR)
        try:
            return self._idle.get(timeout=wait)
        except queue.Empty:
            raise PoolBusy(
                f"no query worker came free within {wait:g} s", self._retry_after()
            ) from None

    def _start(self) -> _Worker:
        """Start a worker and wait until its store is open. Raises PoolBusy if it fails."""
        parent, child = self._context.Pipe()
        process = self._context.Process(
            target=sandbox.serve,
            args=(self.build_dir, child, self.limits, self._in_memory),
            daemon=True,
            name="hwbkg-query",
        )
        began = time.monotonic()
        process.start()
        child.close()
        worker = _Worker(process, parent)
        self._live.add(worker)
        try:
            ready = parent.poll(START_TIMEOUT) and parent.recv() == sandbox.READY
        except (EOFError, OSError):
            ready = False
        if not ready:
            self._discard(worker, replace=False)
            raise PoolBusy(f"a query worker failed to start in {time.monotonic() - began:.1f} s", 5)
        return worker

    def _return(self, worker: _Worker) -> None:
        """Put a worker back, or stop it if the pool was closed meanwhile."""
        if self._closed:
            self._discard(worker, replace=False)
        else:
            self._idle.put(worker)

    def _discard(self, worker: _Worker, replace: bool = True) -> None:
        """Stop a worker, free its place, and start its replacement in the background."""
        worker.stop()
        self._live.discard(worker)
        with self._lock:
            self._started -= 1
        if replace and not self._closed:
            self._replenish()

    def _replenish(self) -> None:
        """Start one worker in the background if the pool has room for it."""

        def start() -> None:
            try:
                self._return(self._start())
            except PoolBusy:
                pass  # _start freed the place; the next query will try again

        with self._lock:
            if self._started >= self._size or self._closed:
                return
            self._started += 1
        threading.Thread(target=start, daemon=True, name="hwbkg-query-start").start()


class ForwardingPool:
    """The pool's interface over a SPARQL server (graph.remote): queries are policed here
    and run there, at most ``workers`` at once with ``queue_size`` more waiting.

    The server does the work, so no worker process is needed: a web thread waits on the
    HTTP answer, for at most the time limit, and the server's own limits (its time limit,
    its memory) protect it. Raises as :meth:`QueryPool.run` does.
    """

    def __init__(self, graph, limits: Limits, workers: int, queue_size: int) -> None:
        self.limits = limits
        self._store = graph.limited(limits.timeout, limits.rows + 1)
        self._graphs = frozenset(g.value for g in graph.named_graphs())
        self._size, self._queue_size = workers, queue_size
        self._admitted = threading.BoundedSemaphore(workers + queue_size)
        self._running = threading.BoundedSemaphore(workers)

    def run(self, request: Request) -> Reply:
        """Police ``request`` and run it on the server."""
        with _admission(self._admitted, self._size, self._queue_size, lambda: 1):
            wait = max(self.limits.timeout, WAIT_FLOOR)
            if not self._running.acquire(timeout=wait):
                raise PoolBusy(f"no query place came free within {wait:g} s", 1)
            try:
                reply = sandbox.answer(self._store, self._graphs, request, self.limits)
            except ServerTimeout:
                raise QueryTimeout(
                    f"the query ran past the time limit of {self.limits.timeout:g} s"
                ) from None
            except ServerUnavailable as error:
                raise PoolBusy(str(error), 5) from None
            finally:
                self._running.release()
        return _settled(reply)

    def warm(self, wait: bool = False) -> None:
        """Nothing to start: the server is already running."""

    def pids(self) -> list[int]:
        """No worker processes."""
        return []

    def close(self) -> None:
        """Nothing to stop."""
