"""Partner networks as networkx graphs, and the metrics an analyst reads off them.

Pure functions over :class:`graph.network_queries.Facts` (what SPARQL found in the graph):
nothing here reads the store. Two graphs are built:

- the *partner-work* graph, bipartite: organisations on one side, work items (actions,
  priorities, initiatives) on the other, each edge carrying the organisation's ``role``;
- the *co-delivery* graph, its projection on organisations: two organisations are joined
  when they are named on the same item, ``weight`` being the number of such items and
  ``actions`` listing them, with the role pairs counted apart.

Generic partners ("Partners", "Schools", "VCS") are nodes of their own, flagged
``generic``: the documents name no body, so none is guessed.
"""

from __future__ import annotations

import io
import json
from collections import Counter
from dataclasses import dataclass
from itertools import combinations

import networkx as nx

from graph.network_queries import Facts, key_of

ORGANISATION, WORK = "organisation", "work"
ROLE_PAIRS = {
    ("lead", "lead"): "joint_lead",
    ("lead", "partner"): "lead_partner",
    ("partner", "partner"): "partner_partner",
}
"""Co-delivery edge counters, by the roles of the two organisations on a shared item."""

DEFINITIONS = {
    "led": "Work items (actions, priorities, initiatives) whose lead-partner cell names "
    "the organisation, alone or with others.",
    "sole": "Work items on which the organisation is the only organisation named.",
    "partnered": "Work items naming the organisation as a partner rather than a lead.",
    "lead_share": "The share of the scope's work items that the organisation leads, "
    "alone or jointly.",
    "weighted_degree": "The number of times the organisation shares a work item with "
    "another organisation, summed over all its co-delivery partners.",
    "betweenness": "The share of shortest co-delivery paths between two other "
    "organisations that pass through this one (0 to 1): its role as a bridge.",
    "plans": "The plans, in the whole graph, whose work names the organisation.",
    "hhi": "Herfindahl-Hirschman index of leadership: the sum of squared lead shares, "
    "a jointly led item giving each lead an equal part; 1 means one organisation leads "
    "everything, 1/n means n organisations lead equally.",
    "single_lead_no_partner": "Work items resting on one organisation: one lead, "
    "no joint lead, no partner.",
    "dominant_themes": "Themes in which one organisation leads more than half of the work items.",
    "articulation_points": "Organisations whose absence would split the co-delivery "
    "network into more disconnected parts.",
    "communities": "Groups of organisations that co-deliver more among themselves than "
    "with others (greedy modularity, weighted by shared items).",
}
"""One sentence per metric, shown on the page and in the JSON twin."""


def partner_work(facts: Facts, role: str | None = None) -> nx.Graph:
    """The bipartite organisation-to-work graph, keeping only links in ``role`` if given.

    An organisation named both as lead and partner of one item keeps the lead role.
    """
    graph = nx.Graph()
    for org, item, link_role in sorted(facts.links):
        if role and link_role != role:
            continue
        if graph.has_edge(org, item) and graph.edges[org, item]["role"] == "lead":
            continue
        graph.add_node(org, side=ORGANISATION, **facts.organisations[org])
        graph.add_node(item, side=WORK, **facts.items[item])
        graph.add_edge(org, item, role=link_role)
    return graph


def sides(work: nx.Graph) -> tuple[list[str], list[str]]:
    """The organisations and the work items of a partner-work graph, sorted."""
    orgs = sorted(n for n, side in work.nodes(data="side") if side == ORGANISATION)
    items = sorted(n for n, side in work.nodes(data="side") if side == WORK)
    return orgs, items


def co_delivery(work: nx.Graph) -> nx.Graph:
    """The projection on organisations, weighted by shared work items.

    Every edge lists the ``actions`` behind it and counts them by role pair
    (``joint_lead``, ``lead_partner``, ``partner_partner``).
    """
    orgs, items = sides(work)
    graph = nx.Graph()
    graph.add_nodes_from((org, work.nodes[org]) for org in orgs)
    for item in items:
        named = sorted(work[item], key=lambda org: (work.edges[org, item]["role"], org))
        for first, second in combinations(named, 2):
            if not graph.has_edge(first, second):
                graph.add_edge(
                    first, second, weight=0, actions=[], **dict.fromkeys(ROLE_PAIRS.values(), 0)
                )
            edge = graph.edges[first, second]
            roles = (work.edges[first, item]["role"], work.edges[second, item]["role"])
            edge[ROLE_PAIRS[tuple(sorted(roles))]] += 1
            edge["weight"] += 1
            edge["actions"].append(item)
    return graph


