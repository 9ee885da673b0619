"""Full-text search: matching, ranking, filters, paging, twins and refused input."""

import csv
import io

import pytest

from graph import search_index
from vocab.namespace import ID

ACTION_PLAN = "leicester-jhwb-action-plan-2018-23"
PROPOSED = "leicester-jhws-refresh-proposed-priorities-2021"
STRATEGY = "leicester-health-care-wellbeing-strategy-2022-27"

# "diabetes" in data/sources/*.txt (grep -i): six bullets of the 2021 proposals (lines
# 335, 337, 357, 370, 385, 393), action 12.6 of the 2018-23 plan and its lead partner
# (line 112), two cells of the strategy's long-term conditions row (line 204, and 216,
# part of the "We are..." cell), the strategy's key-health-issues paragraph on line 96
# ("25% of people living with diabetes"), and the registry's Leicester Diabetes Centre.
DIABETES = {
    f"measure/{PROPOSED}/8-4",
    f"measure/{PROPOSED}/9-4",
    f"statement/{PROPOSED}/l335",
    f"statement/{PROPOSED}/l337",
    f"statement/{PROPOSED}/l370",
    f"statement/{PROPOSED}/l385",
    f"action/{ACTION_PLAN}/12.6",
    f"mention/{ACTION_PLAN}/l112-1",
    f"statement/{STRATEGY}/l204",
    f"statement/{STRATEGY}/l204-work",
    f"statement/{STRATEGY}/l96",
    "org/leicester-diabetes-centre",
}


def found(client, **params) -> dict:
    response = client.get("/search.json", query_string=params)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def paths(data: dict) -> set[str]:
    return {r["iri"][len(str(ID)) :] for r in data["results"]}


def test_a_word_finds_every_node_that_prints_it(client):
    data = found(client, q="diabetes")
    assert data["total"] == 12
    assert paths(data) == DIABETES


def test_case_does_not_matter(client):
    assert paths(found(client, q="DiAbEtEs")) == DIABETES


def test_every_word_must_match(client):
    # Only line 335 of the proposals names both: "...Type 2 Diabetes, Stroke, ...".
    assert paths(found(client, q="stroke diabetes")) == {f"statement/{PROPOSED}/l335"}


def test_exact_label_comes_first(client):
    results = found(client, q="healthy ageing")["results"]
    exact = [r for r in results if r["label"].lower() == "healthy ageing"]
    assert exact and results[: len(exact)] == exact


def test_printed_number_is_searchable(client):
    assert paths(found(client, q="12.6", type="hwb:Action")) == {f"action/{ACTION_PLAN}/12.6"}


def test_filter_by_plan(client):
    data = found(client, q="diabetes", plan=ACTION_PLAN)
    assert paths(data) == {f"action/{ACTION_PLAN}/12.6", f"mention/{ACTION_PLAN}/l112-1"}
    assert all(ACTION_PLAN in p["iri"] for r in data["results"] for p in r["plans"])


def test_filter_by_type(client):
    data = found(client, q="diabetes", type="hwb:Rationale")
    assert paths(data) == {f"statement/{PROPOSED}/l{n}" for n in (335, 337, 370)}


def test_results_are_paged(client):
    first = found(client, q="health")
    assert first["total"] > 20 and len(first["results"]) == 20
    assert first["pages"] == -(-first["total"] // 20)
    second = client.get(first["next"]).get_json()
    assert second["page"] == 2
    assert not paths(first) & paths(second)


def test_page_html_links_results_and_pages(client):
    html = client.get("/search?q=health&page=2").get_data(as_text=True)
    assert 'rel="prev"' in html and 'href="/id/' in html
    assert '<ol class="results" start="21">' in html


def test_html_shows_type_and_plan(client):
    response = client.get("/search?q=diabetes&plan=" + ACTION_PLAN)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f'href="/id/action/{ACTION_PLAN}/12.6"' in html
    assert "hwb:Action · Joint Health and Wellbeing Action Plan 2018-23" in html
    assert "2 results" in html
    link = response.headers["Link"]
    assert "/search.json?q=diabetes" in link and "/search.csv?q=diabetes" in link


def test_form_works_without_javascript(client):
    html = client.get("/search").get_data(as_text=True)
    assert '<form method="get" action="/search"' in html
    assert '<label for="q">' in html and '<label for="plan">' in html
    assert "Type one or more words" in html


def test_empty_query_gives_no_results(client):
    assert found(client, q="   ")["total"] == 0


def test_csv_twin_has_every_result(client):
    response = client.get("/search.csv", query_string={"q": "diabetes"})
    assert response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0] == ["iri", "label", "notation", "types", "plans"]
    assert {r[0][len(str(ID)) :] for r in rows[1:]} == DIABETES


def test_quotes_and_braces_are_only_text(client):
    assert found(client, q='"} } DROP ALL ; SELECT * {')["total"] == 0


@pytest.mark.parametrize(
    "params, message",
    [
        ({"q": "a" * 201}, "the limit is 200"),
        ({"q": "health", "plan": "no-such-plan"}, "unknown plan: choose one from the list"),
        ({"q": "health", "type": "hwb:Nothing"}, "unknown type: choose one from the list"),
        ({"q": "health", "page": "0"}, "page must be a whole number"),
        ({"q": "health", "page": "two"}, "page must be a whole number"),
        ({"q": "health", "page": "²"}, "page must be a whole number"),
        ({"q": "health", "page": "9" * 5000}, "page must be a whole number"),
        ({"q": "health\x00"}, "the query contains a control character"),
        ({"q": "diabetes", "page": "3"}, "page must be a whole number from 1 to 1"),
    ],
)
def test_bad_input_is_a_400_with_a_message(client, params, message):
    page = client.get("/search", query_string=params)
    assert page.status_code == 400
    assert message in page.get_data(as_text=True).replace("&#39;", "'")
    data = client.get("/search.json", query_string=params)
    assert data.status_code == 400
    assert data.mimetype == "text/plain"
    assert message in data.get_data(as_text=True)


def test_unknown_format_is_a_404(client):
    assert client.get("/search.xml?q=diabetes").status_code == 404


def every_result(client, **params) -> set[str]:
    rows = csv.reader(io.StringIO(client.get("/search.csv", query_string=params).text))
    return {row[0] for row in list(rows)[1:]}


def test_words_match_whole_not_inside_other_words(client):
    # "unfair" is printed in four paragraphs of the strategy, none of which says "air".
    unfair, air = every_result(client, q="unfair"), every_result(client, q="air")
    assert len(unfair) == 4 and air
    assert not unfair & air


def test_words_are_stemmed(client):
    assert paths(found(client, q="priority")) == paths(found(client, q="priorities"))


def test_a_build_without_an_index_is_indexed_in_memory_with_the_same_results(
    client, seed, tmp_path, make_app
):
    build = seed(tmp_path / "root")
    (build.path / search_index.INDEX_FILE).unlink()
    old = make_app(BUILD_DIR=tmp_path / "root").test_client()
    for params in (
        {"q": "diabetes"},
        {"q": "health", "page": "2"},
        {"q": "12.6", "type": "hwb:Action"},
    ):
        assert found(old, **params) == found(client, **params)
