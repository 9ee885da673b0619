"""Validate a build one source at a time, each result cached by exactly what it was computed from.

pySHACL over the whole dataset needs it all in rdflib at once and redoes every source on
every build. Here each source's graph is validated with only what its shapes need beside
it, and the results are kept in ``<BUILD_DIR>/cache/shacl/<key>.ttl``, where ``key`` is the
SHA-256 of the shapes files, the pySHACL version and the exact triples validated, as the
sorted N-Triples lines the build writes (graph/ntriples.py), so the key is computed from
the lines without making rdflib terms (the build has no blank nodes; one would only cost a
cache miss, its label changing). So a
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
worker processes (graph/shacl_workers.py; during a build, by the worker that loaded them,
graph/stage_worker.py) while the next ones are read. Two kinds of node
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
from functools import cached_property
from importlib.metadata import version
from pathlib import Path

import pyoxigraph as ox
from rdflib import RDF, XSD, BNode, Graph, Literal, URIRef
from rdflib.namespace import SH
from rdflib.term import Node

from graph import ntriples
from graph.build import BUILD_GRAPH, LOAD_REPORT_GRAPH, ONTOLOGY_GRAPH
from graph.shacl_workers import (
    DataGraph,
    Workers,
    copy_results,
    outcome,
    results_for,
    shapes_graph,
    start_validator,
    validate_lines,
)
from graph.validate import ValidationResult, count_results, records
from vocab.ids import source_graph
from vocab.namespace import HWB

CACHE_DIR = Path("cache") / "shacl"
"""Where the results are kept, under the builds root (BUILD_DIR)."""

Triple = tuple[Node, Node, Node]
Pending = Graph | tuple[Path | None, Future]


class Checker:
    """Collects one build's graphs as they come and validates each source as it arrives.

    Feed it the curated graphs and the ontology first (:meth:`add_context`, also the build's
    provenance), then each source (:meth:`add_source` to validate it here, or
    :meth:`add_checked` with the results a build worker found), then call :meth:`finish`
    with the build's N-Quads file. Graphs come as sorted N-Triples lines, as the build
    writes them. ``validated`` and ``reused`` name the parts computed anew and those read
    from the cache, so a test (and `hwbkg build`) can see what a rebuild cost.
    """

    def __init__(
        self, shapes_dir: Path, cache_dir: Path | None = None, processes: bool = True
    ) -> None:
        self.shapes_dir = Path(shapes_dir)
        self.shapes = shapes_graph(shapes_dir)
        files = sorted(self.shapes_dir.glob("*.ttl"))
        self._shapes_key = _digest(
            [f"pyshacl {version('pyshacl')}", *(p.read_text(encoding="utf-8") for p in files)]
        )
        self.cache_dir = cache_dir
        self.ontology = Graph()
        self.context = Graph()  # curated graphs: beside each source, and checked at the end
        self.provenance = Graph()  # names every source, so never beside one (see module doc)
        self.curated = ntriples.Curated()
        self._ontology_lines: list[bytes] = []
        self._owner: dict[bytes, URIRef] = {}  # subject, as in N-Triples: its source graph
        self._shared: set[bytes] = set()
        self._results: list[Pending] = []
        self._processes = processes
        self._workers: Workers | None = None
        self.validated: list[str] = []
        self.reused: list[str] = []

    def add_context(
        self, lines: list[bytes], ontology: bool = False, provenance: bool = False
    ) -> None:
        """A curated graph, or the ontology, or the build's provenance."""
        graph = Graph().parse(data=b"".join(lines), format="nt")
        if ontology:
            self.ontology += graph
            self._ontology_lines += lines
        elif provenance:
            self.provenance += graph
        else:
            self.context += graph
            self.curated.add(lines)

    @cached_property
    def key_prefix(self) -> str:
        """What every source's results key starts from: the shapes and the ontology (the
        ontology came first, see the class doc)."""
        return _digest([self._shapes_key, ntriples.digest(sorted(self._ontology_lines))])

    def add_source(self, name: URIRef, lines: list[bytes], issue_lines: list[bytes]) -> None:
        """Validate source graph ``name`` with its load issues in a worker process, or take
        the cached result. Loaders make no blank nodes, so nodes travel as IRIs."""
        beside = self.curated.beside(lines, issue_lines)
        key = results_key(self.key_prefix, data_digest(lines, issue_lines, beside))
        self._own(name, lines)
        cached = self._cached(str(name), key)
        if isinstance(cached, Graph):
            self._results.append(cached)
            return
        if self._workers is None:
            ontology = b"".join(self._ontology_lines)
            self._workers = Workers(start_validator, (self.shapes_dir, ontology), self._processes)
        own = ntriples.subjects(lines) | ntriples.subjects(issue_lines)
        focus = sorted(str(ntriples.iri(token)) for token in own)
        data = b"".join(lines) + b"".join(issue_lines) + b"".join(beside)
        self._results.append((cached, self._workers.submit(validate_lines, data, focus)))

    def add_checked(self, name: URIRef, lines: list[bytes], results: str, anew: bool) -> None:
        """Source graph ``name``, validated by a build worker: its ``results`` as Turtle,
        computed ``anew`` or read from the cache (and cached by the worker)."""
        self._own(name, lines)
        (self.validated if anew else self.reused).append(str(name))
        self._results.append(Graph().parse(data=results, format="turtle"))

    def finish(self, nquads: Path) -> ValidationResult:
        """Check the shared and curated nodes against the build's N-Quads file ``nquads`` and
        return the report of the whole build: every result, one sh:ValidationReport.

        The build's provenance is checked too, alone and never cached: it names the build
        time, so it differs on every build (a few hundred triples, one focus node)."""
        shared = {ntriples.iri(token) for token in self._shared}
        curated_only = {s for s in self.context.subjects() if s.n3().encode() not in self._owner}
        focus = shared | curated_only
        data = DataGraph()
        for triple in _around(nquads, about=focus | _iris(self.context), pointing=shared):
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
            copy_results(_resolved(item), merged, lambda node: node not in shared)
        copy_results(across, merged, _any)
        provenance = DataGraph() + self.provenance
        provenance += self.ontology
        built = set(self.provenance.subjects())
        copy_results(results_for(self.shapes, provenance, built.__contains__), merged, _any)
        self.close()
        return _report(merged)

    def close(self) -> None:
        """Stop the worker processes, if any started."""
        if self._workers is not None:
            self._workers.close()

    def _own(self, name: URIRef, lines: list[bytes]) -> None:
        """Note which source describes each subject: one described by two is shared."""
        for subject in ntriples.subjects(lines):
            if self._owner.setdefault(subject, name) != name:
                self._shared.add(subject)

    def _cached(self, label: str, key: str) -> Graph | Path | None:
        """The cached results under ``key``, or where to cache them (None: no cache)."""
        path = self.cache_dir / f"{key}.ttl" if self.cache_dir else None
        if path is not None and path.is_file():
            self.reused.append(label)
            return Graph().parse(path, format="turtle")
        self.validated.append(label)
        return path


