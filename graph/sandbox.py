"""Inside a query worker: the process that polices and runs one user's query at a time.

The worker is the only place users' SPARQL is read, so it is built to be thrown away:
- it has no network (a namespace of its own, where the kernel allows one), so even a
  SERVICE call the lexer missed could reach nothing;
- it runs at a lower CPU priority than the web process, so pages stay quick while every
  worker is busy;
- its address space is capped (RLIMIT_AS) at what the store needs plus QUERY_MEMORY_MB:
  a memory bomb aborts this process, not the machine;
- queries run on a thread with a large stack, since Oxigraph's parser and evaluator recurse
  once per operator (a 10,000-term sum overflows the usual 8 MB and segfaults).
graph.pool starts, feeds, times and replaces these processes.
"""

from __future__ import annotations

import ctypes
import os
import resource
import threading
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path

from graph import guard, sparql, store

READY = "ready"
STACK_BYTES = 512 * 1024 * 1024
"""Virtual size of the query thread's stack; only the pages a query touches are used."""
NICENESS = 10
CLONE_NEWUSER, CLONE_NEWNET = 0x10000000, 0x40000000
M_ARENA_MAX = -8
"""glibc's mallopt parameter for the number of malloc arenas (malloc.h)."""


@dataclass(frozen=True)
class Limits:
    """What one query may cost. Defaults and meanings: graph/settings.py, docs/security.md."""

    timeout: float
    rows: int
    memory_mb: int
    max_length: int
    max_nesting: int


@dataclass(frozen=True)
class Request:
    """A query to run.

    ``formats`` names the result format for each kind of answer ("select", "ask",
    "graph"): the worker learns the kind only from the engine. A kind mapped to None could
    not be negotiated. ``bindings`` are pyoxigraph terms by variable name; ``notice`` is the
    IRI a truncated result points at.
    """

    text: str
    formats: dict[str, str | None]
    bindings: dict = field(default_factory=dict)
    notice: str = ""


@dataclass(frozen=True)
class Reply:
    """The serialised result, its format name, and whether the row cap dropped rows."""

    body: bytes
    format_name: str
    truncated: bool


@dataclass(frozen=True)
class Failure:
    """The worker's answer to a query it would not or could not run.

    ``reason``: "malformed" (the engine's syntax or evaluation error), "refused" (the
    policy in graph.guard, or the memory cap), "format" (no format was negotiated for the
    kind of answer the query gives: the message is that kind).
    """

    reason: str
    message: str


def serve(build_dir: Path, conn: Connection, limits: Limits, in_memory: bool) -> None:
    """A worker's life: leave the network, open the store, answer until the pipe closes."""
    os.environ["RUST_BACKTRACE"] = "0"  # a memory bomb's abort logs one line, not a trace
    isolate_network()
    cap_malloc_arenas()
    os.nice(NICENESS)
    threading.stack_size(STACK_BYTES)
    worker = threading.Thread(
        target=_answer_all, args=(build_dir, conn, limits, in_memory), name="hwbkg-query"
    )
    worker.start()
    worker.join()


def isolate_network() -> bool:
    """Move this process into a network namespace of its own, with no interface up.

    As root, a network namespace alone; otherwise inside a user namespace (allowed for
    unprivileged users on most Linux kernels). Must run while the process has one thread.
    Returns whether it worked: where neither is allowed, graph.guard's refusal of SERVICE
    is the only guard, which docs/security.md says.
    """
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.unshare(CLONE_NEWNET) == 0:
        return True
    uid, gid = os.getuid(), os.getgid()
    if libc.unshare(CLONE_NEWUSER | CLONE_NEWNET) != 0:
        return False
    # Map our own ids into the namespace, so files keep their owner.
    for name, text in (("setgroups", "deny"), ("uid_map", f"{uid} {uid} 1"),
                       ("gid_map", f"{gid} {gid} 1")):  # fmt: skip
        try:
            Path(f"/proc/self/{name}").write_text(text)
        except OSError:
            pass  # kernels before 3.19 have no setgroups file
    return True


def cap_malloc_arenas(arenas: int = 2) -> None:
    """Let glibc's malloc use at most ``arenas`` heaps for this process's threads.

    By default each thread may get a heap of its own (up to eight per core), and each keeps
    what was freed in it: under many clients the server's resident memory crept up for
    minutes. With two, it levels off within seconds (docs/security.md, the soak figures).
    Does nothing where the C library has no mallopt (not glibc).
    """
    mallopt = getattr(ctypes.CDLL(None), "mallopt", None)
    if mallopt is not None:
        mallopt(M_ARENA_MAX, arenas)


def _answer_all(build_dir: Path, conn: Connection, limits: Limits, in_memory: bool) -> None:
    """Open the store, cap memory, then answer each request on the pipe in turn."""
    graph = store.open_store(build_dir, in_memory)
    graphs = frozenset(g.value for g in graph.named_graphs())
    _cap_memory(limits.memory_mb)
    conn.send(READY)
    while True:
        try:
            request = conn.recv()
        except EOFError:
            return
        conn.send(answer(graph, graphs, request, limits))


def _cap_memory(extra_mb: int) -> None:
    """Let the address space grow by ``extra_mb`` beyond what the open store uses now."""
    with open("/proc/self/status", encoding="ascii") as status:
        used_kb = next(int(line.split()[1]) for line in status if line.startswith("VmSize:"))
    limit = used_kb * 1024 + extra_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def answer(graph, graphs: frozenset[str], request: Request, limits: Limits) -> Reply | Failure:
    """The Reply or Failure for one request."""
    try:
        verdict = guard.police(request.text, graphs, limits.max_length, limits.max_nesting)
        result = sparql.run(
            graph, request.text, request.bindings, not verdict.own_dataset, lazy=True
        )
        format_name = request.formats.get(result.kind)
        if format_name is None:
            return Failure("format", result.kind)
        body, truncated = result.serialize_capped(format_name, limits.rows, request.notice)
        return Reply(body, format_name, truncated)
    except guard.Refused as error:
        return Failure("refused", str(error))
    except MemoryError:
        return Failure("refused", f"the query needed more than {limits.memory_mb:,} MB of "
                                  "memory (QUERY_MEMORY_MB)")  # fmt: skip
    except (sparql.QueryError, RuntimeError, ValueError, OSError) as error:
        # Oxigraph reports evaluation errors (a substitution the query cannot take, say) as
        # RuntimeError, ValueError or OSError: the user's query is at fault, not the worker.
        return Failure("malformed", str(error).splitlines()[0] if str(error) else "error")
