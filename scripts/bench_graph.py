"""Benchmark the graph: `hwbkg build`, `hwbkg validate`, and every library query on
Oxigraph and on rdflib's in-memory Dataset, side by side (median of several runs).

Run with `make bench` (or `.venv/bin/python scripts/bench_graph.py --runs 7`). Prints
figures; it asserts nothing. Copy what it prints into docs/benchmarks.md with the command.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from graph import builds, queries, settings, sparql, store  # noqa: E402


def median_seconds(action, runs: int) -> float:
    """Median wall time of ``action()`` over ``runs`` runs, after one warm-up run."""
    action()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def run_cli(*args: str) -> None:
    subprocess.run(
        [sys.executable, "-m", "graph.cli", *args],
        cwd=ROOT,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="runs per query (median)")
    parser.add_argument("--cli-runs", type=int, default=3, help="runs of build and validate")
    args = parser.parse_args()
    config = settings.load()
    print(
        f"python {platform.python_version()} on {platform.machine()}, "
        f"{args.runs} runs per query, {args.cli_runs} per command (median)"
    )
    for command in ("build", "validate"):
        seconds = median_seconds(lambda c=command: run_cli(c), args.cli_runs)
        print(f"hwbkg {command:<9} {seconds * 1000:9.1f} ms  (whole process)")
    folder = builds.current(config["BUILD_DIR"]).path
    oxi = store.open_store(folder)
    ref = store.open_reference(folder)
    print(f"\n{'query':<36}{'oxigraph ms':>12}{'rdflib ms':>12}{'ratio':>8}{'rows':>6}")
    for name, query in queries.library(config["QUERIES_DIR"]).items():
        ox_ms = 1000 * median_seconds(
            lambda q=query: sparql.rows(sparql.run(oxi, q.text)), args.runs
        )
        rdf_ms = 1000 * median_seconds(
            lambda q=query: list(ref.query(q.text, initNs=sparql.PREFIXES)), args.runs
        )
        count = len(sparql.rows(sparql.run(oxi, query.text))[1])
        print(f"{name:<36}{ox_ms:12.2f}{rdf_ms:12.2f}{rdf_ms / ox_ms:8.1f}{count:6d}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
