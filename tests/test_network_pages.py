"""Every /network route and export through the Flask test client."""

from __future__ import annotations

import csv
import io
import json

import networkx as nx
import pytest

from vocab.ids import mint

PLAN = "leicester-jhwb-action-plan-2018-23"
LCC = str(mint("org", "leicester-city-council"))
LPT = str(mint("org", "leicestershire-partnership-nhs-trust"))


def test_page_draws_and_explains_the_network(client):
    response = client.get(f"/network?plan={PLAN}")
    assert response.status_code == 200 and response.mimetype == "text/html"
    assert f"/network.json?plan={PLAN}" in response.headers["Link"]
    assert f"/network.csv?plan={PLAN}" in response.headers["Link"]
    page = response.get_data(as_text=True)
    assert "Partner network: Joint Health and Wellbeing Action Plan 2018-23" in page
    assert '<option value="leicester-jhwb-action-plan-2018-23" selected>' in page
    assert 'href="/organisations/leicester-city-council"' in page
    assert "Herfindahl-Hirschman index of leadership" in page
    assert f"/network/co-delivery.svg?plan={PLAN}" in page
    assert "/network/vis/vis-network.min.js" in page


def test_page_makes_no_external_request(client):
    page = client.get("/network").get_data(as_text=True)
    assert "cdn" not in page.lower() and 'src="http' not in page and 'href="http' not in page


def test_vis_data_embedded_for_the_browser(client):
    page = client.get(f"/network?plan={PLAN}").get_data(as_text=True)
    marker = '<script type="application/json" id="network-data">'
    start = page.index(marker) + len(marker)
    data = json.loads(page[start : page.index("</script>", start)])
    lcc = next(node for node in data["nodes"] if node["id"] == LCC)
    assert lcc["url"] == "/organisations/leicester-city-council"
    assert "leads 71 work items (44 alone)" in lcc["title"]
    assert len(data["nodes"]) == 16
    assert data["options"]["interaction"]["hover"] is True


def test_json_twin(client):
    response = client.get(f"/network.json?plan={PLAN}")
    assert response.mimetype == "application/json"
    data = response.get_json()
    assert data["scope"] == {
        "plan": PLAN,
        "description": "Joint Health and Wellbeing Action Plan 2018-23",
    }
    assert data["summary"]["items"] == 76
    first = data["organisations"][0]
    assert (first["organisation"], first["led"], first["sole"]) == (LCC, 71, 44)
    top = data["pairs"][0]
    assert (top["source"], top["target"], top["weight"]) == (LCC, LPT, 7)
    assert len(top["actions"]) == 7 and set(data["definitions"]) >= {"hhi", "betweenness"}
    assert "hwb:leadPartner" in data["queries"]["links"]


def test_csv_twin(client):
    response = client.get(f"/network.csv?plan={PLAN}")
    assert response.mimetype == "text/csv"
    found = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert len(found) == 16
    assert (found[0]["label"], found[0]["led"], found[0]["sole"]) == (
        "Leicester City Council",
        "71",
        "44",
    )


def test_role_filter(client):
    data = client.get(f"/network.json?plan={PLAN}&role=partner").get_json()
    assert data["summary"]["items"] == 0 and data["organisations"] == []
    data = client.get("/network.json?role=partner").get_json()
    assert data["summary"]["items"] > 0
    assert all(row["led"] == 0 for row in data["organisations"])


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("/network?plan=nope", "unknown plan (known: "),
        ("/network.json?theme=x/y", "unknown theme (known: "),
        ("/network.csv?role=boss", "unknown role (known: lead, partner)"),
        ("/network/co-delivery.graphml?plan=nope", "unknown plan (known: "),
    ],
)
def test_bad_scope_is_a_400(client, url, message):
    response = client.get(url)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("name", "fmt", "media", "nodes"),
    [
        ("co-delivery", "graphml", "application/graphml+xml", 16),
        ("co-delivery", "gexf", "application/gexf+xml", 16),
        ("partner-work", "graphml", "application/graphml+xml", 16 + 76),
        ("partner-work", "gexf", "application/gexf+xml", 16 + 76),
    ],
)
def test_xml_exports_parse(client, tmp_path, name, fmt, media, nodes):
    response = client.get(f"/network/{name}.{fmt}?plan={PLAN}")
    assert response.status_code == 200 and response.mimetype == media
    assert f'filename="{name}-{PLAN}.{fmt}"' in response.headers["Content-Disposition"]
    path = tmp_path / f"export.{fmt}"
    path.write_bytes(response.data)
    graph = (nx.read_graphml if fmt == "graphml" else nx.read_gexf)(path)
    assert graph.number_of_nodes() == nodes


def test_node_link_json_export(client):
    response = client.get(f"/network/co-delivery.json?plan={PLAN}")
    assert response.mimetype == "application/json"
    graph = nx.node_link_graph(response.get_json(), edges="edges")
    edge = graph.edges[LCC, LPT]
    assert edge["weight"] == 7 and len(edge["actions"]) == 7


