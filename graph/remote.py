"""One build on a SPARQL server, queried as if it were the embedded Oxigraph store.

:class:`RemoteStore` answers ``query()``, ``named_graphs()`` and ``len()`` with pyoxigraph's
own result types (QuerySolutions, QueryBoolean, triples), so graph.sparql.run and every page
work on it unchanged.

Each build is loaded into graphs of its own (graph.server_builds), so a rebuild never
changes what readers of the served build see. Its graphs live under a namespace of their
own: every IRI in the hwbkg graph namespace (``GRAPH``) is *relocated* under
``GRAPH/build/<id>/``, in the data loaded, in each query's text and back again in each
answer. Queries and answers therefore name the graphs as the build does (a page asking
``GRAPH <.../graph/ontology>`` gets the ontology of the build it serves), and another
build's graphs, or the server's own system graphs, are never in the dataset.

What the server does that Oxigraph does not, and how it is handled:
- its default graph is every graph it holds (Virtuoso's system graphs included): each query
  names the build's dataset (default-graph-uri and named-graph-uri). The default graph is
  one more graph holding all the build's triples (:func:`union_graph`), not the list of its
  graphs: with the build's 13 graphs as its default graph, Virtuoso 7.2 answered a property
  path (``a ?c . ?c rdfs:subClassOf* hwb:Priority``) joined with other patterns with 1 row
  where there are 17, even after a restart (openlink/virtuoso-opensource#127);
- it may cut a result at a row cap and say so only in a header (Virtuoso's ResultSetMaxRows,
  ``X-SPARQL-MaxRows``), or return a partial answer at its own time limit (Virtuoso's
  "anytime" queries, ``X-SQL-State``): either is an error here, unless the caller keeps
  fewer rows than the cap anyway (the /sparql endpoint, which caps at ROW_LIMIT);
- it cannot take SEP-0007 substitutions: bindings become a VALUES block at the start of the
  query's WHERE group (same rows, since the bound variable is then joined first).
"""

from __future__ import annotations

import dataclasses
import functools
import json
from collections.abc import Iterable

import pyoxigraph as ox

from graph.guard import TOKENS
from graph.server import Server, ServerError, ServerSyntaxError
from vocab.namespace import GRAPH

GRAPH_NS = str(GRAPH)
RESULTS_JSON = "application/sparql-results+json"
NTRIPLES = "application/n-triples"
FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
CAPPED_HEADER = "X-SPARQL-MaxRows"
PARTIAL_HEADER = "X-SQL-State"


def namespace(build_id: str) -> str:
    """Where build ``build_id``'s graphs live on the server."""
    return f"{GRAPH_NS}build/{build_id}/"


def union_graph(build_id: str) -> str:
    """The server graph holding every triple of build ``build_id`` (its default graph)."""
    return namespace(build_id) + "union"


def relocate(data: bytes | str, build_id: str) -> bytes | str:
    """``data`` (N-Triples, a query) with the graph namespace moved under the build's."""
    if isinstance(data, bytes):
        return data.replace(GRAPH_NS.encode(), namespace(build_id).encode())
    return data.replace(GRAPH_NS, namespace(build_id))


def restore(data: bytes, build_id: str) -> bytes:
    """An answer from the server with the build's namespace moved back (see :func:`relocate`)."""
    return data.replace(namespace(build_id).encode(), GRAPH_NS.encode())


@dataclasses.dataclass(frozen=True)
class RemoteStore:
    """Build ``build_id`` on ``server``: its named graphs (as the build names them), the
    time limit of one query, and how many rows the caller keeps at most (None: all, so
    any cut by the server is an error)."""

    server: Server
    build_id: str
    graphs: tuple[str, ...]
    timeout: float | None = None
    keeps_rows: int | None = None

    def limited(self, timeout: float, keeps_rows: int) -> RemoteStore:
        """The same build, for a caller with its own time limit and row cap."""
        return dataclasses.replace(self, timeout=timeout, keeps_rows=keeps_rows)

    def named_graphs(self) -> Iterable[ox.NamedNode]:
        return [ox.NamedNode(graph) for graph in self.graphs]

    def __len__(self) -> int:
        return _count(self)

    def query(
        self,
        query: str,
        use_default_graph_as_union: bool = True,
        prefixes: dict[str, str] | None = None,
        substitutions: dict | None = None,
    ):
        """Like ``pyoxigraph.Store.query``: the query runs on the server, over this build.

        Raises SyntaxError when the server finds the query malformed (as Oxigraph does),
        ServerError when it fails or its answer would be incomplete, ServerTimeout,
        ServerUnavailable; ValueError for a blank node among ``substitutions``.
        """
        no_graph = None if use_default_graph_as_union else namespace(self.build_id) + "none"
        form, text = prepare(query, prefixes or {}, substitutions or {}, no_graph)
        request = {"query": relocate(text, self.build_id)}
        if use_default_graph_as_union:
            request["default-graph-uri"] = union_graph(self.build_id)
            request["named-graph-uri"] = [relocate(g, self.build_id) for g in self.graphs]
        graph_form = form in ("CONSTRUCT", "DESCRIBE")
        try:
            response = self.server.query(
                request, NTRIPLES if graph_form else RESULTS_JSON, self.timeout
            )
        except ServerSyntaxError as error:
            raise SyntaxError(str(error)) from None
        self._check_complete(response.headers)
        body = restore(response.content, self.build_id)
        if graph_form:
            return [quad.triple for quad in ox.parse(body, format=ox.RdfFormat.N_TRIPLES)]
        if form == "ASK":
            body = _as_boolean(body)
        return ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)

    def _check_complete(self, headers) -> None:
        """Raise ServerError if the server says it cut the answer short."""
        if PARTIAL_HEADER in headers:
            raise ServerError(f"the SPARQL server stopped the query at its own time limit and "
                              f"gave a partial answer ({headers[PARTIAL_HEADER]})")  # fmt: skip
        cap = headers.get(CAPPED_HEADER)
        if cap is not None and (self.keeps_rows is None or int(cap) < self.keeps_rows):
            raise ServerError(f"the SPARQL server cut the answer at {int(cap):,} rows (its "
                              "ResultSetMaxRows): the answer would be incomplete")  # fmt: skip


