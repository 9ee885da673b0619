"""SPARQL 1.1 Protocol endpoint at /sparql: read-only, results negotiated by Accept or ?format.

Users' queries are policed before they run (graph.guard) and run in worker processes
under QUERY_TIMEOUT (graph.pool); the library pages (webapp.queries) share this path.
"""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, Flask, Response, current_app, request

from graph import guard, pool, sparql
from graph.namespace import HWB
from webapp.graphstore import get_store

bp = Blueprint("sparql", __name__)

SELECT_TYPES = {
    "application/sparql-results+json": "json",
    "application/json": "json",
    "application/sparql-results+xml": "xml",
    "application/xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
}
GRAPH_TYPES = {
    "text/turtle": "turtle",
    "application/n-triples": "ntriples",
    "application/ld+json": "jsonld",
    "application/rdf+xml": "rdfxml",
}
MEDIA = {v: k for k, v in {**SELECT_TYPES, **GRAPH_TYPES}.items()}
MEDIA["json"] = "application/sparql-results+json"
MEDIA["xml"] = "application/sparql-results+xml"
TRUNCATED_HEADER = "X-Row-Limit-Reached"
"""Set to ROW_LIMIT when rows were dropped; the editor shows it as a notice."""
CORS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
    "Access-Control-Allow-Headers": "Content-Type, Accept",
    "Access-Control-Expose-Headers": TRUNCATED_HEADER,
}


class Unanswerable(Exception):
    """A request answered with an error status and a one-line message."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


@bp.record_once
def _start_pool(state) -> None:
    """Give the app its pool of query workers (processes start at the first query)."""
    app: Flask = state.app
    workers = pool.QueryPool(
        Path(app.config["BUILD_DIR"]), app.config["QUERY_WORKERS"], app.config["STORE_IN_MEMORY"]
    )
    app.extensions["hwbkg.pool"] = workers


def named_graphs() -> frozenset[str]:
    """The IRIs of the store's named graphs: the only ones FROM may name."""
    return frozenset(g.value for g in get_store().named_graphs())


def execute(
    text: str, verdict: guard.Verdict, format_name: str, bindings: dict | None = None
) -> pool.Reply:
    """Run a policed query under the app's time limit and row cap.

    Raises Unanswerable: 400 rejected by the engine, 503 stopped at the time limit or busy.
    """
    config = current_app.config
    request_ = pool.Request(
        text, format_name, config["ROW_LIMIT"], bindings or {}, not verdict.own_dataset
    )
    try:
        return current_app.extensions["hwbkg.pool"].run(request_, config["QUERY_TIMEOUT"])
    except sparql.QueryError as error:
        raise Unanswerable(400, f"Malformed query: {error}") from None
    except pool.QueryTimeout as error:
        raise Unanswerable(503, f"Query stopped: {error} (QUERY_TIMEOUT)") from None
    except pool.PoolBusy as error:
        raise Unanswerable(503, f"Try again shortly: {error}") from None


def police(text: str) -> guard.Verdict:
    """The query's verdict, or Unanswerable(400) when it is malformed or refused."""
    try:
        return guard.police(text, named_graphs())
    except sparql.QueryError as error:
        raise Unanswerable(400, f"Malformed query: {error}") from None
    except guard.Refused as error:
        raise Unanswerable(400, f"Refused: {error}") from None


def negotiate(verdict: guard.Verdict) -> str:
    """The result format from ?format= (a name or a media type) or the Accept header.

    Raises Unanswerable(400) for a format this kind of query cannot be written in.
    """
    graph = verdict.form in ("construct", "describe")
    table = GRAPH_TYPES if graph else SELECT_TYPES
    wanted = request.values.get("format", "")
    if graph and wanted == "json":
        return "jsonld"  # the query page's "JSON" download, for a graph: JSON-LD
    if wanted in table.values():
        return wanted
    if wanted in table:
        return table[wanted]
    if wanted:
        offered = ", ".join(sorted(set(table.values())))
        raise Unanswerable(400, f"format {wanted!r} is not offered for {verdict.form.upper()} "
                                f"queries; choose one of {offered}")  # fmt: skip
    best = request.accept_mimetypes.best_match(list(table))
    return table[best] if best else ("turtle" if table is GRAPH_TYPES else "json")


