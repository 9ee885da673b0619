"""Running users' queries under a time limit that really stops them.

pyoxigraph has no timeout and a running query cannot be interrupted from Python, so each
query runs in a worker process holding its own read-only handle on the on-disk store.
A worker past the deadline is killed (SIGKILL ends the evaluation wherever it is) and a
fresh one is started on the next request. Workers are kept between queries, so a fast
query pays a pipe round trip, not a process start.
"""

from __future__ import annotations

import multiprocessing
import queue
import threading
import time
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path

from graph import sparql, store

READY = "ready"
START_TIMEOUT = 60.0
"""Seconds a new worker may take to import its modules and open the store."""


class QueryTimeout(RuntimeError):
    """The query ran past the time limit and its worker was stopped."""


class PoolBusy(RuntimeError):
    """Every worker stayed busy for the whole time limit, or none could start or answer."""


@dataclass(frozen=True)
class Request:
    """A query to run: ``bindings`` are pyoxigraph terms by variable name (picklable)."""

    text: str
    format_name: str
    row_limit: int
    bindings: dict = field(default_factory=dict)
    union: bool = True


@dataclass(frozen=True)
class Reply:
    """The serialised result, and whether the row cap dropped rows."""

    body: bytes
    truncated: bool


def serve(build_dir: Path, conn: Connection, in_memory: bool = False) -> None:
    """A worker's loop: open the store, then answer requests until the pipe closes.

    A query the engine rejects comes back as a QueryError object, which the parent raises.
    """
    graph = store.open_store(build_dir, in_memory)
    conn.send(READY)
    while True:
        try:
            request: Request = conn.recv()
        except EOFError:
            return
        try:
            answer = sparql.run(graph, request.text, request.bindings, request.union)
            conn.send(Reply(*answer.serialize_capped(request.format_name, request.row_limit)))
        except (sparql.QueryError, RuntimeError, ValueError) as error:
            # Oxigraph reports evaluation errors (a substitution the query cannot take,
            # say) as RuntimeError or ValueError: the user's query is at fault, not the worker.
            conn.send(sparql.QueryError(str(error).splitlines()[0]))


@dataclass
class _Worker:
    process: multiprocessing.process.BaseProcess
    conn: Connection

    def stop(self) -> None:
        """Kill the process (mid-query if need be) and release its pipe."""
        self.process.kill()
        self.process.join()
        self.conn.close()


class QueryPool:
    """At most ``size`` worker processes over the store in ``build_dir``, started on demand."""

    def __init__(self, build_dir: Path, size: int, in_memory: bool = False) -> None:
        self._build_dir = build_dir
        self._in_memory = in_memory
        self._size = size
        self._idle: queue.LifoQueue[_Worker] = queue.LifoQueue()
        self._lock = threading.Lock()
        self._started = 0
        # spawn, not fork: the server is threaded and holds the store open.
        self._context = multiprocessing.get_context("spawn")

    def run(self, request: Request, timeout: float) -> Reply:
        """Run ``request``; its evaluation is stopped after ``timeout`` seconds.

        Raises QueryTimeout, PoolBusy, or sparql.QueryError (the engine's parser message).
        """
        worker = self._checkout(timeout)
        try:
            worker.conn.send(request)
            if not worker.conn.poll(timeout):
                raise QueryTimeout(f"the query ran past the time limit of {timeout:g} s")
            reply = worker.conn.recv()
        except QueryTimeout:
            self._discard(worker)
            raise
        except (EOFError, OSError) as error:
            self._discard(worker)
            raise PoolBusy(f"the query worker stopped unexpectedly ({error!r})") from None
        self._idle.put(worker)
        if isinstance(reply, sparql.QueryError):
            raise reply
        return reply

    def warm(self) -> None:
        """Start one worker in the background, so the first query does not wait for it."""

        def start() -> None:
            with self._lock:
                if self._started >= self._size:
                    return
                self._started += 1
            try:
                self._idle.put(self._start())
            except PoolBusy:
                pass  # _start freed the place; the first query will try again

        threading.Thread(target=start, daemon=True, name="hwbkg-query-warm").start()

    def close(self) -> None:
        """Stop the idle workers (busy ones stop when their pipe closes)."""
        while True:
            try:
                self._discard(self._idle.get_nowait())
            except queue.Empty:
                return

    def _checkout(self, timeout: float) -> _Worker:
        """An idle worker, a new one if the pool is not full, else wait up to ``timeout``."""
        try:
            return self._idle.get_nowait()
        except queue.Empty:
            pass
        with self._lock:
            grow = self._started < self._size
            self._started += grow
        if grow:
            return self._start()
        try:
            return self._idle.get(timeout=timeout)
        except queue.Empty:
            raise PoolBusy(f"every query worker stayed busy for {timeout:g} s") from None

    def _start(self) -> _Worker:
        """Start a worker and wait until its store is open. Raises PoolBusy if it fails."""
        parent, child = self._context.Pipe()
        process = self._context.Process(
            target=serve,
            args=(self._build_dir, child, self._in_memory),
            daemon=True,
            name="hwbkg-query",
        )
        began = time.monotonic()
        process.start()
        child.close()
        worker = _Worker(process, parent)
        try:
            ready = parent.poll(START_TIMEOUT) and parent.recv() == READY
        except EOFError:
            ready = False
        if not ready:
            self._discard(worker)
            raise PoolBusy(f"a query worker failed to start in {time.monotonic() - began:.1f} s")
        return worker

    def _discard(self, worker: _Worker) -> None:
        """Stop a worker and free its place in the pool."""
        worker.stop()
        with self._lock:
            self._started -= 1
