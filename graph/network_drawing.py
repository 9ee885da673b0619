"""How a co-delivery network is drawn: colours, sizes, hover text, and a static SVG.

The interactive page (pyvis) and the static picture share these choices, so both say the
same thing. The layout is a small Fruchterman-Reingold in plain Python: networkx's own
layouts need numpy, which this project does not otherwise use.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from xml.sax.saxutils import escape, quoteattr

import networkx as nx

KIND_COLOURS = {
    "council": "#0072B2",
    "team": "#56B4E9",
    "nhs-trust": "#009E73",
    "icb-ccg": "#7FC97F",
    "nhs-research": "#B3DE69",
    "police": "#333333",
    "vcse": "#E69F00",
    "partnership": "#CC79A7",
    "board": "#D55E00",
    "school": "#F0E442",
    "business": "#8C564B",
    "generic": "#BBBBBB",
}
"""Organisation kind to colour (Okabe-Ito where it has enough colours); others grey."""
OTHER_COLOUR = "#888888"

WIDTH, HEIGHT, MARGIN = 960, 680, 70


def colour(kind: str) -> str:
    """The colour of an organisation kind."""
    return KIND_COLOURS.get(kind, OTHER_COLOUR)


def radius(load: int) -> float:
    """Node radius in pixels: the area grows with the number of work items."""
    return 5 + 3 * math.sqrt(load)


def edge_width(weight: int) -> float:
    """Edge width in pixels from the number of shared items, capped so hubs stay legible."""
    return min(1 + weight, 10)


def summary(row: dict) -> str:
    """An organisation's figures in words: the hover text and the SVG tooltip."""
    kind = f"{row['kind']}, generic group" if row["generic"] else row["kind"]
    return (
        f"{row['label']} ({kind})\n"
        f"leads {row['led']} work items ({row['sole']} alone), partner on {row['partnered']}\n"
        f"lead share {row['lead_share']:.0%}, shares items with {row['co_partners']} "
        f"organisations ({row['weighted_degree']} times)\n"
        f"betweenness {row['betweenness']:.2f}"
        + (", its absence splits the network" if row["articulation_point"] else "")
    )


def layout(graph: nx.Graph, seed: int = 7, iterations: int = 150) -> dict[str, tuple]:
    """Positions in the unit square, the same for the same graph (seeded, nodes sorted).

    Fruchterman-Reingold with a weak pull to the centre, so organisations without a
    co-delivery partner stay inside the frame.
    """
    nodes = sorted(graph)
    if not nodes:
        return {}
    rng = random.Random(seed)
    pos = {n: [rng.random(), rng.random()] for n in nodes}
    k = 1.2 * math.sqrt(1 / len(nodes))
    for step in range(iterations):
        heat = 0.1 * (1 - step / iterations) + 0.002
        move = {n: [0.5 - pos[n][0], 0.5 - pos[n][1]] for n in nodes}
        for i, a in enumerate(nodes):
            for b in nodes[i + 1 :]:
                dx, dy = pos[a][0] - pos[b][0], pos[a][1] - pos[b][1]
                dist = math.hypot(dx, dy) or 1e-6
                push = k * k / dist
                if graph.has_edge(a, b):
                    push -= dist * dist / k * (1 + math.log(graph.edges[a, b].get("weight", 1)))
                move[a][0] += dx / dist * push
                move[a][1] += dy / dist * push
                move[b][0] -= dx / dist * push
                move[b][1] -= dy / dist * push
        for n in nodes:
            length = math.hypot(*move[n]) or 1e-6
            step_size = min(length, heat)
            pos[n][0] = min(1, max(0, pos[n][0] + move[n][0] / length * step_size))
            pos[n][1] = min(1, max(0, pos[n][1] + move[n][1] / length * step_size))
    return {n: tuple(p) for n, p in pos.items()}


def _xy(point: tuple) -> tuple[float, float]:
    return (
        round(MARGIN + point[0] * (WIDTH - 2 * MARGIN), 1),
        round(MARGIN + point[1] * (HEIGHT - 2 * MARGIN), 1),
    )


def svg(graph: nx.Graph, rows: list[dict], title: str, href: Callable[[str], str]) -> str:
    """The co-delivery network as a standalone SVG document.

    ``rows`` are the organisation metrics (graph.network.organisation_metrics); ``href``
    gives an organisation's page from its slug. Each node links there and carries its
    figures as a tooltip; a legend names the colours present.
    """
    by_org = {row["organisation"]: row for row in rows}
    pos = {n: _xy(p) for n, p in layout(graph).items()}
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="{WIDTH}" height="{HEIGHT}" role="img" aria-labelledby="svg-title" '
        'font-family="system-ui, sans-serif">',
        f'<title id="svg-title">{escape(title)}</title>',
        '<rect width="100%" height="100%" fill="#ffffff"/>',
    ]
    for a, b, data in sorted(graph.edges(data=True)):
        (x1, y1), (x2, y2) = pos[a], pos[b]
        parts.append(
            f'<line x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}" stroke="#8a8a8a" '
            f'stroke-opacity="0.6" stroke-width="{edge_width(data["weight"])}">'
            f"<title>{escape(by_org[a]['label'])} and {escape(by_org[b]['label'])}: "
            f"{data['weight']} shared items</title></line>"
        )
    for org in sorted(graph, key=lambda n: -by_org[n]["load"]):
        row, (x, y) = by_org[org], pos[org]
        dash = ' stroke-dasharray="3 2"' if row["generic"] else ""
        size = radius(row["load"])
        parts.append(
            f'<a href={quoteattr(href(row["slug"]))}><circle cx="{x}" cy="{y}" '
            f'r="{size:.1f}" fill="{colour(row["kind"])}" stroke="#222"{dash}>'
            f"<title>{escape(summary(row))}</title></circle>"
            f"{_label(row, x, y, size, len(graph))}</a>"
        )
    parts += _legend(sorted({by_org[n]["kind"] for n in graph}))
    return "\n".join(parts + ["</svg>"]) + "\n"


def _label(row: dict, x: float, y: float, size: float, count: int) -> str:
    """A node's name beside it, toward the middle; in a crowded picture only for
    organisations named on more than one item (the tooltip and tables name the rest)."""
    if count > 25 and row["load"] < 2:
        return ""
    left = x > WIDTH * 0.6
    anchor, dx = ("end", -size - 3) if left else ("start", size + 3)
    return (
        f'<text x="{x + dx:.1f}" y="{y + 4}" font-size="11" text-anchor="{anchor}" '
        f'fill="#111" paint-order="stroke" stroke="#fff" stroke-width="3">'
        f"{escape(row['label'])}</text>"
    )


def _legend(kinds: list[str]) -> list[str]:
    """Colour swatches for the kinds present, in rows of eight along the top edge."""
    found = []
    for i, kind in enumerate(kinds):
        x, y = 10 + (i % 8) * 115, 10 + (i // 8) * 18
        found.append(
            f'<rect x="{x}" y="{y}" width="12" height="12" fill="{colour(kind)}" stroke="#222"/>'
            f'<text x="{x + 16}" y="{y + 11}" font-size="11">{escape(kind)}</text>'
        )
    return found
