"""Partner networks: who delivers what with whom, for one plan, one theme or all plans.

/network draws the co-delivery network (pyvis, vis-network served from pyvis's own package
files by this blueprint, never from a CDN) beside a static SVG and tables saying the same
in words. Filters are a GET form, so the page works without JavaScript by reloading.
Twins: /network.json (everything on the page), /network.csv (the organisation table);
exports: /network/<co-delivery|partner-work>.<graphml|gexf|json>, and
/network/co-delivery.svg, the picture for reports.

The facts and the all-plans figures come from the build's ``network`` digest
(graph/network_digest.py): a page measures only the plan or theme it shows. What could
grow with the graph is bounded, and the page says what it left out: the tables are paged
(``?page=`` for the organisations, ``?pairs_page=`` for the pairs, the same in the JSON
twin), the picture draws the DRAWN organisations named on most work, and lists of work
items stop at LISTED. The CSV twin, the exports and the evidence packs hold everything.
"""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import pyvis
from flask import Blueprint, Response, abort, request, send_from_directory, url_for
from pyvis.edge import Edge
from pyvis.network import Network

from graph import network, network_digest, network_drawing, network_queries
from graph.evidence import View
from graph.network_digest import Measured
from graph.network_queries import ScopeError
from webapp import paging, terms
from webapp.graphstore import digest
from webapp.pages import error, negotiated, respond

bp = Blueprint("network", __name__)

VIS_DIR = Path(pyvis.__file__).parent / "templates" / "lib" / "vis-9.1.2"
"""vis-network as pyvis 0.3.2 ships it. pyvis's own page template is not used: even with
cdn_resources="local" it loads vis-network from cdnjs and Bootstrap from jsdelivr."""
GRAPHS = ("co-delivery", "partner-work")
EVIDENCE_TABLES = {"organisations": "organisations", "pairs": "co-delivery pairs"}
"""The page's tables that have an evidence pack, and how a pack's title names them."""
TABLE_COLUMNS = [
    "organisation", "label", "kind", "generic", "led", "sole", "partnered", "lead_share",
    "weighted_degree", "co_partners", "betweenness", "articulation_point", "community", "plans",
]  # fmt: skip


def organisation_href(slug: str) -> str:
    """The organisation's page (browse area), built from the key of its IRI."""
    return url_for("browse.organisation", slug=slug)


ORGANISATIONS_PER_PAGE = 100
PAIRS_PER_PAGE = 50
DRAWN, DRAWN_PAIRS = 60, 400
"""Organisations drawn, those named on most work items first, and the co-delivery pairs
drawn among them, those sharing most items first; the rest are counted."""
LISTED = 25
"""Items listed in each summary list, and plans per organisation; the rest are counted."""
ITEMS_PER_PAIR = 10
"""Shared work items listed per pair (the evidence pack lists them all)."""
THEME_CHOICES = 200
"""Beyond this many themes in all, the theme menu offers the chosen plan's themes only."""


def _scope(html: bool) -> tuple[dict, network_queries.Options, network_queries.Scope]:
    """The build's network digest and the scope asked for in the query string.

    Aborts with 400 (a page, or one line for data formats) naming an unknown plan, theme
    or role.
    """
    kept = digest("network")
    options = network_digest.options(kept)
    args = request.args
    try:
        scope = options.check(args.get("plan"), args.get("theme"), args.get("role"))
    except ScopeError as problem:
        abort(error(400, str(problem), html=html))
    return kept, options, scope


def _measured(html: bool) -> tuple[network_queries.Options, network_queries.Scope, Measured]:
    """The figures of the scope asked for (read as kept for all plans). Aborts as _scope."""
    kept, options, scope = _scope(html)
    return options, scope, network_digest.measured(kept, scope)


