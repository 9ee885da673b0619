"""`make bench`: the whole pipeline at several scales, on each store, printed as one table.

For each scale: 1x is the real sources (data/sources/sources.toml, five documents); N > 1 is
`hwbkg synth --scale N --seed 1` (the five and N variants of each), written and built in a
work folder. Per scale it measures `hwbkg build` and `hwbkg validate` (whole processes,
with their peak memory), then brings up each store (scripts/bench_stores.py) and times
how long it takes to answer at all, every library query over HTTP and, on a store that
serves the workbench, the main pages; last, the store's peak memory. A server store adds
rows for what comes first: the server's start and the build's load into it.

Timings are "first / p50 / p95" in milliseconds: first is the cold request (this text or
page never asked before), p50 and p95 are of --runs more. A cell reads "503" or "timeout"
when the store gave up or --timeout passed; the rows column flags stores that disagree.

    .venv/bin/python scripts/bench.py [--scales 1,10,100] [--runs 5] \
        [--stores oxigraph,rdflib,virtuoso]

`--scales 1,3 --runs 3` takes about a minute on an idle 2-core machine; the full run takes
long (100x: a 500-document build, and rdflib parsing it). It prints figures and asserts
nothing; docs/benchmarks.md quotes what it printed, with the command.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench_stores import HWBKG, Running, stores  # noqa: E402

from graph import builds, queries, settings  # noqa: E402

PLAN = "leicester-jhwb-action-plan-2018-23"
PAGES = {
    "home": "/",
    "plan (2018-23 action plan)": f"/plans/{PLAN}",
    "organisation (Leicester City Council)": "/organisations/leicester-city-council",
    "entity (action 17.3)": f"/id/action/{PLAN}/17.3",
    "search 'health'": "/search?q=health",
    "network, all plans": "/network",
    "network, 2018-23 plan": f"/network?plan={PLAN}",
    "alignment (default plans)": "/alignment",
    "audit worklist": "/audit",
    "validation": "/validation",
    "alignment coverage": "/alignment/coverage",
    "sources": "/sources",
    "source viewer (2018-23 plan)": f"/sources/{PLAN}",
    "ontology": "/def",
    "class page (Action)": "/def/Action",
    "entity (Leicester City Council)": "/id/org/leicester-city-council",
}
"""The main pages; every one exists at every scale (synth keeps the real documents)."""


@dataclass
class Timing:
    """A cold request and the spread of the warm ones, in ms; ``rows`` of a query's answer."""

    first: float
    p50: float
    p95: float
    rows: str = ""
    failed: str = ""

    def text(self) -> str:
        if self.failed:
            return self.failed
        return f"{self.first:.0f} / {self.p50:.1f} / {self.p95:.1f}"

    def key(self) -> float | None:
        return None if self.failed else self.p95


@dataclass
class Value:
    """One figure with its unit (seconds, MB, a count)."""

    number: float
    unit: str

    def text(self) -> str:
        whole = self.number >= 100 or float(self.number).is_integer()
        return (f"{self.number:,.0f}" if whole else f"{self.number:.2f}") + f" {self.unit}"

    def key(self) -> float:
        return self.number


class Failure(Exception):
    """A request the store refused or did not answer in time (the cell says which)."""


