"""The query page and the completion endpoints its editor calls (no remote services)."""

from graph.sparql import PREFIXES


def test_page_has_editor_assets_library_and_plain_form(client):
    html = client.get("/query").get_data(as_text=True)
    assert '<script src="/static/vendor/yasgui/yasgui.min.js"></script>' in html
    assert '<form id="plain-query" method="post" action="/sparql">' in html
    assert 'href="/queries/district-actions"' in html
    assert "https://" not in html.split("<body>")[0].replace("https://w3id.org", "")


def test_query_parameter_prefills_the_editor(client):
    html = client.get("/query", query_string={"query": "ASK { ?s ?p ?o }"}).get_data(as_text=True)
    assert "ASK { ?s ?p ?o }</textarea>" in html and '"runOnLoad": true' in html


def test_vendor_files_are_served_locally(client):
    for path in ["/static/vendor/yasgui/yasgui.min.js", "/static/query/query.js"]:
        with client.get(path) as response:
            assert response.status_code == 200


def test_prefixes(client):
    assert client.get("/query/prefixes.json").get_json() == PREFIXES


def test_property_and_class_completion(client):
    found = client.get("/query/terms.json", query_string={"kind": "property", "q": "lead"})
    assert found.get_json() == [
        {"iri": "https://w3id.org/hwbkg/def#leadPartner", "label": "lead partner"}
    ]
    classes = client.get(
        "/query/terms.json", query_string={"kind": "class", "q": "https://w3id.org/hwbkg/def#Pl"}
    )
    assert classes.get_json() == [{"iri": "https://w3id.org/hwbkg/def#Plan", "label": "Plan"}]
    assert client.get("/query/terms.json", query_string={"kind": "x"}).status_code == 400


def test_entity_completion_by_label(client):
    found = client.get("/query/entities.json", query_string={"q": "Falls"}).get_json()
    assert found[0] == {
        "iri": "https://w3id.org/hwbkg/id/plan/stp-falls-work-stream",
        "label": "STP Falls Work stream",
    }
    assert client.get("/query/entities.json", query_string={"q": "f"}).get_json() == []
