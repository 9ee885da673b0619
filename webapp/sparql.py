"""SPARQL 1.1 Protocol endpoint at /sparql: read-only, results negotiated by Accept or ?format."""

from __future__ import annotations

from flask import Blueprint, Response, abort, request

from graph import sparql
from webapp.graphstore import get_store

bp = Blueprint("sparql", __name__)

SELECT_TYPES = {
    "application/sparql-results+json": "json",
    "application/json": "json",
    "application/sparql-results+xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
}
GRAPH_TYPES = {
    "text/turtle": "turtle",
    "application/n-triples": "ntriples",
    "application/rdf+xml": "rdfxml",
}
MEDIA = {v: k for k, v in {**SELECT_TYPES, **GRAPH_TYPES}.items()}
MEDIA["json"] = "application/sparql-results+json"


def _query_text() -> str:
    """The query from GET ?query=, a form POST, or an application/sparql-query body.

    Aborts 400 when there is none.
    """
    if request.method == "POST" and request.mimetype == "application/sparql-query":
        text = request.get_data(as_text=True)
    else:
        text = request.values.get("query", "")
    if not text.strip():
        abort(Response("Missing 'query' parameter\n", 400, mimetype="text/plain"))
    return text


def _format(kind: str) -> str:
    """Pick the result format from ?format= or the Accept header."""
    table = GRAPH_TYPES if kind == "graph" else SELECT_TYPES
    wanted = request.values.get("format")
    if wanted in table.values():
        return wanted
    best = request.accept_mimetypes.best_match(list(table))
    return table[best] if best else ("turtle" if kind == "graph" else "json")


@bp.route("/sparql", methods=["GET", "POST"])
def endpoint():
    """Answer a query; a malformed one is a 400 with the parser's message."""
    text = _query_text()
    try:
        answer = sparql.run(get_store(), text)
    except sparql.QueryError as error:
        return Response(f"Malformed query: {error}\n", 400, mimetype="text/plain")
    chosen = _format(answer.kind)
    response = Response(answer.serialize(chosen), mimetype=MEDIA[chosen])
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response
