"""The limits of the query workers, each shown doing its job on the real graph:
the queue and Retry-After, the memory cap, a crashed engine, the network sandbox, the row
cap stated in the body of every format (read back by rdflib, as a client would)."""

import io
import multiprocessing
import os
import signal
import socket
import threading
import time

import pytest
from rdflib import Graph
from rdflib.query import Result

from graph import sandbox
from webapp import graphstore

SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
BOMB = (
    'SELECT (STRLEN(?b) AS ?n) WHERE { BIND("xx" AS ?a0) '
    + "".join(f"BIND(CONCAT(?a{i}, ?a{i}) AS ?a{i + 1}) " for i in range(16))
    + 'BIND(REPLACE(?a16, "x", ?a16) AS ?b) }'
)
"""A 17 GB string: 131,072 x's, each replaced by the same 131,072 x's. It reaches a 256 MB
cap in well under a second (doubling alone grows too slowly to beat the time limit)."""
FILES = "CONSTRUCT { ?d hwb:fileName ?f } WHERE { ?d hwb:fileName ?f }"


@pytest.fixture(scope="module")
def tight(make_app):
    """One worker, no queue, a 3 s time limit, 256 MB of memory, a cap of three rows."""
    return make_app(
        QUERY_TIMEOUT=3.0, QUERY_WORKERS=1, QUERY_QUEUE=0, QUERY_MEMORY_MB=256, ROW_LIMIT=3
    )


@pytest.fixture(scope="module")
def patient(make_app):
    """One worker with a minute to spare: the engine parses long sums in quadratic time."""
    return make_app(QUERY_TIMEOUT=60.0, QUERY_WORKERS=1)


def query(app, text, accept="application/sparql-results+json"):
    headers = {"Accept": accept}
    return app.test_client().get("/sparql", query_string={"query": text}, headers=headers)


def _workers(app) -> list[int]:
    return graphstore.snapshot_of(app).pool.pids()


def _in_background(app, text) -> tuple[threading.Thread, list]:
    answers = []
    thread = threading.Thread(target=lambda: answers.append(query(app, text)))
    thread.start()
    return thread, answers


def test_a_full_pool_answers_503_with_retry_after_at_once(tight):
    assert query(tight, "ASK {}").status_code == 200  # the one worker is started
    thread, answers = _in_background(tight, SLOW)
    time.sleep(0.5)
    began = time.monotonic()
    busy = query(tight, "ASK {}")
    assert time.monotonic() - began < 1
    assert busy.status_code == 503
    assert busy.get_data(as_text=True) == (
        "Busy: 1 queries are running and 0 are waiting (QUERY_WORKERS, QUERY_QUEUE); "
        "try again shortly\n"
    )
    assert 1 <= int(busy.headers["Retry-After"]) <= 3
    thread.join()
    assert answers[0].status_code == 503 and "Retry-After" not in answers[0].headers


def test_a_memory_bomb_is_a_400_and_its_worker_replaced(tight):
    response = query(tight, BOMB)
    assert response.status_code == 400
    assert response.get_data(as_text=True) == (
        "Refused: the query needed more than 256 MB of memory (QUERY_MEMORY_MB) "
        "and its worker was stopped\n"
    )
    assert query(tight, "ASK { ?s a hwb:Action }").get_json()["boolean"] is True


def test_a_query_that_crashes_the_engine_is_a_400_and_its_worker_replaced(tight):
    assert query(tight, "ASK {}").status_code == 200
    thread, answers = _in_background(tight, SLOW)
    time.sleep(0.5)
    (victim,) = _workers(tight)
    os.kill(victim, signal.SIGSEGV)
    thread.join()
    assert answers[0].status_code == 400
    assert answers[0].get_data(as_text=True) == (
        "Refused: the query stopped the query engine (SIGSEGV); its worker was replaced\n"
    )
    assert query(tight, "ASK { ?s a hwb:Action }").get_json()["boolean"] is True
    assert victim not in _workers(tight)


def test_a_ten_thousand_term_sum_is_answered(patient):
    """It segfaulted the engine on an 8 MB stack; the query thread's stack is larger."""
    text = "SELECT (" + "+".join(["1"] * 10_000) + " AS ?x) {}"
    response = patient.test_client().post("/sparql", data={"query": text})
    assert response.get_json()["results"]["bindings"][0]["x"]["value"] == "10000"


def _try_to_connect(port: int, answer) -> None:
    sandbox.isolate_network()
    try:
        socket.create_connection(("127.0.0.1", port), timeout=2).close()
        answer.send("connected")
    except OSError as error:
        answer.send(type(error).__name__)


def test_a_worker_cannot_reach_the_network():
    listener = socket.create_server(("127.0.0.1", 0))
    context = multiprocessing.get_context("spawn")
    parent, child = context.Pipe()
    process = context.Process(target=_try_to_connect, args=(listener.getsockname()[1], child))
    process.start()
    assert parent.recv() == "OSError"  # "Network is unreachable": no interface is up
    process.join()
    listener.close()


@pytest.mark.parametrize(
    ("accept", "statement"),
    [
        ("text/csv", "# row limit reached: only the first 3 rows are given"),
        ("text/tab-separated-values", "# row limit reached: only the first 3 rows are given"),
    ],
)
def test_a_capped_table_says_so_on_its_last_line(tight, accept, statement):
    body = query(tight, "SELECT ?f { ?d hwb:fileName ?f }", accept).get_data(as_text=True)
    lines = body.splitlines()
    assert len(lines) == 5 and lines[-1].startswith(statement)


def test_capped_json_and_xml_results_link_the_notice_and_still_parse(tight):
    text = "SELECT ?f { ?d hwb:fileName ?f }"
    notice = "http://localhost/sparql#row-limit-reached"
    document = query(tight, text).get_json()
    assert document["head"]["link"] == [notice]
    assert len(document["results"]["bindings"]) == 3
    xml = query(tight, text, "application/sparql-results+xml").get_data()
    assert f'<link href="{notice}"/>'.encode() in xml
    assert len(Result.parse(source=io.BytesIO(xml), format="xml")) == 3


@pytest.mark.parametrize(
    ("accept", "rdflib_format"),
    [
        ("text/turtle", "turtle"),
        ("application/n-triples", "nt"),
        ("application/rdf+xml", "xml"),
        ("application/ld+json", "json-ld"),
    ],
)
def test_capped_graphs_say_so_and_still_parse(tight, accept, rdflib_format):
    body = query(tight, FILES, accept).get_data()
    assert b"row limit reached: only the first 3 rows are given" in body
    graph = Graph().parse(data=body, format=rdflib_format)
    file_names = {o for _, p, o in graph if str(p).endswith("fileName")}
    assert len(file_names) == 3


def test_the_service_description_explains_the_notice(client):
    described = client.get("/sparql").get_data(as_text=True)
    graph = Graph().parse(data=described, format="turtle")
    comments = [str(o) for s, _, o in graph if str(s).endswith("#row-limit-reached")]
    assert comments and comments[0].startswith("A result that points here was cut at ROW_LIMIT")
