"""Each source's loader output kept on disk, keyed by everything the loader read.

A loader's output (the N-Triples of its graph and of its load issues, its report, what
summary.json says of the source) depends on the source file, its manifest entry, the
loader code and the curated data (the registry, ICS themes). ``<BUILD_DIR>/cache/sources/
<key>.pickle`` keeps it under the SHA-256 of exactly those, so a rebuild after one new
document runs one loader; an edited loader or curated file runs them all again.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from dataclasses import astuple, dataclass
from functools import cache
from importlib.metadata import version
from pathlib import Path

import loaders
import vocab
from loaders.base import LoadReport, Source

CACHE_DIR = Path("cache") / "sources"
"""Where the entries are kept, under the builds root (BUILD_DIR)."""


@dataclass(frozen=True)
class Loaded:
    """One source as its loader left it: sorted N-Triples lines of its graph and of its
    load issues, the report, summary.json's entry and the SHA-256 of what its SHACL check
    reads (graph/validate_parts.py: the key of its results)."""

    lines: list[bytes]
    issue_lines: list[bytes]
    report: LoadReport
    described: dict
    data_digest: str


def key(source: Source, fingerprint: str) -> str:
    """The cache key of ``source``: its file's bytes, its manifest entry (the file's place
    aside) and the ``fingerprint`` of the code and curated data (:func:`fingerprint`)."""
    entry = astuple(source)[:1] + (source.file_name,) + astuple(source)[2:]
    hashed = hashlib.sha256(Path(source.path).read_bytes())
    hashed.update(repr(entry).encode("utf-8"))
    hashed.update(fingerprint.encode("ascii"))
    return hashed.hexdigest()


def fingerprint(curated_dir: Path) -> str:
    """The SHA-256 of what every loader reads beside its document: the loader and
    vocabulary code, graph/build.py (the nodes every source has), rdflib (it writes the
    N-Triples) and every file under ``curated_dir``."""
    hashed = hashlib.sha256(f"rdflib {version('rdflib')}\0{_code()}\0".encode())
    for path in sorted(p for p in Path(curated_dir).rglob("*") if p.is_file()):
        hashed.update(f"{path.relative_to(curated_dir)}\0".encode())
        hashed.update(hashlib.sha256(path.read_bytes()).digest())
    return hashed.hexdigest()


@cache
def _code() -> str:
    """The SHA-256 of the loaders' and vocabulary's source files, once per process."""
    here = Path(__file__).parent
    files = [here / "build.py", here / "source_cache.py", here / "ntriples.py"]
    for package in (loaders, vocab):
        files += sorted(Path(next(iter(package.__path__))).glob("*.py"))
    hashed = hashlib.sha256()
    for path in files:
        hashed.update(f"{path.parent.name}/{path.name}\0".encode())
        hashed.update(path.read_bytes())
    return hashed.hexdigest()


def read(root: Path, entry_key: str) -> Loaded | None:
    """The entry kept under ``entry_key`` below the builds root ``root``, or None."""
    try:
        with open(root / CACHE_DIR / f"{entry_key}.pickle", "rb") as handle:
            return pickle.load(handle)
    except FileNotFoundError:
        return None


def write(root: Path, entry_key: str, loaded: Loaded) -> None:
    """Keep ``loaded`` under ``entry_key``: whole or absent, should two builds race."""
    path = root / CACHE_DIR / f"{entry_key}.pickle"
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(f".{os.getpid()}.partial")
    partial.write_bytes(pickle.dumps(loaded, protocol=pickle.HIGHEST_PROTOCOL))
    os.replace(partial, path)
