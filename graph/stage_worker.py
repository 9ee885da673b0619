"""One source of a build, in a worker process: load it, write its lines, validate it.

graph/staging.py hands each source to a worker (graph/shacl_workers.py), which runs its
loader (or takes the loader's output from graph/source_cache.py), turns the graph and its
load issues into the sorted N-Triples lines the build writes, and validates them with the
curated triples beside them (or takes the results from the SHACL cache). The graph the
loader made is validated as it is, never re-parsed; only lines and plain values go back.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from graph import ntriples, source_cache
from graph.build import Context, issues_graph, load_source, read_context
from graph.shacl_workers import DataGraph, Validator
from graph.validate_parts import CACHE_DIR, cached_results, data_digest, results_key, save_results
from loaders.base import Source, SourceGraph
from vocab.ids import source_graph
from vocab.namespace import HWB


@dataclass(frozen=True)
class Checked:
    """A source loaded and validated: the loader's output, its SHACL results (Turtle),
    whether they were computed anew (else read from the cache) and whether the loader ran
    (else its output was read from the cache)."""

    loaded: source_cache.Loaded
    results: str
    anew: bool
    read: bool


@dataclass(frozen=True)
class Setup:
    """What a worker reads once: the inputs' paths, the builds root (for the caches) and
    the start of every results key (graph.validate_parts.Checker.key_prefix)."""

    curated_dir: Path
    ontology: Path
    shapes_dir: Path
    root: Path
    key_prefix: str


class _Worker:
    """A worker's state: the curated data and the shapes, read once."""

    def __init__(self, setup: Setup) -> None:
        self.setup = setup
        self.context: Context = read_context(
            {"CURATED_DIR": setup.curated_dir, "ONTOLOGY": setup.ontology}, []
        )
        self.everything_curated = self.context.everything_curated()
        self.curated = ntriples.Curated()
        self.curated.add(ntriples.lines_of(self.everything_curated))
        self.validator = Validator(setup.shapes_dir, self.context.ontology)


_worker: _Worker | None = None  # in a worker process: set once by start


def start(setup: Setup) -> None:
    """A worker's start: read the curated data, the ontology and the shapes."""
    global _worker
    _worker = _Worker(setup)


def check_source(source: Source, load_key: str) -> Checked:
    """Load ``source`` (or take its cached loader output under ``load_key``), then validate
    it (or take its cached results). Raises what its loader raises."""
    worker, root = _worker, _worker.setup.root
    loaded = source_cache.read(root, load_key)
    read, data = loaded is None, None
    if read:
        doc = load_source(source, worker.context.registry, worker.everything_curated)
        issues = issues_graph(source, doc.report)
        lines, issue_lines = ntriples.lines_of(doc.graph), ntriples.lines_of(issues)
        beside = worker.curated.beside(lines, issue_lines)
        loaded = source_cache.Loaded(
            lines, issue_lines, doc.report, described(doc),
            data_digest(lines, issue_lines, beside),
        )  # fmt: skip
        source_cache.write(root, load_key, loaded)
        # The loader's graph itself, not a copy: the same store and name.
        data = DataGraph(store=doc.graph.store, identifier=doc.graph.identifier)
        data += issues
        data.parse(data=b"".join(beside), format="nt")
    key = results_key(worker.setup.key_prefix, loaded.data_digest)
    results = cached_results(root / CACHE_DIR, key)
    if results is not None:
        return Checked(loaded, results, anew=False, read=read)
    if data is None:
        beside = worker.curated.beside(loaded.lines, loaded.issue_lines)
        data = DataGraph().parse(
            data=b"".join(loaded.lines + loaded.issue_lines + beside), format="nt"
        )
    own = ntriples.subjects(loaded.lines) | ntriples.subjects(loaded.issue_lines)
    results = worker.validator.check(data, [str(ntriples.iri(token)) for token in own])
    save_results(root / CACHE_DIR, key, results)
    return Checked(loaded, results, anew=True, read=read)


def described(doc: SourceGraph) -> dict:
    """What summary.json says of one source: the file read (SHA-256, lines) and its graph."""
    source, graph = doc.source, doc.graph
    return {
        "file": source.file_name,
        "sha256": str(graph.value(source.document, HWB.sha256)),
        "lines": graph.value(source.document, HWB.lineCount).toPython(),
        "graph": str(source_graph(source.slug)),
    }
