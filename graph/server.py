"""The HTTP side of a SPARQL 1.1 server used as the graph store: its settings and requests.

Queries go through the SPARQL 1.1 Protocol (a form POST, so that a dataset of hundreds of
graphs fits), updates through the Update protocol, and graphs are loaded through the Graph
Store HTTP Protocol. Where the endpoints are is set in graph/settings.py (STORE, SERVER_*).
Reading needs no credentials on a server that lets anyone query; loading
does, and they come only from the environment (HWBKG_SERVER_USER, HWBKG_SERVER_PASSWORD),
never from a settings file that might be committed. Every request has a time limit.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

import httpx

USER_VARIABLE = "HWBKG_SERVER_USER"
PASSWORD_VARIABLE = "HWBKG_SERVER_PASSWORD"
CONNECT_SECONDS = 5.0
"""Seconds to open a connection: a server that is down is reported at once."""


class ServerError(RuntimeError):
    """The server refused or failed a request; the message is its first line."""


class ServerSyntaxError(ServerError):
    """The server found the query malformed (HTTP 400)."""


class ServerUnavailable(Exception):
    """The server could not be reached (not an OSError, for the same reason as below)."""


class ServerTimeout(Exception):
    """The server did not answer within the time limit.

    Not a TimeoutError: that is an OSError, which query code reads as the query's fault.
    """


TROUBLE = (ServerError, ServerTimeout, ServerUnavailable)
"""What a request to the server may raise, for callers that report any of them alike."""


class Server:
    """One SPARQL server: where its endpoints are, and an HTTP client for them."""

    def __init__(self, config: Mapping, environ: Mapping | None = None) -> None:
        environ = os.environ if environ is None else environ
        self.query_url = config["SERVER_QUERY_URL"]
        self.update_url = config["SERVER_UPDATE_URL"]
        self.graph_store_url = config["SERVER_GRAPH_STORE_URL"]
        self.timeout = float(config["SERVER_TIMEOUT"])
        user, password = environ.get(USER_VARIABLE), environ.get(PASSWORD_VARIABLE)
        # Digest, not Basic: Virtuoso's -auth endpoints ask for it, and the password never
        # crosses the wire in the clear.
        auth = httpx.DigestAuth(user, password or "") if user else None
        self.client = httpx.Client(
            auth=auth, timeout=httpx.Timeout(self.timeout, connect=CONNECT_SECONDS)
        )

    def query(self, form: dict, accept: str, timeout: float | None = None) -> httpx.Response:
        """POST a query request (``form``: query, default-graph-uri...) and return the
        successful response. Raises ServerSyntaxError, ServerError, ServerTimeout or
        ServerUnavailable."""
        return self._send("POST", self.query_url, data=form, headers={"Accept": accept},
                          timeout=timeout)  # fmt: skip

    def update(self, text: str) -> None:
        """Run a SPARQL Update request (needs the credentials)."""
        self._send("POST", self.update_url, data={"update": text})

    def put_graph(self, graph: str, ntriples: bytes, replace: bool = True) -> None:
        """Replace the named graph ``graph`` with ``ntriples``, or add them to it
        (Graph Store Protocol PUT or POST)."""
        self._send("PUT" if replace else "POST", self.graph_store_url, params={"graph": graph},
                   content=ntriples, headers={"Content-Type": "application/n-triples"})  # fmt: skip

    def close(self) -> None:
        self.client.close()

    def _send(self, method: str, url: str, timeout: float | None = None, **kwargs):
        limit = httpx.USE_CLIENT_DEFAULT
        if timeout:
            limit = httpx.Timeout(timeout, connect=CONNECT_SECONDS)
        try:
            response = self.client.request(method, url, timeout=limit, **kwargs)
        except httpx.TimeoutException:
            raise ServerTimeout(f"the SPARQL server did not answer within "
                                f"{timeout or self.timeout:g} s") from None  # fmt: skip
        except httpx.TransportError as error:
            raise ServerUnavailable(f"cannot reach the SPARQL server at {url}: {error}") from None
        if response.status_code >= 400:
            message = _first_line(response.text) or response.reason_phrase
            failure = ServerSyntaxError if response.status_code == 400 else ServerError
            raise failure(f"{message} (HTTP {response.status_code} from {url})")
        return response


def _first_line(text: str) -> str:
    """The first non-blank line of an error body (Virtuoso appends the whole query)."""
    return next((line.strip() for line in text.splitlines() if line.strip()), "")[:500]
