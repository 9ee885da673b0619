"""The stores scripts/bench.py compares, each brought up as an HTTP SPARQL endpoint over one
build, so every store is timed the same way: a POST per query, the whole answer read.

- ``oxigraph``: the workbench as a team runs it, `hwbkg serve` on the build (the embedded
  Oxigraph store copied into memory, queries in its worker processes); it also serves the
  pages.
- ``rdflib``: rdflib's own engine on the build's N-Quads, behind the small single-threaded
  endpoint below (``python scripts/bench_stores.py rdflib-endpoint``). It is the reference
  engine of the tests, not a way to serve; it is here to show what the engine choice costs.

A third store (a SPARQL server such as Virtuoso) is one more entry in :func:`stores`. If
the workbench can serve from it, that entry is ``Workbench("<name>", {"HWBKG_...": ...})``
with the settings that select it, and its pages are timed too; a :class:`Store` subclass
whose ``start`` first starts the server and loads the build into it can wrap that. For a
bare endpoint, ``start`` returns a :class:`Running` with ``base=None``. bench.py needs
nothing else: `--stores oxigraph,<name>` puts it in the table beside the others.
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from wsgiref.simple_server import WSGIRequestHandler, make_server

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from graph import builds, sparql, store  # noqa: E402

HWBKG = Path(sys.executable).parent / "hwbkg"
READY_WITHIN = 1800.0
"""Seconds a store may take to answer its first request (rdflib parses 100x in minutes)."""


@dataclass
class Running:
    """A store answering over HTTP: ``sparql`` takes POSTed queries; ``base`` is the
    workbench's root URL when the store serves pages, else None."""

    process: subprocess.Popen
    sparql: str
    base: str | None
    startup_s: float

    def peak_mb(self) -> float:
        """Peak resident memory of the store's processes (each one's peak, summed: the web
        process and its query workers peak at different moments, so this is an upper bound)."""
        return sum(_peak_kb(pid) for pid in _process_tree(self.process.pid)) / 1024

    def stop(self) -> None:
        """Stop the store as Ctrl-C would, then for good."""
        self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


class Store:
    """One column group of the table. Subclasses set ``name`` and implement ``start``."""

    name = ""
    serves_pages = False

    def start(self, build_root: Path) -> Running:
        """Bring up an endpoint over ``build_root``'s current build; return once it answers."""
        raise NotImplementedError


class Workbench(Store):
    """`hwbkg serve` as a team runs it; by default on the embedded Oxigraph store, or on
    whatever store the ``HWBKG_*`` settings in ``environ`` select (graph/settings.py)."""

    serves_pages = True

    def __init__(self, name: str = "oxigraph", environ: dict[str, str] | None = None) -> None:
        self.name = name
        self.environ = environ or {}

    def start(self, build_root: Path) -> Running:
        port = free_port()
        command = [str(HWBKG), "--build-dir", str(build_root), "serve"]
        base = f"http://127.0.0.1:{port}"
        process, seconds = launch(
            [*command, "--host", "127.0.0.1", "--port", str(port)], base + "/", self.environ
        )
        return Running(process, base + "/sparql", base, seconds)


class Rdflib(Store):
    """rdflib's engine on the build's N-Quads, behind :func:`serve_rdflib`."""

    name = "rdflib"

    def __init__(self, timeout: float) -> None:
        self.timeout = timeout

    def start(self, build_root: Path) -> Running:
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        process, seconds = launch(
            [sys.executable, __file__, "rdflib-endpoint", "--build-dir", str(build_root),
             "--port", str(port), "--timeout", str(self.timeout)],
            base + "/",
        )  # fmt: skip
        return Running(process, base + "/sparql", None, seconds)


def stores(timeout: float) -> dict[str, Store]:
    """Every store by name; ``timeout`` bounds one query where the store cannot (rdflib)."""
    return {s.name: s for s in (Workbench(), Rdflib(timeout))}


