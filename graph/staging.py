"""Stream a build to disk: each named graph goes to an N-Quads file the moment it is read.

`hwbkg build` never holds the whole dataset in rdflib: the loaders' graphs are written one
source at a time (N-Quads is N-Triples with the graph name before the final dot), validated
as they come (graph/validate_parts.py), counted for the summary, and let go. The file is
bulk-loaded into the build's Oxigraph store when the build is published (graph.store.write).
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from rdflib import Graph, URIRef

from graph.build import BUILD_GRAPH, LOAD_REPORT_GRAPH, ONTOLOGY_GRAPH, BuildResult, now, parts
from graph.validate_parts import CACHE_DIR, Checker
from loaders.base import Source
from vocab.namespace import HWB


@dataclass
class Staged:
    """A build streamed to ``nquads`` (a file of its own, moved into the build when it is
    published): the loaders' reports, the N-Quads' SHA-256, quads per named graph, what was
    read of each source, and the SHACL checker holding each source's results."""

    result: BuildResult
    nquads: Path
    digest: str
    graphs: Counter
    sources: dict[str, dict]
    checker: Checker

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
    """Read, write and validate every graph of the build, one at a time, under
    ``config["BUILD_DIR"]`` (the SHACL cache and the N-Quads file being written).

    Raises what graph.build.parts raises; the N-Quads file is then removed.
    """
    root = Path(config["BUILD_DIR"])
    (root / CACHE_DIR).mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(dir=root / CACHE_DIR.parent, prefix="staging-", suffix=".nq")
    os.chmod(name, 0o644)  # published as hwbkg.nq, which other tools read (mkstemp: 0600)
    result = BuildResult(now())
    staged = Staged(
        result, Path(name), "", Counter(), {}, Checker(config["SHAPES_DIR"], root / CACHE_DIR)
    )
    digest = hashlib.sha256()
    try:
        with os.fdopen(handle, "wb") as out:
            for part in parts(sources, config, result):
                staged.graphs[part.name] += _write(out, digest, part.name, part.graph)
                if part.source is None:
                    staged.checker.add_context(
                        part.graph,
                        ontology=part.name == ONTOLOGY_GRAPH,
                        provenance=part.name == BUILD_GRAPH,
                    )
                    continue
                staged.graphs[LOAD_REPORT_GRAPH] += _write(
                    out, digest, LOAD_REPORT_GRAPH, part.issues
                )
                staged.checker.add_source(part.name, part.graph, part.issues)
                staged.sources[part.source.slug] = _described(part.source, part.name, part.graph)
    except BaseException:
        staged.discard()
        raise
    staged.digest = digest.hexdigest()
    return staged


def _write(out: BinaryIO, digest, name: URIRef, graph: Graph) -> int:
    """Append ``graph`` to ``out`` as N-Quads in graph ``name``; return how many."""
    if not len(graph):
        return 0
    label = f" <{name}> .\n".encode()
    lines = graph.serialize(format="nt", encoding="utf-8").splitlines()
    data = b"".join(line[: -len(b" .")] + label for line in lines if line)
    out.write(data)
    digest.update(data)
    return len(graph)


def _described(source: Source, name: URIRef, graph: Graph) -> dict:
    """What summary.json says of one source: the file read (SHA-256, lines) and its graph."""
    return {
        "file": source.file_name,
        "sha256": str(graph.value(source.document, HWB.sha256)),
        "lines": graph.value(source.document, HWB.lineCount).toPython(),
        "graph": str(name),
    }
