"""Stream a build to disk: each named graph goes to an N-Quads file the moment it is read.

`hwbkg build` never holds the whole dataset in rdflib: each source is loaded and validated
in a worker process (graph/stage_worker.py), both cores at once, and comes back as sorted
N-Triples lines, which this process writes in manifest order (N-Quads is N-Triples with
the graph name before the final dot), counts for the summary and lets go. A source whose
loader output and SHACL results are both cached (graph/source_cache.py,
graph/validate_parts.py) is taken from the caches without a worker. The file is
bulk-loaded into the build's Oxigraph store when the build is published (graph.store.write).
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections import Counter, deque
from collections.abc import Iterator, Mapping
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from rdflib import URIRef

from graph import ntriples, source_cache
from graph.build import (
    BUILD_GRAPH,
    LOAD_REPORT_GRAPH,
    ONTOLOGY_GRAPH,
    BuildResult,
    context_parts,
    now,
    read_context,
)
from graph.shacl_workers import IN_FLIGHT, Workers, outcome
from graph.stage_worker import Checked, Setup, check_source, start
from graph.validate_parts import CACHE_DIR, Checker, cached_results, results_key
from loaders import get_loader
from loaders.base import Source
from vocab.ids import source_graph


@dataclass
class Staged:
    """A build streamed to ``nquads`` (a file of its own, moved into the build when it is
    published): the loaders' reports, the N-Quads' SHA-256, quads per named graph, what was
    read of each source, the SHACL checker holding each source's results, and the sources
    whose loader ran (the others came from the cache)."""

    result: BuildResult
    nquads: Path
    digest: str
    graphs: Counter
    sources: dict[str, dict]
    checker: Checker
    read: list[str] = field(default_factory=list)

    def summary(self) -> dict:
        """summary.json without the id: when, how many quads in all and per named graph,
        and per source the file read (SHA-256, lines) and its graph."""
        return {
            "built_at": self.result.built_at.isoformat(),
            "quads": sum(self.graphs.values()),
            "graphs": dict(sorted((str(g), n) for g, n in self.graphs.items() if n)),
            "sources": self.sources,
        }

    def discard(self) -> None:
        """Remove the N-Quads file if it was not published, and stop the SHACL workers if
        the build stopped before they were done (a refused shrink, a failed write)."""
        self.nquads.unlink(missing_ok=True)
        self.checker.close()


def stage(sources: list[Source], config: Mapping) -> Staged:
    """Read, write and validate every graph of the build under ``config["BUILD_DIR"]``
    (the caches and the N-Quads file being written); ``config`` as for
    graph.build.read_context, and ``SHAPES_DIR``.

    Raises what graph.build.read_context and the loaders raise, loaders.UnknownLoader (before
    any source is read) and graph.shacl_workers.WorkerFailed; the N-Quads file is then
    removed and the workers stopped.
    """
    root = Path(config["BUILD_DIR"])
    (root / CACHE_DIR).mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(dir=root / CACHE_DIR.parent, prefix="staging-", suffix=".nq")
    os.chmod(name, 0o644)  # published as hwbkg.nq, which other tools read (mkstemp: 0600)
    result = BuildResult(now())
    checker = Checker(config["SHAPES_DIR"], root / CACHE_DIR)
    staged = Staged(result, Path(name), "", Counter(), {}, checker)
    digest = hashlib.sha256()
    workers = None
    try:
        with os.fdopen(handle, "wb") as out:
            output = _Output(out, digest, staged.graphs)
            setup = _write_context(output, staged, sources, config)
            workers = Workers(start, (setup,))
            for source, checked in _checked(sources, setup, workers):
                _take(output, staged, source, checked)
    except BaseException:
        staged.discard()
        raise
    finally:
        if workers is not None:
            workers.close()
    staged.digest = digest.hexdigest()
    return staged


@dataclass
class _Output:
    """The N-Quads file being written, its SHA-256 so far and its quads per graph."""

    file: BinaryIO
    digest: Any  # a hashlib object
    graphs: Counter

    def write(self, name: URIRef, lines: list[bytes]) -> None:
        """Append the N-Triples ``lines`` as N-Quads in graph ``name``."""
        label = f" <{name}>{ntriples.END.decode()}".encode()
        data = b"".join(line[: -len(ntriples.END)] + label for line in lines)
        self.file.write(data)
        self.digest.update(data)
        self.graphs[name] += len(lines)


def _write_context(output: _Output, staged: Staged, sources: list[Source], config) -> Setup:
    """Write the graphs that are no source's (curated, ontology, provenance) and hand them to
    the checker; return what the workers need to check the sources."""
    context = read_context(config, staged.result.curated_issues)
    for loader in sorted({source.loader for source in sources}):
        get_loader(loader)  # an unknown one fails before any source is read
    checker = staged.checker
    for part in context_parts(context, sources, staged.result.built_at):
        lines = ntriples.lines_of(part.graph)
        output.write(part.name, lines)
        checker.add_context(lines, part.name == ONTOLOGY_GRAPH, part.name == BUILD_GRAPH)
    return Setup(
        Path(config["CURATED_DIR"]), Path(config["ONTOLOGY"]), Path(config["SHAPES_DIR"]),
        Path(config["BUILD_DIR"]), checker.key_prefix,
    )  # fmt: skip


def _take(output: _Output, staged: Staged, source: Source, checked: Checked) -> None:
    """Write a checked source's graph and load issues, and record what it says."""
    graph, loaded = source_graph(source.slug), checked.loaded
    output.write(graph, loaded.lines)
    output.write(LOAD_REPORT_GRAPH, loaded.issue_lines)
    staged.checker.add_checked(graph, loaded.lines, checked.results, checked.anew)
    staged.sources[source.slug] = loaded.described
    staged.result.reports[source.slug] = loaded.report
    if checked.read:
        staged.read.append(source.slug)


def _checked(
    sources: list[Source], setup: Setup, workers: Workers
) -> Iterator[tuple[Source, Checked]]:
    """Each source checked, in manifest order, the next ones under way meanwhile (a few per
    worker, which bounds the memory their lines hold here)."""
    fingerprint = source_cache.fingerprint(setup.curated_dir)
    ahead: deque[tuple[Source, Future]] = deque()
    for source in sources:
        ahead.append((source, _check(source, setup, fingerprint, workers)))
        if len(ahead) > IN_FLIGHT * (os.cpu_count() or 1):
            source, future = ahead.popleft()
            yield source, outcome(future)
    for source, future in ahead:
        yield source, outcome(future)


def _check(source: Source, setup: Setup, fingerprint: str, workers: Workers) -> Future:
    """The source checked: from the caches if both hold it, else in a worker."""
    load_key = source_cache.key(source, fingerprint)
    loaded = source_cache.read(setup.root, load_key)
    if loaded is not None:
        key = results_key(setup.key_prefix, loaded.data_digest)
        results = cached_results(setup.root / CACHE_DIR, key)
        if results is not None:
            done: Future = Future()
            done.set_result(Checked(loaded, results, anew=False, read=False))
            return done
    return workers.submit(check_source, source, load_key)