def data_digest(lines: list[bytes], issue_lines: list[bytes], beside: list[bytes]) -> str:
    """The SHA-256 of what a source's check reads beside the shapes and the ontology: its
    graph, its load issues and the curated triples ``beside`` it (each sorted)."""
    return _digest([ntriples.digest(lines), ntriples.digest(issue_lines), ntriples.digest(beside)])


def results_key(prefix: str, digest: str) -> str:
    """A source's results key: :attr:`Checker.key_prefix` and its :func:`data_digest`."""
    return _digest([prefix, digest])


def cached_results(cache_dir: Path, key: str) -> str | None:
    """The Turtle of the results cached under ``key``, or None."""
    try:
        return (cache_dir / f"{key}.ttl").read_text(encoding="utf-8")
    except FileNotFoundError:
        return None


def save_results(cache_dir: Path, key: str, turtle: str) -> None:
    """Cache a source's results (Turtle) under ``key``: whole or absent, should two
    builds race."""
    path = cache_dir / f"{key}.ttl"
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(f".{os.getpid()}.partial")
    partial.write_text(turtle, encoding="utf-8")
    os.replace(partial, path)


def _any(node: Node) -> bool:
    """Keep every result (they were filtered when validated)."""
    return True


def _resolved(item: Pending) -> Graph:
    """A source's results: cached, or a worker's once it is done (then cached)."""
    if isinstance(item, Graph):
        return item
    path, future = item
    return _save(path, outcome(future))


def _save(path: Path | None, turtle: str) -> Graph:
    """Cache results given as Turtle at ``path`` (unless None) and return them as a graph."""
    if path is not None:
        save_results(path.parent, path.stem, turtle)
    return Graph().parse(data=turtle, format="turtle")


