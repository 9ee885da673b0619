"""SPARQL 1.1 Protocol endpoint at /sparql: read-only, results negotiated by Accept or ?format.

Users' queries are policed before they run (graph.guard) and run in worker processes
under QUERY_TIMEOUT (graph.pool); the library pages (webapp.queries) share this path.
"""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, Flask, Response, current_app, request
from rdflib import RDF, RDFS, BNode, Graph, Literal, Namespace, URIRef

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
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
FORMATS = Namespace("http://www.w3.org/ns/formats/")
RESULT_FORMAT_NAMES = {
    "json": "SPARQL_Results_JSON",
    "xml": "SPARQL_Results_XML",
    "csv": "SPARQL_Results_CSV",
    "tsv": "SPARQL_Results_TSV",
    "turtle": "Turtle",
    "ntriples": "N-Triples",
    "jsonld": "JSON-LD",
}
"""Our format names and their names in the W3C formats registry (www.w3.org/ns/formats/)."""
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
    """This endpoint in the SPARQL 1.1 Service Description vocabulary, as Turtle.

    Built as a graph (rdflib writes and escapes it), since the endpoint's IRI comes from the
    request's Host header.
    """
    config = current_app.config
    service = URIRef(request.base_url)
    described = Graph(bind_namespaces="none")
    described.bind("sd", SD)
    described.bind("rdfs", RDFS)
    described.bind("formats", FORMATS)
    described.add((service, RDF.type, SD.Service))
    described.add((service, RDFS.label, Literal("hwbkg SPARQL endpoint")))
    described.add((service, RDFS.comment, Literal(
        "Read-only. The default graph is the union of the named graphs. Queries stop after "
        f"{config['QUERY_TIMEOUT']:g} s; at most {config['ROW_LIMIT']} rows are returned. "
        "SERVICE, LOAD and updates are refused."
    )))  # fmt: skip
    described.add((service, SD.endpoint, service))
    described.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    described.add((service, SD.feature, SD.UnionDefaultGraph))
    for name in RESULT_FORMAT_NAMES.values():
        described.add((service, SD.resultFormat, FORMATS[name]))
    dataset, default = BNode(), BNode()
    described.add((service, SD.defaultDataset, dataset))
    described.add((dataset, RDF.type, SD.Dataset))
    described.add((dataset, SD.defaultGraph, default))
    described.add((default, RDF.type, SD.Graph))
    for iri in sorted(named_graphs()):
        graph = BNode()
        described.add((dataset, SD.namedGraph, graph))
        described.add((graph, SD.name, URIRef(iri)))
    described.add((service, RDFS.seeAlso, URIRef(HWB._NS)))
    return described.serialize(format="turtle")
