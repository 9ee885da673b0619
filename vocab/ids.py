"""Deterministic instance IRIs: the same thing gets the same IRI on every rebuild."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from rdflib import URIRef

from vocab.namespace import GRAPH, ID


@lru_cache(maxsize=1 << 16)
def slugify(text: str) -> str:
    """Return a lower-case ASCII slug of ``text`` ("Healthy Start" -> "healthy-start").

    Cached: loaders mint the same few names (organisations, plans, notations) over and
    over, a build slugifies hundreds of thousands of strings."""
    # Apostrophes vanish first, so "Leicester’s" and "Leicester's" give the same slug.
    text = re.sub(r"['’‘]", "", text)
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug or "unnamed"


def mint(kind: str, *parts: str) -> URIRef:
    """Return the instance IRI ``id/<kind>/<part>/<part>...``; parts are slugified.

    Raises ValueError for an empty part, which would make two things share an IRI.
    """
    if not parts or any(not str(p).strip() for p in parts):
        raise ValueError(f"cannot mint a {kind} IRI from {parts!r}")
    return ID[
        "/".join([kind, *(slugify(str(p)) if not _is_notation(p) else _notation(p) for p in parts)])
    ]


def _is_notation(part: str) -> bool:
    return bool(re.fullmatch(r"[0-9A-Za-z]+([.][0-9A-Za-z]+)*[.]?", str(part))) and any(
        c.isdigit() for c in str(part)
    )


def _notation(part: str) -> str:
    """Keep printed numbers readable: "1.1." -> "1.1", "2.c" -> "2.c"."""
    return str(part).rstrip(".").lower()


def source_graph(slug: str) -> URIRef:
    """The named graph holding the triples read from source ``slug``."""
    return GRAPH[f"source/{slug}"]


def curated_graph(name: str) -> URIRef:
    """The named graph holding curated file ``name``."""
    return GRAPH[f"curated/{slugify(name)}"]
