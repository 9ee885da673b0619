"""Browsing pages: a plan as a tree, and an organisation across all plans.

/plans/<slug> shows a plan's themes, then priorities, then actions (nested lists, no
JavaScript), each with its lead partners and measures; a measure cell that names no
measure (``hwb:MeasurePlaceholder``) is flagged. /organisations/<slug> shows what one
organisation leads, partners in and publishes, grouped by plan. Both have .json twins;
the organisation page also a .csv one.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import replace

import pyoxigraph as ox
from flask import Blueprint, abort, request, url_for

from graph import sparql
from graph.evidence import View
from graph.ids import mint
from graph.namespace import HWB
from graph.sparql import PREFIXES
from webapp import terms
from webapp.graphstore import get_store
from webapp.pages import error, respond
from webapp.sources import SLUG, line_href
from webapp.terms import Term, label_pattern, label_vars, labelled, sort_key

bp = Blueprint("browse", __name__)

PLAN_CLASSES = {
    str(c)
    for c in (HWB.Plan, HWB.Strategy, HWB.ActionPlan, HWB.ProposedPriorities, HWB.ProgressReport,
              HWB.IcsPriorities)
}  # fmt: skip
ORGANIZATION = PREFIXES["org"] + "Organization"
HWB_THEME = ox.NamedNode(str(HWB.theme))
STRUCTURE = ("hwb:Theme", "hwb:Priority", "hwb:Objective", "hwb:PriorityArea",
             "hwb:Commitment", "hwb:Action", "hwb:Initiative")  # fmt: skip
"""The kinds a plan's tree is made of, from theme down to action."""
DETAILS = {
    "hwb:leadPartner": "lead",
    "hwb:partner": "partners",
    "hwb:measure": "measures",
    "hwb:measurePlaceholder": "placeholders",
}
"""What each tree item shows beside its label, by the property that links it."""

