"""Network metrics on small hand-made graphs whose answers are worked out on paper."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import networkx as nx
import pytest

from graph import network, network_drawing
from graph.network_queries import Facts


def facts(*links: tuple[str, str, str], generic: tuple[str, ...] = (), themes=None) -> Facts:
    """Facts naming organisations and items by short names; ``themes`` maps item -> themes."""
    themes = themes or {}
    found = Facts()
    for org, item, role in links:
        found.organisations[org] = {
            "label": org.upper(),
            "kind": "council",
            "generic": org in generic,
        }
        found.items[item] = {"label": item, "notation": "", "kind": "action", "plan": "P",
                             "themes": themes.get(item, [])}  # fmt: skip
        found.links.add((org, item, role))
    found.themes = {t: t.title() for ts in themes.values() for t in ts}
    return found


def lead(org: str, *items: str) -> list[tuple[str, str, str]]:
    return [(org, item, "lead") for item in items]


def test_hhi_of_equal_and_unequal_shares():
    assert network.hhi({"a": 0.5, "b": 0.5}) == 0.5
    assert network.hhi({"a": 1.0}) == 1.0
    assert network.hhi({}) == 0


def test_lead_credit_splits_joint_leads():
    # i1 A alone, i2 A and B jointly, i3 B alone: A has 1 + 1/2 of 3, B the same.
    work = network.partner_work(facts(*lead("a", "i1", "i2"), *lead("b", "i2", "i3")))
    assert network.lead_credit(work) == {"a": 0.5, "b": 0.5}
    # A leads three of four items alone, B one: 0.75² + 0.25² = 0.625.
    work = network.partner_work(facts(*lead("a", "i1", "i2", "i3"), *lead("b", "i4")))
    assert network.hhi(network.lead_credit(work)) == pytest.approx(0.625)


def test_partners_do_not_earn_lead_credit():
    work = network.partner_work(facts(*lead("a", "i1"), ("b", "i1", "partner")))
    assert network.lead_credit(work) == {"a": 1.0}


def path() -> Facts:
    """a - b - c - d: each item names two neighbours."""
    return facts(*lead("a", "i1"), *lead("b", "i1", "i2"), *lead("c", "i2", "i3"), *lead("d", "i3"))


def test_betweenness_on_a_path():
    # b lies on the shortest paths a-c and a-d: 2 of the 3 pairs not involving b.
    work = network.partner_work(path())
    found = nx.betweenness_centrality(network.co_delivery(work))
    assert found == pytest.approx({"a": 0, "b": 2 / 3, "c": 2 / 3, "d": 0})
    rows = {
        r["organisation"]: r
        for r in network.organisation_metrics(work, network.co_delivery(work), path())
    }
    assert rows["b"]["betweenness"] == pytest.approx(2 / 3)
    assert rows["b"]["weighted_degree"] == 2 and rows["a"]["weighted_degree"] == 1


def test_articulation_points_of_a_path():
    assert network.articulation_points(network.co_delivery(network.partner_work(path()))) == [
        "b",
        "c",
    ]


def test_co_delivery_weights_roles_and_actions():
    # i1: A leads, B partners; i2: A and B lead; i3: A alone.
    work = network.partner_work(
        facts(*lead("a", "i1", "i2", "i3"), ("b", "i1", "partner"), *lead("b", "i2"))
    )
    edge = network.co_delivery(work).edges["a", "b"]
    assert edge == {"weight": 2, "actions": ["i1", "i2"], "joint_lead": 1, "lead_partner": 1,
                    "partner_partner": 0}  # fmt: skip


def test_lead_wins_when_named_in_both_roles():
    work = network.partner_work(facts(*lead("a", "i1"), ("a", "i1", "partner")))
    assert work.edges["a", "i1"]["role"] == "lead"


def test_role_filter_keeps_one_role():
    both = facts(*lead("a", "i1"), ("b", "i1", "partner"), ("c", "i2", "partner"))
    assert sorted(network.partner_work(both, "lead").edges) == [("a", "i1")]
    assert sorted(network.sides(network.partner_work(both, "partner"))[0]) == ["b", "c"]


def test_single_lead_no_partner():
    # i1: A alone (counts); i2: A with a partner; i3: a partner only, no lead.
    found = facts(*lead("a", "i1", "i2"), ("b", "i2", "partner"), ("c", "i3", "partner"))
    assert network.single_lead_no_partner(network.partner_work(found)) == ["i1"]


def test_dominant_themes_need_more_than_half():
    # Theme t: A leads i1 and i2 of three (2/3); theme u: A and B lead one of two each (1/2).
    found = facts(
        *lead("a", "i1", "i2", "i4"), *lead("b", "i3", "i5"),
        themes={"i1": ["t"], "i2": ["t"], "i3": ["t"], "i4": ["u"], "i5": ["u"]},
    )  # fmt: skip
    rows = network.dominant_themes(network.partner_work(found), found.themes)
    assert rows == [{"theme": "t", "organisation": "a", "led": 2, "items": 3, "share": 2 / 3}]


def test_communities_of_two_triangles_joined_by_one_edge():
    # Triangles a-b-c and d-e-f, joined by c-d; each triangle edge shares two items.
    triangle = [("a", "b"), ("b", "c"), ("a", "c"), ("d", "e"), ("e", "f"), ("d", "f")]
    links = [(o, f"{x}{y}{n}", "lead") for x, y in triangle for n in (1, 2) for o in (x, y)]
    links += lead("c", "cd") + lead("d", "cd")
    codelivery = network.co_delivery(network.partner_work(facts(*links)))
    assert network.communities(codelivery) == [["a", "b", "c"], ["d", "e", "f"]]
    assert network.articulation_points(codelivery) == ["c", "d"]


def test_organisations_alone_form_no_community():
    codelivery = network.co_delivery(network.partner_work(facts(*lead("a", "i1"))))
    assert network.communities(codelivery) == []


def test_generic_partners_stay_their_own_node():
    found = facts(*lead("a", "i1"), *lead("partners", "i1"), generic=("partners",))
    work = network.partner_work(found)
    assert work.nodes["partners"]["generic"] is True and work.nodes["a"]["generic"] is False


@pytest.mark.parametrize("fmt", ["graphml", "gexf", "json"])
def test_exports_parse_back(fmt, tmp_path):
    graph = network.co_delivery(network.partner_work(path()))
    data = network.serialise(graph, fmt)
    if fmt == "json":
        back = nx.node_link_graph(json.loads(data), edges="edges")
    else:
        (tmp_path / "g").write_bytes(data)
        back = (nx.read_graphml if fmt == "graphml" else nx.read_gexf)(tmp_path / "g")
    assert sorted(back.nodes) == ["a", "b", "c", "d"]
    expected = ["i2"] if fmt == "json" else "i2"  # GraphML and GEXF hold text, not lists
    assert back.edges["b", "c"]["actions"] == expected


def test_unknown_export_format():
    with pytest.raises(ValueError, match="unknown network format 'dot'"):
        network.serialise(nx.Graph(), "dot")


def test_layout_is_repeatable_and_inside_the_frame():
    graph = network.co_delivery(network.partner_work(path()))
    first = network_drawing.layout(graph)
    assert first == network_drawing.layout(graph)
    assert all(0 <= x <= 1 and 0 <= y <= 1 for x, y in first.values())


def test_svg_links_every_organisation():
    found = path()
    work = network.partner_work(found)
    codelivery = network.co_delivery(work)
    rows = network.organisation_metrics(work, codelivery, found)
    picture = network_drawing.svg(codelivery, rows, "Path <test>", lambda slug: f"/o/{slug}")
    root = ET.fromstring(picture)
    ns = {"s": "http://www.w3.org/2000/svg"}
    assert root.find("s:title", ns).text == "Path <test>"
    assert len(root.findall("s:a", ns)) == 4 and len(root.findall("s:line", ns)) == 3
