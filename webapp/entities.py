"""Linked-data pages: every IRI under ``id/`` at /id/<path>, the ontology at /def.

People get HTML; ``Accept: text/turtle``, ``application/ld+json`` or
``application/n-triples`` (or a ``.ttl``/``.jsonld``/``.nt`` suffix) get the resource's
description in that format: its triples, which is its concise bounded description since
the graph has no blank nodes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph as ox
from flask import Blueprint, Response, render_template, request, url_for

from graph import sparql, void
from graph.build import ONTOLOGY_GRAPH
from graph.sparql import PREFIXES
from vocab.namespace import HWB, ID, ONTOLOGY_IRI
from webapp import browse, terms
from webapp.graphstore import get_store
from webapp.pages import error, link_header
from webapp.sources import line_href
from webapp.terms import Term, sort_key

bp = Blueprint("entities", __name__)

RDF_FORMATS = {
    "ttl": ("text/turtle", ox.RdfFormat.TURTLE),
    "jsonld": ("application/ld+json", ox.RdfFormat.JSON_LD),
    "nt": ("application/n-triples", ox.RdfFormat.N_TRIPLES),
}
# Turtle would escape the slashes of id: names (id:org\/llr-icb); full IRIs read better.
RDF_PREFIXES = {k: v for k, v in PREFIXES.items() if k != "id"}

EXISTS = "ASK { { ?s ?p ?o } UNION { ?x ?p ?s } }"
DESCRIBE = "DESCRIBE ?s"
# Only LINKS_SHOWN values of a property (the first the store gives) are labelled and shown,
# with how many there are: an organisation is named by thousands of items at 100x and a
# class has thousands of instances (1.2 s a page when all were read), and the organisation's
# own page (/organisations/...) lists them all, a page at a time. Labels are asked after
# (terms.labels): as OPTIONALs here, a node that many documents restate multiplied the rows.
LINKS_SHOWN = 50
OUTGOING = (
    "SELECT ?s ?p (COUNT(DISTINCT ?v) AS ?n) WHERE { ?s ?p ?v } GROUP BY ?s ?p",
    f"SELECT DISTINCT ?s ?p ?v WHERE {{ ?s ?p ?v }} LIMIT {LINKS_SHOWN}",
)
INCOMING = (
    "SELECT ?s ?p (COUNT(DISTINCT ?v) AS ?n) WHERE { ?v ?p ?s } GROUP BY ?s ?p",
    f"SELECT DISTINCT ?s ?p ?v WHERE {{ ?v ?p ?s }} LIMIT {LINKS_SHOWN}",
)
"""Per direction: how many values each property has, and the values shown of one."""
# A node several documents cite (a related strategy) has a document and a line in each
# document's graph: GRAPH keeps each line with its own document.
PROVENANCE = """
SELECT DISTINCT ?s ?doc ?file ?line WHERE {
  GRAPH ?g { ?s hwb:sourceDocument ?doc OPTIONAL { ?s hwb:sourceLine ?line } }
  ?doc hwb:fileName ?file .
} ORDER BY ?file ?line
"""
ONTOLOGY = "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }"
# Labels are asked after (terms.labels): left-joined here, a term without a domain or range
# reached them with ?o unbound, and they read every label in the graph (2 s at 100x).
ONTOLOGY_TERMS = """
SELECT * WHERE {
  GRAPH ?g {
    ?t a ?kind . FILTER(?kind IN (owl:Class, owl:ObjectProperty, owl:DatatypeProperty))
    OPTIONAL { ?t rdfs:comment ?comment }
    OPTIONAL { ?t ?p ?o . FILTER(?p IN (rdfs:subClassOf, rdfs:domain, rdfs:range)) }
  }
}
"""
CLASS_USES = "SELECT ?t (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x a/rdfs:subClassOf* ?t } GROUP BY ?t"
PROPERTY_USES = "SELECT ?t (COUNT(*) AS ?n) WHERE { ?x ?t ?y } GROUP BY ?t"
KINDS = {"owl:Class": "Classes", "owl:ObjectProperty": "Object properties",
         "owl:DatatypeProperty": "Datatype properties"}  # fmt: skip
FIRST = ("rdf:type", "skos:notation", "skos:prefLabel", "rdfs:label", "rdfs:comment")
"""Properties shown first on a page, in this order; the rest follow by label."""


@dataclass
class Description:
    """What a page shows about one resource."""

    subject: Term
    types: list[Term] = field(default_factory=list)
    properties: list[tuple[Term, list[Term]]] = field(default_factory=list)
    incoming: list[tuple[Term, list[Term]]] = field(default_factory=list)
    provenance: list[dict] = field(default_factory=list)
    more: dict[str, int] = field(default_factory=dict)
    """How many values of each property (by IRI) are not shown."""
    incoming_more: dict[str, int] = field(default_factory=dict)
    """How many links in of each property (by IRI) are not shown."""


def _node(iri: str) -> ox.NamedNode | None:
    """The IRI as a node, or None when it is not a valid IRI (a 404, not a 500)."""
    try:
        return ox.NamedNode(iri)
    except ValueError:
        return None


def _exists(node: ox.NamedNode | None) -> bool:
    """True when the graph says anything about ``node`` or links to it."""
    return node is not None and bool(sparql.run(get_store(), EXISTS, {"s": node}).results)


def _first(prop: Term) -> tuple:
    name = terms.short(prop.value)
    return (FIRST.index(name) if name in FIRST else len(FIRST), prop.label.lower())


def describe(node: ox.NamedNode) -> Description:
    """Label, types, properties, incoming links and provenance of ``node``."""
    store = get_store()
    properties, more = _linked(store, node, OUTGOING)
    values = {terms.short(p.value): v for p, v in properties}
    label = (values.get("skos:prefLabel") or values.get("rdfs:label") or [None])[0]
    notation = (values.get("skos:notation") or [None])[0]
    subject = Term(
        node.value,
        label.value if label else terms.local_path(node.value) or terms.short(node.value),
        terms.href(node.value),
        notation.value if notation else "",
        is_iri=True,
    )
    incoming, more_in = _linked(store, node, INCOMING)
    return Description(
        subject,
        values.get("rdf:type", []),
        [(p, v) for p, v in properties if terms.short(p.value) != "rdf:type"],
        incoming,
        provenance(node),
        more,
        more_in,
    )


def _linked(store: ox.Store, node: ox.NamedNode, direction: tuple[str, str]) -> tuple[list, dict]:
    """The node's properties of one direction (OUTGOING or INCOMING) as (property, sorted
    values), the usual properties first, LINKS_SHOWN values of each at most; and how many
    more each property has, by IRI."""
    counted, listed = direction
    counts = {
        row["p"].value: int(row["n"].value)
        for row in sparql.run(store, counted, {"s": node}).results
    }
    values = {
        prop: [
            row["v"]
            for row in sparql.run(store, listed, {"s": node, "p": ox.NamedNode(prop)}).results
        ]
        for prop in counts
    }
    named = terms.labels(
        store, [*values, *(v.value for found in values.values() for v in found if _named(v))]
    )
    groups = [
        (named[p], sorted((named[v.value] if _named(v) else terms.term(v) for v in found),
                          key=sort_key))
        for p, found in values.items()
    ]  # fmt: skip
    more = {p: n - len(values[p]) for p, n in counts.items() if n > len(values[p])}
    return sorted(groups, key=lambda group: _first(group[0])), more


def _named(term) -> bool:
    return isinstance(term, ox.NamedNode)


def provenance(node: ox.NamedNode) -> list[dict]:
    """Where the node was read: file name, line and the source viewer's URL for it."""
    found = []
    for row in sparql.run(get_store(), PROVENANCE, {"s": node}).results:
        line = int(row["line"].value) if row["line"] is not None else None
        found.append(
            {"file": row["file"].value, "line": line, "href": line_href(row["doc"].value, line)}
        )
    return found