class Results:
    """The table: (measure, scale) -> store -> figure, in the order measured."""

    def __init__(self) -> None:
        self.cells: dict[tuple[str, int], dict[str, Timing | Value]] = {}

    def put(self, measure: str, scale: int, store: str, figure: Timing | Value) -> None:
        self.cells.setdefault((measure, scale), {})[store] = figure
        print(f"  {scale}x {store:9} {measure}: {figure.text()}", file=sys.stderr, flush=True)

    def print(self, names: list[str]) -> None:
        """One table: a row per measure and scale, a column per store, p95 ratios to the
        first store, and the rows each store returned (≠ when they differ)."""
        measures = list(dict.fromkeys(measure for measure, _ in self.cells))
        scales = sorted({scale for _, scale in self.cells})
        head = ["measure", "scale", *names, *(f"{n}/{names[0]}" for n in names[1:]), "rows"]
        lines = []
        for measure in measures:
            for scale in scales:
                found = self.cells.get((measure, scale))
                if found is None:
                    continue
                lines.append([measure, f"{scale}x", *self._row(found, names)])
        widths = [max(len(line[i]) for line in [head, *lines]) for i in range(len(head))]
        for line in [head, *lines]:
            cells = [line[0].ljust(widths[0])] + [
                c.rjust(w) for c, w in zip(line[1:], widths[1:], strict=True)
            ]
            print("  ".join(cells))

    @staticmethod
    def _row(found: dict, names: list[str]) -> list[str]:
        figures = [found.get(name) for name in names]
        texts = ["-" if f is None else f.text() for f in figures]
        base = figures[0].key() if figures[0] else None
        ratios = []
        for figure in figures[1:]:
            key = figure.key() if figure else None
            ratios.append(f"{key / base:.1f}" if key is not None and base else "-")
        counts = dict.fromkeys(getattr(f, "rows", "") for f in figures if f)
        rows = " ≠ ".join(c for c in counts if c)
        return [*texts, *ratios, rows]


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile: the value below which ``share`` of ``values`` fall."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def timing(fetch, runs: int) -> Timing:
    """Time ``fetch()`` cold, then ``runs`` times warm; stop at the first failure."""

    def once() -> tuple[float, str]:
        began = time.perf_counter()
        rows = fetch()
        return (time.perf_counter() - began) * 1000, rows

    try:
        first, rows = once()
        warm = [once()[0] for _ in range(runs)]
    except Failure as failure:
        return Timing(0, 0, 0, failed=str(failure))
    warm = warm or [first]
    return Timing(first, statistics.median(warm), percentile(warm, 0.95), rows)


def fetch(url: str, timeout: float, body: bytes | None = None) -> tuple[bytes, bool]:
    """The whole answer to a GET (or a POST of ``body``), and whether the workbench cut it
    at its row limit. Raises Failure on an HTTP error status or when ``timeout`` passes."""
    try:
        with urllib.request.urlopen(url, body, timeout=timeout) as response:
            return response.read(), "X-Row-Limit-Reached" in response.headers
    except urllib.error.HTTPError as error:
        raise Failure(str(error.code)) from None
    except (TimeoutError, urllib.error.URLError) as error:
        if isinstance(error, TimeoutError) or isinstance(error.reason, TimeoutError):
            raise Failure("timeout") from None
        raise


def ask(running: Running, text: str, timeout: float) -> str:
    """POST a SELECT to the store; the number of rows it answered ("+" if it was cut)."""
    body = urllib.parse.urlencode({"query": text, "format": "json"}).encode()
    answer, cut = fetch(running.sparql, timeout, body)
    return f"{len(json.loads(answer)['results']['bindings']):,}" + ("+" if cut else "")


def get(url: str, timeout: float) -> str:
    """GET a page whole; pages have no rows to count."""
    fetch(url, timeout)
    return ""


def run_command(*args: str) -> tuple[float, float]:
    """Run `hwbkg ARGS` quietly; its wall time in s and peak resident memory in MB.
    Raises RuntimeError with its last error line if it fails."""
    began = time.perf_counter()
    process = subprocess.Popen(
        [str(HWBKG), *args], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=ROOT
    )
    errors = process.stderr.read().decode(errors="replace")
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - began
    if os.waitstatus_to_exitcode(status) != 0:
        last = errors.strip().splitlines()[-1:] or ["no message"]
        raise RuntimeError(f"hwbkg {' '.join(args[:3])}... failed: {last[0]}")
    return seconds, usage.ru_maxrss / 1024  # Linux gives kB