def _analysis(
    html: bool,
) -> tuple[network_queries.Options, network_queries.Scope, network.Analysis]:
    """The scope asked for with both its graphs, for the exports and the evidence packs,
    which hold everything (all plans measured again). Aborts as _scope."""
    kept, options, scope = _scope(html)
    return options, scope, network.analyse(network_digest.facts(kept, scope), scope.role)


def _scope_args(scope: network_queries.Scope) -> dict[str, str]:
    """The query-string arguments that reproduce ``scope``."""
    found = {"plan": scope.plan, "theme": scope.theme, "role": scope.role}
    return {key: value for key, value in found.items() if value}


def _listed(rows: list) -> tuple[list, int]:
    """The first LISTED of ``rows``, and how many there are in all."""
    return rows[:LISTED], len(rows)


def _data(options, scope, found: Measured, pages: dict[str, paging.Page]) -> dict:
    """The page's data, JSON-ready: scope, figures, this page of each table, exports, SPARQL."""
    args = _scope_args(scope)
    labels = found.labels

    def item(iri: str) -> dict:
        return {"iri": iri, **found.items[iri], "href": terms.href(iri)}

    summary = dict(found.summary)
    alone, summary["single_lead_no_partner_total"] = _listed(summary["single_lead_no_partner"])
    summary["single_lead_no_partner"] = [item(i) for i in alone]
    summary["articulation_points"] = [
        {"iri": org, "label": labels[org]} for org in summary["articulation_points"]
    ]
    summary["communities"] = [
        [{"iri": org, "label": labels[org]} for org in group] for group in summary["communities"]
    ]
    dominant, summary["dominant_themes_total"] = _listed(summary["dominant_themes"])
    summary["dominant_themes"] = [
        {**row, "theme_label": found.themes[row["theme"]],
         "organisation_label": labels[row["organisation"]]}
        for row in dominant
    ]  # fmt: skip
    return {
        "scope": {**args, "description": scope.describe(options)},
        "summary": summary,
        "organisations": [
            _organisation(row) for row in pages["organisations"].rows(found.organisations)
        ],
        "pairs": [
            {
                **pair,
                "source_label": labels[pair["source"]],
                "target_label": labels[pair["target"]],
                "actions": [item(i) for i in pair["actions"][:ITEMS_PER_PAIR]],
                "actions_total": len(pair["actions"]),
            }
            for pair in pages["pairs"].rows(found.pairs)
        ],
        "pages": {name: page.json() for name, page in pages.items()},
        "definitions": network.DEFINITIONS,
        "exports": {
            f"{name}.{fmt}": url_for("network.export", name=name, fmt=fmt, **args)
            for name in GRAPHS
            for fmt in network.EXPORT_FORMATS
        }
        | {"co-delivery.svg": url_for("network.export", name="co-delivery", fmt="svg", **args)},
        "queries": network_queries.scope_queries(scope),
    }


def _organisation(row: dict) -> dict:
    """An organisation's row as the page shows it: its first LISTED plans, and how many."""
    plans, total = _listed(row["plans"])
    return {**row, "plans": plans, "plans_total": total, "href": organisation_href(row["slug"])}


def _drawn(found: Measured) -> tuple[list[dict], nx.Graph]:
    """The DRAWN organisations named on most work items, and the DRAWN_PAIRS among them that
    share most items (``found.pairs`` come most shared first)."""
    rows = sorted(found.organisations, key=lambda r: (-r["load"], r["label"]))[:DRAWN]
    graph = nx.Graph()
    graph.add_nodes_from(row["organisation"] for row in rows)
    among = [p for p in found.pairs if p["source"] in graph and p["target"] in graph]
    graph.add_edges_from(
        (p["source"], p["target"], {"weight": p["weight"]}) for p in among[:DRAWN_PAIRS]
    )
    return rows, graph