# A plan's members, the priorities they serve (also another plan's, as a progress report's
# initiatives serve the strategy's commitments) and the themes of those.
TREE_NODES = f"""
?member hwb:plan ?plan ; a ?member_kind . VALUES ?member_kind {{ {" ".join(STRUCTURE)} }}
?member (hwb:priority|skos:broader)*/hwb:theme? ?node .
?node a ?kind . VALUES ?kind {{ {" ".join(STRUCTURE)} }}
"""
PLAN = f"""
SELECT ?plan ?kind_label ?period ?status ?issued ?area ?doc ?line {label_vars("plan")} WHERE {{
  ?plan a ?kind . ?kind rdfs:subClassOf* hwb:Plan ; rdfs:label ?kind_label .
  OPTIONAL {{ ?plan hwb:period ?period }} OPTIONAL {{ ?plan hwb:status ?status }}
  OPTIONAL {{ ?plan dcterms:issued ?issued }} OPTIONAL {{ ?plan hwb:area ?area }}
  OPTIONAL {{ ?plan hwb:sourceDocument ?doc OPTIONAL {{ ?plan hwb:sourceLine ?line }} }}
  {label_pattern("plan")}
}}
"""
PUBLISHERS = f"""
SELECT ?plan ?org {label_vars("org")} WHERE {{
  ?plan dcterms:publisher ?org . {label_pattern("org")}
}} ORDER BY ?org
"""
# One row per tree item; its links to parents and themes come from LINKS (a product of
# both in one query would multiply the rows).
NODES = f"""
SELECT ?plan ?node ?kind_label ?home ?doc ?line {label_vars("node")} WHERE {{
  {{ SELECT DISTINCT ?plan ?node ?kind WHERE {{ {TREE_NODES} }} }}
  ?kind rdfs:label ?kind_label .
  OPTIONAL {{ ?node hwb:plan ?home }}
  OPTIONAL {{ ?node hwb:sourceDocument ?doc OPTIONAL {{ ?node hwb:sourceLine ?line }} }}
  {label_pattern("node")}
}}
"""
LINKS = f"""
SELECT DISTINCT ?plan ?node ?rel ?target WHERE {{
  {{ SELECT DISTINCT ?plan ?node WHERE {{ {TREE_NODES} }} }}
  VALUES ?rel {{ hwb:priority skos:broader hwb:theme }} ?node ?rel ?target .
}}
"""
NODE_DETAILS = f"""
SELECT DISTINCT ?plan ?node ?p ?o {label_vars("o")} WHERE {{
  {{ SELECT DISTINCT ?plan ?node WHERE {{ {TREE_NODES} }} }}
  VALUES ?p {{ {" ".join(DETAILS)} }} ?node ?p ?o .
  {label_pattern("o")}
}}
"""
RELATED_BY = f"""
SELECT ?plan ?x {label_vars("x")} WHERE {{ ?x hwb:relatedPlan ?plan . {label_pattern("x")} }}
"""
ORGANISATION = f"""
SELECT ?org ?kind ?gss ?ods ?comment {label_vars("org", "kind")} WHERE {{
  ?org a org:Organization .
  OPTIONAL {{ ?org hwb:organisationKind ?kind }} OPTIONAL {{ ?org hwb:gssCode ?gss }}
  OPTIONAL {{ ?org hwb:odsCode ?ods }} OPTIONAL {{ ?org rdfs:comment ?comment }}
  {label_pattern("org")} {label_pattern("kind")}
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
# A statement without hwb:plan (progress, improvement plan) belongs to its owner's plan.
ROLES = f"""
SELECT DISTINCT ?org ?item ?role ?plan ?kind_label ?doc ?line {label_vars("item", "plan")}
WHERE {{
  VALUES (?p ?role) {{ (hwb:leadPartner "lead") (hwb:partner "partner")
                       (dcterms:publisher "publisher") }}
  ?item ?p ?org ; a ?kind . ?kind rdfs:label ?kind_label .
  FILTER(STRSTARTS(STR(?kind), STR(hwb:)))
  OPTIONAL {{ ?item hwb:plan ?own }}
  OPTIONAL {{ ?owner hwb:progress|hwb:improvementPlan|hwb:rationale ?item ; hwb:plan ?via }}
  BIND(IF(?role = "publisher", ?item, COALESCE(?own, ?via)) AS ?plan)
  OPTIONAL {{ ?item hwb:sourceDocument ?doc OPTIONAL {{ ?item hwb:sourceLine ?line }} }}
  {label_pattern("item")} {label_pattern("plan")}
}}
"""
ROLE_ORDER = ("publisher", "lead", "partner")
CSV_COLUMNS = ["plan", "plan_label", "role", "kind", "item", "notation", "label", "line"]


def page_for(iri: str, types: Collection[str]) -> str | None:
    """The browse page of a plan or organisation IRI (None for anything else).

    Entity pages link here so a reader can go from the raw triples to the readable view.
    """
    path = terms.local_path(iri) or ""
    kind, _, slug = path.partition("/")
    if kind == "plan" and PLAN_CLASSES.intersection(types) and _minted("plan", slug) == iri:
        return url_for("browse.plan", slug=slug)
    if kind == "org" and ORGANIZATION in types and _minted("org", slug) == iri:
        return url_for("browse.organisation", slug=slug)
    return None


def _minted(kind: str, slug: str) -> str | None:
    """The IRI ``mint`` gives a URL slug, or None when the slug is not one (a 404)."""
    return str(mint(kind, slug)) if SLUG.fullmatch(slug) else None


def _found(kind: str, slug: str, find, fmt: str) -> tuple[ox.NamedNode, dict]:
    """The node a URL slug names and what ``find(node)`` says of it.

    Aborts with a 404 (a page, or one line for .json/.csv) when the slug names nothing.
    """
    iri = _minted(kind, slug)
    info = find(ox.NamedNode(iri)) if iri else None
    if info is None:
        noun = {"plan": "plan", "org": "organisation"}[kind]
        abort(error(404, f"No {noun} called {slug!r}", html=fmt == "html"))
    return ox.NamedNode(iri), info


def _browsable(term: Term, types: set[str]) -> Term:
    """``term`` linking to its browse page (plans, organisations) instead of its triples."""
    return replace(term, href=page_for(term.value, types) or term.href)


def _value(row, var: str):
    """A literal as text (or None), an integer for line numbers."""
    term = row[var]
    if term is None:
        return None
    return int(term.value) if var == "line" else term.value


def _where(row) -> dict | None:
    """Where a row's node was read: the source line's URL and its line number."""
    if row["doc"] is None:
        return None
    line = _value(row, "line")
    return {"href": line_href(row["doc"].value, line), "line": line}


def _order(item: dict) -> tuple:
    """Document order (source line) first, then printed number and label."""
    line = (item.get("where") or {}).get("line")
    return (line is None, line or 0, sort_key(item["term"]))


def plan_info(node: ox.NamedNode) -> dict | None:
    """The plan's title, kind, period, publishers and source; None when it is no plan."""
    store, bound = get_store(), {"plan": node}
    row = next(iter(sparql.run(store, PLAN, bound).results), None)
    if row is None:
        return None
    info = {
        "term": labelled(row, "plan"),
        "kind": row["kind_label"].value,
        **{key: _value(row, key) for key in ("period", "status", "issued", "area")},
        "where": _where(row),
    }
    info["publishers"] = [
        _browsable(labelled(r, "org"), {ORGANIZATION})
        for r in sparql.run(store, PUBLISHERS, bound).results
    ]
    info["related_by"] = sorted(
        (labelled(r, "x") for r in sparql.run(store, RELATED_BY, bound).results), key=sort_key
    )
    return info


