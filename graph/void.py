"""VoID statistics of a build, in a named graph of their own, written by the build.

How many statements the graph holds, how many instances each class has and how often each
property is used are questions of the whole graph: counting them per request grows with it.
`hwbkg build` counts them once (:func:`add`) into :data:`VOID_GRAPH`, described with the
VoID vocabulary, so pages and users read them like any other data::

    graph:void/dataset a void:Dataset ; void:triples 104,000 ; void:classes 60 ;
        void:properties 90 ;
        void:subset <graph IRI> ;            # per named graph: a void:Dataset with void:triples
        void:classPartition graph:void/class/1 ;     # void:class, void:entities
        void:propertyPartition graph:void/property/1 .  # void:property, void:triples

The counts are of the data as built, without the statistics' own graph. A class's
entities include the instances of its subclasses, as RDFS entails (an hwb:Action is an
hwb:Statement), which is what the ontology pages count.
"""

from __future__ import annotations

import pyoxigraph as ox
from rdflib.namespace import RDF, VOID, XSD

from graph import sparql
from graph.store import has_merged_default_graph
from vocab.namespace import GRAPH

VOID_GRAPH = ox.NamedNode(str(GRAPH["void"]))
DATASET = ox.NamedNode(str(GRAPH["void/dataset"]))

PREFIX = f"PREFIX void: <{VOID}>\n"
GRAPHS = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
PARTITIONS = {
    "class": """
SELECT ?term (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x a/rdfs:subClassOf* ?term } GROUP BY ?term
""",
    "property": "SELECT ?term (COUNT(*) AS ?n) WHERE { ?s ?term ?o } GROUP BY ?term",
}
"""Per kind of partition, the query counting each class's entities or property's uses."""
COUNTED = {"class": (VOID.classes, VOID.entities), "property": (VOID.properties, VOID.triples)}
"""Per kind: the dataset's count of such terms, and what each partition counts."""
STATEMENTS = PREFIX + "SELECT * WHERE { GRAPH ?void { ?dataset void:triples ?n } }"
USES = (
    PREFIX
    + """
SELECT * WHERE { GRAPH ?void {
  ?dataset ?partition ?part . ?part ?kind ?term ; ?counted ?n .
  VALUES (?partition ?kind ?counted) {
    (void:classPartition void:class void:entities)
    (void:propertyPartition void:property void:triples) } } }
"""
)


def statistics(store: ox.Store) -> list[ox.Quad]:
    """The VoID description of everything in ``store`` (its own graph left out)."""
    graphs = {
        row["g"]: int(row["n"].value)
        for row in sparql.run(store, GRAPHS).results
        if row["g"] != VOID_GRAPH
    }
    triples = [(DATASET, RDF.type, VOID.Dataset), (DATASET, VOID.triples, sum(graphs.values()))]
    for graph, n in sorted(graphs.items(), key=lambda item: item[0].value):
        triples += [(DATASET, VOID.subset, graph), (graph, RDF.type, VOID.Dataset),
                    (graph, VOID.triples, n)]  # fmt: skip
    for kind, query in PARTITIONS.items():
        rows = sparql.run(store, query).results
        found = sorted((row["term"].value, int(row["n"].value)) for row in rows)
        total, counted = COUNTED[kind]
        triples.append((DATASET, total, len(found)))
        for number, (term, n) in enumerate(found, start=1):
            part = GRAPH[f"void/{kind}/{number}"]
            triples += [(DATASET, VOID[f"{kind}Partition"], part), (part, VOID[kind], term),
                        (part, counted, n)]  # fmt: skip
    return [ox.Quad(*map(_term, triple), VOID_GRAPH) for triple in triples]


def _term(value) -> ox.NamedNode | ox.Literal:
    """A pyoxigraph term for an rdflib IRI, a count, or a pyoxigraph term."""
    if isinstance(value, int):
        return ox.Literal(str(value), datatype=ox.NamedNode(str(XSD.integer)))
    return value if isinstance(value, ox.NamedNode) else ox.NamedNode(str(value))


def add(store: ox.Store) -> int:
    """Count ``store`` (a build being staged) into :data:`VOID_GRAPH`; return how many
    quads that added. The build's N-Quads file stays the data as built and validated (its
    checksum keys the validation cache, graph/validate_parts.py): the statistics live in
    the store, which the workbench and the query workers read. They join the merged
    default graph too (graph/store.py), as every named graph's triples do."""
    quads = statistics(store)
    store.extend(quads)
    if has_merged_default_graph(store):
        store.extend(ox.Quad(q.subject, q.predicate, q.object) for q in quads)
    store.flush()
    return len(quads)


def statements(store: ox.Store) -> int | None:
    """How many statements the build holds (its VoID statistics left out); None for a build
    made before they were written."""
    return _first(store, STATEMENTS, {})


def uses(store: ox.Store, term: str) -> int | None:
    """Instances of the class ``term`` or statements using the property ``term`` (0 when
    none); None for a build made before the statistics were written."""
    if statements(store) is None:
        return None
    return _first(store, USES, {"term": ox.NamedNode(term)}) or 0


def _first(store: ox.Store, query: str, bound: dict) -> int | None:
    bound = {"void": VOID_GRAPH, "dataset": DATASET, **bound}
    row = next(iter(sparql.run(store, query, bound).results), None)
    return None if row is None else int(row["n"].value)