def _vis_data(rows: list[dict], graph: nx.Graph) -> dict:
    """Nodes, edges and options for vis-network, assembled by pyvis, of what :func:`_drawn`
    chose to draw."""
    drawn = Network(height="640px", width="100%", cdn_resources="local")
    for row in rows:
        drawn.add_node(
            row["organisation"],
            label=row["label"],
            title=network_drawing.summary(row),
            color=network_drawing.colour(row["kind"]),
            size=network_drawing.radius(row["load"]),
            shapeProperties={"borderDashes": [4, 3] if row["generic"] else False},
            url=organisation_href(row["slug"]),
        )
    # pyvis's add_edge looks through every edge already added (quadratic in all); the
    # graph's edges are distinct, so they go in as pyvis's own Edge records directly.
    drawn.edges.extend(
        Edge(
            source, target, width=network_drawing.edge_width(weight),
            title=f"{weight} shared work items",
        ).options
        for source, target, weight in graph.edges(data="weight")
    )  # fmt: skip
    drawn.barnes_hut(gravity=-6000, spring_length=140)
    nodes, edges, *_, options = drawn.get_network_data()
    options = json.loads(options)
    options["interaction"].update(hover=True, keyboard=True, tooltipDelay=100)
    options["edges"]["color"] = {"color": "#8a8a8a", "opacity": 0.6, "inherit": False}
    # Straight edges and a shorter warm-up: dynamic curves add a body per edge to the
    # physics, and the all-plans network then took seconds to settle in Chromium.
    options["edges"]["smooth"] = False
    options["physics"]["stabilization"]["iterations"] = 300
    return {"nodes": nodes, "edges": edges, "options": options}


@bp.get("/network", defaults={"fmt": "html"})
@bp.get("/network.<any(json, csv):fmt>")
def page(fmt: str):
    """The network of one scope: picture, legend, figures and tables; or its data."""
    if fmt == "html":
        fmt = negotiated(["json", "csv"])  # so that the page links name the twin sent
    options, scope, found = _measured(fmt == "html")
    try:
        pages = {
            "organisations": paging.page(
                "page", len(found.organisations), ORGANISATIONS_PER_PAGE, fmt
            ),
            "pairs": paging.page("pairs_page", len(found.pairs), PAIRS_PER_PAGE, fmt),
        }
    except paging.BadPage as problem:
        return error(400, str(problem), html=fmt == "html")
    data = _data(options, scope, found, pages)
    args = _scope_args(scope)
    rows, graph = _drawn(found)
    return respond(
        fmt,
        "network/page.html",
        data,
        table=lambda: (TABLE_COLUMNS, map(_table_row, found.organisations)),
        options=options,
        themes=_theme_choices(options, scope),
        chosen=args,
        evidence={
            table: url_for("evidence.view", name=f"network-{table}", **args)
            for table in EVIDENCE_TABLES
        },
        vis=_vis_data(rows, graph),
        undrawn=(len(found.organisations) - len(rows), len(found.pairs) - len(graph.edges)),
        colours={kind: network_drawing.colour(kind) for kind in sorted({r["kind"] for r in rows})},
        svg_url=data["exports"]["co-delivery.svg"],
    )


def _theme_choices(options: network_queries.Options, scope: network_queries.Scope) -> dict:
    """The themes the menu offers: all of them, or when there are more than THEME_CHOICES
    (a menu of thousands helps no one), those of the chosen plan (none before one is chosen)."""
    if len(options.themes) <= THEME_CHOICES:
        return options.themes
    plan = scope.plan or options.theme_plan.get(scope.theme)
    return {key: label for key, label in options.themes.items() if options.theme_plan[key] == plan}


def _table_row(row: dict) -> list:
    """An organisation's row of the CSV twin (its plans joined by " | ")."""
    return [" | ".join(row[c]) if c == "plans" else row[c] for c in TABLE_COLUMNS]


def _roles(work, org: str) -> dict[str, str]:
    """The IRIs of the work items ``org`` leads and partners on, for the evidence pack."""
    found = {role: [] for role in network_queries.ROLES}
    for item in sorted(work[org]):
        found[work.edges[org, item]["role"]].append(item)
    return {f"{role}_items": " ".join(items) for role, items in found.items()}


