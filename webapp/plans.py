"""A plan read from the graph: its header, its tree, and the tree as a flat table.

The browse pages (webapp/browse.py) show a plan as themes > priorities > actions; this
module computes that tree by SPARQL and flattens it for the page's CSV twin and evidence
pack (one row per item, in the page's order). It also says which browse page a plan or
organisation IRI has, because the tree links its partners and plans to those pages.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator
from dataclasses import replace

import pyoxigraph as ox
from flask import url_for

from graph import facts, sparql
from graph.sparql import PREFIXES
from vocab.ids import mint
from vocab.namespace import HWB
from webapp import terms
from webapp.graphstore import get_store
from webapp.sources import SLUG, line_href
from webapp.terms import Term, label_pattern, label_vars, labelled, sort_key

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
    "hwb:relatedPlan": "related",
}
"""What each tree item shows beside its label, by the property that links it."""
LINKED = {"lead": {ORGANIZATION}, "partners": {ORGANIZATION}, "related": PLAN_CLASSES}
"""The details that link to a browse page (organisations, plans), with the types that do."""

# A plan's members, the priorities they serve (also another plan's, as a progress report's
# initiatives serve the strategy's commitments) and the themes of those. The kinds are a
# FILTER, not VALUES: Oxigraph starts a VALUES join from every node of those kinds in the
# graph (0.5 s at 100x), a FILTER from the plan's own members (9 ms).
KINDS_IN = f"IN ({', '.join(STRUCTURE)})"
TREE_NODES = f"""
?member hwb:plan ?plan ; a ?member_kind . FILTER(?member_kind {KINDS_IN})
?member (hwb:priority|skos:broader)*/hwb:theme? ?node .
?node a ?kind . FILTER(?kind {KINDS_IN})
"""
PLAN = f"""
SELECT ?plan ?kind_label ?period ?status ?issued ?area ?doc ?line {label_vars("plan")} WHERE {{
  ?plan a ?kind . ?kind rdfs:subClassOf* hwb:Plan ; rdfs:label ?kind_label .
  OPTIONAL {{ ?plan hwb:period ?period }} OPTIONAL {{ ?plan hwb:status ?status }}
  OPTIONAL {{ ?plan dcterms:issued ?issued }} OPTIONAL {{ ?plan hwb:area ?area }}
  OPTIONAL {{ GRAPH ?g {{
    ?plan hwb:sourceDocument ?doc OPTIONAL {{ ?plan hwb:sourceLine ?line }}
  }} }}
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
  OPTIONAL {{ GRAPH ?g {{
    ?node hwb:sourceDocument ?doc OPTIONAL {{ ?node hwb:sourceLine ?line }}
  }} }}
  {label_pattern("node")}
}}
"""
# The tree's links and details are asked of its items by name (VALUES ?node, filled in from
# NODES' answer), and the properties are a FILTER: joined to NODES in one query, or with
# the properties as a second VALUES, Oxigraph read every such link in the graph first
# (0.2-0.3 s for a 99-item plan at 100x; 5 ms this way).
LINKS = """
SELECT ?node ?rel ?target WHERE {
  VALUES ?node { %s } ?node ?rel ?target . FILTER(?rel IN (hwb:priority, skos:broader, hwb:theme))
}
"""
NODE_DETAILS = f"""
SELECT DISTINCT ?node ?p ?o WHERE {{
  VALUES ?node {{ %s }} ?node ?p ?o . FILTER(?p IN ({", ".join(DETAILS)}))
}}
"""
RELATED_BY = f"""
SELECT ?plan ?x {label_vars("x")} WHERE {{ ?x hwb:relatedPlan ?plan . {label_pattern("x")} }}
"""
TABLE_COLUMNS = ["level", "notation", "label", "parent", "lead", "partners", "measures",
                 "related_plans", "from_plan", "line", "iri"]  # fmt: skip
"""The flat table's columns; ``parent`` names every item the row is listed under."""
TABLE_NOTES = (
    "The nodes, their links (priority, broader, theme) and their details are joined into "
    "a tree in code: an item goes under its priority, else its first theme (its parent cell "
    "names all of them). Rows are in the page's order, each level in document order."
)
"""How the flat table is made from its queries, for the evidence pack's README."""


def page_for(iri: str, types: Collection[str]) -> str | None:
    """The browse page of a plan or organisation IRI (None for anything else).

    Entity pages link here so a reader can go from the raw triples to the readable view.
    """
    path = terms.local_path(iri) or ""
    kind, _, slug = path.partition("/")
    if kind == "plan" and PLAN_CLASSES.intersection(types) and minted("plan", slug) == iri:
        return url_for("browse.plan", slug=slug)
    if kind == "org" and ORGANIZATION in types and minted("org", slug) == iri:
        return url_for("browse.organisation", slug=slug)
    return None


def minted(kind: str, slug: str) -> str | None:
    """The IRI ``mint`` gives a URL slug, or None when the slug is not one (a 404)."""
    return str(mint(kind, slug)) if SLUG.fullmatch(slug) else None


def browsable(term: Term, types: Collection[str]) -> Term:
    """``term`` linking to its browse page (plans, organisations) instead of its triples."""
    return replace(term, href=page_for(term.value, types) or term.href)


def value(row, var: str):
    """A literal as text (or None), an integer for line numbers."""
    term = row[var]
    if term is None:
        return None
    return int(term.value) if var == "line" else term.value


