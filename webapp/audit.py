"""The audit worklist at /audit: the gaps in the sources, to chase plan by plan.

Filters are a GET form (``?plan=<slug>&organisation=<slug>``), so a filtered list is a URL
to share; /audit.json carries the same rows and filters, a page at a time as the page does
(``?page=``), and /audit.csv every row. Each row links to the node's page and to the
source line to check. The worklist joins the SHACL run with SPARQL over the whole graph
(seconds at scale), so `hwbkg build` computes it once as the "audit" digest
(graph/listings.py), indexed by plan and organisation with its counts: a request reads
that (once per build) and slices it.
"""

from __future__ import annotations

from flask import Blueprint, abort, request, url_for

from graph import audit
from graph.evidence import View
from graph.validate import Record
from webapp import paging, sources, terms
from webapp.graphstore import digest, get_store
from webapp.pages import error, respond
from webapp.validation import get_report

bp = Blueprint("audit", __name__)

PER_PAGE = 100


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


def gaps_for(chosen: dict[str, tuple[str, str]]) -> list[dict]:
    """The gaps the filters keep, in the worklist's order, as the digest holds them."""
    found = digest("audit")
    kept = [set(found["index"][name].get(iri, ())) for name, (iri, _) in chosen.items()]
    if not kept:
        return found["gaps"]
    return [found["gaps"][n] for n in sorted(set.intersection(*kept))]


def _gap(stored: dict) -> audit.Gap:
    """A gap of the digest as graph/audit.py has it."""
    return audit.Gap(**{**stored, "organisations": tuple(map(tuple, stored["organisations"]))})


def title(chosen: dict[str, tuple[str, str]]) -> str:
    """The list's title, naming its filters."""
    scope = " and ".join(label for _, label in chosen.values())
    return f"Audit worklist: {scope}" if scope else "Audit worklist: all plans"


def evidence_view() -> View:
    """The filtered worklist for an evidence pack (registered in webapp/evidence.py).

    Aborts 400 on an unknown filter, as the page does.
    """
    chosen = chosen_filters()
    gaps = [_gap(g) for g in gaps_for(chosen)]
    url = url_for("audit.index", _external=True, **_slugs(chosen))
    owners = audit.owner_queries(get_store(), gaps)
    return audit.view(gaps, shacl_records(), owners, title(chosen), url)


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


def _options() -> dict[str, list[tuple[str, str, int]]]:
    """The form's choices: plans and organisations that have gaps, as (slug, label, count)."""
    return {
        by: [(iri.rsplit("/", 1)[-1], label, n) for iri, label, n in choices]
        for by, choices in digest("audit")["choices"].items()
    }


def _by_plan(chosen: dict, gaps: list[audit.Gap]) -> list[dict]:
    """Gaps by kind per plan: the digest's for the whole list, else counted from ``gaps``."""
    if chosen:
        counted = [[iri, label, k] for (iri, label), k in audit.counts(gaps, "plan").items()]
    else:
        counted = digest("audit")["by_plan"]
    return [
        {"plan": {"iri": iri, "label": label}, "kinds": dict(kinds)}
        for iri, label, kinds in counted
    ]


@bp.get("/audit", defaults={"fmt": "html"})
@bp.get("/audit.<any(json, csv):fmt>")
def index(fmt: str):
    """The worklist, filtered by plan and organisation, with counts by kind per plan;
    the page and its JSON a page at a time, the CSV every row."""
    chosen = chosen_filters()
    stored = gaps_for(chosen)
    page = paging.paged(len(stored), PER_PAGE, fmt)
    shown = [_gap(g) for g in page.rows(stored)]
    data = {
        "title": title(chosen),
        "filters": {name: slug for name, slug in _slugs(chosen).items()},
        "count": len(stored),
        **page.json(),
        "by_plan": _by_plan(chosen, [_gap(g) for g in stored] if chosen else []),
        "gaps": [_linked(g) for g in shown],
    }
    return respond(
        fmt,
        "audit/index.html",
        data,
        table=lambda: (audit.COLUMNS, [_gap(g).row() for g in stored]),
        kinds=audit.ORDER,
        options=_options(),
        evidence=url_for("evidence.view", name="audit", **_slugs(chosen)),
    )
