"""Validate a build one source at a time, each result cached by exactly what it was computed from.

pySHACL over the whole dataset needs it all in rdflib at once and redoes every source on
every build. Here each source's graph is validated with only what its shapes need beside
it, and the results are kept in ``<BUILD_DIR>/cache/shacl/<key>.ttl``, where ``key`` is the
SHA-256 of the shapes files, the pySHACL version and the exact triples validated. So a
rebuild after one new document validates one document; an edited shape validates all of
them again; a loader change or a curated edit validates again the sources whose triples (or
the curated triples beside them) it changed, and only those.

What a source's shapes need beside its graph (checked on the real and the synth sources:
tests/test_validate_parts.py compares the results with whole-graph validation):

- the ontology: targets reach subclasses and sh:class follows rdfs:subClassOf;
- its load issues (each points at the source document);
- the curated triples about its nodes or pointing at them (mappings annotate its themes),
  and every triple about a curated node it links to (an organisation, the ICS plan), for
  sh:class.

Only results whose focus node the source describes are kept. Two kinds of node need more
than one source, and are checked together in one last pass (:meth:`Checker.finish`), with
what they need read from the built store: nodes described by several sources (a plan cited
by name in several action plans, a strategy cited by each of its progress reports) and the
curated nodes (a mapping record names themes of any source).
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Iterator
from importlib.metadata import version
from pathlib import Path

import pyoxigraph as ox
from pyshacl import validate as shacl_validate
from rdflib import RDF, XSD, BNode, Graph, Literal, URIRef
from rdflib.namespace import SH
from rdflib.term import Node

from graph.validate import ValidationResult, count_results, load_shapes, records

CACHE_DIR = Path("cache") / "shacl"
"""Where the results are kept, under the builds root (BUILD_DIR)."""

Triple = tuple[Node, Node, Node]


class Checker:
    """Collects one build's graphs as they come and validates each source as it arrives.

    Feed it the curated graphs and the ontology first (:meth:`add_context`, also the build's
    provenance), then each source (:meth:`add_source`), then call :meth:`finish` with the
    built store. ``validated`` and ``reused`` name the parts computed anew and those read
    from the cache, so a test (and `hwbkg build`) can see what a rebuild cost.
    """

    def __init__(self, shapes_dir: Path, cache_dir: Path | None = None) -> None:
        self.shapes = load_shapes(shapes_dir)
        files = sorted(Path(shapes_dir).glob("*.ttl"))
        self._shapes_key = _digest(
            [f"pyshacl {version('pyshacl')}", *(p.read_text(encoding="utf-8") for p in files)]
        )
        self.cache_dir = cache_dir
        self.ontology = Graph()
        self.context = Graph()  # curated graphs: beside each source, and checked at the end
        self.provenance = Graph()  # names every source, so never beside one (see module doc)
        self._owner: dict[Node, URIRef] = {}
        self.shared: set[Node] = set()
        self._results: list[Graph] = []
        self.validated: list[str] = []
        self.reused: list[str] = []

    def add_context(self, graph: Graph, ontology: bool = False, provenance: bool = False) -> None:
        """A curated graph, or the ontology, or the build's provenance."""
        target = self.ontology if ontology else self.provenance if provenance else self.context
        target += graph

    def add_source(self, name: URIRef, graph: Graph, issues: Graph) -> None:
        """Validate source graph ``name`` with its load ``issues`` (or take the cached result)."""
        own = set(graph.subjects()) | set(issues.subjects())
        for node in graph.subjects():
            if self._owner.setdefault(node, name) != name:
                self.shared.add(node)
        beside = self._curated_beside(graph, own)
        key = _digest([self._shapes_key, _canonical(graph, issues), _canonical(beside)])
        data = graph + issues
        data += beside
        data += self.ontology
        self._results.append(self._validate(str(name), key, data, own))

    def finish(self, store: ox.Store) -> ValidationResult:
        """Check the shared and curated nodes against ``store`` (the whole build) and return
        the report of the whole build: every result, one sh:ValidationReport."""
        focus = self.shared | (set(self.context.subjects()) - self._owner.keys())
        focus |= set(self.provenance.subjects())
        beside = Graph()
        for triple in _around(store, about=focus | _iris(self.context), pointing=focus):
            beside.add(triple)
        key = _digest([self._shapes_key, _canonical(beside), ",".join(sorted(map(str, focus)))])
        data = beside + self.context
        data += self.provenance
        data += self.ontology
        across = self._validate("across sources", key, data, focus)
        merged = Graph()
        for results in self._results:
            _copy_results(results, merged, lambda node: node not in self.shared)
        _copy_results(across, merged, lambda node: True)
        return _report(merged)

    def _curated_beside(self, graph: Graph, own: set[Node]) -> Graph:
        """The curated triples a source's shapes need: about its nodes or pointing at them,
        and everything about the curated nodes it links to."""
        beside = Graph()
        linked = {o for o in graph.objects() if isinstance(o, URIRef)}
        for s, p, o in self.context:
            if s in own or o in own or s in linked:
                beside.add((s, p, o))
        return beside

    def _validate(self, label: str, key: str, data: Graph, focus: set[Node]) -> Graph:
        """The results for ``focus`` nodes of validating ``data``: cached under ``key``."""
        path = self.cache_dir / f"{key}.ttl" if self.cache_dir else None
        if path is not None and path.is_file():
            self.reused.append(label)
            return Graph().parse(path, format="turtle")
        self.validated.append(label)
        _, report, _ = shacl_validate(
            data, shacl_graph=self.shapes, inference="none", allow_warnings=True
        )
        results = Graph()
        _copy_results(report, results, lambda node: node in focus)
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            partial = path.with_suffix(f".{os.getpid()}.partial")
            results.serialize(destination=partial, format="turtle", encoding="utf-8")
            os.replace(partial, path)  # whole or absent, should two builds race
        return results


