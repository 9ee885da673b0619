"""Home page: the plans, how much the graph holds about each, its validity and its age."""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, url_for

from graph import listings, sparql, void
from webapp import graphstore, paging, terms, validation
from webapp.graphstore import get_store
from webapp.pages import respond

bp = Blueprint("home", __name__)

PER_PAGE = 100
COUNTED = listings.COUNTED

BUILD = """
SELECT ?build ?ended (COUNT(DISTINCT ?doc) AS ?documents) WHERE {
  ?build a prov:Activity ; prov:endedAtTime ?ended .
  OPTIONAL { ?build prov:used ?doc . ?doc a hwb:SourceDocument }
} GROUP BY ?build ?ended ORDER BY DESC(?ended) LIMIT 1
"""
"""The build's PROV-O description (graph/build.py): when it ended, how many sources."""


def plan_href(iri: str) -> str:
    """The plan's browsing page."""
    return url_for("browse.plan", slug=terms.local_path(iri).split("/", 1)[-1])


def plans() -> tuple[list[dict], int]:
    """Every described plan with its kind, period, publishers and counts, by title (the
    build's "plans" digest, graph/listings.py), and how many more plans they refer to."""
    found = graphstore.digest("plans")
    return found["plans"], found["referenced"]


def _shown(plan: dict) -> dict:
    """A plan of the digest as the page shows it: terms linked to their pages."""
    return {
        **plan,
        "plan": terms.named(*plan["plan"]),
        "href": plan_href(plan["plan"][0]),
        "kind": terms.named(*plan["kind"]),
        "publishers": {p[0]: terms.named(*p) for p in plan["publishers"]},
    }


def build_activity() -> dict | None:
    """When the graph was built and from how many source documents (None if unsaid)."""
    for row in sparql.run(get_store(), BUILD).results:
        return {
            "activity": terms.term(row["build"]),
            "ended": dt.datetime.fromisoformat(row["ended"].value),
            "documents": int(row["documents"].value),
        }
    return None


def _plan_json(plan: dict) -> dict:
    """A plan row for the .json twin: terms as IRI and label."""
    return {
        **plan,
        "plan": plan["plan"].as_json(),
        "kind": plan["kind"].as_json(),
        "publishers": [p.as_json() for p in plan["publishers"].values()],
    }


def _table(found: list[dict]):
    """The plans table for the .csv twin: one row per plan, every plan."""
    columns = ["plan", "title", "kind", "period", "publishers", *COUNTED]
    rows = (
        [
            p["plan"][0],
            p["plan"][1],
            terms.named(*p["kind"]).label,
            p["period"],
            " | ".join(label for _, label, _ in p["publishers"]),
            *(p[c] for c in COUNTED),
        ]
        for p in found
    )
    return columns, rows


@bp.get("/", defaults={"fmt": "html"})
@bp.get("/index.<any(json, csv):fmt>")
def index(fmt: str):
    """The plans with their counts (paged; the CSV has every plan), the validation
    summary and when the graph was built."""
    everything, referenced = plans()
    page = paging.paged(len(everything), PER_PAGE, fmt)
    found = [_shown(p) for p in page.rows(everything)]
    build = build_activity()
    data = {
        "plans": [_plan_json(p) for p in found],
        "total_plans": len(everything),
        **page.json(),
        "referenced_plans": referenced,
        "validation": validation.summary(),
        "built": build
        and {
            **build,
            "activity": build["activity"].as_json(),
            "ended": build["ended"].isoformat(),
        },
        "statements": statements(),
    }
    return respond(
        fmt, "home/index.html", data, table=lambda: _table(everything), found=found, build=build
    )


def statements() -> int:
    """How many statements the build holds: its VoID statistics (graph/void.py), or the
    store's size for a build made before it had them."""
    counted = graphstore.derived("statements", lambda: void.statements(get_store()))
    return len(get_store()) if counted is None else counted
