"""Load and soak: N clients replay the query library and the main pages against one server.

Each client holds its own keep-alive connection and loops, for a fixed time, over every
library query sent to /sparql, every library page and the main pages (the plan, entity and
source pages are read from the server's own JSON twins, not guessed). Unless --url names a
running server, a fresh `hwbkg serve` is started first, so the first requests are the first
the process ever answers. `--slow K` instead keeps K clients sending a query that runs into
the time limit while one client times the home page.

    .venv/bin/python scripts/soak.py [--clients 8] [--seconds 60] [--build-dir build]
    .venv/bin/python scripts/soak.py --slow 16 --seconds 30
    .venv/bin/python scripts/soak.py --url http://127.0.0.1:5000 [--pid <server pid>]

It prints requests, req/s, latency percentiles per category, errors by status and the
server's memory (its process and every child: the query workers). The exit status is 1
when any answer was an error other than 503 with Retry-After (the server's "come back
later"), so `make soak` fails loudly.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

from graph import queries, settings
from webapp.terms import local_path

SLOW_QUERY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
"""Every statement of the graph cubed (about 10^12 rows): counted, so it holds no memory,
but it runs for hours unless the server stops it at QUERY_TIMEOUT."""
RESULTS_JSON = "application/sparql-results+json"
RETRY_LATER = "503+Retry-After"
"""A refusal the server asks the client to retry: the one answer that is not an error."""
WINDOW = 10.0
"""Seconds at the start and at the end of the run whose memory samples are averaged."""
REQUEST_TIMEOUT = 120.0


@dataclass(frozen=True)
class Target:
    """One request a client replays: its category in the report and the statuses it expects."""

    category: str
    path: str
    accept: str = "text/html"
    expected: tuple[str, ...] = ("200",)


@dataclass(frozen=True)
class Outcome:
    """One answer: a status ("200", "503+Retry-After") or the exception's name, its timing,
    and for an unexpected status the first line of the body (to tell errors apart)."""

    target: Target
    status: str
    seconds: float
    note: str = ""


class FreshServer:
    """`hwbkg serve` on a free loopback port in a subprocess; its log goes to a temp file."""

    def __init__(self, build_dir: Path) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        self.url = f"http://127.0.0.1:{port}"
        self.log = tempfile.NamedTemporaryFile(prefix="hwbkg-soak-", suffix=".log", delete=False)
        # The project's venv (this interpreter's) provides the `hwbkg` command.
        command = [Path(sys.prefix) / "bin" / "hwbkg", "--build-dir", build_dir, "serve"]
        self.process = subprocess.Popen(
            [*map(str, command), "--port", str(port)], stdout=self.log, stderr=subprocess.STDOUT
        )

    def wait_ready(self, limit: float = 120.0) -> float:
        """Seconds from the start until the home page first answered 200.

        Raises RuntimeError if the server exits or is not ready within ``limit`` seconds.
        """
        began = time.monotonic()
        while time.monotonic() - began < limit:
            if self.process.poll() is not None:
                raise RuntimeError(f"the server exited with {self.process.returncode}; "
                                   f"see {self.log.name}")  # fmt: skip
            try:
                if get(self.url, "/")[0] == 200:
                    return time.monotonic() - began
            except OSError:
                pass  # not listening yet
            time.sleep(0.05)
        raise RuntimeError(f"the server did not answer 200 within {limit:g} s")

    def stop(self, keep_log: bool = False) -> None:
        """Stop the server (waitress ends on SIGTERM) and its query workers with it; delete
        its log unless ``keep_log`` (after errors, the log holds their tracebacks)."""
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()
        if not keep_log:
            Path(self.log.name).unlink()


def get(base: str, path: str) -> tuple[int, bytes]:
    """Status and body of one GET on a new connection (start-up and discovery, not load)."""
    parts = urllib.parse.urlsplit(base)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=REQUEST_TIMEOUT)
    try:
        conn.request("GET", path, headers={"Accept": "application/json"})
        answer = conn.getresponse()
        return answer.status, answer.read()
    finally:
        conn.close()


def read_json(base: str, path: str) -> dict:
    """A page's JSON twin. Raises RuntimeError unless it answers 200."""
    status, body = get(base, path)
    if status != 200:
        raise RuntimeError(f"{path} answered {status}; cannot find pages to replay")
    return json.loads(body)


