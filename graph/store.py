"""The one place that opens the graph store.

The embedded default is Oxigraph, persisted in each build's folder (graph/builds.py) so
`hwbkg serve` starts without re-parsing; every function here takes that concrete folder.
rdflib's in-memory Dataset, parsed from the same N-Quads file, is the reference engine the
tests compare Oxigraph against.

Two Oxigraph traps, from measurement: its union default graph counts a triple once per
named graph holding it, and plain strings come back typed xsd:string (see
:func:`normalise_term`). Documents do restate each other's nodes (a progress report its
strategy's themes, many plans the same related strategy: 24,000 triples at 100x), and
each restatement multiplied the rows of every join through that node. So a build's store
also holds the default graph SPARQL means, the merge of its named graphs, each triple once
(:func:`write`), and graph.sparql queries it rather than the union.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pyoxigraph as ox
from rdflib import XSD, Dataset, Literal, URIRef

DATASET_FILE = "hwbkg.nq"
STORE_DIR = "oxigraph"


class StoreMissing(FileNotFoundError):
    """No built graph in the build folder: run `hwbkg build` first."""


def write(folder: Path) -> ox.Store:
    """Bulk-load an Oxigraph store in ``folder`` from the N-Quads file there: its named
    graphs, and their merge as the default graph; return the store, still open, for what
    the build adds to it (graph/void.py).

    ``folder`` is a build being staged (graph.builds.publish): nothing reads it until it
    is complete, so the store is written in place. Oxigraph's bulk loader runs in native
    threads, without Python's lock: the build does other work meanwhile
    (graph/publishing.py).
    """
    source = str(folder / DATASET_FILE)
    store = ox.Store(str(folder / STORE_DIR))
    store.bulk_load(path=source, format=ox.RdfFormat.N_QUADS)
    store.bulk_extend(
        ox.Quad(quad.subject, quad.predicate, quad.object)
        for quad in ox.parse(path=source, format=ox.RdfFormat.N_QUADS)
    )
    store.flush()
    return store


def has_merged_default_graph(store) -> bool:
    """Whether ``store`` holds the merge of its named graphs as its default graph (every
    build written since it does; a build from before queries the union instead)."""
    if not isinstance(store, ox.Store):
        return False
    return (
        next(iter(store.quads_for_pattern(None, None, None, ox.DefaultGraph())), None) is not None
    )


def open_store(build_dir: Path, in_memory: bool = False) -> ox.Store:
    """Open the Oxigraph store of one build folder (graph.builds.current(root).path)
    read-only. Raises StoreMissing if there is none.

    ``in_memory`` copies the store into memory, quad by quad (no re-parsing): Oxigraph then
    answers the library queries four to eight times faster than through its on-disk
    RocksDB, for the price of holding the graph in RAM and a copy at start-up (about 0.2 s
    for this graph's 10,000 quads). The workbench does this; the CLI reads from disk.
    """
    store_dir = build_dir / STORE_DIR
    if not store_dir.is_dir():
        raise StoreMissing(f"no graph built in {build_dir}: run `hwbkg build` first")
    on_disk = ox.Store.read_only(str(store_dir))
    if not in_memory:
        return on_disk
    copy = ox.Store()
    copy.bulk_extend(on_disk)
    return copy


def open_reference(build_dir: Path) -> Dataset:
    """Parse the built N-Quads into rdflib's in-memory Dataset (the reference engine)."""
    path = build_dir / DATASET_FILE
    if not path.is_file():
        raise StoreMissing(f"no graph built in {build_dir}: run `hwbkg build` first")
    dataset = Dataset(default_union=True)
    with path.open("rb") as stream:
        dataset.parse(stream, format="nquads")
    return dataset


def open_rdflib(build_dir: Path) -> Dataset:
    """The Oxigraph store behind rdflib's API (oxrdflib), for code that needs rdflib."""
    store_dir = build_dir / STORE_DIR
    if not store_dir.is_dir():
        raise StoreMissing(f"no graph built in {build_dir}: run `hwbkg build` first")
    dataset = Dataset(store="Oxigraph", default_union=True)
    dataset.open(str(store_dir), create=False)
    return dataset


def normalise_term(term) -> str | None:
    """A comparable string for a result term from either engine (xsd:string == plain)."""
    if term is None:
        return None
    if isinstance(term, (ox.NamedNode, ox.BlankNode)):
        return term.value
    if isinstance(term, ox.Literal):
        if term.datatype == ox.NamedNode(str(XSD.string)) or term.language:
            return term.value
        term = Literal(term.value, datatype=URIRef(term.datatype.value))
    if isinstance(term, Literal) and term.datatype and term.datatype != XSD.string:
        value = term.toPython()
        if isinstance(value, Decimal):  # 9500000.0 and 9500000 are the same decimal
            return format(value.normalize(), "f")
        return str(value)
    return str(term)
