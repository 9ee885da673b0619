"""Time the hostile corpus's queries on the engine alone: the figures its answers rest on.

For each entry of tests/data/hostile/requests.toml whose answer the engine decides (it
runs, stops at the time limit, runs out of memory or crashes), prints:
- rdflib: seconds rdflib's parser takes on it (today's guard parses every query with it;
  recursion limit raised to 10,000, as 64 levels of brackets need about 4,000);
- oxigraph: what pyoxigraph does with it on the built store, as a query worker would
  (store copied into memory, then the query run and written capped at 1,000 rows), under an
  address-space cap (RLIMIT_AS, set before the store is opened): "ok", "error" (the engine
  refused it), "memory" (the allocator gave up), "crash" (a signal), or "stopped" at the
  time limit; with the seconds and the process's peak resident memory.

Every run is a fresh process forked from this one, which imports nothing heavy, so that
it starts as small as a query worker. With --runs N, seconds are given as min-max.
Run after `hwbkg build`:

    .venv/bin/python scripts/measure_hostile.py --runs 3 [--only NAME ...]

Prints figures; asserts nothing. Copy them into the corpus's comments with this command.
"""

from __future__ import annotations

import argparse
import os
import resource
import select
import signal
import sys
import tempfile
import time
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

import hostile_corpus  # noqa: E402

ROW_LIMIT = 1_000
"""As tests/test_hostile_requests.py sets it."""
RECURSION_LIMIT = 10_000
DECIDED_BEFORE_RUNNING = {
    "update", "load", "service", "dataset", "encoding", "protocol", "content-type", "page",
}  # fmt: skip
"""Families answered before a query runs. They are never sent to the engine: pyoxigraph
would really call a SERVICE endpoint."""
ENGINE_REFUSALS = ("Refused: the query stopped", "Refused: the query needed")


def engine_text(entry: hostile_corpus.Hostile) -> str | None:
    """The query of an entry whose answer the engine decides, else None."""
    plain = entry.path == "/sparql" and not (entry.params or entry.query_string or entry.body)
    if entry.family in DECIDED_BEFORE_RUNNING or not plain or entry.query is None:
        return None
    if entry.status == 400 and not entry.starts_with.startswith(ENGINE_REFUSALS):
        return None
    return entry.query


def rdflib_parse(text: str):
    """Prepare rdflib's parser; return the action that parses ``text`` as the guard does."""
    from pyparsing import ParseException
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    sys.setrecursionlimit(RECURSION_LIMIT)

    def parse() -> str:
        try:
            parseQuery(text)
            return "query"
        except ParseException:
            try:
                parseUpdate(text)
                return "update"
            except ParseException as error:
                return f"malformed ({error.msg})"

    return parse


def oxigraph_run(text: str, build_dir: Path, memory_mb: int):
    """Open the store under the memory cap; return the action that runs ``text`` on it."""
    from graph import sparql, store

    cap = memory_mb * 2**20
    resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    graph = store.open_store(build_dir, in_memory=True)

    def run() -> str:
        try:
            answer = sparql.run(graph, text)
            written = "turtle" if answer.kind == "graph" else "json"
            body, truncated = answer.serialize_capped(written, ROW_LIMIT)
        except (sparql.QueryError, RuntimeError, ValueError) as error:
            return f"error ({str(error).splitlines()[0][:60]})"
        return f"ok ({len(body):,} bytes{', truncated' if truncated else ''})"

    return run


def in_child(prepare, timeout: float) -> tuple[str, float, float]:
    """Run ``prepare()`` then the action it returns in a forked child, timing the action.

    Returns (outcome, seconds, peak resident MB of the child).
    """
    ready, result = os.pipe()
    with tempfile.TemporaryFile() as stderr:
        pid = os.fork()
        if pid == 0:
            _child(prepare, ready, result, stderr.fileno())
        os.close(result)
        started, outcome, seconds = _wait(ready, pid, timeout)
        _, status, usage = os.wait4(pid, 0)
        stderr.seek(0)
        if os.WIFSIGNALED(status) and outcome is None:
            aborted = b"memory allocation of" in stderr.read()
            outcome = "memory" if aborted else f"crash {signal.Signals(os.WTERMSIG(status)).name}"
    os.close(ready)
    outcome = outcome or "no answer"
    return (outcome if started else f"failed to start: {outcome}"), seconds, usage.ru_maxrss / 1024


def _child(prepare, ready: int, result: int, stderr: int) -> None:
    """The forked child: prepare, say "R", run, write the outcome; never return."""
    try:
        os.close(ready)
        os.dup2(stderr, 2)
        action = prepare()
        os.write(result, b"R")
        os.write(result, action().encode())
    except BaseException as error:  # the parent reports it; the child must not run on
        os.write(result, f"failed ({error!r})".encode())
    finally:
        os._exit(0)


def _wait(ready: int, pid: int, timeout: float) -> tuple[bool, str | None, float]:
    """Wait for the child's start, then up to ``timeout`` s for its answer (killing it).

    Returns whether it started, its answer (None if it died) and the seconds it ran.
    """
    if (first := os.read(ready, 1)) != b"R":
        return False, (first + os.read(ready, 4096)).decode() or None, 0.0
    began = time.monotonic()
    answer = b""
    while (left := timeout - (time.monotonic() - began)) > 0:
        if not select.select([ready], [], [], left)[0]:
            break
        chunk = os.read(ready, 4096)
        if not chunk:
            return True, (answer.decode() or None), time.monotonic() - began
        answer += chunk
    os.kill(pid, signal.SIGKILL)
    return True, f"stopped at {timeout:g} s", time.monotonic() - began


def summary(runs: list[tuple[str, float, float]]) -> str:
    """Outcomes (all of them if they differ), seconds min-max, peak MB max."""
    outcomes = sorted({o for o, _, _ in runs})
    seconds = [s for _, s, _ in runs]
    span = f"{min(seconds):.2f}" + (f"-{max(seconds):.2f}" if len(runs) > 1 else "")
    return f"{' / '.join(outcomes)}, {span} s, peak {max(p for _, _, p in runs):.0f} MB"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--timeout", type=float, default=20.0, help="seconds (default 20)")
    parser.add_argument("--memory-mb", type=int, default=1024, help="RLIMIT_AS (default 1024)")
    parser.add_argument("--only", nargs="*", default=[], help="names (or parts of names)")
    parser.add_argument("--skip-rdflib", action="store_true")
    parser.add_argument("--build-dir", type=Path, default=ROOT / "build")
    args = parser.parse_args()
    build_dir = args.build_dir
    print(f"cpus {os.cpu_count()}, load {os.getloadavg()[0]:.1f}, timeout {args.timeout:g} s, "
          f"RLIMIT_AS {args.memory_mb} MB")  # fmt: skip
    for entry in hostile_corpus.load():
        text = engine_text(entry)
        if text is None or (args.only and not any(o in entry.name for o in args.only)):
            continue
        print(f"{entry.name} ({len(text):,} characters)", flush=True)
        if not args.skip_rdflib:
            parse = partial(rdflib_parse, text)
            runs = [in_child(parse, args.timeout) for _ in range(args.runs)]
            print(f"    rdflib:   {summary(runs)}", flush=True)
        run = partial(oxigraph_run, text, build_dir, args.memory_mb)
        runs = [in_child(run, args.timeout) for _ in range(args.runs)]
        print(f"    oxigraph: {summary(runs)}", flush=True)


if __name__ == "__main__":
    main()
