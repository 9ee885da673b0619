"""Browsing pages: a plan as a tree, and an organisation across all plans.

/plans/<slug> shows a plan's themes, then priorities, then actions (nested lists, no
JavaScript), each with its lead partners and measures; a measure cell that names no
measure (``hwb:MeasurePlaceholder``) is flagged. /organisations/<slug> shows what one
organisation leads, partners in and publishes, grouped by plan. Both have .json and .csv
twins (the plan's CSV is its tree as a flat table, one row per item) and evidence packs.
The plan's tree is computed in webapp/plans.py.
"""

from __future__ import annotations

import pyoxigraph as ox
from flask import Blueprint, abort, request, url_for

from graph import facts, organisation_roles, sparql
from graph.evidence import View
from webapp import paging
from webapp.graphstore import digest, get_store
from webapp.pages import error, respond
from webapp.plans import (
    PLAN_CLASSES,
    TABLE_COLUMNS,
    TABLE_NOTES,
    browsable,
    minted,
    order,
    plan_info,
    plan_tree,
    table_queries,
    table_rows,
    tree_json,
    value,
    where,
)
from webapp.plans import page_for as page_for  # entities.py links through browse.page_for
from webapp.terms import Term, label_pattern, label_vars, labelled, labels

bp = Blueprint("browse", __name__)

# The kind's label is looked up inside its OPTIONAL: after it, an organisation without a
# kind reached the label lookups with ?kind unbound, and they read every label (70 ms at 100x).
ORGANISATION = f"""
SELECT ?org ?kind ?gss ?ods ?comment {label_vars("org", "kind")} WHERE {{
  ?org a org:Organization .
  OPTIONAL {{ ?org hwb:organisationKind ?kind . {label_pattern("kind")} }}
  OPTIONAL {{ ?org hwb:gssCode ?gss }}
  OPTIONAL {{ ?org hwb:odsCode ?ods }} OPTIONAL {{ ?org rdfs:comment ?comment }}
  {label_pattern("org")}
}}
"""
ALIASES = "SELECT ?org ?alias WHERE { ?org skos:altLabel ?alias } ORDER BY LCASE(?alias)"
UNITS = f"""
SELECT ?org ?relation ?x {label_vars("x")} WHERE {{
  {{ ?org org:unitOf ?x BIND("Part of" AS ?relation) }}
  UNION {{ ?x org:unitOf ?org BIND("Units" AS ?relation) }}
  {label_pattern("x")}
}} ORDER BY ?relation
"""
# The organisation's plans and items come from the build's digest
# (graph/organisation_roles.py); what is shown of the items is asked of them by name.
ITEMS = f"""
SELECT DISTINCT ?item ?kind_label ?doc ?line {label_vars("item")} WHERE {{
  VALUES ?item {{ %s }}
  ?item a ?kind . ?kind rdfs:label ?kind_label . FILTER(STRSTARTS(STR(?kind), STR(hwb:)))
  OPTIONAL {{ GRAPH ?g {{
    ?item hwb:sourceDocument ?doc OPTIONAL {{ ?item hwb:sourceLine ?line }}
  }} }}
  {label_pattern("item")}
}}
"""
ROLES_NOTES = (
    "An organisation's plans are found once per build by the queries role-links, "
    "own-plans and owners, joined in code (graph/organisation_roles.py): an item belongs to "
    "its own plan, a statement without one to its owner's, a published plan to itself. "
    "The items query gives what the table shows of each item."
)
NOUNS = {"plan": "plan", "org": "organisation"}
"""What a page's kind of IRI (``mint`` kind) is called: in its 404 and its endpoint."""
NO_PLAN = Term("", "No plan recorded")
"""The group of items whose plan is not recorded."""
CSV_COLUMNS = ["plan", "plan_label", "role", "kind", "item", "notation", "label", "line"]
PLANS_PER_PAGE = 20
"""An organisation's roles are shown this many plans a page (the CSV has every plan)."""


