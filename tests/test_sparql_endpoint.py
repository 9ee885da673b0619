"""The SPARQL 1.1 Protocol endpoint: content types, refusals, time limit, row cap, CORS."""

import json
import multiprocessing
import os
import time

import pytest

SELECT = "SELECT ?f WHERE { ?d hwb:fileName ?f } ORDER BY ?f"
FIRST_FILE = "harborough-hw-action-plan-2022-23.txt"
ASK = "ASK { ?s a hwb:Action }"
CONSTRUCT = "CONSTRUCT { ?d hwb:fileName ?f } WHERE { ?d hwb:fileName ?f }"
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
"""Ten thousand statements cubed: runs for hours unless stopped."""


@pytest.fixture(scope="module")
def strict(make_app):
    """An app with one worker, a half-second time limit and a cap of three rows."""
    return make_app(QUERY_TIMEOUT=0.5, ROW_LIMIT=3, QUERY_WORKERS=1)


def get(client, query, accept=None, **params):
    headers = {"Accept": accept} if accept else {}
    return client.get("/sparql", query_string={"query": query, **params}, headers=headers)


@pytest.mark.parametrize(
    ("accept", "media", "first_line"),
    [
        ("text/csv", "text/csv", "f"),
        ("text/tab-separated-values", "text/tab-separated-values", "?f"),
        (
            "application/sparql-results+xml",
            "application/sparql-results+xml",
            '<?xml version="1.0"?>',
        ),
    ],
)
def test_select_formats_by_accept(client, accept, media, first_line):
    response = get(client, SELECT, accept)
    assert response.status_code == 200 and response.mimetype == media
    body = response.get_data(as_text=True)
    assert body.splitlines()[0].startswith(first_line) and FIRST_FILE in body


def test_select_json_by_default_with_five_source_documents(client):
    response = get(client, SELECT)
    assert response.mimetype == "application/sparql-results+json"
    bindings = response.get_json()["results"]["bindings"]
    assert len(bindings) == 5 and bindings[0]["f"] == {"type": "literal", "value": FIRST_FILE}


def test_format_parameter_beats_accept(client):
    response = get(client, SELECT, "application/sparql-results+json", format="tsv")
    assert response.mimetype == "text/tab-separated-values"


def test_post_form_and_sparql_query_body(client):
    form = client.post("/sparql", data={"query": ASK}, headers={"Accept": "application/json"})
    assert form.get_json() == {"head": {}, "boolean": True}
    body = client.post(
        "/sparql",
        data=ASK,
        content_type="application/sparql-query",
        headers={"Accept": "application/sparql-results+xml"},
    )
    assert "<boolean>true</boolean>" in body.get_data(as_text=True)


@pytest.mark.parametrize(
    ("accept", "media", "needle"),
    [
        ("text/turtle", "text/turtle", "hwb:fileName"),
        ("application/n-triples", "application/n-triples", "<https://w3id.org/hwbkg/def#fileName>"),
        ("application/ld+json", "application/ld+json", '"https://w3id.org/hwbkg/def#fileName"'),
    ],
)
def test_construct_formats(client, accept, media, needle):
    response = get(client, CONSTRUCT, accept)
    assert response.status_code == 200 and response.mimetype == media
    assert needle in response.get_data(as_text=True)


def test_jsonld_lists_the_five_documents(client):
    documents = json.loads(get(client, CONSTRUCT, format="jsonld").get_data())
    assert len(documents) == 5


def test_malformed_query_gives_the_parser_message_and_position(client):
    response = get(client, "SELECT ?x WHERE {\n  ?x")
    assert response.status_code == 400
    assert response.get_data(as_text=True) == (
        'Malformed query: expected one of "!", "$", "(", ":", "<", "?", "^", "a" '
        "at line 2, column 5\n"
    )