def _nodes(node: ox.NamedNode) -> dict[str, dict]:
    """Every tree item of the plan by IRI, with its parents, themes and details."""
    store, bound = get_store(), {"plan": node}
    items: dict[str, dict] = {}
    for row in sparql.run(store, NODES, bound).results:
        items[row["node"].value] = {
            "term": labelled(row, "node"), "kind": row["kind_label"].value,
            "where": _where(row), "parents": [], "themes": [],
            "foreign": row["home"].value if row["home"] not in (None, node) else None,
            **{key: {} for key in DETAILS.values()},
        }  # fmt: skip
    for row in sparql.run(store, LINKS, bound).results:
        key = "themes" if row["rel"] == HWB_THEME else "parents"
        items[row["node"].value][key].append(row["target"].value)
    homes = terms.labels(store, [i["foreign"] for i in items.values() if i["foreign"]])
    for item in items.values():
        if item["foreign"]:
            item["foreign"] = _browsable(homes[item["foreign"]], PLAN_CLASSES)
    for row in sparql.run(store, NODE_DETAILS, bound).results:
        key = DETAILS[terms.short(row["p"].value)]
        value = labelled(row, "o")
        if key in ("lead", "partners"):
            value = _browsable(value, {ORGANIZATION})
        items[row["node"].value][key][value.value] = value
    return items


def plan_tree(node: ox.NamedNode) -> list[dict]:
    """Themes, then priorities, then actions, each level in document order.

    An item goes under its priority (or broader priority area) when it has one, else
    under its themes, else at the top. An item tagged with several themes is shown in
    full under the first and as a cross-reference under the others, so nothing is listed
    twice.
    """
    items = _nodes(node)
    for item in items.values():
        item["children"] = []
        for key in DETAILS.values():
            item[key] = sorted(item[key].values(), key=sort_key)
    roots: list[dict] = []
    for iri, item in sorted(items.items(), key=lambda pair: _order(pair[1])):
        parents = [p for p in item["parents"] if p in items]
        themes = sorted((items[t] for t in item["themes"] if t in items), key=_order)
        if parents:
            items[parents[0]]["children"].append(item)
        elif themes:
            themes[0]["children"].append(item)
            for other in themes[1:]:
                other["children"].append(
                    {"see": item, "term": item["term"], "where": item["where"]}
                )
        else:
            roots.append(item)
        item["anchor"] = "n-" + (terms.local_path(iri) or iri).replace("/", "-")
    return roots


