"""The stores scripts/bench.py compares, each brought up as an HTTP SPARQL endpoint over one
build, so every store is timed the same way: a POST per query, the whole answer read.

- ``oxigraph``: the workbench as a team runs it, `hwbkg serve` on the build (the embedded
  Oxigraph store copied into memory, queries in its worker processes); it also serves the
  pages.
- ``rdflib``: rdflib's own engine on the build's N-Quads, behind the small single-threaded
  endpoint below (``python scripts/bench_stores.py rdflib-endpoint``). It is the reference
  engine of the tests, not a way to serve; it is here to show what the engine choice costs.
- ``virtuoso``: Debian's Virtuoso started for the run (scripts/virtuoso.py), the build
  loaded into it as `hwbkg build` does with STORE = "server", and `hwbkg serve` in front of
  it, so its pages and queries go through the workbench as on the embedded store.

Another store is one more entry in :func:`stores`. If the workbench can serve from it, that
entry is ``Workbench("<name>", {"HWBKG_...": ...})`` with the settings that select it, and
its pages are timed too; a :class:`Store` subclass whose ``start`` first starts the server
and loads the build into it wraps that, as :class:`VirtuosoStore` does. For a bare endpoint,
``start`` returns a :class:`Running` with ``base=None``. bench.py needs nothing else:
`--stores oxigraph,<name>` puts it in the table beside the others.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from wsgiref.simple_server import WSGIRequestHandler, make_server

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from virtuoso import NOT_INSTALLED, Virtuoso, free_port, installed  # noqa: E402

from graph import builds, server, server_builds, settings, sparql, store  # noqa: E402

HWBKG = Path(sys.executable).parent / "hwbkg"
READY = "/sparql?query=ASK%20%7B%7D"
"""What the workbench must answer to count as started: a query, not the home page, which
asks the store what not every store can answer (docs/deploy.md: /index.json on Virtuoso)."""
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
    behind: Virtuoso | None = None
    """The server the workbench serves from, when it was started for this run: its memory
    counts with the workbench's, and it stops (its database removed) after it."""
    steps: dict[str, float] = field(default_factory=dict)
    """Seconds of what came before the start-up (the server's start, the build's load)."""

    def peak_mb(self) -> float:
        """Peak resident memory of the store's processes (each one's peak, summed: the web
        process and its query workers peak at different moments, so this is an upper bound)."""
        roots = [self.process] + ([self.behind.process] if self.behind else [])
        pids = [pid for root in roots for pid in _process_tree(root.pid)]
        return sum(_peak_kb(pid) for pid in pids) / 1024

    def stop(self) -> None:
        """Stop the store as Ctrl-C would, then for good; then the server behind it."""
        self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        if self.behind:
            self.behind.stop()
            shutil.rmtree(self.behind.folder, ignore_errors=True)


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
            [*command, "--host", "127.0.0.1", "--port", str(port)], base + READY, self.environ
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


class VirtuosoStore(Store):
    """The workbench on a Virtuoso server of the run's own, with the build loaded into it."""

    name = "virtuoso"
    serves_pages = True

    def start(self, build_root: Path) -> Running:
        """Start Virtuoso, load the build, restart it once (the new-database trap of
        docs/deploy.md), then `hwbkg serve` from it. RuntimeError if any of it fails."""
        if not installed():
            raise RuntimeError(NOT_INSTALLED)
        behind = Virtuoso(Path(tempfile.mkdtemp(prefix="hwbkg-bench-virtuoso-")))
        running = None
        try:
            steps = {"server start": _seconds(behind.start)}
            steps["load into the server"] = self._load(behind, builds.current(build_root))
            steps["server restart after the first load"] = _seconds(behind.restart)
            environ = {settings.ENVIRONMENT_PREFIX + key: value
                       for key, value in behind.settings.items()}  # fmt: skip
            running = Workbench(self.name, environ | behind.environ).start(build_root)
        except server.TROUBLE as error:
            raise RuntimeError(str(error).splitlines()[0]) from None
        finally:  # failed or interrupted: leave no server or database behind
            if running is None:
                behind.stop()
                shutil.rmtree(behind.folder, ignore_errors=True)
        running.behind, running.steps = behind, steps
        return running

    @staticmethod
    def _load(behind: Virtuoso, build: builds.Build) -> float:
        """Seconds `hwbkg build` takes to put ``build`` into the server (graph/server_builds.py)."""
        target = server.Server(settings.load(behind.settings), behind.environ)
        try:
            return server_builds.load(build.path, build.id, target)
        finally:
            target.close()


def _seconds(step) -> float:
    """Seconds ``step()`` took."""
    began = time.perf_counter()
    step()
    return time.perf_counter() - began


def stores(timeout: float) -> dict[str, Store]:
    """Every store by name; ``timeout`` bounds one query where the store cannot (rdflib)."""
    return {s.name: s for s in (Workbench(), Rdflib(timeout), VirtuosoStore())}


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
        except BaseException:  # Ctrl-C while waiting: leave no server behind
            process.kill()
            process.wait()
            raise


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
        except urllib.error.HTTPError as error:
            if error.code != 503:  # up, but failing: waiting will not mend it
                process.kill()
                process.wait()
                raise RuntimeError(f"answered {error.code}") from None
            time.sleep(0.05)
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