def _found(kind: str, slug: str, find, fmt: str) -> tuple[ox.NamedNode, dict]:
    """The node a URL slug names and what ``find(node)`` says of it.

    Aborts with a 404 (a page, or one line for .json/.csv) when the slug names nothing.
    """
    iri = minted(kind, slug)
    info = find(ox.NamedNode(iri)) if iri else None
    if info is None:
        abort(error(404, f"No {NOUNS[kind]} of that name", html=fmt == "html"))
    return ox.NamedNode(iri), info


@bp.get("/plans/<slug>", defaults={"fmt": "html"})
@bp.get("/plans/<slug>.<any(json, csv):fmt>")
def plan(slug: str, fmt: str):
    """A plan: its header and the tree of its themes, priorities and actions."""
    node, info = _found("plan", slug, plan_info, fmt)
    tree = plan_tree(node)
    data = {
        "plan": {
            **info["term"].as_json(),
            **{key: info[key] for key in ("kind", "period", "status", "issued", "area")},
            "publishers": [t.as_json() for t in info["publishers"]],
            "source_line": (info["where"] or {}).get("line"),
            "related_by": [t.as_json() for t in info["related_by"]],
        },
        "tree": tree_json(tree),
    }
    return respond(
        fmt, "browse/plan.html", data,
        table=lambda: (TABLE_COLUMNS, table_rows(tree)), info=info, roots=tree,
        evidence=url_for("evidence.view", name="plan", slug=slug),
    )  # fmt: skip


def organisation_info(node: ox.NamedNode) -> dict | None:
    """Label, kind, codes, aliases and units of an organisation; None when it is none."""
    store, bound = get_store(), {"org": node}
    row = next(iter(sparql.run(store, ORGANISATION, bound).results), None)
    if row is None:
        return None
    units: dict[str, list[Term]] = {}
    for unit in sparql.run(store, UNITS, bound).results:
        units.setdefault(unit["relation"].value, []).append(labelled(unit, "x"))
    return {
        "term": labelled(row, "org"),
        "kind": labelled(row, "kind"),
        **{key: value(row, key) for key in ("gss", "ods", "comment")},
        "aliases": [r["alias"].value for r in sparql.run(store, ALIASES, bound).results],
        "units": units,
    }


def plans_of(node: ox.NamedNode) -> list[list]:
    """The organisation's plans as the digest lists them: ``[plan IRI, [[item, role]...]]``."""
    return digest(organisation_roles.DIGEST).get(node.value, [])


def roles_by_plan(plans: list[list]) -> list[dict]:
    """``plans`` (from :func:`plans_of`, or a page of them) with their plans' and items'
    labels, kinds and lines: the groups the page and the CSV show."""
    store = get_store()
    items = {item for _, found in plans for item, _ in found}
    shown = {}
    if items:
        for row in sparql.run(store, items_query(items)).results:
            shown.setdefault(row["item"].value, row)
    titles = labels(store, [plan for plan, _ in plans if plan])
    groups = []
    for plan, found in plans:
        plan_term = browsable(titles[plan], PLAN_CLASSES) if plan else NO_PLAN
        rows = [(shown[item], role) for item, role in found if item in shown]
        listed = [
            {"term": labelled(row, "item"), "role": role, "kind": row["kind_label"].value,
             "where": where(row)}
            for row, role in rows
        ]  # fmt: skip
        listed.sort(key=lambda i: (organisation_roles.ROLE_ORDER.index(i["role"]), order(i)))
        groups.append({"plan": plan_term, "items": listed})
    return groups


def items_query(items) -> str:
    """ITEMS asked of ``items`` (IRIs from the graph, written by pyoxigraph)."""
    return ITEMS % facts.values(items)