def first_action(tree: list[dict]) -> str | None:
    """The IRI of the first action in a plan page's tree (depth first)."""
    for node in tree:
        if node.get("kind") == "Action":
            return node["iri"]
        found = first_action(node.get("children", []))
        if found:
            return found
    return None


def main_pages(base: str) -> list[Target]:
    """The main pages, their slugs read from the server: the plan with the most actions (its
    network, page and first action) and the longest source document."""
    plans = read_json(base, "/index.json")["plans"]
    plan_path = max(plans, key=lambda p: p["actions"])["href"]
    slug = plan_path.rsplit("/", 1)[1]
    action = first_action(read_json(base, f"{plan_path}.json")["tree"])
    if action is None:
        raise RuntimeError(f"{plan_path} lists no action; cannot choose an entity page")
    sources = read_json(base, "/sources.json")["sources"]
    source = max(sources, key=lambda s: s["lines"])["slug"]
    paths = ["/", "/search?q=health", "/network", f"/network?plan={slug}", "/alignment",
             "/audit", plan_path, f"/id/{local_path(action)}", f"/sources/{source}"]  # fmt: skip
    return [Target("main pages", path) for path in paths]


def library_targets(queries_dir: Path) -> list[Target]:
    """Every library query through /sparql (GET, JSON results) and every library page."""
    library = queries.library(queries_dir)
    through_sparql = [
        Target(
            "library (/sparql)",
            "/sparql?" + urllib.parse.urlencode({"query": q.text}),
            RESULTS_JSON,
        )
        for q in library.values()
    ]
    return through_sparql + [Target("library pages", f"/queries/{name}") for name in library]


def fetch(conn: http.client.HTTPConnection, target: Target) -> Outcome:
    """Send one request on ``conn`` and read the whole answer; errors become outcomes.

    After a failed exchange the connection is closed, so the next request opens a new one.
    """
    began = time.perf_counter()
    try:
        conn.request("GET", target.path, headers={"Accept": target.accept})
        answer = conn.getresponse()
        body = answer.read()
        status = str(answer.status)
        if answer.status == 503 and answer.getheader("Retry-After"):
            status = RETRY_LATER
    except (OSError, http.client.HTTPException) as error:
        conn.close()
        status, body = type(error).__name__, str(error).encode()
    seconds = time.perf_counter() - began
    if status in target.expected:
        return Outcome(target, status, seconds)
    return Outcome(target, status, seconds, gist(body))


def gist(body: bytes) -> str:
    """What an error body says, in one short line: an HTML page's title, else its first line."""
    text = body.decode("utf-8", "replace").strip()
    title = re.search(r"<title>(.*?)</title>", text, re.S | re.I)
    return (title.group(1) if title else text.partition("\n")[0]).strip()[:120]


def replay(base: str, targets: list[Target], start: int, deadline: float) -> list[Outcome]:
    """One client: loop over ``targets`` from index ``start`` until ``deadline``."""
    parts = urllib.parse.urlsplit(base)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=REQUEST_TIMEOUT)
    found = []
    turn = start
    while time.monotonic() < deadline:
        found.append(fetch(conn, targets[turn % len(targets)]))
        turn += 1
    conn.close()
    return found


def rss_bytes(pid: int) -> int:
    """Resident memory of ``pid`` and all its descendants, read from /proc."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
        children = " ".join(p.read_text() for p in Path(f"/proc/{pid}/task").glob("*/children"))
    except OSError:
        return 0  # the process ended while we looked
    rss = [int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:")]
    return sum(rss) * 1024 + sum(rss_bytes(int(child)) for child in children.split())


class MemorySampler:
    """Samples the server's memory every half second in a background thread."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.began = time.monotonic()
        self.samples: list[tuple[float, int]] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.wait(0.5):
            self.samples.append((time.monotonic() - self.began, rss_bytes(self.pid)))

    def start(self) -> int:
        """Begin sampling; returns the memory now (the start figure)."""
        at_start = rss_bytes(self.pid)
        self._thread.start()
        return at_start

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()