def test_unknown_prefix_is_a_400_from_the_engine(client):
    response = get(client, "SELECT ?x WHERE { ?x nope:p ?y }")
    assert response.status_code == 400
    assert response.get_data(as_text=True) == (
        "Malformed query: a prefix is used but not declared at line 1, column 28\n"
    )


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("INSERT DATA { <a:b> <a:c> <a:d> }", "INSERT DATA is refused: this endpoint is read-only"),
        ("DELETE WHERE { ?s ?p ?o }", "DELETE WHERE is refused"),
        ("LOAD <http://example.org/data.ttl>", "LOAD is refused: this endpoint is read-only"),
        ("CLEAR ALL", "CLEAR is refused"),
        (
            "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }",
            "SERVICE is refused: queries here cannot call other endpoints",
        ),
        (
            "SELECT * FROM <http://example.org/x> WHERE { ?s ?p ?o }",
            "FROM <http://example.org/x> is refused: that graph is not in this store",
        ),
        (
            "PREFIX ex: <http://example.org/> SELECT * FROM NAMED ex:y WHERE { ?s ?p ?o }",
            "FROM NAMED <http://example.org/y> is refused",
        ),
    ],
)
def test_refused_before_execution(client, query, message):
    response = client.post("/sparql", data={"query": query})
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)


def test_keywords_in_comments_and_strings_are_not_refused(client):
    query = 'ASK { ?s ?p "SERVICE <http://x> {}" } # LOAD <http://y>'
    assert get(client, query).get_json() == {"head": {}, "boolean": False}


def test_from_a_graph_in_the_store_is_allowed(client):
    graph = "https://w3id.org/hwbkg/graph/source/harborough-hw-action-plan-2022-23"
    query = f"SELECT (COUNT(*) AS ?n) FROM <{graph}> WHERE {{ ?d hwb:fileName ?f }}"
    assert get(client, query).get_json()["results"]["bindings"][0]["n"]["value"] == "1"


def test_update_parameter_and_update_body_are_refused(client):
    by_param = client.post("/sparql", data={"update": "CLEAR ALL"})
    by_body = client.post("/sparql", data="CLEAR ALL", content_type="application/sparql-update")
    for response in (by_param, by_body):
        assert response.status_code == 400
        assert "read-only" in response.get_data(as_text=True)


def test_empty_query_is_a_400(client):
    response = client.get("/sparql", query_string={"query": " "})
    assert response.status_code == 400
    assert response.get_data(as_text=True) == "Malformed request: missing 'query' parameter\n"


def test_cors_on_results_errors_and_preflight(client):
    assert get(client, ASK).headers["Access-Control-Allow-Origin"] == "*"
    assert get(client, "ASK {").headers["Access-Control-Allow-Origin"] == "*"
    preflight = client.options(
        "/sparql",
        headers={"Origin": "http://example.org", "Access-Control-Request-Method": "POST"},
    )
    assert preflight.status_code == 204
    assert preflight.headers["Access-Control-Allow-Methods"] == "GET, POST, OPTIONS"
    assert "Content-Type" in preflight.headers["Access-Control-Allow-Headers"]


def test_service_description(client, reference):
    response = client.get("/sparql")
    assert response.status_code == 200 and response.mimetype == "text/turtle"
    from rdflib import Graph, Namespace, URIRef

    sd = Namespace("http://www.w3.org/ns/sparql-service-description#")
    described = Graph().parse(data=response.get_data(as_text=True), format="turtle")
    service = URIRef("http://localhost/sparql")
    assert (service, sd.endpoint, service) in described
    assert (service, sd.supportedLanguage, sd.SPARQL11Query) in described
    assert len(list(described.objects(None, sd.namedGraph))) == 14  # with graph/void
    formats = set(described.objects(service, sd.resultFormat))
    assert URIRef("http://www.w3.org/ns/formats/SPARQL_Results_CSV") in formats
    assert len(formats) == 7  # JSON, XML, CSV, TSV results; Turtle, N-Triples, JSON-LD graphs


