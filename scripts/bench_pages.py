"""How fast the workbench answers: every library query through /sparql, and the main pages,
over HTTP on waitress, plus the network metrics and the alignment matrix in-process.

Each page is timed cold (the first request to a freshly created app) and warm (p50 and p95
of the next runs). Run with `make bench` or

    .venv/bin/python scripts/bench_pages.py [--build-dir build] [--runs 30]

It prints figures and asserts nothing; docs/benchmarks.md quotes what it printed.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from waitress.server import create_server  # noqa: E402

from graph import alignment, builds, network, network_queries, queries, settings, store  # noqa: E402
from webapp import create_app, graphstore  # noqa: E402

PLAN = "leicester-jhwb-action-plan-2018-23"
PAGES = {
    "home": "/",
    "plan (2018-23 action plan)": f"/plans/{PLAN}",
    "organisation (Leicester City Council)": "/organisations/leicester-city-council",
    "entity (action 17.3)": f"/id/action/{PLAN}/17.3",
    "entity as Turtle": f"/id/action/{PLAN}/17.3.ttl",
    "source (2018-23, 143 lines)": f"/sources/{PLAN}",
    "search 'diabetes'": "/search?q=diabetes",
    "validation": "/validation",
    "query page": "/query",
    "network, all plans": "/network",
    "network, 2018-23 plan": f"/network?plan={PLAN}",
    "network data, all plans (.json)": "/network.json",
    "alignment matrix (default plans)": "/alignment",
    "alignment gaps": "/alignment/gaps",
    "plan versions": "/alignment/versions",
    "audit worklist": "/audit",
}


class Server:
    """A fresh app on waitress on a free port, so its first request is a cold one."""

    def __init__(self, config: dict) -> None:
        self.app = create_app(config)
        self.server = create_server(self.app, host="127.0.0.1", port=0, threads=4)
        threading.Thread(target=self.server.run, daemon=True).start()
        self.base = f"http://127.0.0.1:{self.server.effective_port}"

    def get(self, path: str) -> None:
        with urllib.request.urlopen(self.base + path) as response:
            response.read()

    def post_query(self, text: str) -> None:
        body = urllib.parse.urlencode({"query": text, "format": "json"}).encode()
        with urllib.request.urlopen(self.base + "/sparql", body) as response:
            response.read()

    def close(self) -> None:
        graphstore.close(self.app)
        time.sleep(0.1)  # let waitress finish the last response before its sockets close
        self.server.close()


def milliseconds(action) -> float:
    began = time.perf_counter()
    action()
    return (time.perf_counter() - began) * 1000


def cold_and_warm(action, runs: int) -> tuple[float, float, float]:
    """The first call, then p50 and p95 of ``runs`` more, in milliseconds."""
    cold = milliseconds(action)
    warm = [milliseconds(action) for _ in range(runs)]
    return cold, statistics.median(warm), statistics.quantiles(warm, n=20)[18]


def row(name: str, figures: tuple[float, float, float]) -> str:
    return f"{name:42}" + "".join(f"{f:10.1f}" for f in figures)


def bench_queries(config: dict, runs: int) -> None:
    server = Server(config)
    server.post_query("ASK {}")  # start the query worker before timing
    print(f"\n{'library query via POST /sparql':42}{'first':>10}{'p50':>10}{'p95':>10}   ms")
    for name, query in queries.library(config["QUERIES_DIR"]).items():
        print(row(name, cold_and_warm(lambda t=query.text: server.post_query(t), runs)))
    server.close()


def bench_pages(config: dict, runs: int) -> None:
    print(f"\n{'page via GET (fresh app each)':42}{'cold':>10}{'p50':>10}{'p95':>10}   ms")
    for name, path in PAGES.items():
        server = Server(config)
        print(row(name, cold_and_warm(lambda p=path, s=server: s.get(p), runs)))
        server.close()


def bench_analysis(config: dict, runs: int) -> None:
    """The computations behind the network and alignment pages, without HTTP."""
    folder = builds.current(Path(config["BUILD_DIR"])).path
    graph = store.open_store(folder, in_memory=True)  # as the app does
    everything = network_queries.Scope()
    fetched = network_queries.fetch(graph, everything)
    data = alignment.load(graph)
    source = data.plan("leicester-jhws-refresh-proposed-priorities-2021")
    target = data.plan("llr-ics-priorities")
    steps = {
        "store copied into memory (app start-up)": lambda: store.open_store(folder, in_memory=True),
        "network facts, all plans (SPARQL)": lambda: network_queries.fetch(graph, everything),
        "network metrics, all plans (networkx)": lambda: network.analyse(fetched),
        "alignment data (SPARQL)": lambda: alignment.load(graph),
        "alignment matrix (2021 proposals x ICS)": lambda: alignment.matrix(data, source, target),
    }
    print(f"\n{'in-process step':42}{'first':>10}{'p50':>10}{'p95':>10}   ms")
    for name, step in steps.items():
        print(row(name, cold_and_warm(step, runs)))


def main() -> int:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--build-dir", type=Path, default=settings.load()["BUILD_DIR"])
    options.add_argument("--runs", type=int, default=30, help="warm runs per item")
    args = options.parse_args()
    config = {**settings.load(), "BUILD_DIR": args.build_dir}
    print(f"python {platform.python_version()} on {platform.machine()}, {args.runs} warm runs")
    bench_queries(config, args.runs)
    bench_pages(config, args.runs)
    bench_analysis(config, args.runs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
