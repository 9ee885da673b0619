"""The partner network of every plan, read once per build, and any scope cut from it.

The network queries read the whole graph (graph/network_queries.py), and the all-plans
metrics (betweenness, communities) grow with it, so `hwbkg build` keeps both as the
``network`` digest (graph/digests.py): the facts of every plan, grouped by plan, and the
all-plans figures for each role. A page then cuts one plan's or one theme's facts out of
it (:func:`facts`) and measures only those, or reads the all-plans figures as they are
(:func:`measured`): its work follows the scope it shows, not the graph.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import pyoxigraph as ox

from graph import digests, network, network_queries, network_whole
from graph.network_queries import Facts, Options, Scope

ROLES = ("", *network_queries.ROLES)
"""The all-plans figures kept: both roles ("") and each role alone."""


@digests.digest("network")
def digest(store: ox.Store) -> dict:
    """The options, every plan's facts and the all-plans figures, as JSON."""
    everything, choices = network_whole.everything(store)
    links: dict[str, list] = {}
    theme_plans: dict[str, set[str]] = {}
    for org, item, role in sorted(everything.links):
        plan = everything.plan_of[item]
        links.setdefault(plan, []).append([org, item, role])
        for theme in everything.items[item]["themes"]:
            theme_plans.setdefault(theme, set()).add(plan)
    kept = {
        "options": asdict(choices),
        "organisations": everything.organisations,
        "items": everything.items,
        "themes": everything.themes,
        "plans_by_organisation": everything.plans_by_organisation,
        "links": links,
        "theme_plans": {theme: sorted(plans) for theme, plans in theme_plans.items()},
    }
    for role in ROLES:
        kept[f"all:{role}"] = figures(network.analyse(everything, role or None))
    return kept


def options(kept: dict) -> Options:
    """The plans and themes that can be chosen (network_queries.options, as kept)."""
    return Options(**kept["options"])


def facts(kept: dict, scope: Scope) -> Facts:
    """The facts ``network_queries.fetch`` finds for ``scope``, cut from the digest: one
    plan's links, or those of the plans whose work serves a theme (a progress report's
    initiatives serve its strategy's themes), or every plan's. Within a theme, an item's
    themes are that theme alone, as the query binds it.
    """
    theme = scope.bindings()["theme"].value if scope.theme else None
    if theme:
        plans = kept["theme_plans"].get(theme, [])
    else:
        plans = [scope.plan] if scope.plan else sorted(kept["links"])
    found = Facts()
    for plan in plans:
        for org, item, role in kept["links"].get(plan, ()):
            if theme and theme not in kept["items"][item]["themes"]:
                continue
            found.links.add((org, item, role))
            found.organisations[org] = kept["organisations"][org]
            found.items[item] = kept["items"][item]
            found.plan_of[item] = plan
    if theme:
        found.items = {iri: {**item, "themes": [theme]} for iri, item in found.items.items()}
    for item in found.items.values():
        found.themes.update((t, kept["themes"][t]) for t in item["themes"])
    found.plans_by_organisation = {
        org: kept["plans_by_organisation"][org]
        for org in found.organisations
        if org in kept["plans_by_organisation"]
    }
    return found


@dataclass
class Measured:
    """What a page shows of a scope: the figures, and the names it labels them with.

    For all plans it is the build's digest as kept; for a plan or a theme, measured on
    request from that scope's facts alone.
    """

    organisations: list[dict]
    summary: dict
    pairs: list[dict]
    items: dict[str, dict]
    labels: dict[str, str]
    themes: dict[str, str]


def measured(kept: dict, scope: Scope) -> Measured:
    """The figures of ``scope`` (see :class:`Measured`)."""
    if scope.plan or scope.theme:
        found = network.analyse(facts(kept, scope), scope.role)
        shown, items, themes = figures(found), found.facts.items, found.facts.themes
    else:
        shown, items, themes = kept[f"all:{scope.role or ''}"], kept["items"], kept["themes"]
    labels = {row["organisation"]: row["label"] for row in shown["organisations"]}
    return Measured(**shown, items=items, labels=labels, themes=themes)


def figures(found: network.Analysis) -> dict:
    """The figures of an analysis, as the digest keeps them for all plans."""
    return {"organisations": found.organisations, "summary": found.summary, "pairs": found.pairs}
