"""The source viewer: each document the graph was read from, line by line.

/sources/<slug> shows the document with a numbered anchor per line (``#L92``), so a
provenance link lands on the line and CSS ``:target`` highlights it without JavaScript;
beside each line are the nodes read from it. The documents are read from the served build,
which keeps a copy of each as its loader read it: a web process on another host needs no
data/sources/, and a page never quotes a document newer than its graph.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pyoxigraph as ox
from flask import Blueprint, Response, render_template, url_for

from graph import facts, sparql
from loaders.base import read_lines
from vocab.ids import mint
from webapp import graphstore, paging, terms
from webapp.graphstore import get_store
from webapp.pages import error, link_header, respond

bp = Blueprint("sources", __name__)

SLUG = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
PER_PAGE = 100
"""Documents listed a page: LLR's councils publish hundreds over the years."""
DOCUMENTS = """
SELECT ?doc ?file ?title ?sha256 ?lines WHERE {
  ?doc a hwb:SourceDocument ; hwb:fileName ?file .
  OPTIONAL { ?doc dcterms:title ?title } OPTIONAL { ?doc hwb:sha256 ?sha256 }
  OPTIONAL { ?doc hwb:lineCount ?lines }
} ORDER BY ?file
"""
# A node several documents cite (a related strategy) has a line in each document's graph:
# GRAPH keeps the line with its own document. Kinds and labels are asked after, of the
# nodes found (as OPTIONALs here, each restated label multiplied the rows).
NODES_BY_LINE = """
SELECT DISTINCT ?doc ?node ?line WHERE {
  GRAPH ?g { ?node hwb:sourceDocument ?doc ; hwb:sourceLine ?line }
} ORDER BY ?line ?node
"""
KINDS = """
SELECT DISTINCT ?node ?type_label WHERE {
  VALUES ?node { %s }
  ?node a ?type . ?type rdfs:label ?type_label . FILTER(STRSTARTS(STR(?type), STR(hwb:)))
} ORDER BY ?type_label
"""


def line_href(document_iri: str, line: int | None) -> str:
    """The viewer's URL for a line of a source document (its top when there is no line)."""
    slug = terms.local_path(document_iri).split("/", 1)[1]
    anchor = f"L{line}" if line else None
    return url_for("sources.source", slug=slug, _anchor=anchor)


def documents(bound: dict | None = None) -> list[dict]:
    """Every source document of the build (or the one ``bound`` names as ?doc): slug, file,
    title, checksum and line count."""
    found = []
    for row in sparql.run(get_store(), DOCUMENTS, bound or {}).results:
        document = row["doc"].value
        found.append(
            {
                "slug": terms.local_path(document).split("/", 1)[1],
                "iri": document,
                "file": row["file"].value,
                "title": sparql.term_text(row["title"]),
                "sha256": sparql.term_text(row["sha256"]),
                "lines": int(row["lines"].value) if row["lines"] else None,
            }
        )
    return found


def _document(slug: str) -> dict | None:
    """The build's record of source ``slug``, or None if the build has no such source."""
    if not SLUG.fullmatch(slug):
        return None
    return next(iter(documents({"doc": ox.NamedNode(mint("source", slug))})), None)


def _path(document: dict) -> Path | None:
    """The file as the served build read it, or None when it is not there (a bad name, or a
    build made before builds kept their sources)."""
    path = graphstore.snapshot().build.sources / document["file"]
    return path if path.name == document["file"] and path.is_file() else None


def _nodes_by_line(document: dict) -> dict[int, list[dict]]:
    """The nodes read from each line: type and label, linked to their pages."""
    store, bound = get_store(), {"doc": ox.NamedNode(document["iri"])}
    read = [
        (int(row["line"].value), row["node"])
        for row in sparql.run(store, NODES_BY_LINE, bound).results
    ]
    named = [node for _, node in read if isinstance(node, ox.NamedNode)]
    kinds: dict[str, str] = {}
    if named:
        for row in sparql.run(store, KINDS % facts.values({n.value for n in named})).results:
            kinds.setdefault(row["node"].value, row["type_label"].value)
    shown = terms.labels(store, [node.value for node in named])
    by_line: dict[int, dict[str, dict]] = {}
    for line, node in read:
        found = shown.get(node.value) or terms.term(node)
        by_line.setdefault(line, {}).setdefault(
            node.value,
            {"kind": kinds.get(node.value, "Node"), "label": found.text, "href": found.href},
        )
    return {line: list(nodes.values()) for line, nodes in by_line.items()}


@bp.get("/sources", defaults={"fmt": "html"})
@bp.get("/sources.<any(json):fmt>")
def index(fmt: str):
    """The source documents with their checksums and line counts, a page at a time."""
    every = documents()
    page = paging.paged(len(every), PER_PAGE, fmt)
    return respond(fmt, "sources/index.html", {"sources": page.rows(every), **page.json()})


@bp.get("/sources/<slug>.txt")
def raw(slug: str):
    """The document's text exactly as the loaders read it."""
    document = _document(slug)
    path = _path(document) if document else None
    if path is None:
        return error(404, "No source document of that name", html=False)
    return Response(path.read_bytes(), mimetype="text/plain")


@bp.get("/sources/<slug>")
def source(slug: str):
    """The document with line numbers, an anchor per line and the nodes read from each."""
    document = _document(slug)
    if document is None:
        return error(404, "No source document of that name")
    path = _path(document)
    if path is None:
        return error(404, f"The file {document['file']} is not in the sources folder")
    # The checksum says whether the file on disk is the version the graph was read from.
    checksum = hashlib.sha256(path.read_bytes()).hexdigest()
    page = render_template(
        "sources/source.html",
        document=document,
        lines=read_lines(path),
        nodes=_nodes_by_line(document),
        same_version=checksum == document["sha256"],
    )
    response = Response(page)
    response.headers["Link"] = link_header({"text/plain": url_for("sources.raw", slug=slug)})
    return response
