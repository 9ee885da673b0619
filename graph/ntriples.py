"""A graph as the build writes it: N-Triples lines, sorted, and what is read off them.

The build moves graphs between processes, hashes them for its caches and writes them to
its N-Quads file as these lines, so the three always agree, and sorting makes the file
the same on every build of the same inputs (rdflib's store iterates a set: its order
changed from run to run). The loaders write no blank nodes, so a subject is an IRI.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from rdflib import Graph, URIRef

END = b" .\n"


def lines_of(graph: Graph) -> list[bytes]:
    """``graph`` as N-Triples, one triple a line (rdflib escapes line breaks), sorted."""
    text = graph.serialize(format="nt", encoding="utf-8")
    return sorted(line + b"\n" for line in text.splitlines() if line)


def subjects(lines: Iterable[bytes]) -> set[bytes]:
    """The subjects of N-Triples lines, as written (an IRI in angle brackets)."""
    return {line.split(b" ", 1)[0] for line in lines}


def object_of(line: bytes) -> bytes:
    """The object of an N-Triples line, as written."""
    return line.split(b" ", 2)[2][: -len(END)]


def iri(token: bytes) -> URIRef:
    """An IRI as N-Triples writes it (``<...>``), as rdflib's term."""
    return URIRef(token[1:-1].decode("utf-8"))


def digest(lines: Iterable[bytes]) -> str:
    """The SHA-256 of the lines, one after the other."""
    hashed = hashlib.sha256()
    for line in lines:
        hashed.update(line)
    return hashed.hexdigest()


class Curated:
    """The curated triples as lines, to find those a source's shapes need beside it."""

    def __init__(self) -> None:
        self._triples: list[tuple[bytes, bytes, bytes]] = []  # subject, object, line

    def add(self, lines: Iterable[bytes]) -> None:
        for line in lines:
            self._triples.append((line.split(b" ", 1)[0], object_of(line), line))

    def beside(self, lines: list[bytes], issue_lines: list[bytes]) -> list[bytes]:
        """The curated triples about a source's nodes or pointing at them, and everything
        about the curated nodes it links to; sorted."""
        own = subjects(lines) | subjects(issue_lines)
        linked = {o for o in map(object_of, lines) if o.startswith(b"<")}
        return sorted(line for s, o, line in self._triples if s in own or o in own or s in linked)
