"""A Virtuoso Open Source server of hwbkg's own: Debian's `virtuoso-t`, started in the
foreground with its own ini in a temporary folder, on free loopback ports, and stopped at the
end. The tests' `virtuoso` fixture (tests/conftest.py) and the bench's `virtuoso` store
(scripts/bench_stores.py) start it.

Its ini and set-up are the hardening docs/deploy.md asks for: a row cap (ResultSetMaxRows)
above the workbench's ROW_LIMIT, no "anytime" partial answers, and a generated `dba`
password instead of the default. The anonymous user's rights are the package's own, which
tests/test_server_store.py checks: it can neither update, nor sponge, nor call SERVICE.
"""

from __future__ import annotations

import secrets
import shutil
import socket
import subprocess
import time
from pathlib import Path

import httpx

from graph import server

ROW_CAP = 20_000
"""ResultSetMaxRows: above ROW_LIMIT (10,000), below what a cross product of the test build
gives, so that the cap can be seen at work."""
START_SECONDS = 90.0
INI = """\
[Database]
DatabaseFile = virtuoso.db
ErrorLogFile = virtuoso.log
LockFile = virtuoso.lck
TransactionFile = virtuoso.trx
xa_persistent_file = virtuoso.pxa
[TempDatabase]
DatabaseFile = virtuoso-temp.db
TransactionFile = virtuoso-temp.trx
[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
DirsAllowed = .
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
CheckpointInterval = 0
[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = .
ServerThreads = 10
Charset = UTF-8
[SPARQL]
ResultSetMaxRows = {row_cap}
MaxQueryExecutionTime = 0
MaxQueryCostEstimationTime = 0
"""
PASSWORD = "USER_SET_PASSWORD('dba', '{password}')"
"""Debian's package creates a database whose dba password is "dba"."""


NOT_INSTALLED = "virtuoso-t not found: install Debian's virtuoso-opensource (.ci/run does)"


def installed() -> bool:
    """Whether the server and its SQL shell (which sets the password) are on the PATH."""
    return shutil.which("virtuoso-t") is not None and shutil.which("isql-vt") is not None


def free_port() -> int:
    """A loopback port nothing listens on now; the caller binds it a moment later (a race
    only other local programs can lose us, and then that server fails to start and says so)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Virtuoso:
    """One virtuoso-t process in ``folder``."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.sql_port, self.http_port = free_port(), free_port()
        self.password = secrets.token_urlsafe(16)
        self.process: subprocess.Popen | None = None
        base = f"http://127.0.0.1:{self.http_port}"
        self.settings = {
            "STORE": "server",
            "SERVER_QUERY_URL": f"{base}/sparql",
            "SERVER_UPDATE_URL": f"{base}/sparql-auth",
            "SERVER_GRAPH_STORE_URL": f"{base}/sparql-graph-crud-auth",
        }
        self.environ = {server.USER_VARIABLE: "dba", server.PASSWORD_VARIABLE: self.password}

    def start(self) -> None:
        """Create the database and harden it. Raises RuntimeError, with the end of its log,
        if the server does not come up."""
        ini = INI.format(sql_port=self.sql_port, http_port=self.http_port, row_cap=ROW_CAP)
        (self.folder / "virtuoso.ini").write_text(ini, encoding="utf-8")
        self._launch()
        self.sql(PASSWORD.format(password=self.password), user_password="dba")

    def restart(self) -> None:
        """Stop the server and start it again on the same database.

        Not for show: until a database that holds data has been restarted once, Virtuoso
        7.2.5 answered property-path joins wrongly (key-partners-per-priority: 1 row where
        there are 17; openlink/virtuoso-opensource#929); after that, and for every build
        loaded later, rightly (tests/test_server_store.py).
        """
        self.stop()
        self._launch()

    def _launch(self) -> None:
        """Start virtuoso-t in the foreground and wait until it answers queries."""
        with open(self.folder / "stdout.log", "ab") as log:
            self.process = subprocess.Popen(
                ["virtuoso-t", "+foreground", "+configfile", "virtuoso.ini"],
                cwd=self.folder, stdout=log, stderr=subprocess.STDOUT,
            )  # fmt: skip
        self._wait()

    def sql(self, statement: str, user_password: str | None = None) -> str:
        """Run one SQL statement as dba through isql-vt; its output."""
        done = subprocess.run(
            ["isql-vt", f"127.0.0.1:{self.sql_port}", "dba", user_password or self.password,
             f"exec={statement};"],
            capture_output=True, text=True, timeout=60,
        )  # fmt: skip
        return done.stdout + done.stderr

    def stop(self) -> None:
        """Stop the server (SIGTERM lets it close its files) and wait for it."""
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def _wait(self) -> None:
        """Poll the query endpoint until it answers, the process dies, or time runs out."""
        deadline = time.monotonic() + START_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            try:
                if httpx.get(self.settings["SERVER_QUERY_URL"], params={"query": "ASK {}"},
                             timeout=2).status_code == 200:  # fmt: skip
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.5)
        self.stop()
        log = (self.folder / "virtuoso.log").read_text(errors="replace")[-2000:]
        raise RuntimeError(f"virtuoso-t did not start in {self.folder}:\n{log}")
