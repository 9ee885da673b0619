"""Evidence packs: one zip a Board paper can cite, for any table the workbench shows.

- /evidence/queries/<name>.zip packs a canned query of the library (queries/<name>.rq);
- /evidence/<view>.zip packs a registered view, with the request's query string (the
  page's filters) handed on, e.g. /evidence/audit.zip?plan=leicester-jhwb-action-plan-2018-23.

The zip itself is made by graph.evidence.pack: rows as CSV, the SPARQL, the build's date
and source checksums, and an appendix quoting every source line behind the rows.

Registering a table (the network or alignment pages, say) takes one line in VIEWS: its
name and a function of no arguments that reads its filters from ``flask.request.args``
and returns a graph.evidence.View. Keep the IRIs of what each row shows (the action, the
organisation, the mapping record) in the rows: the appendix finds its lines from them.
The function aborts with a 400 on bad filters, as its page does. Then link the page to
``url_for("evidence.view", name=<name>, **filters)``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from flask import Blueprint, Response, current_app

from graph import evidence, queries, sparql
from webapp import audit
from webapp.graphstore import get_store
from webapp.pages import error

bp = Blueprint("evidence", __name__)

VIEWS: dict[str, Callable[[], evidence.View]] = {
    "audit": audit.evidence_view,
}
"""View name -> function returning the View of the current request (one line per table)."""


def zip_response(view: evidence.View) -> Response:
    """The view's evidence pack as a download."""
    sources_dir = Path(current_app.config["MANIFEST"]).parent
    response = Response(evidence.pack(get_store(), view, sources_dir), mimetype=evidence.MEDIA_TYPE)
    response.headers["Content-Disposition"] = (
        f'attachment; filename="{evidence.download_name(view)}"'
    )
    return response


def query_view(name: str) -> evidence.View | None:
    """A canned query's rows as a View, or None if the library has no such query."""
    try:
        found = queries.get(Path(current_app.config["QUERIES_DIR"]), name)
    except queries.UnknownQuery:
        return None
    answer = sparql.run(get_store(), found.text)
    columns, rows = sparql.rows(answer)
    return evidence.View(
        name=found.name,
        title=found.title,
        columns=columns,
        rows=[[sparql.term_text(term) for term in row] for row in rows],
        queries={found.name: found.text},
        notes=found.description,
    )


@bp.get("/evidence/queries/<name>.zip")
def query(name: str):
    """The evidence pack of one canned query; 404 if the library has none of that name."""
    view = query_view(name)
    if view is None:
        return error(404, f"No canned query called {name!r}", html=False)
    return zip_response(view)


@bp.get("/evidence/<name>.zip")
def view(name: str):
    """The evidence pack of a registered view; 404 for a name not in VIEWS."""
    if name not in VIEWS:
        known = ", ".join(sorted(VIEWS))
        return error(
            404, f"No view called {name!r} has an evidence pack (known: {known})", html=False
        )
    return zip_response(VIEWS[name]())