@functools.lru_cache(maxsize=16)
def _count(store: RemoteStore) -> int:
    """The build's quads, counted once per build (a build never changes)."""
    answer = store.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
    return int(next(iter(answer))["n"].value)


def _as_boolean(body: bytes) -> bytes:
    """An ASK's JSON answer as SPARQL's boolean result. Virtuoso 7.2 answers an ASK sent
    with ``default-graph-uri`` as a table of ``__ASK_RETVAL`` (one row of 1 for yes),
    which Oxigraph would read as a SELECT's; no row, or a 0, is no."""
    answer = json.loads(body)
    if "boolean" in answer:
        return body
    rows = answer.get("results", {}).get("bindings", [])
    found = bool(rows) and any(
        value.get("value") not in ("0", "false") for value in rows[0].values()
    )
    return json.dumps({"head": {}, "boolean": found}).encode()


def prepare(
    text: str, prefixes: dict[str, str], bindings: dict, no_graph: str | None = None
) -> tuple[str, str]:
    """The query's form (SELECT, ASK, CONSTRUCT, DESCRIBE) and its text for the server:
    ``prefixes`` declared first (a later PREFIX of the same name wins), ``bindings``
    (variable -> term) as a VALUES block opening the WHERE group.

    A query with FROM but no FROM NAMED has no named graphs, but Virtuoso then lets GRAPH ?g
    range over every graph it holds (68 for one build): ``no_graph``, an empty graph, is
    then added as its FROM NAMED.

    Raises ValueError for a blank node among the bindings (VALUES cannot hold one).
    """
    shape = _shape(text)
    if bindings:
        values = _values(bindings)
        if shape.where is None:  # DESCRIBE ?s, with no WHERE clause
            text = f"{text} WHERE {{ {values} }}"
        else:
            text = f"{text[: shape.where]} {values} {text[shape.where :]}"
    if no_graph and shape.froms == {"FROM"} and shape.clauses is not None:
        text = f"{text[: shape.clauses]}FROM NAMED {ox.NamedNode(no_graph)} {text[shape.clauses :]}"
    declared = "".join(f"PREFIX {name}: <{iri}>\n" for name, iri in prefixes.items())
    return shape.form, declared + text


@dataclasses.dataclass
class _Shape:
    """Where things are in a query: its form, the offset just inside its WHERE group's
    opening brace and where its dataset clauses end (None if it has no WHERE group), and
    which dataset clauses it has ("FROM", "FROM NAMED")."""

    form: str = "SELECT"
    where: int | None = None
    clauses: int | None = None
    froms: set[str] = dataclasses.field(default_factory=set)


def _shape(text: str) -> _Shape:
    """The query's :class:`_Shape`. Its WHERE group is the group after WHERE, else the first
    at the top level, or the second for CONSTRUCT, whose template comes first."""
    shape, depth, where_at, top_braces = _Shape(), 0, None, 0
    seen_form, previous = False, ""
    for match in TOKENS.finditer(text):
        kind, value = match.lastgroup, match.group()
        if kind in ("space", "comment"):
            continue
        word = value.upper() if kind == "name" and not depth else ""
        if previous == "FROM":
            shape.froms.add("FROM NAMED" if word == "NAMED" else "FROM")
        previous = word
        if word in FORMS and not seen_form:
            shape.form, seen_form = word, True
        elif word == "WHERE" and where_at is None:
            where_at = match.start()
        elif kind == "other" and value in "({[":
            if value == "{" and not depth:
                top_braces += 1
                if where_at is not None or shape.form != "CONSTRUCT" or top_braces == 2:
                    shape.where = match.end()
                    shape.clauses = match.start() if where_at is None else where_at
                    return shape
            depth += 1
        elif kind == "other" and value in ")}]":
            depth -= 1
    return shape


def _values(bindings: dict) -> str:
    """``VALUES (?a ?b) { (<x> "y") }`` for variable -> pyoxigraph term."""
    names, terms = [], []
    for name, term in bindings.items():
        name = name.value if isinstance(name, ox.Variable) else name
        if isinstance(term, ox.BlankNode):
            raise ValueError(f"?{name} is bound to a blank node, which a SPARQL server "
                             "cannot be sent")  # fmt: skip
        names.append(f"?{name}")
        terms.append(str(term))  # N-Triples syntax, escaped by pyoxigraph
    return f"VALUES ({' '.join(names)}) {{ ({' '.join(terms)}) }}"
