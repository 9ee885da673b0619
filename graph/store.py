"""The one place that opens the graph store.

The embedded default is Oxigraph, persisted under the build folder so `hwbkg serve`
starts without re-parsing. rdflib's in-memory Dataset, parsed from the same N-Quads file,
is the reference engine the tests compare Oxigraph against.

Two Oxigraph traps, from measurement: its union default graph counts a triple once per
named graph holding it (the build never repeats a triple across graphs), and plain
strings come back typed xsd:string (see :func:`normalise_term`).
"""

from __future__ import annotations

import os
import shutil
from decimal import Decimal
from pathlib import Path

import pyoxigraph as ox
from rdflib import XSD, Dataset, Literal, URIRef

DATASET_FILE = "hwbkg.nq"
STORE_DIR = "oxigraph"


class StoreMissing(FileNotFoundError):
    """No built graph in the build folder: run `hwbkg build` first."""


def write(dataset: Dataset, build_dir: Path) -> Path:
    """Serialise ``dataset`` to N-Quads and load it into a fresh Oxigraph store.

    Both are written beside the old ones and swapped in with a rename, so a failed build
    never leaves a half-written graph behind. Returns the N-Quads path.
    """
    build_dir.mkdir(parents=True, exist_ok=True)
    target = build_dir / DATASET_FILE
    partial = target.with_suffix(".nq.partial")
    dataset.serialize(destination=partial, format="nquads", encoding="utf-8")
    store_dir = build_dir / STORE_DIR
    staging = build_dir / (STORE_DIR + ".partial")
    shutil.rmtree(staging, ignore_errors=True)
    store = ox.Store(str(staging))
    store.bulk_load(path=str(partial), format=ox.RdfFormat.N_QUADS)
    store.flush()
    del store
    os.replace(partial, target)
    retired = build_dir / (STORE_DIR + ".old")
    shutil.rmtree(retired, ignore_errors=True)
    if store_dir.exists():
        os.replace(store_dir, retired)
    os.replace(staging, store_dir)
    shutil.rmtree(retired, ignore_errors=True)
    return target


def open_store(build_dir: Path, in_memory: bool = False) -> ox.Store:
    """Open the built Oxigraph store read-only. Raises StoreMissing if there is none.

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