def test_svg_picture(client):
    response = client.get(f"/network/co-delivery.svg?plan={PLAN}")
    assert response.status_code == 200 and response.mimetype == "image/svg+xml"
    picture = response.get_data(as_text=True)
    assert picture.startswith("<svg") and 'href="/organisations/leicester-city-council"' in picture
    assert "Co-delivery network: Joint Health and Wellbeing Action Plan 2018-23" in picture


def test_partner_work_has_no_picture(client):
    response = client.get("/network/partner-work.svg")
    assert response.status_code == 404 and response.mimetype == "text/plain"


def test_unknown_export_format_is_a_404(client):
    assert client.get("/network/co-delivery.dot").status_code == 404


def test_vis_network_served_from_pyvis(client):
    for name, media in [("vis-network.min.js", "text/javascript"), ("vis-network.css", "text/css")]:
        response = client.get(f"/network/vis/{name}")
        assert response.status_code == 200 and response.mimetype == media
        assert len(response.get_data()) > 1000
        response.close()
    assert client.get("/network/vis/../../network.py").status_code == 404


def test_all_plans_come_from_the_build_and_pairs_are_paged(client):
    first = client.get("/network.json").get_json()
    assert first["summary"]["organisations"] == len(first["organisations"]) == 55
    pairs = first["pages"]["pairs"]
    assert (pairs["page"], pairs["pages"], pairs["total"], pairs["previous"]) == (1, 4, 184, None)
    assert pairs["next"] == "/network.json?pairs_page=2" and len(first["pairs"]) == 50
    shown, url = [], "/network.json"
    while url:
        data = client.get(url).get_json()
        shown += [(p["source"], p["target"]) for p in data["pairs"]]
        url = data["pages"]["pairs"]["next"]
    assert len(shown) == len(set(shown)) == 184 and len(data["pairs"]) == 34
    assert data["pages"]["pairs"]["previous"] == "/network.json?pairs_page=3"
    page = client.get("/network?pairs_page=4").get_data(as_text=True)
    assert "Co-delivery pairs 151 to 184 of 184 (page 4 of 4)." in page
    assert 'href="/network?pairs_page=3" rel="prev"' in page


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("pairs_page=5", "pairs_page must be a whole number from 1 to 4"),
        ("pairs_page=-1", "pairs_page must be a whole number from 1 to 4"),
        ("page=0", "page must be a whole number from 1 to 1"),
        ("page=x", "page must be a whole number from 1 to 1"),
        ("page=2", "page must be a whole number from 1 to 1"),
        ("page=%C2%B2", "page must be a whole number from 1 to 1"),
        ("page=" + "9" * 5000, "page must be a whole number from 1 to 1"),
    ],
)
def test_a_page_past_the_table_is_a_400(client, query, message):
    response = client.get(f"/network.json?{query}")
    assert response.status_code == 400 and response.mimetype == "text/plain"
    assert response.get_data(as_text=True) == message + "\n"


def test_long_lists_stop_and_say_how_many_more(client, monkeypatch):
    from webapp import network as page

    for name, value in {"LISTED": 2, "ITEMS_PER_PAIR": 3, "DRAWN": 10, "DRAWN_PAIRS": 5}.items():
        monkeypatch.setattr(page, name, value)
    data = client.get("/network.json").get_json()
    top = data["pairs"][0]
    assert len(top["actions"]) == 3 and top["actions_total"] == top["weight"] > 3
    lpt = next(row for row in data["organisations"] if row["organisation"] == LPT)
    assert lpt["plans_total"] == 3 and len(lpt["plans"]) == 2
    summary = data["summary"]
    assert len(summary["single_lead_no_partner"]) == 2
    assert summary["single_lead_no_partner_total"] > 2
    html = client.get("/network").get_data(as_text=True)
    assert (
        "The picture draws the 10 organisations\n  named on most work items (45 more not drawn)"
        " and the 5 pairs among them\n  that share most items (179 more not drawn)"
    ) in html
    assert "and 1 more (all in the CSV)" in html
    picture = client.get("/network/co-delivery.svg").get_data(as_text=True)
    assert (
        "(10 organisations named on most work, 45 more not drawn; 5 pairs sharing most,"
        " 179 more not drawn)"
    ) in picture
    assert picture.count("<circle") == 10 and picture.count("<line") == 5


def test_a_long_theme_menu_offers_the_chosen_plans_themes(client, monkeypatch):
    from webapp import network as page

    every = client.get("/network").get_data(as_text=True)
    assert every.count('<option value="leicester-jhwb-action-plan-2018-23/') == 5
    monkeypatch.setattr(page, "THEME_CHOICES", 3)
    unchosen = client.get("/network").get_data(as_text=True)
    assert "leicester-jhwb-action-plan-2018-23/healthy-ageing" not in unchosen
    assert "choose a plan first to see its own" in unchosen
    chosen = client.get(f"/network?plan={PLAN}").get_data(as_text=True)
    assert chosen.count('<option value="leicester-jhwb-action-plan-2018-23/') == 5
    assert "(5 of " in chosen
