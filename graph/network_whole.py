"""The network facts of all plans at once, from simple queries joined in Python.

``network_queries.fetch`` answers one scope with the queries a page shows and an evidence
pack cites. For every plan at once, as the build's digest needs, Oxigraph plans those
joins so that their cost grows with the square of the graph (the links of all plans took
31 ms at 5 documents and 600 ms at 50, and the options query more). Here each query is
one pattern with nothing to plan, and the joins are dictionary lookups, so the cost grows
with the graph. tests/test_network_digest.py checks that every scope cut from the result
is what ``fetch`` finds.
"""

from __future__ import annotations

from collections import defaultdict

import pyoxigraph as ox

from graph import facts
from graph.network_queries import Facts, Options, _select, key_of

WORK_ITEMS = """SELECT DISTINCT ?item ?plan ?top WHERE {
  ?item hwb:plan ?plan ; a/rdfs:subClassOf* ?top .
  VALUES ?top { hwb:Action hwb:Priority hwb:Initiative } }"""
NAMES = """SELECT DISTINCT ?item ?org ?role WHERE {
  { ?item hwb:leadPartner ?org BIND("lead" AS ?role) }
  UNION { ?item hwb:partner ?org BIND("partner" AS ?role) }
  UNION { ?item hwb:progress|hwb:improvementPlan ?statement .
          ?statement hwb:partner ?org BIND("partner" AS ?role) } }"""
STEPS = """SELECT DISTINCT ?from ?to ?kind WHERE {
  { ?from hwb:priority|skos:broader ?to BIND("up" AS ?kind) }
  UNION { ?from hwb:theme ?to BIND("theme" AS ?kind) } }"""
LABELS = "SELECT ?thing ?label WHERE { ?thing skos:prefLabel ?label }"
NOTATIONS = "SELECT ?thing ?notation WHERE { ?thing skos:notation ?notation }"
KINDS = "SELECT ?org ?kind WHERE { ?org hwb:organisationKind/skos:prefLabel ?kind }"
GENERIC = "SELECT ?org WHERE { ?org a hwb:GenericPartner }"


def _pairs(store: ox.Store, text: str) -> dict[str, list[str]]:
    """The second column of a two-column SELECT, listed by the first."""
    found: dict[str, list[str]] = defaultdict(list)
    for row in _select(store, text):
        first, second = row.values()
        found[first].append(second)
    return found


def _themes(store: ox.Store, items) -> dict[str, set[str]]:
    """Each item's themes: ``(hwb:priority|skos:broader)*/hwb:theme``, walked in Python."""
    up, theme_of = defaultdict(set), defaultdict(set)
    for row in _select(store, STEPS):
        (up if row["kind"] == "up" else theme_of)[row["from"]].add(row["to"])
    found = {}
    for item in items:
        seen = facts.reachable(item, up)
        found[item] = {theme for node in seen for theme in theme_of.get(node, ())}
    return found


def everything(store: ox.Store) -> tuple[Facts, Options]:
    """The facts of all plans (as ``fetch`` with no scope) and the options."""
    labels, notations = _pairs(store, LABELS), _pairs(store, NOTATIONS)
    kinds = _pairs(store, KINDS)
    generic = {row["org"] for row in _select(store, GENERIC)}
    work = _select(store, WORK_ITEMS)
    themes = _themes(store, {row["item"] for row in work})
    names = defaultdict(list)
    for row in _select(store, NAMES):
        names[row["item"]].append((row["org"], row["role"]))
    facts, plans_of = Facts(), defaultdict(set)
    for row in work:
        item, plan = row["item"], row["plan"]
        for org, role in names.get(item, ()):
            for plan_label in labels.get(plan, ()):
                if org not in labels:
                    continue
                facts.organisations[org] = {
                    "label": labels[org][-1],
                    "kind": kinds[org][-1] if org in kinds else "unknown",
                    "generic": org in generic,
                }
                facts.items[item] = {
                    "label": labels[item][-1] if item in labels else "",
                    "notation": notations[item][-1] if item in notations else "",
                    "kind": row["top"].rsplit("#", 1)[-1].lower(),
                    "plan": plan_label,
                    "themes": sorted(t for t in themes[item] if t in labels),
                }
                facts.links.add((org, item, role))
                facts.plan_of[item] = key_of(plan, "plan")
                plans_of[org].add(plan_label)
    for item in facts.items.values():
        facts.themes.update((t, labels[t][-1]) for t in item["themes"])
    facts.plans_by_organisation = {org: sorted(found) for org, found in plans_of.items()}
    return facts, _options(facts, work, themes, labels)


def _options(facts: Facts, work, themes, labels) -> Options:
    """The plans whose work names an organisation, and the themes of that work."""
    found = Options()
    rows = {(row["plan"], row["item"]) for row in work if row["item"] in facts.items}
    ordered = sorted(rows, key=lambda r: (labels[r[0]][-1], r[0]))
    for plan, item in ordered:
        key, plan_label = key_of(plan, "plan"), labels[plan][-1]
        found.plans[key] = plan_label
        for theme in sorted(t for t in themes[item] if t in labels):
            theme_key = key_of(theme, "theme")
            found.themes[theme_key] = f"{labels[theme][-1]} ({plan_label})"
            found.theme_plan[theme_key] = key
    found.themes = dict(sorted(found.themes.items(), key=lambda kv: kv[1]))
    return found
