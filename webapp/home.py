"""Home page: the plans, how much the graph holds about each, its validity and its age."""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, url_for

from graph import sparql
from webapp import terms, validation
from webapp.graphstore import get_store
from webapp.pages import respond

bp = Blueprint("home", __name__)

PLANS = f"""
SELECT * WHERE {{
  ?plan a ?kind . ?kind rdfs:subClassOf hwb:Plan .
  OPTIONAL {{ ?plan hwb:period ?period }}
  OPTIONAL {{ ?plan dcterms:issued ?issued }}
  OPTIONAL {{ ?plan dcterms:publisher ?publisher . {terms.label_pattern("publisher")} }}
  {terms.label_pattern("plan")} {terms.label_pattern("kind")}
}}
"""
"""The plans the sources describe: typed with a kind of plan (hwb:Strategy...). Plans only
named as a related strategy are plain hwb:Plan and are counted apart (REFERENCED)."""
COUNTS = """
SELECT ?plan ?what (COUNT(DISTINCT ?x) AS ?n) WHERE {
  { ?x hwb:plan ?plan ; a hwb:Theme . BIND("themes" AS ?what) }
  UNION { ?class rdfs:subClassOf* hwb:Priority . ?x a ?class ; hwb:plan ?plan .
          BIND("priorities" AS ?what) }
  UNION { ?x hwb:plan ?plan ; a hwb:Action . BIND("actions" AS ?what) }
  UNION { ?item hwb:plan ?plan ; hwb:measure ?x . BIND("measures" AS ?what) }
  UNION { ?item hwb:plan ?plan ; (hwb:rationale|hwb:improvementPlan|hwb:progress)? ?named .
          ?named hwb:leadPartner|hwb:partner|hwb:mention/hwb:refersTo ?x .
          BIND("organisations" AS ?what) }
} GROUP BY ?plan ?what
"""
"""Per plan: its themes, priorities (of every kind), actions, the measures its items name,
and the organisations its items (or their statements) name as lead or partner. ?plan has
no type test: it made Oxigraph three times slower."""
COUNTED = ("themes", "priorities", "actions", "measures", "organisations")
REFERENCED = "SELECT (COUNT(DISTINCT ?plan) AS ?n) WHERE { ?plan a hwb:Plan }"
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


def plans() -> list[dict]:
    """Every described plan with its kind, period, publishers and counts, by title."""
    found: dict[str, dict] = {}
    for row in sparql.run(get_store(), PLANS).results:
        iri = row["plan"].value
        plan = found.setdefault(
            iri,
            {
                "plan": terms.labelled(row, "plan"),
                "href": plan_href(iri),
                "kind": terms.labelled(row, "kind"),
                "period": sparql.term_text(row["period"]),
                "issued": sparql.term_text(row["issued"]),
                "publishers": {},
                **dict.fromkeys(COUNTED, 0),
            },
        )
        if row["publisher"] is not None:
            plan["publishers"][row["publisher"].value] = terms.labelled(row, "publisher")
    for row in sparql.run(get_store(), COUNTS).results:
        if row["plan"].value in found:  # an item of a plan only referenced: not listed
            found[row["plan"].value][row["what"].value] = int(row["n"].value)
    return sorted(found.values(), key=lambda p: p["plan"].label.lower())


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
    """The plans table for the .csv twin: one row per plan."""
    columns = ["plan", "title", "kind", "period", "publishers", *COUNTED]
    rows = (
        [
            p["plan"].value,
            p["plan"].label,
            p["kind"].label,
            p["period"],
            " | ".join(t.label for t in p["publishers"].values()),
            *(p[c] for c in COUNTED),
        ]
        for p in found
    )
    return columns, rows


@bp.get("/", defaults={"fmt": "html"})
@bp.get("/index.<any(json, csv):fmt>")
def index(fmt: str):
    """The plans with their counts, the validation summary and when the graph was built."""
    found = plans()
    build = build_activity()
    referenced = sparql.run(get_store(), REFERENCED).results
    data = {
        "plans": [_plan_json(p) for p in found],
        "referenced_plans": int(next(iter(referenced))["n"].value),
        "validation": validation.summary(),
        "built": build
        and {
            **build,
            "activity": build["activity"].as_json(),
            "ended": build["ended"].isoformat(),
        },
        "statements": len(get_store()),
    }
    return respond(
        fmt, "home/index.html", data, table=lambda: _table(found), found=found, build=build
    )
