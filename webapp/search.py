"""Full-text search over the labels and texts of every node under ``id/``.

`hwbkg build` indexes the texts into ``<build>/search.sqlite`` (graph/search_index.py:
SQLite FTS5, whole words, stemmed, ranked by BM25); each search asks it for one page of
results, so neither a web process's memory nor its start-up grows with the graph. The
words a user types reach the index only as quoted FTS5 phrases, never as SQL or SPARQL.
"""

from __future__ import annotations

import sqlite3
import unicodedata
from contextlib import closing
from dataclasses import dataclass, field

from flask import Blueprint, render_template, request

from graph import search_index
from webapp import graphstore, paging, terms
from webapp.graphstore import get_store
from webapp.pages import error, respond, twin_url

bp = Blueprint("search", __name__)

PER_PAGE = 20
MAX_QUERY = 200
"""Longer than any label worth typing; a longer query is refused with a 400."""


@dataclass
class Entry:
    """One result: how to show it and what it was filtered by."""

    node: terms.Term
    types: set[str] = field(default_factory=set)
    plans: dict[str, terms.Term] = field(default_factory=dict)

    @classmethod
    def of(cls, hit: search_index.Hit) -> Entry:
        """The entry for a hit of the index, with links to this server's pages."""
        return cls(
            terms.named(hit.iri, hit.label, hit.notation),
            {terms.short(t) for t in hit.types},
            {iri: terms.named(iri, label, notation) for iri, label, notation in hit.plans},
        )

    def as_json(self) -> dict:
        """The result for the .json twin."""
        return {
            **self.node.as_json(),
            "types": sorted(self.types),
            "plans": [p.as_json() for p in self.plans.values()],
        }


class BadSearch(ValueError):
    """A query or filter the search cannot take; the message says which."""


def connect() -> closing[sqlite3.Connection]:
    """A connection to this request's build's index, closed when the ``with`` ends."""
    return closing(sqlite3.connect(graphstore.derived("search-index", _locate)[0], uri=True))


def _locate() -> tuple[str, sqlite3.Connection | None]:
    """The URI of the pinned build's index and, for a build made before the index existed,
    the connection that keeps the in-memory copy this process made of it alive."""
    build = graphstore.snapshot().build
    path = build.path / search_index.INDEX_FILE
    if path.is_file():
        return path.as_uri() + "?mode=ro&immutable=1", None  # a published build never changes
    uri = f"file:hwbkg-search-{build.id}?mode=memory&cache=shared"
    return uri, search_index.fill(sqlite3.connect(uri, uri=True, check_same_thread=False),
                                  get_store())  # fmt: skip


def plan_slug(plan_iri: str) -> str:
    """The plan filter's value for a plan IRI: its slug, as in /plans/<slug>."""
    return terms.local_path(plan_iri).split("/", 1)[-1]


def facets() -> tuple[dict[str, terms.Term], dict[str, str]]:
    """The values the filters accept: plans by slug (sorted by label) and types by
    prefixed name (sorted), each with its IRI; read from the index once per build."""
    with connect() as connection:  # opened outside derived(): it may derive the index
        return graphstore.derived("search-facets", lambda: _read_facets(connection))


def _read_facets(connection: sqlite3.Connection):
    plans, types = search_index.facets(connection)
    by_slug = {plan_slug(iri): terms.named(iri, label, notation) for iri, label, notation in plans}
    return by_slug, dict(sorted((terms.short(t), t) for t in types))


def search(text: str, plan: str = "", kind: str = "", page: int = 1, every: bool = False):
    """How many entries match every word of ``text`` in plan ``plan`` (slug) of type ``kind``
    (prefixed name), and page ``page`` of them, best first (``every``: all of them).

    Raises BadSearch for an overlong query or a plan or type the graph does not have.
    """
    reason = unsearchable(text)
    if reason:
        raise BadSearch(reason)
    plans, kinds = facets()
    if plan and plan not in plans:
        raise BadSearch("unknown plan: choose one from the list")
    if kind and kind not in kinds:
        raise BadSearch("unknown type: choose one from the list")
    plan_iri = plans[plan].value if plan else ""
    offset, limit = (0, None) if every else ((page - 1) * PER_PAGE, PER_PAGE)
    with connect() as connection:
        total, hits = search_index.search(
            connection, text, plan_iri, kinds.get(kind, ""), offset, limit
        )
    return total, [Entry.of(hit) for hit in hits]


def unsearchable(text: str) -> str | None:
    """Why ``text`` cannot be searched for, or None: it is too long, or holds a control
    character (a NUL, say), which no label has."""
    if len(text) > MAX_QUERY:
        return f"the query is {len(text)} characters long; the limit is {MAX_QUERY}"
    if any(unicodedata.category(c) == "Cc" and not c.isspace() for c in text):
        return "the query contains a control character"
    return None


@bp.get("/search", defaults={"fmt": "html"})
@bp.get("/search.<any(json, csv):fmt>")
def index(fmt: str):
    """Results for ``q`` (every word must match), ``plan`` and ``type`` filters, ``page``.

    The HTML and JSON are paged; the CSV holds every result. Bad input is a 400.
    """
    text = request.args.get("q", "")
    plan, kind = request.args.get("plan", ""), request.args.get("type", "")
    try:
        total, shown = search(text, plan, kind, paging.number())
        page = paging.page("page", total, PER_PAGE)
    except (BadSearch, paging.BadPage) as bad:
        if fmt != "html":
            return error(400, f"Bad search: {bad}", html=False)
        return _refused(str(bad), "" if unsearchable(text) else text, plan, kind), 400
    data = {
        "query": text,
        "plan": plan,
        "type": kind,
        "total": total,
        **page.json(),
        "results": [e.as_json() for e in shown],
    }
    return respond(
        fmt,
        "search/index.html",
        data,
        table=lambda: (
            ["iri", "label", "notation", "types", "plans"],
            _csv_rows(search(text, plan, kind, every=True)[1]),
        ),
        entries=shown,
        first=page.first_row,
        twins={f: twin_url(f) for f in ("json", "csv")},
        **_choices(),
    )


def _csv_rows(results: list[Entry]):
    """One row per result; several types or plans are joined with " | "."""
    for e in results:
        plans = " | ".join(p.label for p in e.plans.values())
        yield [e.node.value, e.node.label, e.node.notation, " | ".join(sorted(e.types)), plans]


def _choices() -> dict:
    """The filter options of the form."""
    plans, kinds = facets()
    return {"plan_choices": plans, "type_choices": list(kinds)}


def _refused(message: str, text: str, plan: str, kind: str) -> str:
    """The search form with the message instead of results, the input kept to correct
    (the caller leaves out words that were themselves refused: they would only be echoed)."""
    return render_template(
        "search/index.html",
        message=message,
        query=text,
        plan=plan,
        type=kind,
        entries=[],
        total=0,
        **_choices(),
    )