def check_nquads(
    nquads: Path, shapes_dir: Path, cache_dir: Path | None = None, processes: bool = True
) -> Checker:
    """A Checker fed every graph of a build's N-Quads file, ready to :meth:`~Checker.finish`:
    `hwbkg validate` takes the same path, and the same cache, as `hwbkg build`.

    The file's lines are read as written (the store would give an xsd:positiveInteger back
    as an xsd:integer, which hwbsh:HasSourceLine rejects), so the cache keys are the build's.
    """
    checker = Checker(shapes_dir, cache_dir, processes)
    pending: tuple[URIRef, list[bytes]] | None = None
    for name, lines in _runs(nquads, LOAD_REPORT_GRAPH):
        if name == LOAD_REPORT_GRAPH:
            if pending is None or not _issues_of(pending[1], lines):
                raise Unordered(f"{nquads}: load issues not beside their source; rebuild")
            checker.add_source(*pending, lines)
            pending = None
            continue
        if pending is not None:
            checker.add_source(*pending, [])
            pending = None
        if name.startswith(source_graph("")):
            pending = name, lines
        else:
            checker.add_context(lines, name == ONTOLOGY_GRAPH, name == BUILD_GRAPH)
    if pending is not None:
        checker.add_source(*pending, [])
    return checker


def _issues_of(source: list[bytes], issues: list[bytes]) -> bool:
    """True if every load issue in ``issues`` is about the document ``source`` describes."""
    typed = b" %s %s .\n" % (RDF.type.n3().encode(), HWB.SourceDocument.n3().encode())
    documents = {line.split(b" ", 1)[0] for line in source if line.endswith(typed)}
    about = HWB.sourceDocument.n3().encode()
    pointed = {ntriples.object_of(line) for line in issues if line.split(b" ", 2)[1] == about}
    return pointed <= documents


class Unordered(ValueError):
    """An N-Quads file whose named graphs are not each in one run of lines."""


def _runs(nquads: Path, interleaved: URIRef) -> Iterator[tuple[URIRef, list[bytes]]]:
    """Each named graph of a build's N-Quads file in file order, as graph/staging.py wrote
    it, as sorted N-Triples lines: one run of lines per graph, but for the ``interleaved``
    one (the load report: a source's issues follow it). Raises Unordered for a file written
    otherwise (a build made before the build streamed): it must be built again."""
    seen: set[bytes] = set()
    name, lines = None, []
    with open(nquads, "rb") as handle:
        for line in handle:
            cut = line.rindex(b" <")  # the graph name is the line's last term
            graph = line[cut + 2 : line.rindex(b">")]
            if graph != name:
                if name is not None:
                    yield URIRef(name.decode("utf-8")), sorted(lines)
                name, lines = graph, []
                if name in seen and name != str(interleaved).encode():
                    raise Unordered(f"{nquads}: graph {name.decode()} is not in one run of "
                                    "lines; rebuild")  # fmt: skip
                seen.add(name)
            lines.append(line[:cut] + b" .\n")
    if name is not None:
        yield URIRef(name.decode("utf-8")), sorted(lines)


def _around(nquads: Path, about: set[Node], pointing: set[Node]) -> Iterator[Triple]:
    """Every triple about the ``about`` nodes, and the types of what they link to, and every
    triple pointing at the ``pointing`` nodes (for inverse paths): two passes over the file.

    Lines are picked by their subject's and object's tokens as the build wrote them, and
    only those are parsed: parsing all 957,394 quads of a 100x build twice took 5 s.
    """
    about_tokens = {n.n3().encode() for n in about if isinstance(n, URIRef)}
    pointing_tokens = {n.n3().encode() for n in pointing if isinstance(n, URIRef)}
    picked = []
    with open(nquads, "rb") as handle:
        for line in handle:
            if line.split(b" ", 1)[0] in about_tokens or _last_object(line) in pointing_tokens:
                picked.append(line)
    linked = set()
    for quad in _parsed(picked):
        target = quad.object
        if isinstance(quad.subject, ox.NamedNode) and _token(quad.subject) in about_tokens:
            if isinstance(target, ox.NamedNode):
                linked.add(_token(target))
            yield _triple(quad)
        elif isinstance(target, ox.NamedNode) and _token(target) in pointing_tokens:
            yield _triple(quad)
    typed = linked - about_tokens
    rdf_type = RDF.type.n3().encode()
    with open(nquads, "rb") as handle:
        chosen = [
            line for line in handle
            if line.split(b" ", 2)[1] == rdf_type and line.split(b" ", 1)[0] in typed
        ]  # fmt: skip
    yield from map(_triple, _parsed(chosen))


def _last_object(line: bytes) -> bytes:
    """The last token before the graph name of an N-Quads line: the object, when it is an
    IRI (a literal's last word otherwise, which the parse after the pick tells apart)."""
    return line[: line.rindex(b" <")].rsplit(b" ", 1)[-1]


def _token(node) -> bytes:
    """An Oxigraph IRI as an N-Quads line writes it."""
    return b"<" + node.value.encode() + b">"


def _parsed(lines: list[bytes]) -> Iterator[ox.Quad]:
    return ox.parse(b"".join(lines), format=ox.RdfFormat.N_QUADS)


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
