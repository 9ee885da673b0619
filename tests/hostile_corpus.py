"""The hostile-request corpus, tests/data/hostile/requests.toml, read into requests to send.

The file is data: its header says what each key means. This module checks the keys, turns
an entry into the arguments of a Flask test-client call, and lists the values the answer
must never echo. scripts/measure_hostile.py reads the same entries to time them on the
engine alone.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qsl, urlencode

CORPUS = Path(__file__).parent / "data" / "hostile" / "requests.toml"

FAMILIES = {
    "update": "SPARQL Update in every form, sent as query=, update= or a sparql-update body",
    "load": "LOAD of remote and local documents",
    "service": "SERVICE anywhere in a query",
    "dataset": "FROM and FROM NAMED naming graphs that are not in the store",
    "path": "property paths over the whole graph",
    "product": "cartesian products, with and without ORDER BY",
    "rows": "results past the row limit, in every format",
    "regex": "catastrophic patterns and huge repetitions in REGEX",
    "values": "VALUES blocks with tens of thousands of rows",
    "memory": "queries built to exhaust memory",
    "size": "very long queries and the expression that crashed the engine",
    "nesting": "deeply nested brackets",
    "ordinary": "long queries an analyst writes, which must run",
    "encoding": "invalid UTF-8 and NUL characters",
    "protocol": "several, missing or malformed query parameters",
    "content-type": "wrong content types and oversized bodies",
    "page": "HTML and script injected into the pages' parameters",
}
"""Every family the corpus must cover (issue 8, item 3), with what it tries."""

SETTINGS = {
    "QUERY_TIMEOUT": 3,
    "QUERY_MEMORY_MB": 256,
    "QUERY_WORKERS": 2,
    "ROW_LIMIT": 1_000,
    "QUERY_MAX_LENGTH": 100_000,
    "QUERY_MAX_NESTING": 64,
    "MAX_CONTENT_LENGTH": 1_000_000,
}
"""The app settings the corpus's answers assume (its header names them too). The time
limit is short because an entry meant to stop at it costs that long; the row limit is
low so that results past it are quick to write."""

ECHO_MIN = 8
"""Sent values this long or longer must not appear in the answer (shorter ones, such as
``format=csv``, can occur in any answer by chance)."""

_KEYS = {
    "name", "family", "method", "path", "query", "query_parts", "params", "query_string",
    "body", "body_parts", "body_hex", "content_type", "headers",
    "status", "starts_with", "contains", "retry_after", "truncated", "never_echo",
}  # fmt: skip


def joined(parts: list) -> str:
    """A long text given as pieces: a string stands for itself, ``[piece, n]`` for the piece
    n times, with ``{n}`` in it numbered 1..n and ``{m}`` as n - 1 (distinct variables,
    chains such as ``BIND(CONCAT(?a{m}, ?a{m}) AS ?a{n})``)."""
    text = []
    for part in parts:
        if isinstance(part, str):
            text.append(part)
            continue
        piece, times = part
        if "{n}" in piece or "{m}" in piece:
            text.extend(
                piece.replace("{n}", str(i)).replace("{m}", str(i - 1)) for i in range(1, times + 1)
            )
        else:
            text.append(piece * times)
    return "".join(text)


@dataclass(frozen=True)
class Hostile:
    """One request and the answer it must get."""

    name: str
    family: str
    method: str
    path: str
    status: int
    starts_with: str = ""
    contains: str = ""
    retry_after: bool = False
    truncated: bool = False
    query: str | None = None
    params: list[tuple[str, str]] = field(default_factory=list)
    query_string: str = ""
    body: bytes | None = None
    content_type: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    never_echo: str = ""

    def fields(self) -> list[tuple[str, str]]:
        """The parameters sent in the URL (GET) or as a form (POST): the query first."""
        return ([("query", self.query)] if self.query is not None else []) + self.params

    def client_kwargs(self) -> dict:
        """Keyword arguments for ``app.test_client().open``."""
        kwargs: dict = {"method": self.method, "path": self.path, "headers": self.headers}
        url = [self.query_string] if self.query_string else []
        if self.method == "GET":
            url += [urlencode(self.fields())] if self.fields() else []
        elif self.body is not None:
            kwargs["data"] = self.body
            if self.content_type is not None:
                kwargs["content_type"] = self.content_type
        else:
            # werkzeug writes a form body from (name, value) pairs, repeated names kept.
            kwargs["data"] = urlencode(self.fields())
            kwargs["content_type"] = "application/x-www-form-urlencoded"
        if url:
            kwargs["query_string"] = "&".join(url)
        return kwargs

    def sent_values(self) -> list[str]:
        """What the request carried that the answer must never contain."""
        values = [value for _, value in self.fields()]
        values += [v for _, v in parse_qsl(self.query_string, errors="replace")]
        if self.body is not None:
            values.append(self.body.decode("utf-8", errors="replace"))
        return [v for v in values if len(v) >= ECHO_MIN] + (
            [self.never_echo] if self.never_echo else []
        )


def load(path: Path = CORPUS) -> list[Hostile]:
    """The corpus entries in file order. Raises ValueError naming a malformed entry."""
    entries = tomllib.loads(path.read_text(encoding="utf-8"))["request"]
    return [_entry(raw) for raw in entries]


def _entry(raw: dict) -> Hostile:
    """One [[request]] table as a Hostile, its keys checked."""
    name = raw.get("name", "?")
    unknown = set(raw) - _KEYS
    if unknown:
        raise ValueError(f"{name}: unknown keys {sorted(unknown)}")
    if raw.get("family") not in FAMILIES:
        raise ValueError(f"{name}: family {raw.get('family')!r} is not one of {sorted(FAMILIES)}")
    given = [k for k in ("body", "body_parts", "body_hex") if k in raw]
    if len(given) > 1 or ("query" in raw and "query_parts" in raw):
        raise ValueError(f"{name}: give one of query/query_parts and one body key at most")
    if "content_type" in raw and not given:
        raise ValueError(f"{name}: content_type is for a raw body (body, body_parts, body_hex)")
    query = joined(raw["query_parts"]) if "query_parts" in raw else raw.get("query")
    return Hostile(
        name=name,
        family=raw["family"],
        method=raw["method"],
        path=raw["path"],
        status=raw["status"],
        starts_with=raw.get("starts_with", ""),
        contains=raw.get("contains", ""),
        retry_after=raw.get("retry_after", False),
        truncated=raw.get("truncated", False),
        query=query,
        params=[
            (key, value)
            for key, values in raw.get("params", {}).items()
            for value in (values if isinstance(values, list) else [values])
        ],
        query_string=raw.get("query_string", ""),
        body=_body(raw),
        content_type=raw.get("content_type"),
        headers=raw.get("headers", {}),
        never_echo=raw.get("never_echo", ""),
    )


def _body(raw: dict) -> bytes | None:
    """The raw POST body from whichever of body, body_parts or body_hex is given."""
    if "body_hex" in raw:
        return bytes.fromhex(raw["body_hex"])
    if "body_parts" in raw:
        return joined(raw["body_parts"]).encode()
    if "body" in raw:
        return raw["body"].encode()
    return None
