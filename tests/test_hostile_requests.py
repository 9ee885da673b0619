"""The hostile corpus (tests/data/hostile/requests.toml): every request gets its answer.

Each entry goes to the workbench through Flask's test client, in file order, with the
settings the corpus's answers assume; after the whole corpus the app must still answer
ordinary queries right. An entry meant to stop at the time limit costs QUERY_TIMEOUT, so
the limit is short here (the corpus picks such entries to run far past it).
"""

import json
import re

import pytest
from hostile_corpus import FAMILIES, SETTINGS, Hostile, load

from webapp import graphstore

CORPUS = load()
ROW_LIMIT_LINE = "# row limit reached"
ROW_LIMIT_IRI = re.compile(r'<link href="[^"]*#row-limit-reached"\s*/>')


def test_the_corpus_has_sixty_requests_or_more_in_every_family():
    assert len(CORPUS) >= 60
    assert {e.family for e in CORPUS} == set(FAMILIES)
    assert len({e.name for e in CORPUS}) == len(CORPUS)


def test_every_refusal_by_the_endpoint_names_its_message():
    refusals = [e for e in CORPUS if e.path == "/sparql" and e.status >= 400]
    assert [e.name for e in refusals if not e.starts_with] == []


def test_a_misspelt_key_is_an_error_not_a_check_skipped(tmp_path):
    corpus = tmp_path / "requests.toml"
    corpus.write_text(
        '[[request]]\nname = "x"\nfamily = "page"\nmethod = "GET"\npath = "/"\n'
        'status = 200\nstarts_wiht = "<"\n'
    )
    with pytest.raises(ValueError, match=r"x: unknown keys \['starts_wiht'\]"):
        load(corpus)


def test_long_texts_are_built_from_pieces_and_counted_exactly():
    lengths = {e.name: len(e.query or e.body or "") for e in CORPUS}
    assert lengths["size-99999-characters-runs"] == 99_999
    assert lengths["size-100001-characters"] == 100_001
    assert lengths["values-20000-rows-over-the-length-limit"] == 108_927


@pytest.fixture(scope="module")
def hostile_app(make_app):
    """The workbench with the corpus's settings."""
    return make_app(**SETTINGS)


def row_limit_stated(mimetype: str, text: str) -> bool:
    """Whether the body itself says rows were dropped, in the way of its format."""
    if mimetype == "application/sparql-results+json":
        links = json.loads(text)["head"].get("link", [])
        return any(link.endswith("#row-limit-reached") for link in links)
    if mimetype == "application/sparql-results+xml":
        return ROW_LIMIT_IRI.search(text.split("</head>")[0]) is not None
    lines = text.rstrip("\r\n").splitlines()
    if mimetype in ("text/csv", "text/tab-separated-values"):
        return bool(lines) and lines[-1].startswith(ROW_LIMIT_LINE)
    if mimetype in ("text/turtle", "application/n-triples"):
        return any(line.startswith(ROW_LIMIT_LINE) for line in lines)
    return False


@pytest.mark.parametrize("entry", CORPUS, ids=[e.name for e in CORPUS])
def test_hostile_request_gets_its_answer(hostile_app, entry: Hostile):
    response = hostile_app.test_client().open(**entry.client_kwargs())
    text = response.get_data().decode("utf-8", errors="replace")
    answer = (response.status_code, text[: len(entry.starts_with)])
    assert answer == (entry.status, entry.starts_with), text[:300]
    assert entry.contains in text
    assert ("Retry-After" in response.headers) == entry.retry_after
    assert response.headers.get(graphstore.BUILD_HEADER)
    one_line = entry.path == "/sparql" or response.mimetype == "text/plain"
    if response.status_code >= 400 and one_line:
        assert response.mimetype == "text/plain" and len(text.splitlines()) == 1, text[:300]
    truncated = str(SETTINGS["ROW_LIMIT"]) if entry.truncated else None
    assert response.headers.get("X-Row-Limit-Reached") == truncated
    assert row_limit_stated(response.mimetype, text) == entry.truncated
    echoed = [value[:60] for value in entry.sent_values() if value in text]
    assert not echoed, "the answer echoes what was sent"


def test_the_app_still_answers_right_after_the_corpus(hostile_app):
    client = hostile_app.test_client()
    for _ in range(2 * SETTINGS["QUERY_WORKERS"]):
        response = client.get(
            "/sparql",
            query_string={"query": "SELECT ?f WHERE { ?d hwb:fileName ?f } ORDER BY ?f"},
            headers={"Accept": "text/csv"},
        )
        files = response.get_data(as_text=True).splitlines()
        assert response.status_code == 200
        assert files[:2] == ["f", "harborough-hw-action-plan-2022-23.txt"] and len(files) == 6
    page = client.get("/queries/stretch-actions.json")
    assert page.status_code == 200 and page.get_json()["rows"]
    assert len(graphstore.snapshot_of(hostile_app).pool.pids()) <= SETTINGS["QUERY_WORKERS"]