def prepare(scale: int, work: Path, seed: int, results: Results, first: str) -> Path:
    """Write and build the sources of ``scale``, timing build and validate; the builds root.

    A build already in ``work/build-<scale>`` (from an earlier run with the same --work) is
    measured as it is, without its build and validate rows: the 100x build takes minutes.
    """
    root = work / f"build-{scale}"
    if not (root / builds.POINTER).exists():
        manifest = settings.load()["MANIFEST"]
        if scale > 1:
            out = work / f"sources-{scale}"
            run_command("synth", "--scale", str(scale), "--seed", str(seed), "--out", str(out))
            manifest = out / "sources.toml"
        seconds, peak = run_command("--build-dir", str(root), "build", "--manifest", str(manifest))
        results.put("build", scale, first, Value(seconds, "s"))
        results.put("build peak memory", scale, first, Value(peak, "MB"))
        seconds, peak = run_command("--build-dir", str(root), "validate")
        results.put("validate", scale, first, Value(seconds, "s"))
        results.put("validate peak memory", scale, first, Value(peak, "MB"))
    summary = builds.current(root).summary()
    results.put("sources", scale, first, Value(len(summary["sources"]), "docs"))
    results.put("quads", scale, first, Value(summary["quads"], ""))
    return root


def measure_store(store, root: Path, scale: int, args, results: Results) -> None:
    """Bring ``store`` up on ``root`` and time its start-up, the library and the pages; a
    store that does not start gets that one row, saying why."""
    try:
        running = store.start(root)
    except RuntimeError as error:
        failed = Timing(0, 0, 0, failed=f"failed: {error}")
        results.put("start-up until the first 200", scale, store.name, failed)
        return
    try:
        for step, seconds in running.steps.items():
            results.put(step, scale, store.name, Value(seconds, "s"))
        results.put("start-up until the first 200", scale, store.name,
                    Value(running.startup_s, "s"))  # fmt: skip
        for name, query in queries.library(settings.load()["QUERIES_DIR"]).items():
            figure = timing(lambda t=query.text: ask(running, t, args.timeout), args.runs)
            results.put(f"query {name}", scale, store.name, figure)
        if running.base and not args.no_pages:
            for name, path in PAGES.items():
                url = running.base + path
                figure = timing(lambda u=url: get(u, args.timeout), args.runs)
                results.put(f"page {name}", scale, store.name, figure)
        results.put("server peak memory", scale, store.name, Value(running.peak_mb(), "MB"))
    finally:
        running.stop()


def main(argv: list[str] | None = None) -> int:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--scales", default="1,10,100", help="comma-separated, e.g. 1,3")
    options.add_argument("--runs", type=int, default=5, help="warm runs per query and page")
    options.add_argument(
        "--stores", default="oxigraph,rdflib,virtuoso", help="the first is the base"
    )
    options.add_argument("--seed", type=int, default=1, help="hwbkg synth's seed")
    options.add_argument("--timeout", type=float, default=60.0, help="seconds per request")
    options.add_argument("--no-pages", action="store_true", help="time the queries only")
    options.add_argument(
        "--work", type=Path, help="keep sources and builds here, reuse those found (default: temp)"
    )
    args = options.parse_args(argv)
    known = stores(args.timeout)
    try:
        scales = [int(s) for s in args.scales.split(",")]
        chosen = [known[name] for name in args.stores.split(",")]
    except (ValueError, KeyError) as error:
        options.error(f"bad --scales or --stores ({error}); stores are {', '.join(known)}")
    if min(scales) < 1 or args.runs < 1:
        options.error("--scales and --runs must be 1 or more")
    results = Results()
    try:
        with tempfile.TemporaryDirectory(prefix="hwbkg-bench-") as temporary:
            work = args.work or Path(temporary)
            for scale in scales:
                root = prepare(scale, work, args.seed, results, chosen[0].name)
                for store in chosen:
                    measure_store(store, root, scale, args, results)
    finally:  # what was measured before a failure or Ctrl-C is still worth the table
        print(
            f"hwbkg bench, {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC: python "
            f"{platform.python_version()} on {platform.machine()}, {os.cpu_count()} CPUs, "
            f"load average {os.getloadavg()[0]:.1f}, {args.runs} warm runs, "
            f"timeout {args.timeout:.0f} s; first / p50 / p95 ms"
        )
        results.print([store.name for store in chosen])
    return 0


if __name__ == "__main__":
    sys.exit(main())
