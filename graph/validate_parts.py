"""Validate a build one source at a time, each result cached by exactly what it was computed from.

pySHACL over the whole dataset needs it all in rdflib at once and redoes every source on
every build. Here each source's graph is validated with only what its shapes need beside
it, and the results are kept in ``<BUILD_DIR>/cache/shacl/<key>.ttl``, where ``key`` is the
SHA-256 of the shapes files, the pySHACL version and the exact triples validated (the
build has no blank nodes; one would only cost a cache miss, its label changing). So a
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

Only results whose focus node the source describes are kept. Sources are validated in
worker processes (graph/shacl_workers.py) while the next ones are read. Two kinds of node
need more than one source, and are checked together in one last pass
(:meth:`Checker.finish`), with what they need read from the build's N-Quads: nodes
described by several sources (a plan cited by name in several action plans, a strategy
cited by each of its progress reports) and the curated nodes (a mapping record names
themes of any source): every triple about them, the types of what they link to, and the
triples pointing at the shared nodes (for inverse paths; no shape of a curated node has
one, and tests/test_validate_parts.py would see a difference).
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Iterator
from concurrent.futures import Future
from importlib.metadata import version
from pathlib import Path

import pyoxigraph as ox
from rdflib import RDF, XSD, BNode, Graph, Literal, URIRef
from rdflib.namespace import SH
from rdflib.term import Node

from graph.build import BUILD_GRAPH, LOAD_REPORT_GRAPH, ONTOLOGY_GRAPH
from graph.shacl_workers import DataGraph, Workers, copy_results, results_for
from graph.validate import ValidationResult, count_results, load_shapes, records
from vocab.ids import source_graph
from vocab.namespace import HWB

CACHE_DIR = Path("cache") / "shacl"
"""Where the results are kept, under the builds root (BUILD_DIR)."""

Triple = tuple[Node, Node, Node]


class Checker:
    """Collects one build's graphs as they come and validates each source as it arrives.

    Feed it the curated graphs and the ontology first (:meth:`add_context`, also the build's
    provenance), then each source (:meth:`add_source`), then call :meth:`finish` with the
    build's N-Quads file. ``validated`` and ``reused`` name the parts computed anew and those read
    from the cache, so a test (and `hwbkg build`) can see what a rebuild cost.
    """

    def __init__(
        self, shapes_dir: Path, cache_dir: Path | None = None, processes: bool = True
    ) -> None:
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
        self._results: list[Graph | tuple[Path | None, Future]] = []
        self._workers = Workers(self.shapes, processes)
        self._ontology: str | None = None  # as Turtle, once the sources come
        self.validated: list[str] = []
        self.reused: list[str] = []

    def add_context(self, graph: Graph, ontology: bool = False, provenance: bool = False) -> None:
        """A curated graph, or the ontology, or the build's provenance."""
        target = self.ontology if ontology else self.provenance if provenance else self.context
        target += graph

    def add_source(self, name: URIRef, graph: Graph, issues: Graph) -> None:
        """Validate source graph ``name`` with its load ``issues`` in a worker process, or
        take the cached result. Loaders make no blank nodes, so nodes travel as IRIs."""
        own = set(graph.subjects()) | set(issues.subjects())
        for node in graph.subjects():
            if self._owner.setdefault(node, name) != name:
                self.shared.add(node)
        beside = self._curated_beside(graph, own)
        if self._ontology is None:  # the ontology came first (see the class doc)
            self._ontology = _turtle(self.ontology)
        text, beside_text = _turtle(graph, issues), _turtle(beside)
        key = _digest([self._shapes_key, _digest([self._ontology]), text, beside_text])
        path = self._cached(str(name), key)
        if isinstance(path, Graph):
            self._results.append(path)
            return
        data = text + beside_text + self._ontology
        self._results.append((path, self._workers.submit(data, own)))

    def finish(self, nquads: Path) -> ValidationResult:
        """Check the shared and curated nodes against the build's N-Quads file ``nquads`` and
        return the report of the whole build: every result, one sh:ValidationReport.

        The build's provenance is checked too, alone and never cached: it names the build
        time, so it differs on every build (a few hundred triples, one focus node)."""
        focus = self.shared | (set(self.context.subjects()) - self._owner.keys())
        data = DataGraph()
        for triple in _around(nquads, about=focus | _iris(self.context), pointing=self.shared):
            data.add(triple)
        data += self.context
        data += self.ontology
        key = _digest([self._shapes_key, _turtle(data), ",".join(sorted(map(str, focus)))])
        across = self._cached("across sources", key)
        if not isinstance(across, Graph):
            results = results_for(self.shapes, data, lambda node: node in focus)
            across = _save(across, results.serialize(format="turtle"))
        merged = Graph()
        for item in self._results:
            copy_results(_resolved(item), merged, lambda node: node not in self.shared)
        copy_results(across, merged, _any)
        provenance = DataGraph() + self.provenance
        provenance += self.ontology
        built = set(self.provenance.subjects())
        copy_results(results_for(self.shapes, provenance, built.__contains__), merged, _any)
        self.close()
        return _report(merged)

    def close(self) -> None:
        """Stop the worker processes, if any started."""
        self._workers.close()

    def _curated_beside(self, graph: Graph, own: set[Node]) -> Graph:
        """The curated triples a source's shapes need: about its nodes or pointing at them,
        and everything about the curated nodes it links to."""
        beside = Graph()
        linked = {o for o in graph.objects() if isinstance(o, URIRef)}
        for s, p, o in self.context:
            if s in own or o in own or s in linked:
                beside.add((s, p, o))
        return beside

    def _cached(self, label: str, key: str) -> Graph | Path | None:
        """The cached results under ``key``, or where to cache them (None: no cache)."""
        path = self.cache_dir / f"{key}.ttl" if self.cache_dir else None
        if path is not None and path.is_file():
            self.reused.append(label)
            return Graph().parse(path, format="turtle")
        self.validated.append(label)
        return path