def leads(work: nx.Graph, item: str) -> list[str]:
    """The organisations leading ``item``."""
    return [org for org in work[item] if work.edges[org, item]["role"] == "lead"]


def lead_credit(work: nx.Graph) -> dict[str, float]:
    """Each organisation's share of leadership: an item led by k organisations gives 1/k each.

    The shares sum to 1 over the organisations (0 when nothing in the scope has a lead).
    """
    _, items = sides(work)
    credit: Counter[str] = Counter()
    led_items = [leads(work, item) for item in items]
    led_items = [found for found in led_items if found]
    for found in led_items:
        for org in found:
            credit[org] += 1 / len(found)
    return {org: value / len(led_items) for org, value in credit.items()}


def hhi(shares: dict[str, float]) -> float:
    """Herfindahl-Hirschman index: the sum of squared shares (0 for no shares)."""
    return sum(share * share for share in shares.values())


def single_lead_no_partner(work: nx.Graph) -> list[str]:
    """Items whose only named organisation is their one lead."""
    _, items = sides(work)
    return [item for item in items if work.degree(item) == 1 and leads(work, item)]


def dominant_themes(work: nx.Graph, themes: dict[str, str], threshold: float = 0.5) -> list[dict]:
    """Themes where one organisation leads more than ``threshold`` of the items.

    Returns one dict per (theme, organisation): theme, organisation, led, items, share.
    """
    _, items = sides(work)
    by_theme: dict[str, list[str]] = {}
    for item in items:  # one pass over the items, not one per theme
        for theme in work.nodes[item]["themes"]:
            by_theme.setdefault(theme, []).append(item)
    found = []
    for theme in sorted(themes):
        in_theme = by_theme.get(theme, [])
        led = Counter(org for item in in_theme for org in leads(work, item))
        for org, count in sorted(led.items()):
            if count / len(in_theme) > threshold:
                found.append(
                    {
                        "theme": theme,
                        "organisation": org,
                        "led": count,
                        "items": len(in_theme),
                        "share": count / len(in_theme),
                    }
                )
    return found


def articulation_points(graph: nx.Graph) -> list[str]:
    """Organisations whose removal disconnects part of the co-delivery graph, sorted."""
    return sorted(nx.articulation_points(graph))


def communities(graph: nx.Graph) -> list[list[str]]:
    """Groups of co-delivering organisations (greedy modularity), largest first.

    Organisations without a co-delivery partner are left out: a community of one says
    nothing. Greedy modularity is deterministic, so a scope always gives the same groups.
    """
    linked = graph.subgraph(n for n in graph if graph.degree(n) > 0)
    if linked.number_of_edges() == 0:
        return []
    found = nx.community.greedy_modularity_communities(linked, weight="weight")
    return sorted((sorted(group) for group in found), key=lambda g: (-len(g), g))


def organisation_metrics(
    work: nx.Graph, codelivery: nx.Graph, facts: Facts, groups: list[list[str]] | None = None
) -> list[dict]:
    """One row per organisation, most items led first; see DEFINITIONS for each figure.

    ``groups`` are the communities of ``codelivery`` if already found (they are costly).
    """
    orgs, items = sides(work)
    betweenness = nx.betweenness_centrality(codelivery)
    groups = communities(codelivery) if groups is None else groups
    community = {org: i + 1 for i, group in enumerate(groups) for org in group}
    cut = set(articulation_points(codelivery))
    rows = []
    for org in orgs:
        roles = Counter(work.edges[org, item]["role"] for item in work[org])
        node = work.nodes[org]
        rows.append(
            {
                "organisation": org,
                "slug": key_of(org, "org"),
                "label": node["label"],
                "kind": node["kind"],
                "generic": node["generic"],
                "led": roles["lead"],
                "sole": sum(1 for item in work[org] if work.degree(item) == 1),
                "partnered": roles["partner"],
                "load": work.degree(org),
                "lead_share": roles["lead"] / len(items),
                "weighted_degree": codelivery.degree(org, weight="weight"),
                "co_partners": codelivery.degree(org),
                "betweenness": betweenness[org],
                "articulation_point": org in cut,
                "community": community.get(org),
                "plans": facts.plans_by_organisation.get(org, []),
            }
        )
    return sorted(rows, key=lambda r: (-r["led"], -r["load"], r["label"]))