def launch(
    command: list[str], url: str, environ: dict[str, str] | None = None
) -> tuple[subprocess.Popen, float]:
    """Start ``command`` (with ``environ`` added to this process's environment) and wait
    until ``url`` first answers 200; the process and the seconds that took. Its output goes
    to a temporary file (a full pipe would stall it), so a store that fails to start can
    say why: RuntimeError with its last line."""
    began = time.perf_counter()
    environment = {**os.environ, **(environ or {})}
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=environment)
        try:
            return process, wait_ready(url, process, began)
        except RuntimeError as error:
            log.seek(0)
            said = log.read().decode(errors="replace").strip().splitlines()[-1:] or [""]
            raise RuntimeError(f"{error}: {said[0]}") from None


def free_port() -> int:
    """A port free now; the store binds it a moment later (a race only other local
    programs can lose us, and then the store fails to start and says so)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_ready(url: str, process: subprocess.Popen, began: float) -> float:
    """Seconds from ``began`` until ``url`` first answers 200. Raises RuntimeError if the
    process ends first or takes longer than READY_WITHIN (and is then stopped)."""
    while time.perf_counter() - began < READY_WITHIN:
        if process.poll() is not None:
            raise RuntimeError(f"exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return time.perf_counter() - began
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.05)
    process.kill()
    process.wait()
    raise RuntimeError(f"no answer within {READY_WITHIN:.0f} s")


def _process_tree(pid: int) -> list[int]:
    """``pid`` and its descendants, from /proc (Linux)."""
    found, pending = [], [pid]
    while pending:
        current = pending.pop()
        found.append(current)
        for task in Path(f"/proc/{current}/task").glob("*/children"):
            pending.extend(int(child) for child in task.read_text().split())
    return found


def _peak_kb(pid: int) -> int:
    """VmHWM (peak resident set) of one process in kB; 0 if it is gone."""
    try:
        lines = Path(f"/proc/{pid}/status").read_text().splitlines()
    except OSError:
        return 0
    return next((int(line.split()[1]) for line in lines if line.startswith("VmHWM:")), 0)


class TimeLimit(Exception):
    """The query ran past the endpoint's --timeout."""


def serve_rdflib(build_root: Path, port: int, timeout: float) -> None:
    """Answer POSTed SPARQL from rdflib's engine, one request at a time.

    One thread, so SIGALRM can stop a query: rdflib evaluates in Python, which checks for
    signals between bytecodes. A stopped query is a 503, as the workbench answers.
    """
    dataset = store.open_reference(builds.current(build_root).path)

    def on_alarm(signum, frame):
        raise TimeLimit

    signal.signal(signal.SIGALRM, on_alarm)
    signal.signal(signal.SIGINT, lambda signum, frame: sys.exit(0))

    def app(environ, respond):
        if environ["REQUEST_METHOD"] != "POST":
            respond("200 OK", [("Content-Type", "text/plain")])
            return [b"ready"]
        body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
        text = urllib.parse.parse_qs(body.decode())["query"][0]
        signal.setitimer(signal.ITIMER_REAL, timeout)
        try:
            document = dataset.query(text, initNs=sparql.PREFIXES).serialize(format="json")
        except TimeLimit:
            respond("503 Service Unavailable", [("Content-Type", "text/plain")])
            return [f"Query stopped: past {timeout} s".encode()]
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        respond("200 OK", [("Content-Type", "application/sparql-results+json")])
        return [document]

    class Silent(WSGIRequestHandler):
        def log_message(self, *args) -> None:  # one line per request would drown the table
            pass

    with make_server("127.0.0.1", port, app, handler_class=Silent) as server:
        server.serve_forever()


def main() -> None:
    options = argparse.ArgumentParser(description="rdflib's engine as a SPARQL endpoint")
    options.add_argument("mode", choices=["rdflib-endpoint"])
    options.add_argument("--build-dir", type=Path, required=True)
    options.add_argument("--port", type=int, required=True)
    options.add_argument("--timeout", type=float, default=60.0)
    args = options.parse_args()
    serve_rdflib(args.build_dir, args.port, args.timeout)


if __name__ == "__main__":
    main()
