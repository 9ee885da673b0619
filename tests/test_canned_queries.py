"""The query library as pages: /queries and /queries/<name> with .json and .csv twins."""

import pytest

HARBOROUGH_1A = [
    "1.a",
    "Promote high design standards for new housing",
    "Review policy as part of Local Plan refresh",
    "2022/24",
    "Harborough District Council Planning Policy",
    "Achieve high design standards for new homes",
]
PARAM_QUERY = """# title: Documents by file name
# description: The source document read from a file.
# params: file (string; default "none given"), doc (IRI, optional)
SELECT ?doc ?file WHERE { ?doc hwb:fileName ?file }
"""


@pytest.fixture(scope="module")
def library_client(make_app, tmp_path_factory):
    """An app whose library is one hand-written query taking two parameters."""
    queries_dir = tmp_path_factory.mktemp("queries")
    (queries_dir / "documents.rq").write_text(PARAM_QUERY)
    return make_app(QUERIES_DIR=queries_dir).test_client()


def test_index_lists_every_query_with_a_json_twin(client):
    page = client.get("/queries")
    assert page.status_code == 200
    assert page.headers["Link"] == '</queries.json>; rel="alternate"; type="application/json"'
    assert "District actions with deadlines and deliverers" in page.get_data(as_text=True)
    found = client.get("/queries.json").get_json()["queries"]
    assert len(found) == 18 and found[0]["name"] == "actions-per-lead-partner"


def test_page_shows_title_sparql_and_table_with_twins(client):
    page = client.get("/queries/district-actions")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "<h1>District actions with deadlines and deliverers</h1>" in html
    assert "?plan hwb:area &#34;harborough&#34;" in html
    assert "<td>Review policy as part of Local Plan refresh</td>" in html
    assert page.headers["Link"] == (
        '</queries/district-actions.json>; rel="alternate"; type="application/json", '
        '</queries/district-actions.csv>; rel="alternate"; type="text/csv"'
    )


def test_json_and_csv_twins_hold_the_same_rows(client):
    data = client.get("/queries/district-actions.json").get_json()
    assert data["columns"] == [
        "notation",
        "objective",
        "action",
        "deadline",
        "deliverers",
        "target",
    ]
    assert data["rows"][0] == HARBOROUGH_1A and data["truncated"] is False
    lines = client.get("/queries/district-actions.csv").get_data(as_text=True).splitlines()
    assert lines[0] == ",".join(data["columns"]) and len(lines) == len(data["rows"]) + 1


def test_result_iris_link_to_entity_pages(client):
    html = client.get("/queries/where-does-it-come-from").get_data(as_text=True)
    assert 'href="/id/' in html and 'href="https://w3id.org' not in html


def test_unknown_query_is_a_404(client):
    assert client.get("/queries/nope").status_code == 404
    response = client.get("/queries/nope.json")
    assert response.status_code == 404 and response.mimetype == "text/plain"


def test_params_are_bound_by_substitution(library_client):
    every = library_client.get("/queries/documents.json").get_json()
    assert len(every["rows"]) == 5
    one = library_client.get(
        "/queries/documents.json", query_string={"file": "harborough-hw-action-plan-2022-23.txt"}
    ).get_json()
    assert one["rows"] == [
        [
            "https://w3id.org/hwbkg/id/source/harborough-hw-action-plan-2022-23",
            "harborough-hw-action-plan-2022-23.txt",
        ]
    ]
    assert [p["name"] for p in one["params"]] == ["file", "doc"]


def test_a_param_declared_as_iri_must_be_one(library_client):
    response = library_client.get("/queries/documents.csv", query_string={"doc": "not an iri"})
    assert response.status_code == 400
    assert response.get_data(as_text=True) == "the parameter doc must be an IRI\n"


def test_undeclared_parameters_are_ignored(client):
    response = client.get("/queries/where-does-it-come-from.json", query_string={"text": "x"})
    assert response.status_code == 200
    # Nine nodes mention falls, e.g. 2018-23 action 17.3 on line 139 (see test_query_answers).
    assert len(response.get_json()["rows"]) == 9


def test_the_page_links_its_evidence_pack(client):
    html = client.get("/queries/stretch-actions").get_data(as_text=True)
    assert 'href="/evidence/queries/stretch-actions.zip"' in html
    assert client.get("/evidence/queries/stretch-actions.zip").mimetype == "application/zip"


RUNAWAY_QUERY = """# title: Every triple with every triple
# description: A product of the graph with itself, twice: it never ends at any scale.
# params: none
SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }
"""


def test_a_library_query_past_the_time_limit_is_a_503_and_the_app_answers_on(make_app, tmp_path):
    """Library queries run in the worker pool: a query (or a build) costlier than measured
    costs one answer, never the web process (one had taken the server's memory at 100x)."""
    (tmp_path / "runaway.rq").write_text(RUNAWAY_QUERY)
    (tmp_path / "documents.rq").write_text(PARAM_QUERY)
    client = make_app(QUERIES_DIR=tmp_path, QUERY_TIMEOUT=1).test_client()
    stopped = client.get("/queries/runaway.json")
    assert stopped.status_code == 503
    assert stopped.get_data(as_text=True).startswith("Query stopped: ")
    assert client.get("/queries/documents.json").get_json()["rows"][0][1].endswith(".txt")