def _role_rows(groups: list[dict]):
    """One CSV row per plan, role and item."""
    for group in groups:
        for item in group["items"]:
            read_at = item["where"] or {}
            yield [group["plan"].value, group["plan"].label, item["role"], item["kind"],
                   item["term"].value, item["term"].notation, item["term"].label,
                   read_at.get("line") or ""]  # fmt: skip


@bp.get("/organisations/<slug>", defaults={"fmt": "html"})
@bp.get("/organisations/<slug>.<any(json, csv):fmt>")
def organisation(slug: str, fmt: str):
    """An organisation: who it is, and its roles across all plans, a page of plans at a
    time (the JSON too; the CSV has every role)."""
    node, info = _found("org", slug, organisation_info, fmt)
    every = plans_of(node)
    page = paging.paged(len(every), PLANS_PER_PAGE, fmt)
    groups = roles_by_plan(page.rows(every))
    data = {
        "organisation": {
            **info["term"].as_json(),
            "kind": info["kind"].as_json() if info["kind"] else None,
            **{key: info[key] for key in ("gss", "ods", "comment", "aliases")},
            "units": {k: [t.as_json() for t in v] for k, v in info["units"].items()},
        },
        "plans": [
            {
                "plan": group["plan"].as_json() if group["plan"].value else None,
                "items": [
                    {
                        **i["term"].as_json(),
                        "role": i["role"],
                        "kind": i["kind"],
                        "line": (i["where"] or {}).get("line"),
                    }
                    for i in group["items"]
                ],
            }  # fmt: skip
            for group in groups
        ],
        "total_plans": len(every),
        **page.json(),
    }
    return respond(
        fmt, "browse/organisation.html", data,
        table=lambda: (CSV_COLUMNS, _role_rows(roles_by_plan(every))), info=info, groups=groups,
        evidence=url_for("evidence.view", name="organisation", slug=slug),
    )  # fmt: skip


def _evidence(kind: str, find, table, queries, title: str, notes: str = "") -> View:
    """The table of the page whose slug is ``?slug=``, as an evidence pack's View.

    ``table(node)`` gives the columns and rows of the page's CSV twin and ``queries(node)``
    the queries as they ran, by name; those that use ``?<kind>`` ran with it bound to the
    node. Aborts with a one-line 404 for an unknown slug.
    """
    slug = request.args.get("slug", "")
    node, info = _found(kind, slug, find, "csv")
    columns, rows = table(node)
    queries = queries(node)
    noun = NOUNS[kind]
    return View(
        name=f"{noun}-{slug}",
        title=f"{title}: {info['term'].label}",
        columns=columns,
        rows=list(rows),
        queries=queries,
        bindings={name: {kind: str(node)} for name, text in queries.items() if f"?{kind}" in text},
        url=url_for(f"browse.{noun}", slug=slug, _external=True),
        notes=notes,
    )


def organisation_evidence() -> View:
    """The roles table of the organisation named by ``?slug=``, for an evidence pack
    (registered in webapp/evidence.py)."""
    return _evidence(
        "org", organisation_info,
        lambda node: (CSV_COLUMNS, _role_rows(roles_by_plan(plans_of(node)))),
        _roles_queries, "Roles across the plans", notes=ROLES_NOTES,
    )  # fmt: skip


def plan_evidence() -> View:
    """The flat table of the plan named by ``?slug=``, for an evidence pack (registered
    in webapp/evidence.py)."""
    return _evidence(
        "plan", plan_info, lambda node: (TABLE_COLUMNS, table_rows(plan_tree(node))),
        table_queries, "Themes, priorities and actions", notes=TABLE_NOTES,
    )  # fmt: skip


def _roles_queries(node: ox.NamedNode) -> dict[str, str]:
    """The queries behind an organisation's roles table, as they ran."""
    items = {item for _, found in plans_of(node) for item, _ in found}
    return {
        "role-links": organisation_roles.ROLE_LINKS,
        "own-plans": organisation_roles.OWN_PLANS,
        "owners": organisation_roles.OWNERS,
        **({"items": items_query(items)} if items else {}),
    }