def test_row_cap_keeps_three_rows_and_says_so(strict):
    response = get(strict.test_client(), SELECT, "text/csv")
    assert response.headers["X-Row-Limit-Reached"] == "3"
    assert response.get_data(as_text=True).splitlines()[1:] == [
        FIRST_FILE,
        "leicester-health-care-wellbeing-strategy-2022-27-draft-v4.txt",
        "leicester-jhwb-action-plan-2018-23.txt",
        "# row limit reached: only the first 3 rows are given "
        "(http://localhost/sparql#row-limit-reached)",
    ]
    assert "X-Row-Limit-Reached" not in get(strict.test_client(), ASK).headers


def test_a_query_past_the_time_limit_is_stopped(strict):
    client = strict.test_client()
    assert get(client, ASK).status_code == 200
    workers = {p.pid for p in multiprocessing.active_children() if p.name == "hwbkg-query"}
    began = time.monotonic()
    response = get(client, SLOW)
    assert time.monotonic() - began < 5
    assert response.status_code == 503
    assert response.get_data(as_text=True) == (
        "Query stopped: the query ran past the time limit of 0.5 s (QUERY_TIMEOUT)\n"
    )
    assert len([pid for pid in workers if not _alive(pid)]) == 1
    assert get(client, ASK).get_json()["boolean"] is True


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.mark.parametrize(
    "query, message",
    [
        ("SELECT * WHERE " + "{" * 200 + "?s ?p ?o" + "}" * 200, "nests brackets 200 levels"),
        ("SELECT * WHERE { FILTER(" + "(" * 300 + "1" + ")" * 300 + ") }", "302 levels deep"),
        ("#" + "x" * 100_000 + "\nASK {}", "the limit is 100,000"),
    ],
    ids=["braces", "parentheses", "too long"],
)
def test_hostile_texts_are_refused_not_crashed(client, query, message):
    """The engine's parser recurses once per bracket: deep nesting must be a 400, never a 500."""
    response = client.post("/sparql", data={"query": query})
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert response.get_data(as_text=True).count("\n") == 1


def test_nesting_as_deep_as_real_queries_go_is_parsed(client):
    query = "ASK " + "{" * 20 + "?s a hwb:Action" + "}" * 20
    assert client.post("/sparql", data={"query": query}).get_json()["boolean"] is True


def test_a_format_the_query_cannot_take_is_a_400(client):
    response = get(client, ASK, format="nope")
    assert response.status_code == 400
    assert response.get_data(as_text=True) == (
        "Malformed request: the format parameter names no format offered here; "
        "choose one of csv, json, jsonld, ntriples, rdfxml, tsv, turtle, xml\n"
    )
    response = get(client, ASK, format="turtle")
    assert response.status_code == 400
    assert response.get_data(as_text=True) == (
        "Malformed request: the format asked for is not offered for ASK queries; "
        "choose one of csv, json, tsv, xml\n"
    )


def test_json_for_a_graph_query_is_json_ld(client):
    query = "CONSTRUCT { ?d hwb:fileName ?f } WHERE { ?d hwb:fileName ?f }"
    response = get(client, query, format="json")
    assert response.mimetype == "application/ld+json"
    assert len(response.get_json()) == 5  # one node per source document


@pytest.mark.parametrize("parameter", ["default-graph-uri", "named-graph-uri"])
def test_protocol_dataset_parameters_are_refused_not_ignored(client, parameter):
    """Ignored, they would answer from another dataset than the client asked for."""
    graph = "https://w3id.org/hwbkg/graph/source/harborough-hw-action-plan-2022-23"
    response = get(client, ASK, **{parameter: graph})
    assert response.status_code == 400
    assert response.get_data(as_text=True) == (
        "Refused: default-graph-uri and named-graph-uri are not supported; "
        "name graphs with FROM and FROM NAMED instead\n"
    )
