"""Running SPARQL on the store and writing results: one code path for the CLI and the web.

Queries are passed as strings (a prepared rdflib query would fall back to the slow engine).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from html import escape
from itertools import islice

import pyoxigraph as ox

from graph.store import has_merged_default_graph
from vocab.namespace import HWB, ID

PREFIXES = {
    "hwb": str(HWB._NS),
    "id": str(ID),
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "org": "http://www.w3.org/ns/org#",
    "prov": "http://www.w3.org/ns/prov#",
    "dcterms": "http://purl.org/dc/terms/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "sh": "http://www.w3.org/ns/shacl#",
}
"""Prefixes every query may use without declaring them (the editor offers the same)."""

RESULT_FORMATS = {
    "json": ox.QueryResultsFormat.JSON,
    "xml": ox.QueryResultsFormat.XML,
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
}
GRAPH_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "rdfxml": ox.RdfFormat.RDF_XML,
    "jsonld": ox.RdfFormat.JSON_LD,
}
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDFS_COMMENT = "http://www.w3.org/2000/01/rdf-schema#comment"


class QueryError(ValueError):
    """The query is malformed or cannot run; the message is the parser's."""


@dataclass
class Answer:
    """A query's result: ``kind`` is "select", "ask" or "graph"."""

    kind: str
    results: object

    def serialize(self, format_name: str) -> bytes:
        """The result in a SPARQL results format (select, ask) or an RDF format (graph)."""
        if self.kind == "graph":
            return ox.serialize(self.results, format=GRAPH_FORMATS[format_name], prefixes=PREFIXES)
        return self.results.serialize(format=RESULT_FORMATS[format_name])

    def serialize_capped(self, format_name: str, limit: int, notice: str) -> tuple[bytes, bool]:
        """Like :meth:`serialize`, keeping at most ``limit`` rows (or triples).

        Returns the document and whether rows were dropped. When they were, the document
        itself says so (not only a header, which a saved file loses), pointing at
        ``notice``, an IRI documenting the limit: see :func:`_state_truncation`.
        Oxigraph cannot write part of a solution stream, so kept rows are written as SPARQL
        JSON here and, for the other formats, read back and rewritten by Oxigraph's writers.
        """
        if self.kind == "ask":
            return self.serialize(format_name), False
        kept = list(islice(self.results, limit + 1))
        truncated = len(kept) > limit
        if self.kind == "graph":
            graph = ox.serialize(kept[:limit], format=GRAPH_FORMATS[format_name], prefixes=PREFIXES)
            if truncated:
                graph = _state_truncation(graph, format_name, limit, notice)
            return graph, truncated
        columns = [v.value for v in self.results.variables]
        head = {"vars": columns, **({"link": [notice]} if truncated else {})}
        document = json.dumps(
            {
                "head": head,
                "results": {"bindings": [binding_json(s, columns) for s in kept[:limit]]},
            },
            ensure_ascii=False,
            separators=(",", ":"),
        ).encode()
        if format_name != "json":
            document = ox.parse_query_results(document, format=RESULT_FORMATS["json"]).serialize(
                format=RESULT_FORMATS[format_name]
            )
            if truncated:
                document = _state_truncation(document, format_name, limit, notice)
        return document, truncated