def _any(node: Node) -> bool:
    """Keep every result (they were filtered when validated)."""
    return True


def _resolved(item: Graph | tuple[Path | None, Future]) -> Graph:
    """A source's results: cached, or a worker's once it is done (then cached)."""
    if isinstance(item, Graph):
        return item
    path, future = item
    return _save(path, future.result())


def _save(path: Path | None, turtle: str) -> Graph:
    """Cache results given as Turtle at ``path`` (unless None) and return them as a graph."""
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(f".{os.getpid()}.partial")
        partial.write_text(turtle, encoding="utf-8")
        os.replace(partial, path)  # whole or absent, should two builds race
    return Graph().parse(data=turtle, format="turtle")


def check_nquads(
    nquads: Path, shapes_dir: Path, cache_dir: Path | None = None, processes: bool = True
) -> Checker:
    """A Checker fed every graph of a build's N-Quads file, ready to :meth:`~Checker.finish`:
    `hwbkg validate` takes the same path, and the same cache, as `hwbkg build`.

    The file is read, not the Oxigraph store: the store gives an xsd:positiveInteger back
    as an xsd:integer, which hwbsh:HasSourceLine rejects.
    """
    checker = Checker(shapes_dir, cache_dir, processes)
    pending: tuple[URIRef, Graph] | None = None
    for name, graph in _runs(nquads, LOAD_REPORT_GRAPH):
        if name == LOAD_REPORT_GRAPH:
            if pending is None or not _issues_of(pending[1], graph):
                raise Unordered(f"{nquads}: load issues not beside their source; rebuild")
            checker.add_source(*pending, graph)
            pending = None
            continue
        if pending is not None:
            checker.add_source(*pending, Graph())
            pending = None
        if name.startswith(source_graph("")):
            pending = name, graph
        else:
            checker.add_context(graph, name == ONTOLOGY_GRAPH, name == BUILD_GRAPH)
    if pending is not None:
        checker.add_source(*pending, Graph())
    return checker


def _issues_of(source: Graph, issues: Graph) -> bool:
    """True if every load issue in ``issues`` is about the document ``source`` describes."""
    documents = set(source.subjects(RDF.type, HWB.SourceDocument))
    return set(issues.objects(None, HWB.sourceDocument)) <= documents


class Unordered(ValueError):
    """An N-Quads file whose named graphs are not each in one run of lines."""


def _runs(nquads: Path, interleaved: URIRef) -> Iterator[tuple[URIRef, Graph]]:
    """Each named graph of a build's N-Quads file in file order, as graph/staging.py wrote
    it: one run of lines per graph, but for the ``interleaved`` one (the load report: a
    source's issues follow it). Raises Unordered for a file written otherwise (a build made
    before the build streamed): it must be built again."""
    seen: set[str] = set()
    name, graph = None, Graph()
    for quad in _quads(nquads):
        if quad.graph_name.value != name:
            if name is not None:
                yield URIRef(name), graph
            name, graph = quad.graph_name.value, Graph()
            if name in seen and name != str(interleaved):
                raise Unordered(f"{nquads}: graph {name} is not in one run of lines; rebuild")
            seen.add(name)
        graph.add(_triple(quad))
    if name is not None:
        yield URIRef(name), graph


def _quads(nquads: Path) -> Iterator[ox.Quad]:
    return ox.parse(path=str(nquads), format=ox.RdfFormat.N_QUADS)


def _around(nquads: Path, about: set[Node], pointing: set[Node]) -> Iterator[Triple]:
    """Every triple about the ``about`` nodes, and the types of what they link to, and every
    triple pointing at the ``pointing`` nodes (for inverse paths): two passes over the file."""
    about_iris = {str(n) for n in about if isinstance(n, URIRef)}
    pointing_iris = {str(n) for n in pointing if isinstance(n, URIRef)}
    linked = set()
    for quad in _quads(nquads):
        target = quad.object
        if quad.subject.value in about_iris:
            if isinstance(target, ox.NamedNode):
                linked.add(target.value)
            yield _triple(quad)
        elif isinstance(target, ox.NamedNode) and target.value in pointing_iris:
            yield _triple(quad)
    typed = linked - about_iris
    rdf_type = str(RDF.type)
    for quad in _quads(nquads):
        if quad.predicate.value == rdf_type and quad.subject.value in typed:
            yield _triple(quad)


def _iris(graph: Graph) -> set[Node]:
    """Every IRI a graph names, as subject or object."""
    found = set(graph.subjects())
    found.update(o for o in graph.objects() if isinstance(o, URIRef))
    return found


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


def _turtle(*graphs: Graph) -> str:
    """The graphs' triples as Turtle, one a line, in one fixed order: to hash and to send to
    a worker (rdflib writes a literal with a line break in triple quotes, so not N-Triples)."""
    return "".join(sorted(f"{s.n3()} {p.n3()} {o.n3()} .\n" for g in graphs for s, p, o in g))


def _digest(parts: Iterable[str]) -> str:
    hashed = hashlib.sha256()
    for part in parts:
        hashed.update(part.encode("utf-8"))
        hashed.update(b"\0")
    return hashed.hexdigest()


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
