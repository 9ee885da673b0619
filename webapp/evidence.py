"""Evidence packs: one zip a Board paper can cite, for any table the workbench shows.

- /evidence/queries/<name>.zip packs a canned query of the library (queries/<name>.rq);
- /evidence/<view>.zip packs a registered view, with the request's query string (the
  page's filters) handed on, e.g. /evidence/audit.zip?plan=leicester-jhwb-action-plan-2018-23.

The zip itself is made by graph.evidence.pack: rows as CSV, the SPARQL, the build's date
and source checksums, and an appendix quoting every source line behind the rows.

Every pack's README says where its table is shown (the page URL with the same filters).

Registering a table (the network or alignment pages, say) takes one line in VIEWS: its
name and a function of no arguments that reads its filters from ``flask.request.args``
and returns a graph.evidence.View. Keep the IRIs of what each row shows (the action, the
organisation, the mapping record) in the rows: the appendix finds its lines from them.
The function aborts with a 400 on bad filters, as its page does. Then link the page to
``url_for("evidence.view", name=<name>, **filters)``.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path

from flask import Blueprint, Response, current_app, request, url_for

from graph import evidence, queries, sparql
from webapp import alignment, audit, browse, graphstore, network
from webapp import queries as library
from webapp import sparql as endpoint
from webapp.graphstore import get_store
from webapp.pages import error

bp = Blueprint("evidence", __name__)

VIEWS: dict[str, Callable[[], evidence.View]] = {
    "audit": audit.evidence_view,
    "network-organisations": partial(network.evidence_view, "organisations"),
    "network-pairs": partial(network.evidence_view, "pairs"),
    "alignment-matrix": partial(alignment.evidence_view, "matrix"),
    "alignment-gaps": partial(alignment.evidence_view, "gaps"),
    "alignment-coverage": partial(alignment.evidence_view, "coverage"),
    "alignment-versions": partial(alignment.evidence_view, "versions"),
    "organisation": browse.organisation_evidence,
    "plan": browse.plan_evidence,
}
"""View name -> function returning the View of the current request (one line per table)."""


def zip_response(view: evidence.View) -> Response:
    """The view's evidence pack as a download."""
    sources = graphstore.snapshot().build.sources
    response = Response(evidence.pack(get_store(), view, sources), mimetype=evidence.MEDIA_TYPE)
    response.headers["Content-Disposition"] = (
        f'attachment; filename="{evidence.download_name(view)}"'
    )
    return response


def query_view(name: str) -> evidence.View | None:
    """A canned query's rows as a View, its parameters bound from the query string as its
    page binds them; None if the library has no such query.

    Raises webapp.sparql.Unanswerable (400) when an IRI parameter is not an IRI.
    """
    try:
        found = queries.get(Path(current_app.config["QUERIES_DIR"]), name)
    except queries.UnknownQuery:
        return None
    declared = library.params(found.params)
    bound = library.bindings(declared)
    columns, rows = sparql.rows(sparql.run(get_store(), found.text, bound))
    given = {p.name: request.args[p.name] for p in declared if request.args.get(p.name)}
    return evidence.View(
        name=found.name,
        title=found.title,
        columns=columns,
        rows=[[sparql.term_text(term) for term in row] for row in rows],
        queries={found.name: found.text},
        bindings={found.name: {var: str(term) for var, term in bound.items()}},
        url=url_for("queries.show", name=found.name, _external=True, **given),
        notes=found.description,
    )


@bp.get("/evidence/queries/<name>.zip")
def query(name: str):
    """The evidence pack of one canned query; 404 if the library has none of that name,
    400 for a parameter that is not an IRI where the query wants one."""
    try:
        view = query_view(name)
    except endpoint.Unanswerable as problem:
        return error(problem.status, str(problem), html=False)
    if view is None:
        return error(404, "No canned query of that name", html=False)
    return zip_response(view)


@bp.get("/evidence/<name>.zip")
def view(name: str):
    """The evidence pack of a registered view; 404 for a name not in VIEWS."""
    if name not in VIEWS:
        known = ", ".join(sorted(VIEWS))
        return error(404, f"No view of that name has an evidence pack (known: {known})", html=False)
    return zip_response(VIEWS[name]())
