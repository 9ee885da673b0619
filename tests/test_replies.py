"""Replies to library queries, kept per build (webapp/replies.py)."""

import pytest

from graph import queries, sandbox
from webapp import graphstore
from webapp.replies import Replies


@pytest.fixture()
def counted(make_app, monkeypatch):
    """A workbench of the test's own, and the list of queries its workers ran."""
    app = make_app()
    workers = graphstore.snapshot_of(app).pool
    ran, real = [], workers.run
    monkeypatch.setattr(workers, "run", lambda request: ran.append(request.text) or real(request))
    return app.test_client(), ran


def _library_text(config, name: str) -> str:
    return queries.get(config["QUERIES_DIR"], name).text


def test_a_library_query_runs_once_per_build_and_format(counted, config):
    client, ran = counted
    text = _library_text(config, "figures-reported")
    first = client.post("/sparql", data={"query": text, "format": "json"})
    again = client.post("/sparql", data={"query": text, "format": "json"})
    assert first.status_code == again.status_code == 200
    assert again.data == first.data
    assert len(first.json["results"]["bindings"]) == 163  # every figure of the five sources
    assert ran == [text]
    as_csv = client.post("/sparql", data={"query": text, "format": "csv"})
    assert as_csv.data.startswith(b"file,line,printed,value,unit,statement\r\n")
    assert ran == [text, text]


def test_a_library_page_runs_its_query_once_per_build(counted, config):
    client, ran = counted
    pages = [client.get("/queries/figures-reported.json") for _ in range(2)]
    assert pages[0].status_code == pages[1].status_code == 200
    assert pages[0].data == pages[1].data
    assert ran == [_library_text(config, "figures-reported")]


def test_any_other_query_runs_every_time(counted):
    client, ran = counted
    text = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    for _ in range(2):
        assert client.post("/sparql", data={"query": text}).status_code == 200
    assert ran == [text, text]


def test_a_failed_query_is_not_kept(counted, config, monkeypatch):
    client, ran = counted
    monkeypatch.setitem(client.application.config, "QUERY_TIMEOUT", 0.5)
    text = _library_text(config, "stretch-actions")
    assert client.post("/sparql", data={"query": text, "format": "yaml"}).status_code == 400
    assert client.post("/sparql", data={"query": text, "format": "json"}).status_code == 200
    assert client.post("/sparql", data={"query": text, "format": "json"}).status_code == 200
    assert ran == [text]


def _reply(size: int) -> sandbox.Reply:
    return sandbox.Reply(b"x" * size, "json", False)


def _asked(text: str) -> sandbox.Request:
    return sandbox.Request(text, {"select": "json"}, {}, "")


def test_the_least_recently_used_reply_goes_first_past_the_budget():
    kept = Replies(budget=10)
    for text in "abc":
        kept.put(_asked(text), _reply(4))
    assert [kept.get(_asked(t)) is not None for t in "abc"] == [False, True, True]
    kept.get(_asked("b"))  # b is now the most recently used
    kept.put(_asked("d"), _reply(4))
    assert [kept.get(_asked(t)) is not None for t in "bcd"] == [True, False, True]


def test_a_reply_over_the_whole_budget_is_not_kept():
    kept = Replies(budget=10)
    kept.put(_asked("a"), _reply(11))
    assert kept.get(_asked("a")) is None
    assert len(kept) == 0
