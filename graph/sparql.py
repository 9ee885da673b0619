"""Running SPARQL on the store and writing results: one code path for the CLI and the web.

Queries are passed as strings (a prepared rdflib query would fall back to the slow engine).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from itertools import islice

import pyoxigraph as ox

from graph.namespace import HWB, ID

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

    def serialize_capped(self, format_name: str, limit: int) -> tuple[bytes, bool]:
        """Like :meth:`serialize`, keeping at most ``limit`` rows (or triples).

        Returns the document and whether rows were dropped. Oxigraph cannot write part of
        a solution stream, so kept rows are written as SPARQL JSON here and, for the other
        formats, read back and rewritten by Oxigraph's own writers.
        """
        if self.kind == "ask":
            return self.serialize(format_name), False
        kept = list(islice(self.results, limit + 1))
        truncated = len(kept) > limit
        if self.kind == "graph":
            graph = ox.serialize(kept[:limit], format=GRAPH_FORMATS[format_name], prefixes=PREFIXES)
            return graph, truncated
        columns = [v.value for v in self.results.variables]
        document = json.dumps(
            {
                "head": {"vars": columns},
                "results": {"bindings": [_binding_json(s, columns) for s in kept[:limit]]},
            },
            ensure_ascii=False,
            separators=(",", ":"),
        ).encode()
        if format_name != "json":
            document = ox.parse_query_results(document, format=RESULT_FORMATS["json"]).serialize(
                format=RESULT_FORMATS[format_name]
            )
        return document, truncated


def _binding_json(solution: ox.QuerySolution, columns: list[str]) -> dict:
    """One solution in SPARQL 1.1 Query Results JSON (unbound variables left out)."""
    return {c: _term_json(solution[c]) for c in columns if solution[c] is not None}


def _term_json(term) -> dict:
    """A term in SPARQL JSON; plain strings drop xsd:string, as Oxigraph's writer does."""
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Triple):
        parts = zip(("subject", "predicate", "object"), term, strict=True)
        return {"type": "triple", "value": {k: _term_json(v) for k, v in parts}}
    found = {"type": "literal", "value": term.value}
    if term.language:
        found["xml:lang"] = term.language
    elif term.datatype.value != XSD_STRING:
        found["datatype"] = term.datatype.value
    return found


def run(
    store: ox.Store, text: str, bindings: dict[str, object] | None = None, union: bool = True
) -> Answer:
    """Run ``text`` over the union of all named graphs. Raises QueryError on a bad query.

    ``bindings`` maps variable names to pyoxigraph terms substituted before evaluation
    (SEP-0007), so values typed by a user are bound, never pasted into the query text.
    ``union=False`` is for queries with FROM: Oxigraph's union option would override it.
    """
    substitutions = {ox.Variable(name): term for name, term in (bindings or {}).items()}
    try:
        results = store.query(
            text, use_default_graph_as_union=union, prefixes=PREFIXES, substitutions=substitutions
        )
    except SyntaxError as error:
        raise QueryError(str(error).splitlines()[0]) from None
    if isinstance(results, ox.QuerySolutions):
        return Answer("select", results)
    if isinstance(results, ox.QueryBoolean):
        return Answer("ask", results)
    return Answer("graph", list(results))


def rows(answer: Answer) -> tuple[list[str], list[list[object]]]:
    """Column names and rows of a SELECT answer (terms as pyoxigraph objects)."""
    columns = [v.value for v in answer.results.variables]
    return columns, [[solution[c] for c in columns] for solution in answer.results]


def term_text(term) -> str:
    """A term as a person reads it: the IRI or the literal's lexical form."""
    return "" if term is None else term.value
