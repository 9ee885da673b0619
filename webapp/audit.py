"""The audit worklist at /audit: the gaps in the sources, to chase plan by plan.

Filters are a GET form (``?plan=<slug>&organisation=<slug>``), so a filtered list is a URL
to share; /audit.csv and /audit.json carry the same rows and filters. Each row links to
the node's page and to the source line to check. The SHACL run behind the list takes
seconds, so its results are kept on the app the first time they are asked for (the graph
is read-only while the app runs).
"""

from __future__ import annotations

from flask import Blueprint, abort, request, url_for

from graph import audit
from graph.evidence import View
from graph.validate import Record
from webapp import sources, terms
from webapp.graphstore import get_store
from webapp.pages import error, respond
from webapp.validation import get_report

bp = Blueprint("audit", __name__)


def shacl_records() -> list[Record]:
    """The SHACL results of the app's graph: the validation page's report, read once."""
    return get_report().records


def chosen_filters() -> dict[str, tuple[str, str]]:
    """The request's filters as {name: (IRI, label)}; empty values are no filter.

    Aborts 400 with one line when a slug names no plan or organisation in the graph.
    """
    chosen = {}
    for name in audit.FILTERS:
        slug = request.args.get(name, "").strip()
        if not slug:
            continue
        try:
            chosen[name] = audit.resolve(get_store(), name, slug)
        except audit.UnknownFilter as problem:
            abort(error(400, f"Unknown {name} filter: {problem}", html=False))
    return chosen


def gaps_for(chosen: dict[str, tuple[str, str]]) -> tuple[list[audit.Gap], list[audit.Gap]]:
    """All gaps, and those the filters keep."""
    everything = audit.worklist(get_store(), shacl_records())
    wanted = {name: iri for name, (iri, _) in chosen.items()}
    return everything, audit.select(everything, **wanted)


def title(chosen: dict[str, tuple[str, str]]) -> str:
    """The list's title, naming its filters."""
    scope = " and ".join(label for _, label in chosen.values())
    return f"Audit worklist: {scope}" if scope else "Audit worklist: all plans"


def evidence_view() -> View:
    """The filtered worklist for an evidence pack (registered in webapp/evidence.py).

    Aborts 400 on an unknown filter, as the page does.
    """
    chosen = chosen_filters()
    _, gaps = gaps_for(chosen)
    url = url_for("audit.index", _external=True, **_slugs(chosen))
    return audit.view(gaps, shacl_records(), title(chosen), url)


def _slugs(chosen: dict[str, tuple[str, str]]) -> dict[str, str]:
    return {name: iri.rsplit("/", 1)[-1] for name, (iri, _) in chosen.items()}


def _linked(gap: audit.Gap) -> dict:
    """A gap for the page and the JSON twin, with links to its node and source line."""
    source = sources.line_href(gap.document, gap.line) if gap.document else None
    return {
        **audit.as_json(gap),
        "href": terms.href(gap.node),
        "source": {**audit.as_json(gap)["source"], "href": source},
        "organisations": [
            {"iri": iri, "label": label, "href": terms.href(iri)}
            for iri, label in gap.organisations
        ],
    }


def _options(gaps: list[audit.Gap]) -> dict[str, list[tuple[str, str, int]]]:
    """The form's choices: plans and organisations that have gaps, as (slug, label, count)."""
    return {
        by: [
            (iri.rsplit("/", 1)[-1], label, sum(kinds.values()))
            for (iri, label), kinds in audit.counts(gaps, by).items()
            if iri
        ]
        for by in audit.FILTERS
    }


@bp.get("/audit", defaults={"fmt": "html"})
@bp.get("/audit.<any(json, csv):fmt>")
def index(fmt: str):
    """The worklist, filtered by plan and organisation, with counts by kind per plan."""
    chosen = chosen_filters()
    everything, gaps = gaps_for(chosen)
    data = {
        "title": title(chosen),
        "filters": {name: slug for name, slug in _slugs(chosen).items()},
        "count": len(gaps),
        "by_plan": [
            {"plan": {"iri": iri, "label": label}, "kinds": dict(kinds)}
            for (iri, label), kinds in audit.counts(gaps, "plan").items()
        ],
        "gaps": [_linked(g) for g in gaps],
    }
    return respond(
        fmt,
        "audit/index.html",
        data,
        table=lambda: (audit.COLUMNS, [g.row() for g in gaps]),
        kinds=audit.ORDER,
        options=_options(everything),
        evidence=url_for("evidence.view", name="audit", **_slugs(chosen)),
    )
