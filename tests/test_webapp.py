"""The workbench so far: the home page and the SPARQL 1.1 Protocol endpoint."""

from webapp import create_app


def test_factory_needs_a_build(tmp_path, config):
    import pytest

    from graph.store import StoreMissing

    with pytest.raises(StoreMissing):
        create_app({**config, "BUILD_DIR": tmp_path})


def test_home_lists_the_plans_with_counts(client):
    page = client.get("/")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Joint Health and Wellbeing Action Plan 2018-23" in html
    assert "LLR Integrated Care System priorities" in html


ASK = "ASK { ?s a hwb:Action }"
SELECT = "SELECT ?f WHERE { ?d hwb:fileName ?f } ORDER BY ?f"


def test_get_returns_sparql_json(client):
    response = client.get(
        "/sparql",
        query_string={"query": SELECT},
        headers={"Accept": "application/sparql-results+json"},
    )
    assert response.status_code == 200
    assert response.mimetype == "application/sparql-results+json"
    rows = response.get_json()["results"]["bindings"]
    assert [r["f"]["value"] for r in rows][0] == "harborough-hw-action-plan-2022-23.txt"
    assert response.headers["Access-Control-Allow-Origin"] == "*"


def test_post_form_and_format_parameter_give_csv(client):
    response = client.post("/sparql", data={"query": SELECT, "format": "csv"})
    assert response.mimetype == "text/csv"
    assert response.get_data(as_text=True).splitlines()[0] == "f"


def test_post_sparql_query_body_with_xml_accept(client):
    response = client.post(
        "/sparql",
        data=ASK,
        content_type="application/sparql-query",
        headers={"Accept": "application/sparql-results+xml"},
    )
    assert response.status_code == 200 and "<boolean>true</boolean>" in response.get_data(
        as_text=True
    )


def test_construct_negotiates_turtle(client):
    response = client.get(
        "/sparql",
        query_string={
            "query": "CONSTRUCT { ?d a hwb:SourceDocument } WHERE { ?d a hwb:SourceDocument }"
        },
        headers={"Accept": "text/turtle"},
    )
    assert response.mimetype == "text/turtle" and "SourceDocument" in response.get_data(
        as_text=True
    )


def test_malformed_query_is_a_400_with_the_parser_message(client):
    response = client.get("/sparql", query_string={"query": "SELECT ?x WHERE { ?x"})
    assert response.status_code == 400
    assert response.get_data(as_text=True).startswith("Malformed query:")


def test_update_is_refused(client):
    response = client.post("/sparql", data={"query": "INSERT DATA { <a:b> <a:c> <a:d> }"})
    assert response.status_code == 400


def test_missing_query_is_a_400(client):
    assert client.get("/sparql").status_code == 400


def test_tsv_by_accept(client):
    query = "SELECT ?d ?f WHERE { ?d hwb:fileName ?f } ORDER BY ?f"
    response = client.get(
        "/sparql", query_string={"query": query}, headers={"Accept": "text/tab-separated-values"}
    )
    assert response.mimetype == "text/tab-separated-values"
    lines = response.get_data(as_text=True).splitlines()
    assert lines[0] == "?d\t?f" and len(lines) == 6