def _tree_json(items: list[dict]) -> list[dict]:
    """The tree for the .json twin: terms as IRI and label, nested children."""
    found = []
    for item in items:
        if "see" in item:
            found.append({"see": item["term"].value})
            continue
        found.append(
            {
                **item["term"].as_json(),
                "kind": item["kind"],
                "line": (item["where"] or {}).get("line"),
                **{key: [t.as_json() for t in item[key]] for key in DETAILS.values()},
                "children": _tree_json(item["children"]),
            }
        )
    return found


@bp.get("/plans/<slug>", defaults={"fmt": "html"})
@bp.get("/plans/<slug>.<any(json):fmt>")
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
        "tree": _tree_json(tree),
    }
    return respond(fmt, "browse/plan.html", data, info=info, roots=tree)


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
        **{key: _value(row, key) for key in ("gss", "ods", "comment")},
        "aliases": [r["alias"].value for r in sparql.run(store, ALIASES, bound).results],
        "units": units,
    }


def roles_by_plan(node: ox.NamedNode) -> list[dict]:
    """What the organisation publishes, leads and partners in, grouped by plan."""
    plans: dict[str, dict] = {}
    for row in sparql.run(get_store(), ROLES, {"org": node}).results:
        found = labelled(row, "plan")
        plan_term = _browsable(found, PLAN_CLASSES) if found else Term("", "No plan recorded")
        group = plans.setdefault(plan_term.value, {"plan": plan_term, "items": {}})
        group["items"].setdefault(
            (row["item"].value, row["role"].value),
            {"term": labelled(row, "item"), "role": row["role"].value,
             "kind": row["kind_label"].value, "where": _where(row)},
        )  # fmt: skip
    groups = sorted(plans.values(), key=lambda g: (not g["plan"].value, g["plan"].label.lower()))
    for group in groups:
        group["items"] = sorted(
            group["items"].values(), key=lambda i: (ROLE_ORDER.index(i["role"]), _order(i))
        )
    return groups


def _role_rows(groups: list[dict]):
    """One CSV row per plan, role and item."""
    for group in groups:
        for item in group["items"]:
            where = item["where"] or {}
            yield [group["plan"].value, group["plan"].label, item["role"], item["kind"],
                   item["term"].value, item["term"].notation, item["term"].label,
                   where.get("line") or ""]  # fmt: skip


@bp.get("/organisations/<slug>", defaults={"fmt": "html"})
@bp.get("/organisations/<slug>.<any(json, csv):fmt>")
def organisation(slug: str, fmt: str):
    """An organisation: who it is, and its roles across all plans."""
    node, info = _found("org", slug, organisation_info, fmt)
    groups = roles_by_plan(node)
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
    }
    return respond(
        fmt, "browse/organisation.html", data,
        table=lambda: (CSV_COLUMNS, _role_rows(groups)), info=info, groups=groups,
        evidence=url_for("evidence.view", name="organisation", slug=slug),
    )  # fmt: skip


def organisation_evidence() -> View:
    """The roles table of the organisation named by ``?slug=``, for an evidence pack
    (registered in webapp/evidence.py). Aborts with a one-line 404 for an unknown slug."""
    slug = request.args.get("slug", "")
    node, info = _found("org", slug, organisation_info, "csv")
    return View(
        name=f"organisation-{slug}",
        title=f"Roles across the plans: {info['term'].label}",
        columns=CSV_COLUMNS,
        rows=list(_role_rows(roles_by_plan(node))),
        queries={"roles": ROLES},
        bindings={"roles": {"org": str(node)}},
        url=url_for("browse.organisation", slug=slug, _external=True),
    )