def where(row) -> dict | None:
    """Where a row's node was read: the source line's URL and its line number."""
    if row["doc"] is None:
        return None
    line = value(row, "line")
    return {"href": line_href(row["doc"].value, line), "line": line}


def order(item: dict) -> tuple:
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
        **{key: value(row, key) for key in ("period", "status", "issued", "area")},
        "where": where(row),
    }
    info["publishers"] = [
        browsable(labelled(r, "org"), {ORGANIZATION})
        for r in sparql.run(store, PUBLISHERS, bound).results
    ]
    info["related_by"] = sorted(
        (labelled(r, "x") for r in sparql.run(store, RELATED_BY, bound).results), key=sort_key
    )
    return info


def for_items(query: str, iris: Iterable[str]) -> str:
    """LINKS or NODE_DETAILS asking about the tree items ``iris`` (IRIs from the graph,
    written by pyoxigraph, so nothing unescaped reaches the query text)."""
    return query % facts.values(iris)


def table_queries(node: ox.NamedNode) -> dict[str, str]:
    """The queries behind the plan's flat table as they run (the header queries are not in
    it): NODES with ?plan bound, then LINKS and NODE_DETAILS for the items it found."""
    found = {row["node"].value for row in sparql.run(get_store(), NODES, {"plan": node}).results}
    return {
        "nodes": NODES,
        "links": for_items(LINKS, found),
        "details": for_items(NODE_DETAILS, found),
    }


def _nodes(node: ox.NamedNode) -> dict[str, dict]:
    """Every tree item of the plan by IRI, with its parents, themes and details."""
    store = get_store()
    items: dict[str, dict] = {}
    for row in sparql.run(store, NODES, {"plan": node}).results:
        items[row["node"].value] = {
            "term": labelled(row, "node"), "kind": row["kind_label"].value,
            "where": where(row), "parents": [], "themes": [],
            "foreign": row["home"].value if row["home"] not in (None, node) else None,
            **{key: {} for key in DETAILS.values()},
        }  # fmt: skip
    if not items:
        return items
    for row in sparql.run(store, for_items(LINKS, items)).results:
        key = "themes" if row["rel"] == HWB_THEME else "parents"
        items[row["node"].value][key].append(row["target"].value)
    details = list(sparql.run(store, for_items(NODE_DETAILS, items)).results)
    named = terms.labels(
        store,
        [i["foreign"] for i in items.values() if i["foreign"]]
        + [row["o"].value for row in details if isinstance(row["o"], ox.NamedNode)],
    )
    for item in items.values():
        if item["foreign"]:
            item["foreign"] = browsable(named[item["foreign"]], PLAN_CLASSES)
    for row in details:
        key = DETAILS[terms.short(row["p"].value)]
        obj = row["o"]
        shown = named[obj.value] if isinstance(obj, ox.NamedNode) else terms.term(obj, None, None)
        found = browsable(shown, LINKED.get(key, ()))
        items[row["node"].value][key][found.value] = found
    return items


def plan_tree(node: ox.NamedNode) -> list[dict]:
    """Themes, then priorities, then actions, each level in document order.

    An item goes under its priority (or broader priority area) when it has one, else
    under its themes, else at the top. An item tagged with several themes is shown in
    full under the first and as a cross-reference under the others, so nothing is listed
    twice; ``under`` keeps all of them, the first being where it is shown in full.
    """
    items = _nodes(node)
    for item in items.values():
        item["children"] = []
        for key in DETAILS.values():
            item[key] = sorted(item[key].values(), key=sort_key)
    roots: list[dict] = []
    for iri, item in sorted(items.items(), key=lambda pair: order(pair[1])):
        parents = [items[p] for p in item["parents"] if p in items]
        themes = sorted((items[t] for t in item["themes"] if t in items), key=order)
        item["under"] = parents[:1] or themes
        if item["under"]:
            item["under"][0]["children"].append(item)
        else:
            roots.append(item)
        for other in item["under"][1:]:
            other["children"].append({"see": item, "term": item["term"], "where": item["where"]})
        item["anchor"] = "n-" + (terms.local_path(iri) or iri).replace("/", "-")
    return roots


def tree_json(items: list[dict]) -> list[dict]:
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
                "children": tree_json(item["children"]),
            }
        )
    return found


def _walk(items: list[dict]) -> Iterator[dict]:
    """Every item of the tree once, in the page's order (cross-references skipped)."""
    for item in items:
        if "see" not in item:
            yield item
            yield from _walk(item["children"])


def _cell(found: list[Term]) -> str:
    """Several terms in one spreadsheet cell: their printed texts, "; " between them."""
    return "; ".join(t.text for t in found)


def table_rows(roots: list[dict]) -> Iterator[list]:
    """The tree as :data:`TABLE_COLUMNS` rows: one per item, parents before children.

    Rows follow the page, so each level is in document order and an item sits below
    the item it is shown under; a measure cell that names no measure is marked
    "(placeholder)" so it cannot be read as a measure.
    """
    for item in _walk(roots):
        term = item["term"]
        measures = [t.text for t in item["measures"]]
        measures += [f"{t.text} (placeholder)" for t in item["placeholders"]]
        yield [
            item["kind"], term.notation, term.label,
            "; ".join(p["term"].notation or p["term"].label for p in item["under"]),
            _cell(item["lead"]), _cell(item["partners"]), "; ".join(measures),
            _cell(item["related"]), item["foreign"].label if item["foreign"] else "",
            (item["where"] or {}).get("line") or "", term.value,
        ]  # fmt: skip