def memory_figures(at_start: int, samples: list[tuple[float, int]], seconds: float) -> dict:
    """Start, mean of the first and of the last WINDOW seconds, and peak, in MB; and every
    sample as [seconds, MB], to tell warming up (a plateau) from a leak (a slope)."""

    def mb(rss: float) -> float:
        return round(rss / 2**20, 1)

    def mean(chosen: list[int]) -> float | None:
        return mb(statistics.mean(chosen)) if chosen else None

    return {
        "start": mb(at_start),
        "first_10s": mean([rss for t, rss in samples if t <= WINDOW]),
        "last_10s": mean([rss for t, rss in samples if t >= seconds - WINDOW]),
        "peak": mb(max([at_start] + [rss for _, rss in samples])),
        "samples": [[round(t, 1), mb(rss)] for t, rss in samples],
    }


def latency(seconds: list[float]) -> dict:
    """Count, p50, p95, p99 and max of ``seconds``, in milliseconds."""
    ms = sorted(s * 1000 for s in seconds)
    cuts = statistics.quantiles(ms, n=100, method="inclusive") if len(ms) > 1 else ms * 99
    return {"n": len(ms), "p50": round(cuts[49], 1), "p95": round(cuts[94], 1),
            "p99": round(cuts[98], 1), "max": round(ms[-1], 1)}  # fmt: skip