def wanted_format(suffix: str | None) -> str | None:
    """The RDF format asked for by suffix or else the Accept header; None means HTML."""
    if suffix:
        return suffix
    offered = ["text/html"] + [media for media, _ in RDF_FORMATS.values()]
    best = request.accept_mimetypes.best_match(offered, default="text/html")
    return next((key for key, (media, _) in RDF_FORMATS.items() if media == best), None)


def _split_suffix(name: str) -> tuple[str, str | None]:
    """ "org/llr-icb.ttl" -> ("org/llr-icb", "ttl"); no known suffix -> (name, None)."""
    stem, dot, suffix = name.rpartition(".")
    return (stem, suffix) if dot and suffix in RDF_FORMATS else (name, None)


def _resolve(name: str, namespace) -> tuple[ox.NamedNode | None, str, str | None]:
    """The node a URL names (``namespace[name]``), the name without suffix, the suffix.

    A name that exists as it is wins over a suffix ("9.1" is a notation, not a format).
    The node is None when the graph knows neither.
    """
    node = _node(str(namespace[name]))
    if _exists(node):
        return node, name, None
    stem, suffix = _split_suffix(name)
    node = _node(str(namespace[stem])) if suffix else None
    return (node if _exists(node) else None), stem, suffix


def rdf_response(triples, fmt: str) -> Response:
    """Triples serialised in ``fmt`` (a key of RDF_FORMATS), readable from any origin."""
    media, rdf_format = RDF_FORMATS[fmt]
    response = Response(
        ox.serialize(list(triples), format=rdf_format, prefixes=RDF_PREFIXES), mimetype=media
    )
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.vary.add("Accept")
    return response


