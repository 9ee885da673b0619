"""What the worker-process time limit costs: each library query in-process, through the
query pool, and over HTTP (/sparql on waitress), printed as p50/p95 in milliseconds.

    .venv/bin/python scripts/bench_sparql_endpoint.py [--build-dir build] [--runs 50]
"""

from __future__ import annotations

import argparse
import threading
import urllib.parse
import urllib.request
from pathlib import Path

from bench import timing
from waitress.server import create_server

from graph import builds, queries, sandbox, settings, sparql, store
from webapp import create_app, graphstore


def timings(run, runs: int) -> tuple[float, float]:
    """p50 and p95 of ``runs`` calls after one warm-up call, in milliseconds."""
    found = timing(run, runs)
    return found.p50, found.p95


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--build-dir", type=Path, default=settings.load()["BUILD_DIR"])
    options.add_argument("--runs", type=int, default=50)
    args = options.parse_args()
    config = {**settings.load(), "BUILD_DIR": args.build_dir}
    app = create_app(config)
    server = create_server(app, host="127.0.0.1", port=0, threads=4)
    threading.Thread(target=server.run, daemon=True).start()
    endpoint = f"http://127.0.0.1:{server.effective_port}/sparql"
    # As the workbench serves it: the graph copied into memory, in-process and in the worker.
    local = store.open_store(builds.current(args.build_dir).path, in_memory=True)
    workers = graphstore.snapshot_of(app).pool
    print(f"{'query':36} {'in-process':>16} {'pool':>16} {'HTTP':>16}   (p50 / p95 ms)")
    for name, query in queries.library(config["QUERIES_DIR"]).items():
        request = sandbox.Request(query.text, {"select": "json", "ask": "json", "graph": "turtle"})
        body = urllib.parse.urlencode({"query": query.text, "format": "json"}).encode()
        figures = [
            timings(lambda t=query.text: sparql.run(local, t).serialize("json"), args.runs),
            timings(lambda r=request: workers.run(r), args.runs),
            timings(lambda b=body: urllib.request.urlopen(endpoint, b).read(), args.runs),
        ]
        print(f"{name:36} " + " ".join(f"{p50:7.1f} / {p95:6.1f}" for p50, p95 in figures))
    graphstore.close(app)
    server.close()


if __name__ == "__main__":
    main()
