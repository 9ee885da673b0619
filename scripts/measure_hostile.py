"""Run the hostile corpus's engine-decided queries in a real query worker, given more time
than the test allows: how far each answer is from the limits the test sets.

For each entry of tests/data/hostile/requests.toml whose answer the engine decides (it
runs, stops at the time limit, runs out of memory or crashes), starts a fresh graph.pool
worker on the current build with the corpus's settings (tests/hostile_corpus.py SETTINGS)
except for a time limit of --timeout seconds, sends it the query and prints what came
back (ok, malformed or refused with the worker's message, or stopped at the time limit),
the seconds it took, and the worker's peak resident memory (sampled every 20 ms).
With --runs N, the seconds are given as min-max.

Run after `hwbkg build`:

    .venv/bin/python scripts/measure_hostile.py --runs 3 [--only NAME ...]

Prints figures; asserts nothing. The corpus's comments quote them with this command.
"""

from __future__ import annotations

import argparse
import os
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from hostile_corpus import SETTINGS, Hostile, load  # noqa: E402

from graph import builds, pool, sandbox  # noqa: E402

DECIDED_BEFORE_RUNNING = {
    "update", "load", "service", "dataset", "encoding", "protocol", "content-type", "page",
}  # fmt: skip
"""Families answered before a query runs; their queries are not sent to a worker."""
ENGINE_REFUSALS = ("Refused: the query stopped", "Refused: the query needed")
FORMATS = {"select": "json", "ask": "json", "graph": "turtle"}


def engine_text(entry: Hostile) -> str | None:
    """The query of an entry whose answer the engine decides, else None."""
    plain = entry.path == "/sparql" and not (entry.params or entry.query_string or entry.body)
    if entry.family in DECIDED_BEFORE_RUNNING or not plain or entry.query is None:
        return None
    if entry.status == 400 and not entry.starts_with.startswith(ENGINE_REFUSALS):
        return None
    return entry.query


class PeakMemory(threading.Thread):
    """Samples a process's peak resident memory (VmHWM) until stopped or gone."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.status = Path(f"/proc/{pid}/status")
        self.kb = 0
        self.done = threading.Event()

    def run(self) -> None:
        while True:
            try:
                text = self.status.read_text()
            except OSError:
                return
            line = next((x for x in text.splitlines() if x.startswith("VmHWM:")), None)
            self.kb = max(self.kb, int(line.split()[1])) if line else self.kb
            if self.done.wait(0.02):
                return


def measure(
    text: str, build_path: Path, timeout: float, memory_mb: int
) -> tuple[str, float, float]:
    """(outcome, seconds, peak resident MB) of ``text`` in a fresh one-worker pool."""
    limits = sandbox.Limits(
        timeout=timeout,
        rows=SETTINGS["ROW_LIMIT"],
        memory_mb=memory_mb,
        max_length=SETTINGS["QUERY_MAX_LENGTH"],
        max_nesting=SETTINGS["QUERY_MAX_NESTING"],
    )
    workers = pool.QueryPool(build_path, limits, workers=1, queue_size=0)
    workers.warm(wait=True)
    peak = PeakMemory(workers.pids()[0])
    peak.start()
    began = time.monotonic()
    try:
        reply = workers.run(sandbox.Request(text, FORMATS))
        outcome = f"ok ({len(reply.body):,} bytes{', truncated' if reply.truncated else ''})"
    except pool.QueryFailed as error:
        outcome = f"{error.failure.reason}: {error.failure.message[:80]}"
    except pool.QueryTimeout:
        outcome = f"stopped at {timeout:g} s"
    seconds = time.monotonic() - began
    peak.done.set()
    peak.join()
    workers.close()
    return outcome, seconds, peak.kb / 1024


def summary(runs: list[tuple[str, float, float]]) -> str:
    """Outcomes (each, if they differ), seconds min-max, the highest peak."""
    outcomes = " / ".join(sorted({o for o, _, _ in runs}))
    seconds = [s for _, s, _ in runs]
    span = f"{min(seconds):.2f}" + (f"-{max(seconds):.2f}" if len(runs) > 1 else "")
    return f"{outcomes}; {span} s; peak {max(p for _, _, p in runs):.0f} MB"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--timeout", type=float, default=20.0, help="seconds (default 20)")
    parser.add_argument("--memory-mb", type=int, default=SETTINGS["QUERY_MEMORY_MB"])
    parser.add_argument("--only", nargs="*", default=[], help="names, or parts of names")
    parser.add_argument("--build-dir", type=Path, default=ROOT / "build")
    args = parser.parse_args()
    build = builds.current(args.build_dir)
    memory = args.memory_mb
    print(f"{os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}; build {build.id}; "
          f"time limit {args.timeout:g} s; QUERY_MEMORY_MB {memory}")  # fmt: skip
    for entry in load():
        text = engine_text(entry)
        if text is None or (args.only and not any(o in entry.name for o in args.only)):
            continue
        runs = [measure(text, build.path, args.timeout, memory) for _ in range(args.runs)]
        print(f"{entry.name}: {summary(runs)}", flush=True)


if __name__ == "__main__":
    main()