def _query_text() -> str:
    """The query from ?query=, a form POST, or an application/sparql-query body.

    Raises Unanswerable(400) for updates, which this endpoint never runs.
    """
    if request.mimetype == "application/sparql-update" or "update" in request.values:
        raise Unanswerable(400, "Refused: SPARQL Update is refused: this endpoint is read-only")
    if request.method == "POST" and request.mimetype == "application/sparql-query":
        return request.get_data(as_text=True)
    return request.values.get("query", "")


def results_response(reply: pool.Reply, format_name: str) -> Response:
    """The serialised result with its media type, CORS and, if capped, the row-cap header."""
    response = Response(reply.body, mimetype=MEDIA[format_name], headers=CORS)
    if reply.truncated:
        response.headers[TRUNCATED_HEADER] = str(current_app.config["ROW_LIMIT"])
    response.vary.add("Accept")
    return response


def error_response(problem: Unanswerable) -> Response:
    """The one-line message as text/plain, readable cross-origin too."""
    return Response(str(problem) + "\n", problem.status, mimetype="text/plain", headers=CORS)


@bp.route("/sparql", methods=["GET", "POST", "OPTIONS"], provide_automatic_options=False)
def endpoint():
    """Answer a query; with no query at all, describe the service (Turtle).

    OPTIONS is the CORS preflight: any origin may read, by GET or POST.
    """
    if request.method == "OPTIONS":
        return Response(status=204, headers={**CORS, "Access-Control-Max-Age": "86400"})
    try:
        text = _query_text()
        if not text.strip():
            if request.method == "GET" and "query" not in request.values:
                return Response(service_description(), mimetype="text/turtle", headers=CORS)
            raise Unanswerable(400, "Missing 'query' parameter")
        verdict = police(text)
        format_name = negotiate(verdict)
        return results_response(execute(text, verdict, format_name), format_name)
    except Unanswerable as problem:
        return error_response(problem)


def service_description() -> str:
    """This endpoint in the SPARQL 1.1 Service Description vocabulary, as Turtle."""
    endpoint_url = request.base_url
    results = ", ".join(f"<{_format_iri(n)}>" for n in ("json", "xml", "csv", "tsv"))
    graphs = ", ".join(f"<{_format_iri(n)}>" for n in ("turtle", "ntriples", "jsonld"))
    named = " ;\n".join(f"    sd:namedGraph [ sd:name <{iri}> ]" for iri in sorted(named_graphs()))
    limit = current_app.config["ROW_LIMIT"]
    timeout = current_app.config["QUERY_TIMEOUT"]
    return f"""@prefix sd: <http://www.w3.org/ns/sparql-service-description#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .

<{endpoint_url}> a sd:Service ;
  rdfs:label "hwbkg SPARQL endpoint" ;
  rdfs:comment "Read-only. The default graph is the union of the named graphs. Queries stop \
after {timeout:g} s; at most {limit} rows are returned. SERVICE, LOAD and updates are refused." ;
  sd:endpoint <{endpoint_url}> ;
  sd:supportedLanguage sd:SPARQL11Query ;
  sd:feature sd:UnionDefaultGraph ;
  sd:resultFormat {results}, {graphs} ;
  sd:defaultDataset [
    a sd:Dataset ;
    sd:defaultGraph [ a sd:Graph ] ;
{named}
  ] ;
  rdfs:seeAlso <{HWB._NS}> .
"""


def _format_iri(name: str) -> str:
    """The W3C formats registry IRI of a result format (www.w3.org/ns/formats/)."""
    names = {
        "json": "SPARQL_Results_JSON",
        "xml": "SPARQL_Results_XML",
        "csv": "SPARQL_Results_CSV",
        "tsv": "SPARQL_Results_TSV",
        "turtle": "Turtle",
        "ntriples": "N-Triples",
        "jsonld": "JSON-LD",
    }
    return "http://www.w3.org/ns/formats/" + names[name]