def _state_truncation(document: bytes, format_name: str, limit: int, notice: str) -> bytes:
    """``document`` with a statement that only its first ``limit`` rows are given.

    Each format says it in its own way: a ``link`` in the results head (SPARQL XML; JSON is
    written with it), a comment (Turtle, N-Triples, RDF/XML), an extra node (JSON-LD), and
    for CSV and TSV, which have no comments, a last line starting ``#`` that a spreadsheet
    shows and ``read_csv(comment="#")`` skips.
    """
    words = f"row limit reached: only the first {limit:,} rows are given ({notice})"
    if format_name == "xml":
        link = f'<link href="{escape(notice, quote=True)}"/>'.encode()
        return document.replace(b"</head>", link + b"</head>", 1)
    if format_name in ("csv", "tsv", "turtle", "ntriples"):
        ending = b"\r\n" if format_name == "csv" else b"\n"
        return document + f"# {words}".encode() + ending
    if format_name == "rdfxml":
        declaration, rest = document.split(b"\n", 1)
        return declaration + f"\n<!-- {escape(words)} -->\n".encode() + rest
    nodes = json.loads(document)
    nodes.append({"@id": notice, RDFS_COMMENT: [{"@value": words}]})
    return json.dumps(nodes, ensure_ascii=False, separators=(",", ":")).encode()


def binding_json(solution: ox.QuerySolution, columns: list[str]) -> dict:
    """One solution in SPARQL 1.1 Query Results JSON (unbound variables left out)."""
    return {c: term_json(solution[c]) for c in columns if solution[c] is not None}


def term_json(term) -> dict:
    """A term in SPARQL JSON; plain strings drop xsd:string, as Oxigraph's writer does."""
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Triple):
        parts = zip(("subject", "predicate", "object"), term, strict=True)
        return {"type": "triple", "value": {k: term_json(v) for k, v in parts}}
    found = {"type": "literal", "value": term.value}
    if term.language:
        found["xml:lang"] = term.language
    elif term.datatype.value != XSD_STRING:
        found["datatype"] = term.datatype.value
    return found


def run(
    store: ox.Store,
    text: str,
    bindings: dict[str, object] | None = None,
    union: bool = True,
    lazy: bool = False,
) -> Answer:
    """Run ``text`` over the merge of all named graphs. Raises QueryError on a bad query.

    ``bindings`` maps variable names to pyoxigraph terms substituted before evaluation
    (SEP-0007), so values typed by a user are bound, never pasted into the query text.
    ``union=False`` is for queries with FROM: Oxigraph's union option would override it.
    The merge is the store's default graph where the build wrote it (graph.store.write),
    else Oxigraph's union of the named graphs.
    ``lazy`` leaves a graph result as Oxigraph's iterator, for a caller that caps it (a
    CONSTRUCT over a cross product must not be materialised whole).
    """
    substitutions = {ox.Variable(name): term for name, term in (bindings or {}).items()}
    union = union and not has_merged_default_graph(store)
    try:
        results = store.query(
            text, use_default_graph_as_union=union, prefixes=PREFIXES, substitutions=substitutions
        )
    except SyntaxError as error:
        raise QueryError(_where(str(error).splitlines()[0])) from None
    if isinstance(results, ox.QuerySolutions):
        return Answer("select", results)
    if isinstance(results, ox.QueryBoolean):
        return Answer("ask", results)
    return Answer("graph", results if lazy else list(results))


def _where(message: str) -> str:
    """Oxigraph's "error at 2:3: expected one of X, [ranges]..." as "expected one of X at
    line 2, column 3": the character ranges of its grammar help nobody reading the query."""
    found = re.fullmatch(r"error at (\d+):(\d+): (.*)", message)
    if not found:
        return message
    text = found[3]
    if text.startswith("expected one of "):
        options = [o for o in text.removeprefix("expected one of ").split(", ") if o[:1] != "["]
        text = "expected one of " + ", ".join(options[:12]) if options else "unexpected input"
        if "Prefix not found" in options:
            text = "a prefix is used but not declared"
    return f"{text.rstrip(', ')} at line {found[1]}, column {found[2]}"


def rows(answer: Answer) -> tuple[list[str], list[list[object]]]:
    """Column names and rows of a SELECT answer (terms as pyoxigraph objects)."""
    columns = [v.value for v in answer.results.variables]
    return columns, [[solution[c] for c in columns] for solution in answer.results]


def term_text(term) -> str:
    """A term as a person reads it: the IRI or the literal's lexical form."""
    return "" if term is None else term.value
