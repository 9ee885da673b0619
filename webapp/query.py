"""The query page /query: YASGUI's editor and result table, served from our own static files.

The editor's autocompleters call the small JSON endpoints below instead of prefix.cc and
Linked Open Vocabularies, so completion works offline and offers this graph's own
prefixes, classes, properties and entities. Without JavaScript the page is a plain form
posting to /sparql, beside the query library.
"""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, current_app, jsonify, render_template, request, url_for

from graph import queries, search_index, sparql
from vocab.namespace import ID
from webapp import graphstore, search
from webapp.graphstore import get_store
from webapp.pages import error
from webapp.queries import entry
from webapp.sparql import TRUNCATED_HEADER

bp = Blueprint("query", __name__)

SUGGESTIONS = 50
"""At most this many completions per request, as the editor shows a short list."""
VOCABULARY = {
    "class": """SELECT DISTINCT ?iri ?label WHERE {
      { ?iri a owl:Class } UNION { ?iri a rdfs:Class } UNION { [] a ?iri }
      OPTIONAL { ?iri rdfs:label ?label }
    }""",
    "property": """SELECT DISTINCT ?iri ?label WHERE {
      { ?iri a owl:ObjectProperty } UNION { ?iri a owl:DatatypeProperty }
      UNION { ?iri a rdf:Property } UNION { [] ?iri [] }
      OPTIONAL { ?iri rdfs:label ?label }
    }""",
}
"""Classes and properties the ontology declares or the data uses, with their labels."""
DEFAULT_QUERY = """SELECT ?plan ?label ?period WHERE {
  ?plan a/rdfs:subClassOf* hwb:Plan ; skos:prefLabel ?label .
  OPTIONAL { ?plan hwb:period ?period }
} ORDER BY ?label
"""
"""What the editor holds when no query is given: the plans, a question every user has."""


@bp.get("/query")
def page():
    """The editor, preloaded from ?query= so a shared URL reproduces the query; a 400 page
    for a query holding a NUL, which /sparql refuses and the editor could only echo."""
    text = request.args.get("query", "")
    if "\x00" in text:
        return error(400, "The query in this link contains a NUL character; no query may")
    library = [entry(q) for q in queries.library(Path(current_app.config["QUERIES_DIR"])).values()]
    config = {
        "endpoint": url_for("sparql.endpoint", _external=True),
        "page": url_for("query.page"),
        "terms": url_for("query.terms"),
        "entities": url_for("query.entities"),
        "prefixes": sparql.PREFIXES,
        "idBase": str(ID),
        "idPath": f"{request.script_root}/id/",
        "runOnLoad": bool(text.strip()),
        "truncatedHeader": TRUNCATED_HEADER,
    }
    return render_template(
        "query/page.html",
        queries=library,
        text=text,
        default_query=DEFAULT_QUERY,
        prefixes=sparql.PREFIXES,
        config=config,
        row_limit=current_app.config["ROW_LIMIT"],
        timeout=current_app.config["QUERY_TIMEOUT"],
    )


@bp.get("/query/prefixes.json")
def prefixes():
    """The project's prefixes: every query may use them, the editor declares them."""
    return jsonify(sparql.PREFIXES)


@bp.get("/query/terms.json")
def terms():
    """Classes or properties (?kind=) whose IRI starts with ?q or whose name contains it."""
    kind = request.args.get("kind", "")
    if kind not in VOCABULARY:
        return jsonify({"error": "kind must be 'class' or 'property'"}), 400
    needle = request.args.get("q", "").strip()
    found = [(iri, label) for iri, label in vocabulary(kind) if _matches(iri, label, needle)]
    return jsonify([{"iri": iri, "label": label} for iri, label in found[:SUGGESTIONS]])


def vocabulary(kind: str) -> list[tuple[str, str]]:
    """The classes or properties with their labels, by IRI, read once per build: the property
    query scans every triple, too much for each keystroke of the editor."""
    return graphstore.derived(f"vocabulary-{kind}", lambda: _read_vocabulary(kind))


def _read_vocabulary(kind: str) -> list[tuple[str, str]]:
    found: dict[str, str] = {}
    for row in sparql.run(get_store(), VOCABULARY[kind]).results:
        found.setdefault(row["iri"].value, sparql.term_text(row["label"]))
    return sorted(found.items())


def _matches(iri: str, label: str, needle: str) -> bool:
    """A typed IRI prefix matches the IRI's start; a bare word, its local name or label."""
    if needle.startswith(("http://", "https://")):
        return iri.startswith(needle)
    local = iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
    return needle.lower() in local.lower() or needle.lower() in label.lower()


@bp.get("/query/entities.json")
def entities():
    """Entities whose label contains ?q (two characters at least), shortest label first,
    for completion: the search index already holds every labelled node under id/."""
    needle = request.args.get("q", "").strip()
    if len(needle) < 2:
        return jsonify([])
    with search.connect() as connection:
        found = search_index.labelled_like(connection, needle, SUGGESTIONS)
    return jsonify([{"iri": iri, "label": label} for iri, label in found])