def run_clients(base: str, clients: list[list[Target]], seconds: float) -> list[Outcome]:
    """Run one thread per target list for ``seconds``. The clients start spread evenly over
    their lists, so they do not walk them in step and even a short run reaches every
    category (on a fresh server the first queries wait seconds for the workers)."""
    deadline = time.monotonic() + seconds
    found: list[list[Outcome]] = [[] for _ in clients]

    def client(i: int) -> None:
        found[i] = replay(base, clients[i], i * len(clients[i]) // len(clients), deadline)

    threads = [threading.Thread(target=client, args=(i,)) for i in range(len(clients))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return [outcome for outcomes in found for outcome in outcomes]


def figures(outcomes: list[Outcome], elapsed: float) -> dict:
    """Requests, req/s, latency of the 200 answers per category, and statuses."""
    categories = sorted({o.target.category for o in outcomes})
    statuses: dict[str, dict[str, int]] = {c: {} for c in categories}
    errors: dict[str, int] = {}
    examples: dict[str, str] = {}
    for o in outcomes:
        count = statuses[o.target.category]
        count[o.status] = count.get(o.status, 0) + 1
        if o.status not in o.target.expected and o.status != RETRY_LATER:
            errors[o.status] = errors.get(o.status, 0) + 1
            examples.setdefault(o.status, f"{o.target.path[:60]} -> {o.note}")
    ok = {c: [o.seconds for o in outcomes if o.target.category == c and o.status == "200"]
          for c in categories}  # fmt: skip
    return {
        "requests": len(outcomes),
        "elapsed_s": round(elapsed, 1),
        "req_per_s": round(len(outcomes) / elapsed, 1),
        "latency_ms": {c: latency(times) for c, times in ok.items() if times},
        "statuses": statuses,
        "errors": errors,
        "error_examples": examples,
        "retry_later": sum(o.status == RETRY_LATER for o in outcomes),
    }


def print_report(found: dict) -> None:
    """The figures as a short plain-text report."""
    print(f"requests: {found['requests']} in {found['elapsed_s']} s "
          f"({found['req_per_s']} req/s)")  # fmt: skip
    print(f"{'latency of 200 answers, ms':28} {'n':>6} {'p50':>8} {'p95':>8} {'p99':>8} {'max':>8}")
    for category, cut in found["latency_ms"].items():
        print(f"  {category:26} {cut['n']:6} " + " ".join(
            f"{cut[k]:8.1f}" for k in ("p50", "p95", "p99", "max")))  # fmt: skip
    for category, count in found["statuses"].items():
        listed = ", ".join(f"{status}: {n}" for status, n in sorted(count.items()))
        print(f"statuses, {category}: {listed}")
    print(f"503 with Retry-After: {found['retry_later']}")
    errors = ", ".join(f"{status}: {n}" for status, n in sorted(found["errors"].items()))
    print(f"errors: {sum(found['errors'].values())}" + (f" ({errors})" if errors else ""))
    for status, example in sorted(found["error_examples"].items()):
        print(f"  first {status}: {example}")
    memory = found.get("memory_mb")
    if memory:
        print(f"server memory, MB (process and children): start {memory['start']}, "
              f"first 10 s {memory['first_10s']}, last 10 s {memory['last_10s']}, "
              f"peak {memory['peak']}")  # fmt: skip


def plan_clients(args: argparse.Namespace, base: str) -> list[list[Target]]:
    """Each client's list of requests: the whole replay, or the slow query / the home page."""
    if args.slow:
        slow = Target("slow query", "/sparql?" + urllib.parse.urlencode({"query": SLOW_QUERY}),
                      RESULTS_JSON, expected=("503",))  # fmt: skip
        return [[slow]] * args.slow + [[Target("home page", "/")]]
    replayed = library_targets(args.queries_dir) + main_pages(base)
    return [replayed] * args.clients


def positive(text: str) -> int:
    """An argparse type: a whole number above zero, else a one-line usage error."""
    if not text.isdigit() or int(text) == 0:
        raise argparse.ArgumentTypeError(f"expected a whole number above zero, not {text!r}")
    return int(text)


def options() -> argparse.ArgumentParser:
    config = settings.load()
    found = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    found.add_argument("--clients", type=positive, default=8, help="clients (default 8)")
    found.add_argument("--seconds", type=positive, default=60, help="run length (default 60)")
    found.add_argument("--slow", type=positive, metavar="K", help="K clients send a "
                       "time-limited query while one times the home page")  # fmt: skip
    found.add_argument("--build-dir", type=Path, default=config["BUILD_DIR"])
    found.add_argument("--queries-dir", type=Path, default=config["QUERIES_DIR"])
    found.add_argument("--url", help="a running server (default: start a fresh one)")
    found.add_argument("--pid", type=int, help="with --url: the server's pid, for its memory")
    found.add_argument("--json", type=Path, help="also write the figures to this file")
    return found


def soak(args: argparse.Namespace, base: str, pid: int | None) -> dict:
    """Run the clients against ``base`` and return the figures (memory if ``pid`` is known)."""
    clients = plan_clients(args, base)
    machine = {"cpus": os.cpu_count(), "load_average": round(os.getloadavg()[0], 2)}
    print(f"{len(clients)} clients for {args.seconds:g} s on {base}; {machine['cpus']} CPUs, "
          f"load average {machine['load_average']} (other work on the machine skews figures)",
          flush=True)  # fmt: skip
    sampler = MemorySampler(pid) if pid else None
    at_start = sampler.start() if sampler else 0
    began = time.monotonic()
    outcomes = run_clients(base, clients, args.seconds)
    elapsed = time.monotonic() - began
    found = {"clients": len(clients), "seconds": args.seconds, **machine,
             **figures(outcomes, elapsed)}  # fmt: skip
    if sampler:
        sampler.stop()
        found["memory_mb"] = memory_figures(at_start, sampler.samples, elapsed)
    return found


def main() -> int:
    args = options().parse_args()
    server = None if args.url else FreshServer(args.build_dir)
    found = None
    try:
        if server:
            startup = server.wait_ready()
            print(f"fresh server: first 200 after {startup:.2f} s")
        found = soak(args, args.url or server.url, args.pid or (server and server.process.pid))
        if server:
            found["startup_s"] = round(startup, 2)
    except (RuntimeError, OSError) as error:
        print(f"soak: {error}", file=sys.stderr)
        return 2
    finally:
        if server:
            failed = found is None or bool(found["errors"])
            server.stop(keep_log=failed)
            if failed:
                print(f"server log (kept): {server.log.name}", file=sys.stderr)
    print_report(found)
    if args.json:
        args.json.write_text(json.dumps(found, indent=2) + "\n")
    return 1 if found["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