def page_response(template: str, twin, **context) -> Response:
    """An HTML page with links to its RDF twins (``twin(suffix)`` gives each URL)."""
    formats = {key: twin(key) for key in RDF_FORMATS}
    response = Response(render_template(template, formats=formats, **context))
    response.headers["Link"] = link_header(
        {media: formats[key] for key, (media, _) in RDF_FORMATS.items()}
    )
    response.vary.add("Accept")
    return response


def _missing_or_rdf(node: ox.NamedNode | None, fmt: str | None, missing: str) -> Response | None:
    """A 404 saying ``missing``, or the node's triples in ``fmt``; None means render HTML."""
    if node is None:
        return error(404, missing, html=fmt is None)
    if fmt:
        return rdf_response(sparql.run(get_store(), DESCRIBE, {"s": node}).results, fmt)
    return None


@bp.get("/id/<path:path>")
def entity(path: str):
    """An instance: HTML for people, its triples for RDF clients; 404 if the graph lacks it."""
    node, path, suffix = _resolve(path, ID)
    fmt = wanted_format(suffix)
    answer = _missing_or_rdf(node, fmt, "Nothing in the graph has this address")
    if answer is not None:
        return answer
    description = describe(node)
    return page_response(
        "entities/entity.html",
        lambda key: url_for("entities.entity", path=f"{path}.{key}"),
        d=description,
        page=browse.page_for(node.value, [t.value for t in description.types]),
    )


@bp.get("/def", defaults={"suffix": None})
@bp.get("/def.<any(ttl, jsonld, nt):suffix>")
def ontology(suffix: str | None):
    """The whole ontology: every class and property on one page, or as RDF."""
    fmt = wanted_format(suffix)
    bound = {"g": ox.NamedNode(str(ONTOLOGY_GRAPH))}
    if fmt:
        return rdf_response(sparql.run(get_store(), ONTOLOGY, bound).results, fmt)
    return page_response(
        "entities/ontology.html",
        lambda key: url_for("entities.ontology", suffix=key),
        d=describe(ox.NamedNode(str(ONTOLOGY_IRI))),
        sections=ontology_terms(bound),
    )


def ontology_terms(bound: dict) -> list[tuple[str, list[dict]]]:
    """The ontology's classes and properties by kind, each with its comment and links."""
    found: dict[str, dict] = {}
    rows = list(sparql.run(get_store(), ONTOLOGY_TERMS, bound).results)
    named = terms.labels(
        get_store(), [row[v].value for row in rows for v in ("t", "o") if _named(row[v])]
    )
    for row in rows:
        entry = found.setdefault(
            row["t"].value,
            {
                "term": named[row["t"].value],
                "anchor": row["t"].value.removeprefix(terms.ONTOLOGY_NS),
                "kind": terms.short(row["kind"].value),
                "comment": row["comment"].value if row["comment"] else "",
            },
        )
        if row["o"] is not None:
            shown = named[row["o"].value] if _named(row["o"]) else terms.term(row["o"])
            entry.setdefault(terms.short(row["p"].value), {})[row["o"].value] = shown
    sections = []
    for kind, title in KINDS.items():
        entries = [e for e in found.values() if e["kind"] == kind]
        sections.append((title, sorted(entries, key=lambda e: e["anchor"].lower())))
    return sections


@bp.get("/def/<name>")
def term(name: str):
    """One ontology term: label, comment, domain and range, subclasses and how often used."""
    node, name, suffix = _resolve(name, HWB._NS)
    fmt = wanted_format(suffix)
    answer = _missing_or_rdf(node, fmt, "The ontology has no term of that name")
    if answer is not None:
        return answer
    description = describe(node)
    is_class = any(terms.short(t.value) == "owl:Class" for t in description.types)
    # Instances are counted, not listed: hwb:Statement alone has hundreds.
    description.incoming = [
        (p, v) for p, v in description.incoming if terms.short(p.value) != "rdf:type"
    ]
    return page_response(
        "entities/term.html",
        lambda key: url_for("entities.term", name=f"{name}.{key}"),
        d=description,
        is_class=is_class,
        uses=_uses(node, is_class),
        search=_search_link(name) if is_class else None,
    )


def _uses(node: ox.NamedNode, is_class: bool) -> int:
    """Instances of the class or statements using the property: the build's VoID
    statistics (graph/void.py), counted here for a build made before it had them."""
    counted = void.uses(get_store(), node.value)
    if counted is not None:
        return counted
    uses = sparql.run(get_store(), CLASS_USES if is_class else PROPERTY_USES, {"t": node})
    return int(next(iter(uses.results))["n"].value)


def _search_link(name: str) -> str:
    """The search page filtered to a class."""
    return url_for("search.index", type=name)
