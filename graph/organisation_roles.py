"""Which plans name each organisation, and as what: a digest the organisation page pages.

The page shows twenty plans at a time, but ordering and counting an organisation's plans
needs all of its roles: 2,638 for Leicester City Council at 100x, 0.44 s a request as one
query with labels. So the build finds every organisation's plans once, from simple queries
joined in Python (as graph/network_whole.py does), and the page asks for the labels,
kinds and lines of the items it shows only (webapp/browse.py).

An item belongs to its own plan; a statement without one (progress, improvement plan,
rationale) to its owner's; a plan an organisation publishes is its own item.
"""

from __future__ import annotations

from collections import defaultdict

import pyoxigraph as ox

from graph import digests, facts, sparql

DIGEST = "organisation-plans"
ROLE_LINKS = """
SELECT DISTINCT ?item ?org ?role WHERE {
  VALUES (?p ?role) { (hwb:leadPartner "lead") (hwb:partner "partner")
                      (dcterms:publisher "publisher") }
  ?item ?p ?org ; a ?kind . ?kind rdfs:label ?kind_label .
  FILTER(STRSTARTS(STR(?kind), STR(hwb:)))
}"""
OWN_PLANS = "SELECT DISTINCT ?item ?plan WHERE { ?item hwb:plan ?plan }"
OWNERS = """
SELECT DISTINCT ?item ?owner WHERE { ?owner hwb:progress|hwb:improvementPlan|hwb:rationale ?item }
"""
TITLES = "SELECT DISTINCT ?plan ?title WHERE { VALUES ?plan { %s } ?plan skos:prefLabel ?title }"
ROLE_ORDER = ("publisher", "lead", "partner")
"""Roles in the order a plan's group lists them."""


@digests.digest(DIGEST)
def organisation_plans(store: ox.Store) -> dict[str, list[list]]:
    """Per organisation IRI, its plans as ``[plan IRI, [[item IRI, role], ...]]``, by plan
    title (an item whose plan is not recorded last, under ""), items by role then IRI."""
    own, owners = facts.steps(store, OWN_PLANS), facts.steps(store, OWNERS)
    grouped: dict[str, dict[str, set[tuple[str, str]]]] = defaultdict(lambda: defaultdict(set))
    for row in sparql.run(store, ROLE_LINKS).results:
        item, org, role = (term.value for term in row)
        if role == "publisher":
            plans = {item}
        else:
            plans = own.get(item) or {p for o in owners.get(item, ()) for p in own.get(o, ())}
        for plan in plans or {""}:
            grouped[org][plan].add((item, role))
    titles = _titles(store, {plan for by_plan in grouped.values() for plan in by_plan})

    def ordered(plan: str) -> tuple:
        return (not plan, titles.get(plan, plan).lower(), plan)

    return {
        org: [
            [plan, sorted(by_plan[plan], key=lambda pair: (ROLE_ORDER.index(pair[1]), pair[0]))]
            for plan in sorted(by_plan, key=ordered)
        ]
        for org, by_plan in sorted(grouped.items())
    }


def _titles(store: ox.Store, plans: set[str]) -> dict[str, str]:
    """Each plan's title (the least, should one have several), to order the groups by."""
    named = facts.values(plan for plan in plans if plan)
    return {plan: min(found) for plan, found in facts.steps(store, TITLES % named).items()}