def _evidence_rows(table: str, found: network.Analysis) -> tuple[list[str], list[list]]:
    """The rows of one of the page's tables, with the IRIs of the work items behind them."""
    if table == "organisations":
        rows = [
            [*_table_row(r), *_roles(found.work, r["organisation"]).values()]
            for r in found.organisations
        ]
        return [*TABLE_COLUMNS, "lead_items", "partner_items"], rows
    columns = ["source", "source_label", "target", "target_label", "weight",
               "joint_lead", "lead_partner", "partner_partner", "items"]  # fmt: skip
    labels = {org: row["label"] for org, row in found.facts.organisations.items()}
    rows = [
        [p["source"], labels[p["source"]], p["target"], labels[p["target"]], p["weight"],
         p["joint_lead"], p["lead_partner"], p["partner_partner"], " ".join(p["actions"])]
        for p in found.pairs
    ]  # fmt: skip
    return columns, rows


def evidence_view(table: str) -> View:
    """The organisations or co-delivery pairs table of the requested scope, for an evidence
    pack (registered in webapp/evidence.py). Aborts 400 on an unknown plan, theme or role."""
    options, scope, found = _analysis(html=False)
    columns, rows = _evidence_rows(table, found)
    bound = {name: str(term) for name, term in scope.bindings().items()}
    return View(
        name=f"network-{table}",
        title=f"Partner network, {EVIDENCE_TABLES[table]}: {scope.describe(options)}",
        columns=columns,
        rows=rows,
        queries=network_queries.scope_queries(scope),
        bindings={"links": bound, "themes": bound},
        url=url_for("network.page", _external=True, **_scope_args(scope)),
        notes=(
            "links.rq names who is on which work item in which role; networkx builds the "
            "organisation-to-work graph from it"
            + (f" keeping {scope.role} links only" if scope.role else "")
            + " (a lead named as partner too stays a lead), and joins two organisations "
            "for every work item naming both. themes.rq gives each item's themes; "
            "plans_by_organisation.rq the plans each organisation appears in."
        ),
    )


@bp.get("/network/<any('co-delivery', 'partner-work'):name>.<any(graphml, gexf, json, svg):fmt>")
def export(name: str, fmt: str):
    """A scope's network for Gephi, Kumu or igraph (GraphML, GEXF, node-link JSON), or SVG
    (the organisations the page draws)."""
    if fmt == "svg":
        if name != "co-delivery":
            return error(404, "Only the co-delivery network has a picture", html=False)
        options, scope, found = _measured(html=False)
        rows, graph = _drawn(found)
        picture = network_drawing.svg(
            graph,
            rows,
            f"Co-delivery network: {scope.describe(options)}" + _left_out(found, rows, graph),
            organisation_href,
        )
        return Response(picture, mimetype="image/svg+xml")
    options, scope, analysed = _analysis(html=False)
    graph = analysed.codelivery if name == "co-delivery" else analysed.work
    response = Response(network.serialise(graph, fmt), mimetype=network.EXPORT_FORMATS[fmt])
    filename = f"{name}-{(scope.theme or scope.plan or 'all-plans').replace('/', '-')}.{fmt}"
    response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def _left_out(found: Measured, rows: list[dict], graph: nx.Graph) -> str:
    """What a picture's title adds when it leaves organisations or pairs out."""
    left = len(found.organisations) - len(rows), len(found.pairs) - len(graph.edges)
    if not any(left):
        return ""
    return (
        f" ({len(rows)} organisations named on most work, {left[0]} more not drawn;"
        f" {len(graph.edges)} pairs sharing most, {left[1]} more not drawn)"
    )


@bp.get("/network/vis/<path:name>")
def vis(name: str):
    """vis-network from pyvis's package files, so the page makes no external request."""
    return send_from_directory(VIS_DIR, name, max_age=86400)
