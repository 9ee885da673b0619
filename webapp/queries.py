"""The query library as pages: /queries and /queries/<name>, each with .json and .csv twins.

A canned query's optional parameters, declared in the file's ``# params:`` header, are
bound by substitution (SEP-0007), never pasted into the text.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from flask import Blueprint, current_app, request

from graph import queries
from webapp import pages
from webapp import sparql as endpoint
from webapp.terms import local_path, short

bp = Blueprint("queries", __name__)
SELECT_AS_JSON = {"select": "json", "ask": None, "graph": None}
"""The library holds SELECT queries only; their rows come back as SPARQL JSON results."""

_PARAM = re.compile(r'([A-Za-z_]\w*)\s*\(([^;)]*)(?:;\s*default\s+"([^"]*)")?')


@dataclass(frozen=True)
class Param:
    """One declared parameter: ``kind`` is "IRI" or a literal kind such as "string"."""

    name: str
    kind: str
    default: str | None


def params(header: str) -> list[Param]:
    """The parameters declared by a ``# params:`` header ("none" declares none)."""
    return [
        Param(name, kind.split(",")[0].strip(), default)
        for name, kind, default in _PARAM.findall(header)
        if name != "none"
    ]


def bindings(declared: list[Param]) -> dict[str, object]:
    """Terms for the declared parameters given in the query string.

    A parameter not given keeps the value written in the query (the header's default
    documents it). Raises endpoint.Unanswerable(400) when an IRI parameter is not an IRI.
    """
    found = {}
    for param in declared:
        value = request.args.get(param.name)
        if not value:
            continue
        if param.kind.upper() != "IRI":
            found[param.name] = ox.Literal(value)
            continue
        try:
            found[param.name] = ox.NamedNode(value)
        except ValueError:
            raise endpoint.Unanswerable(400, f"the parameter {param.name} must be an IRI") from None
    return found


def _library_dir() -> Path:
    return Path(current_app.config["QUERIES_DIR"])


def entry(query: queries.LibraryQuery) -> dict:
    """A library query as JSON-ready data (its SPARQL included, the only copy's text)."""
    return {
        "name": query.name,
        "title": query.title,
        "description": query.description,
        "params": [p.__dict__ for p in params(query.params)],
        "sparql": query.text,
    }


@bp.get("/queries", defaults={"fmt": "html"})
@bp.get("/queries.<any(json):fmt>")
def index(fmt: str):
    """The library: every query's title and description."""
    found = [entry(q) for q in queries.library(_library_dir()).values()]
    return pages.respond(fmt, "queries/index.html", {"queries": found})


@bp.get("/queries/<name>", defaults={"fmt": "html"})
@bp.get("/queries/<name>.<any(json, csv):fmt>")
def show(name: str, fmt: str):
    """One canned query: its text and its result as a table (HTML, JSON or CSV).

    Canned queries run in the worker pool under the same limits as the endpoint's: they
    are ours, but their cost grows with the graph, and a parameter or a build bigger than
    the ones measured must cost one answer (a 503), never the web process.
    """
    limit = current_app.config["ROW_LIMIT"]
    try:
        query = queries.get(_library_dir(), name)
        declared = params(query.params)
        reply = endpoint.execute(query.text, SELECT_AS_JSON, bindings(declared))
    except queries.UnknownQuery as error:
        return pages.error(404, str(error), html=fmt == "html")
    except endpoint.Unanswerable as problem:
        refused = pages.error(problem.status, str(problem), html=fmt == "html")
        if problem.retry_after:
            refused.headers["Retry-After"] = str(problem.retry_after)
        return refused
    answer = json.loads(reply.body)
    columns = answer["head"]["vars"]
    found = answer["results"]["bindings"]
    values = [[b.get(c, {}).get("value", "") for c in columns] for b in found]
    data = {
        **entry(query),
        "given": {p.name: request.args.get(p.name, p.default) for p in declared},
        "columns": columns,
        "rows": values,
        "truncated": reply.truncated,
    }
    response = pages.respond(
        fmt,
        "queries/show.html",
        data,
        table=lambda: (columns, values),
        cells=[[_cell(b.get(c)) for c in columns] for b in found],
        row_limit=limit,
    )
    if data["truncated"]:
        response.headers[endpoint.TRUNCATED_HEADER] = str(limit)
    return response


def _cell(binding: dict | None) -> dict:
    """A result value for the table: text, and a local link for IRIs under /id/."""
    if binding is None:
        return {"text": ""}
    if binding["type"] != "uri":
        return {"text": binding["value"]}
    path = local_path(binding["value"])
    if path is None:
        return {"text": short(binding["value"]), "iri": binding["value"]}
    return {"text": path, "href": f"{request.script_root}/id/{path}", "iri": binding["value"]}