def scope_metrics(
    work: nx.Graph, codelivery: nx.Graph, facts: Facts, groups: list[list[str]] | None = None
) -> dict:
    """The scope's figures: sizes, HHI, single-lead items, dominant themes, cut points, groups
    (``groups``: the communities, if already found)."""
    orgs, items = sides(work)
    return {
        "items": len(items),
        "organisations": len(orgs),
        "generic_organisations": sum(1 for org in orgs if work.nodes[org]["generic"]),
        "co_delivery_pairs": codelivery.number_of_edges(),
        "hhi": hhi(lead_credit(work)),
        "single_lead_no_partner": single_lead_no_partner(work),
        "dominant_themes": dominant_themes(work, facts.themes),
        "articulation_points": articulation_points(codelivery),
        "communities": communities(codelivery) if groups is None else groups,
    }


def pairs(codelivery: nx.Graph) -> list[dict]:
    """The co-delivery edges as rows (source before target by IRI), most shared items first."""
    rows = [
        {"source": min(a, b), "target": max(a, b), **data}
        for a, b, data in codelivery.edges(data=True)
    ]
    return sorted(rows, key=lambda r: (-r["weight"], r["source"], r["target"]))


@dataclass
class Analysis:
    """A scope's two graphs and what is read off them, for a page, a table or an export."""

    facts: Facts
    work: nx.Graph
    codelivery: nx.Graph
    organisations: list[dict]
    summary: dict
    pairs: list[dict]


def analyse(facts: Facts, role: str | None = None) -> Analysis:
    """Build both graphs from ``facts`` (links of ``role`` only, if given) and measure them."""
    work = partner_work(facts, role)
    codelivery = co_delivery(work)
    groups = communities(codelivery)
    return Analysis(
        facts,
        work,
        codelivery,
        organisation_metrics(work, codelivery, facts, groups),
        scope_metrics(work, codelivery, facts, groups),
        pairs(codelivery),
    )


EXPORT_FORMATS = {
    "graphml": "application/graphml+xml",
    "gexf": "application/gexf+xml",
    "json": "application/json",
}
"""Network exports for Gephi, Kumu, igraph..., with their media types."""


def exportable(graph: nx.Graph) -> nx.Graph:
    """A copy GraphML and GEXF can hold: lists become text joined by spaces, None dropped."""

    def flat(data: dict) -> dict:
        return {
            key: " ".join(value) if isinstance(value, list) else value
            for key, value in data.items()
            if value is not None
        }

    copy = nx.Graph()
    copy.add_nodes_from((n, flat(data)) for n, data in graph.nodes(data=True))
    copy.add_edges_from((a, b, flat(data)) for a, b, data in graph.edges(data=True))
    return copy


def serialise(graph: nx.Graph, fmt: str) -> bytes:
    """The graph as GraphML, GEXF or node-link JSON. Raises ValueError for another format."""
    if fmt not in EXPORT_FORMATS:
        raise ValueError(f"unknown network format {fmt!r} (known: {', '.join(EXPORT_FORMATS)})")
    if fmt == "json":
        data = nx.node_link_data(graph, edges="edges")
        return json.dumps(data, indent=1, ensure_ascii=False).encode()
    buffer = io.BytesIO()
    writer = nx.write_graphml if fmt == "graphml" else nx.write_gexf
    writer(exportable(graph), buffer)
    return buffer.getvalue()
