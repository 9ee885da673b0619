"""SPARQL 1.1 Protocol endpoint at /sparql: read-only, results negotiated by Accept or ?format.

The web thread only reads the request and negotiates formats; users' queries are policed
(graph.guard) and run in worker processes under the app's limits (graph.pool), so a hostile
or slow query never costs a web thread more than waiting on a pipe.
"""

from __future__ import annotations

from urllib.parse import unquote_to_bytes

from flask import Blueprint, Response, current_app, request, url_for
from rdflib import RDF, RDFS, BNode, Graph, Literal, Namespace, URIRef
from werkzeug.exceptions import RequestEntityTooLarge

from graph import pool, sandbox
from vocab.namespace import HWB
from webapp.graphstore import derived, get_pool, get_store, snapshot
from webapp.replies import Replies, library_texts

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
KINDS = {"select": SELECT_TYPES, "ask": SELECT_TYPES, "graph": GRAPH_TYPES}
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
ROW_LIMIT_NOTICE = "row-limit-reached"
"""The fragment, on the endpoint's IRI, that a truncated result's body points at."""
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

    def __init__(self, status: int, message: str, retry_after: int | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.retry_after = retry_after


FAILURE_PREFIXES = {"malformed": "Malformed query", "refused": "Refused"}
QUERY_BODY = "application/sparql-query"
SEVERAL = "Malformed request: several queries in one request; send one"


def named_graphs() -> frozenset[str]:
    """The IRIs of the store's named graphs (the service description lists them)."""
    return frozenset(g.value for g in get_store().named_graphs())


def execute(text: str, formats: dict[str, str | None], bindings: dict | None = None) -> pool.Reply:
    """Police and run a query in a worker, under the app's limits; ``bindings`` are terms
    substituted for variables (a library query's parameters).

    Raises Unanswerable: 400 malformed, refused or not negotiable; 503 stopped at the time
    limit, or busy (with Retry-After).
    """
    notice = url_for("sparql.endpoint", _external=True) + "#" + ROW_LIMIT_NOTICE
    asked = sandbox.Request(text, formats, bindings or {}, notice)
    kept = _replies_kept(text)
    reply = kept.get(asked) if kept is not None else None
    if reply is None:
        reply = _run(asked)
        if kept is not None:
            kept.put(asked, reply)
    return reply


def _replies_kept(text: str) -> Replies | None:
    """Where this build keeps replies to ``text``, if it is a library query's."""
    library = derived("library-texts", lambda: library_texts(current_app.config["QUERIES_DIR"]))
    return snapshot().replies if text in library else None


def _run(asked: sandbox.Request) -> pool.Reply:
    """Run ``asked`` in a worker. Raises Unanswerable (see :func:`execute`)."""
    try:
        return get_pool().run(asked)
    except pool.QueryFailed as error:
        failure = error.failure
        if failure.reason == "format":
            raise Unanswerable(400, _unoffered(failure.message)) from None
        raise Unanswerable(400, f"{FAILURE_PREFIXES[failure.reason]}: {failure.message}") from None
    except pool.QueryTimeout as error:
        raise Unanswerable(503, f"Query stopped: {error} (QUERY_TIMEOUT)") from None
    except pool.PoolBusy as error:
        raise Unanswerable(503, f"Busy: {error}; try again shortly", error.retry_after) from None


def negotiate() -> dict[str, str | None]:
    """The result format for each kind of answer, from ?format= (a name or a media type)
    or the Accept header; None for a kind the named format does not fit.

    Raises Unanswerable(400) when ?format= names no format at all.
    """
    wanted = request.values.get("format", "")
    chosen = {kind: _choose(table, wanted, kind == "graph") for kind, table in KINDS.items()}
    if wanted and not any(chosen.values()):
        offered = _names(SELECT_TYPES, GRAPH_TYPES)
        raise Unanswerable(400, "Malformed request: the format parameter names no format "
                                f"offered here; choose one of {offered}")  # fmt: skip
    return chosen


def _choose(table: dict[str, str], wanted: str, graph: bool) -> str | None:
    """One kind's format: the named one if this kind has it, else by Accept, else default."""
    if wanted:
        if graph and wanted == "json":
            return "jsonld"  # the query page's "JSON" download, for a graph: JSON-LD
        if wanted in table.values():
            return wanted
        return table.get(wanted)
    best = request.accept_mimetypes.best_match(list(table))
    return table[best] if best else ("turtle" if graph else "json")


def _unoffered(kind: str) -> str:
    """The refusal for a format that does not fit the kind of answer the query gave."""
    form = {"graph": "CONSTRUCT and DESCRIBE", "select": "SELECT", "ask": "ASK"}[kind]
    return (f"Malformed request: the format asked for is not offered for {form} queries; "
            f"choose one of {_names(KINDS[kind])}")  # fmt: skip


def _names(*tables: dict[str, str]) -> str:
    return ", ".join(sorted({name for table in tables for name in table.values()}))


def _query_text() -> str:
    """The one query of the request: ?query=, a form POST, or an application/sparql-query
    body, read from the raw bytes so that invalid UTF-8 is refused, not replaced.

    Raises Unanswerable: 400 for an update, several queries, bad bytes or none; 415 for a
    POST body of another media type.
    """
    body = request.get_data() if request.method == "POST" else b""  # before .form reads it
    if request.mimetype == "application/sparql-update" or "update" in request.values:
        raise Unanswerable(400, "Refused: SPARQL Update is refused: this endpoint is read-only")
    if {"default-graph-uri", "named-graph-uri"} & set(request.values):
        # Ignoring them would answer from another dataset than the one asked for.
        raise Unanswerable(400, "Refused: default-graph-uri and named-graph-uri are not "
                                "supported; name graphs with FROM and FROM NAMED "
                                "instead")  # fmt: skip
    texts = _parameter(request.query_string, b"query")
    if body or request.method == "POST":
        if request.mimetype == QUERY_BODY:
            texts.append(body)
        elif request.mimetype == "application/x-www-form-urlencoded":
            texts += _parameter(body, b"query")
        elif body or request.mimetype:
            raise Unanswerable(415, f"Unsupported media type: POST a query as {QUERY_BODY} "
                                    "or application/x-www-form-urlencoded")  # fmt: skip
    if len(texts) > 1:
        raise Unanswerable(400, SEVERAL)
    try:
        text = texts[0].decode("utf-8") if texts else ""
    except UnicodeDecodeError:
        raise Unanswerable(400, "Malformed request: the query is not valid UTF-8") from None
    if "\x00" in text:
        raise Unanswerable(400, "Malformed request: the query contains a NUL character")
    return text


def _parameter(encoded: bytes, name: bytes) -> list[bytes]:
    """Every value of ``name`` in a URL-encoded string, as bytes not yet decoded (urllib's
    parse_qs would decode them as ASCII, failing on any accented letter)."""
    values = []
    for pair in encoded.split(b"&"):
        key, _, value = pair.partition(b"=")
        if unquote_to_bytes(key.replace(b"+", b" ")) == name:
            values.append(unquote_to_bytes(value.replace(b"+", b" ")))
    return values


def results_response(reply: pool.Reply) -> Response:
    """The serialised result with its media type, CORS and, if capped, the row-cap header."""
    response = Response(reply.body, mimetype=MEDIA[reply.format_name], headers=CORS)
    if reply.truncated:
        response.headers[TRUNCATED_HEADER] = str(current_app.config["ROW_LIMIT"])
    response.vary.add("Accept")
    return response


def error_response(problem: Unanswerable) -> Response:
    """The one-line message as text/plain, readable cross-origin too."""
    response = Response(str(problem) + "\n", problem.status, mimetype="text/plain", headers=CORS)
    if problem.retry_after is not None:
        response.headers["Retry-After"] = str(problem.retry_after)
    return response


@bp.route("/sparql", methods=["GET", "POST", "OPTIONS"], provide_automatic_options=False)
def endpoint():
    """Answer a query; with no parameters at all, describe the service (Turtle).

    OPTIONS is the CORS preflight: any origin may read, by GET or POST.
    """
    if request.method == "OPTIONS":
        return Response(status=204, headers={**CORS, "Access-Control-Max-Age": "86400"})
    try:
        text = _query_text()
        if not text.strip():
            if request.method == "GET" and not request.args:
                return Response(service_description(), mimetype="text/turtle", headers=CORS)
            raise Unanswerable(400, "Malformed request: missing 'query' parameter")
        return results_response(execute(text, negotiate()))
    except RequestEntityTooLarge:
        limit = current_app.config["MAX_CONTENT_LENGTH"]
        return error_response(Unanswerable(413, f"Request too large: the limit is {limit:,} "
                                                "bytes (MAX_CONTENT_LENGTH)"))  # fmt: skip
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
    notice = URIRef(f"{service}#{ROW_LIMIT_NOTICE}")
    described.add((notice, RDFS.comment, Literal(
        f"A result that points here was cut at ROW_LIMIT ({config['ROW_LIMIT']:,}) rows: "
        "only the first rows were returned. Narrow the query or page it with LIMIT/OFFSET."
    )))  # fmt: skip
    described.add((service, RDFS.seeAlso, URIRef(HWB._NS)))
    return described.serialize(format="turtle")