def check_store(store: ox.Store, shapes_dir: Path, cache_dir: Path | None = None) -> Checker:
    """A Checker fed every graph of a built ``store``, ready to :meth:`~Checker.finish`:
    `hwbkg validate` takes the same path, and the same cache, as `hwbkg build`."""
    from graph.build import BUILD_GRAPH, LOAD_REPORT_GRAPH, ONTOLOGY_GRAPH
    from graph.ids import source_graph

    checker = Checker(shapes_dir, cache_dir)
    names = sorted(str(g.value) for g in store.named_graphs() if isinstance(g, ox.NamedNode))
    sources = [n for n in names if n.startswith(str(source_graph("")))]
    for name in names:
        if name not in sources and name != str(LOAD_REPORT_GRAPH):
            checker.add_context(
                _graph(store.quads_for_pattern(None, None, None, ox.NamedNode(name))),
                ontology=name == str(ONTOLOGY_GRAPH),
                provenance=name == str(BUILD_GRAPH),
            )
    for name in sources:
        graph = _graph(store.quads_for_pattern(None, None, None, ox.NamedNode(name)))
        checker.add_source(URIRef(name), graph, _issues(store, graph, LOAD_REPORT_GRAPH))
    return checker


def _issues(store: ox.Store, graph: Graph, report_graph: URIRef) -> Graph:
    """The load issues about the documents ``graph`` describes."""
    from graph.namespace import HWB

    where = ox.NamedNode(str(report_graph))
    issues = Graph()
    for document in graph.subjects(RDF.type, HWB.SourceDocument):
        pointing = store.quads_for_pattern(
            None, ox.NamedNode(str(HWB.sourceDocument)), _ox(document), where
        )
        for quad in pointing:
            issues += _graph(store.quads_for_pattern(quad.subject, None, None, where))
    return issues


def _around(store: ox.Store, about: set[Node], pointing: set[Node]) -> Iterator[Triple]:
    """Every triple about the ``about`` nodes, and the types of what they link to, and every
    triple pointing at the ``pointing`` nodes (for inverse paths)."""
    linked = set()
    for node in about:
        if isinstance(node, URIRef):
            for triple in map(_triple, store.quads_for_pattern(_ox(node), None, None, None)):
                linked.add(triple[2])
                yield triple
    for node in pointing:
        if isinstance(node, URIRef):
            yield from map(_triple, store.quads_for_pattern(None, None, _ox(node), None))
    rdf_type = ox.NamedNode(str(RDF.type))
    for node in linked - about:
        if isinstance(node, URIRef):
            yield from map(_triple, store.quads_for_pattern(_ox(node), rdf_type, None, None))


def _iris(graph: Graph) -> set[Node]:
    """Every IRI a graph names, as subject or object."""
    found = set(graph.subjects())
    found.update(o for o in graph.objects() if isinstance(o, URIRef))
    return found


def _copy_results(report: Graph, target: Graph, keep) -> None:
    """Copy each sh:ValidationResult whose focus node ``keep`` accepts, with the blank
    nodes it holds (paths, nested shapes), into ``target``."""
    for result in report.subjects(RDF.type, SH.ValidationResult):
        if keep(report.value(result, SH.focusNode)):
            _copy_node(report, result, target)


def _copy_node(source: Graph, node: Node, target: Graph) -> None:
    for p, o in source.predicate_objects(node):
        target.add((node, p, o))
        if isinstance(o, BNode):
            _copy_node(source, o, target)


def _report(results: Graph) -> ValidationResult:
    """One sh:ValidationReport over ``results``, as pySHACL writes it (conforms: no
    violation, warnings allowed), with a plain-text rendering for the command line."""
    report = BNode()
    results.add((report, RDF.type, SH.ValidationReport))
    for result in list(results.subjects(RDF.type, SH.ValidationResult)):
        results.add((report, SH.result, result))
    counts = count_results(results)
    conforms = counts["Violation"] == 0
    results.add((report, SH.conforms, Literal(conforms)))
    found = records(results)
    lines = ["Validation Report", f"Conforms: {conforms}", f"Results ({len(found)}):"]
    lines += [f"{r.severity}: {r.shape} on {r.focus} {r.path}: {r.message}" for r in found]
    return ValidationResult(conforms, results, "\n".join(lines), counts)


def _canonical(*graphs: Graph) -> str:
    """The graphs' triples in one fixed order, to hash."""
    return "\n".join(sorted(f"{s.n3()} {p.n3()} {o.n3()}" for g in graphs for s, p, o in g))


def _digest(parts: Iterable[str]) -> str:
    hashed = hashlib.sha256()
    for part in parts:
        hashed.update(part.encode("utf-8"))
        hashed.update(b"\0")
    return hashed.hexdigest()


def _graph(quads: Iterable[ox.Quad]) -> Graph:
    graph = Graph()
    for quad in quads:
        graph.add(_triple(quad))
    return graph


def _triple(quad: ox.Quad) -> Triple:
    return _rdflib(quad.subject), _rdflib(quad.predicate), _rdflib(quad.object)


def _rdflib(term) -> Node:
    """An Oxigraph term as rdflib's (a plain string stays plain, as the loaders wrote it)."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    if term.datatype.value == str(XSD.string):
        return Literal(term.value)
    return Literal(term.value, datatype=URIRef(term.datatype.value))


def _ox(iri: URIRef) -> ox.NamedNode:
    return ox.NamedNode(str(iri))
