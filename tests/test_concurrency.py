"""Many analysts at once on a freshly started server: every answer right, nothing left broken.

The server runs in a process of its own, started for this module, so the first queries it
gets are the first that process ever parses: an app inside the test process would share
module caches (the query parser's among them) with every test that ran before.
"""

import importlib.util
import json
import subprocess
import sys
import threading
import urllib.parse
from collections import Counter
from http.client import HTTPConnection
from pathlib import Path

import pyoxigraph as ox
import pytest
from test_query_library import LIBRARY, comparable, oxigraph_rows

ROOT = Path(__file__).resolve().parent.parent
CLIENTS = 8
RETRY_LATER = "503 with Retry-After"


def _soak_script():
    """scripts/soak.py as a module (it is a script, not part of a package)."""
    spec = importlib.util.spec_from_file_location("soak", ROOT / "scripts" / "soak.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["soak"] = module  # dataclasses look their module up while it loads
    spec.loader.exec_module(module)
    return module


SOAK = _soak_script()


def start_server(build_dir: Path):
    """`hwbkg serve` on ``build_dir`` in a new process, answering; the caller stops it."""
    server = SOAK.FreshServer(build_dir)
    try:
        server.wait_ready()
    except RuntimeError:
        server.stop()
        raise
    return server


@pytest.fixture(scope="module", params=["server-1", "server-2"])
def server(build_dir):
    """A fresh server, twice: before the query path was reworked, one burst of first
    queries broke the parser in 5 runs of 6; two bursts on two servers miss it less often."""
    found = start_server(build_dir)
    yield found
    found.stop()


@pytest.fixture(scope="module")
def expected(oxigraph):
    """Each library query's rows run in-process on the same build, normalised."""
    return {name: oxigraph_rows(oxigraph, query.text) for name, query in LIBRARY.items()}


def connect(url: str) -> HTTPConnection:
    """A keep-alive connection of its own to the server at ``url``."""
    parts = urllib.parse.urlsplit(url)
    return HTTPConnection(parts.hostname, parts.port, timeout=120)


def ask(conn: HTTPConnection, name: str) -> tuple[str, tuple | None, str | None]:
    """Send library query ``name`` to /sparql: its status ("200", "503 with Retry-After",
    "500 Internal Server Error"), for a 200 its columns and normalised rows, and the build
    that answered (the X-Hwbkg-Build header)."""
    text = LIBRARY[name].text
    path = "/sparql?" + urllib.parse.urlencode({"query": text})
    conn.request("GET", path, headers={"Accept": "application/sparql-results+json"})
    response = conn.getresponse()
    body = response.read()
    build = response.getheader("X-Hwbkg-Build")
    if response.status == 503 and response.getheader("Retry-After"):
        return RETRY_LATER, None, build
    if response.status != 200:
        return f"{response.status}: {SOAK.gist(body)}", None, build
    results = ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
    columns = [v.value for v in results.variables]
    rows = Counter(comparable(text, columns, [s[c] for c in columns]) for s in results)
    return "200", (columns, rows), build


def analyst(url: str, first: str, start: int, barrier: threading.Barrier, log: list) -> None:
    """One client: its first query at the barrier's signal, then the whole library."""
    conn = connect(url)
    names = sorted(LIBRARY)
    barrier.wait()
    log.append(("first", first, *ask(conn, first)))
    for turn in range(len(names)):
        name = names[(start + turn) % len(names)]
        log.append(("library", name, *ask(conn, name)))
    conn.close()


def problems(log: list, expected: dict) -> list[str]:
    """Every answer that is neither right nor a 503 with Retry-After."""
    found = []
    for stage, name, status, answer, _ in log:
        if status not in ("200", RETRY_LATER):
            found.append(f"{stage} {name}: {status}")
        elif status == "200" and answer != expected[name]:
            found.append(f"{stage} {name}: wrong rows")
    return found


def test_first_queries_at_once_then_the_whole_library(server, expected, published):
    """The issue's failure: simultaneous first queries broke the parser for good (500s)."""
    names = sorted(LIBRARY)
    assert len(names) >= CLIENTS, "each client's first query should be a different one"
    barrier = threading.Barrier(CLIENTS)
    logs: list[list] = [[] for _ in range(CLIENTS)]
    clients = [
        threading.Thread(target=analyst, args=(server.url, names[i], i, barrier, logs[i]))
        for i in range(CLIENTS)
    ]
    for client in clients:
        client.start()
    for client in clients:
        client.join()
    log = [entry for entries in logs for entry in entries]
    assert len(log) == CLIENTS * (1 + len(names))
    wrong = problems(log, expected)
    assert not wrong, f"{len(wrong)} of {len(log)} answers wrong, from the first: {wrong[:4]}"
    assert {name for _, name, status, _, _ in log if status == "200"} == set(names)
    assert {build for *_, build in log} == {published.id}
    # Nothing the burst did left the server broken: it still answers, and answers right.
    conn = connect(server.url)
    assert [ask(conn, name)[:2] for name in names[:3]] == [("200", expected[n]) for n in names[:3]]
    conn.close()


def test_the_soak_script_in_small(build_dir, tmp_path):
    """4 clients for 5 s on a fresh server: no error, and the figures it prints add up."""
    figures = tmp_path / "soak.json"
    command = [sys.executable, ROOT / "scripts" / "soak.py", "--clients", "4", "--seconds", "5"]
    command += ["--build-dir", build_dir, "--json", figures]
    run = subprocess.run(list(map(str, command)), capture_output=True, text=True, timeout=180)
    assert run.returncode == 0, run.stdout + run.stderr
    found = json.loads(figures.read_text())
    printed = run.stdout
    assert found["errors"] == {}
    assert "errors: 0\n" in printed
    assert found["requests"] > 0
    assert f"requests: {found['requests']} in " in printed
    assert found["req_per_s"] == pytest.approx(found["requests"] / found["elapsed_s"], rel=0.05)
    assert set(found["latency_ms"]) == {"library (/sparql)", "library pages", "main pages"}
    for category, cut in found["latency_ms"].items():
        assert 0 < cut["p50"] <= cut["p95"] <= cut["p99"] <= cut["max"], category
        assert f"  {category}" in printed
    assert found["statuses"]["main pages"] == {"200": found["latency_ms"]["main pages"]["n"]}
    memory = found["memory_mb"]
    assert 20 < memory["start"] <= memory["peak"] < 4096
    assert memory["first_10s"] and memory["last_10s"]
    assert "server memory, MB (process and children): start " in printed
    assert f"fresh server: first 200 after {found['startup_s']:.2f} s" in printed
