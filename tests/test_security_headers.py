"""The headers every response carries (webapp/security.py), no Server header, and hostile
values in every page's parameters that never come back raw.

Driven through the real app's test client; the browser side of the policy (pages really
work under it) is tests/browser/test_csp_browser.py.
"""

from __future__ import annotations

import http.client
import json
import threading
from types import SimpleNamespace

import pytest
import waitress.server
from browser.test_accessibility import PAGES
from flask import Flask
from werkzeug.http import parse_options_header

from cli.main import main
from webapp import graphstore, security

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
QUERY_PAGE_CSP = CSP.replace(
    "style-src 'self'",
    "style-src 'self' 'unsafe-hashes' 'sha256-zCK2EVMoPc04mRF/g5CotUvxbJPWS+8V0b+s9ptqQIk=' "
    "'sha256-c0O6TmFAkgpNbHxKAa1BrveWHHopjEtC47i0PzMudxg=' "
    "'sha256-EntWS0hFrz2vH7susM+dPUxvHlL6sBswmM8K80E5oUk='",
)
SAME_FOR_ALL = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
}
ASK = "ASK { ?s ?p ?o }"


def assert_secured(response, csp: str = CSP) -> None:
    """Every security header with exactly its value, once, and no Server header."""
    for name, value in {"Content-Security-Policy": csp, **SAME_FOR_ALL}.items():
        assert response.headers.getlist(name) == [value], name
    assert "Server" not in response.headers


def twins(response) -> list[str]:
    """The alternate URLs a page's Link header names (its JSON and CSV twins)."""
    links = response.headers.get("Link", "")
    return [part.split(">")[0].strip(" <") for part in links.split(",") if part]


@pytest.mark.parametrize("url", PAGES, ids=[url[:40] for url in PAGES])
def test_every_main_page_and_its_twins_carry_the_headers(client, url):
    page = client.get(url)
    assert page.status_code in (200, 400)  # one search in PAGES is refused on purpose
    assert_secured(page, QUERY_PAGE_CSP if url == "/query" else CSP)
    for twin in twins(page):
        answer = client.get(twin)
        assert answer.status_code in (200, 400), twin
        assert_secured(answer)


def test_the_twins_are_found_from_the_link_header(client):
    found = twins(client.get("/search?q=diabetes"))
    assert found == ["/search.json?q=diabetes", "/search.csv?q=diabetes"]


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/static/base.css", 200),
        ("/static/network/network.js", 200),
        ("/network/vis/vis-network.min.js", 200),
        ("/static/no-such-file.css", 404),
        ("/no-such-page", 404),
        ("/plans/no-such-plan", 404),
        ("/plans/no-such-plan.json", 404),
        ("/search?page=0", 400),
        ("/network.csv?role=boss", 400),
        ("/query/terms.json?kind=nothing", 400),
        ("/evidence/no-such-view.zip", 404),
    ],
)
def test_static_files_and_errors_carry_the_headers(client, url, status):
    with client.get(url) as response:
        assert response.status_code == status
        assert_secured(response)


def test_a_refused_method_carries_the_headers(client):
    response = client.post("/search")
    assert response.status_code == 405
    assert_secured(response)


@pytest.mark.parametrize(
    ("method", "kwargs", "status", "media"),
    [
        ("get", {"query_string": {"query": ASK}}, 200, "application/sparql-results+json"),
        ("post", {"data": {"query": ASK}}, 200, "application/sparql-results+json"),
        ("get", {}, 200, "text/turtle"),
        ("get", {"query_string": {"query": "SELECT WHERE {"}}, 400, "text/plain"),
        ("post", {"data": {"update": "CLEAR ALL"}}, 400, "text/plain"),
        ("options", {}, 204, None),
    ],
)
def test_sparql_answers_and_errors_carry_the_headers_and_stay_cors_readable(
    client, method, kwargs, status, media
):
    response = getattr(client, method)("/sparql", **kwargs)
    assert response.status_code == status
    assert response.mimetype == media if media else not response.data
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert_secured(response)


def test_errors_of_any_app_get_the_headers_and_a_server_header_is_dropped():
    """init_app on a bare app: an unhandled exception's 500 and a view setting Server."""
    bare = Flask(__name__)
    security.init_app(bare)

    @bare.get("/boom")
    def boom():
        raise RuntimeError("a bug")

    @bare.get("/banner")
    def banner():
        return "hello", {"Server": "hwbkg/0.1", "X-Frame-Options": "SAMEORIGIN"}

    client = bare.test_client()
    failed = client.get("/boom")
    assert failed.status_code == 500
    assert_secured(failed)
    assert_secured(client.get("/banner"))


@pytest.fixture()
def served(build_dir, tmp_path, monkeypatch):
    """waitress serving the app exactly as `hwbkg serve` makes the server (its arguments;
    --port 0 picks a free port), run in a thread where the command would block on it."""
    made = {}
    real = waitress.server.create_server

    def create_server(app, **options):
        made.update(app=app, server=real(app, **options))
        run = threading.Thread(target=serve_until_closed, daemon=True).start
        return SimpleNamespace(run=run)

    def serve_until_closed():
        try:
            made["server"].run()
        except OSError:
            pass  # closed from the test's thread while its loop was waiting in select()

    monkeypatch.setattr(waitress.server, "create_server", create_server)
    settings = tmp_path / "settings.toml"
    settings.write_text("BUILD_POLL_SECONDS = 0\n", encoding="utf-8")  # no watching thread
    argv = ["--build-dir", str(build_dir), "serve", "--port", "0", "--settings", str(settings)]
    assert main(argv) == 0
    yield made["server"]
    made["server"].close()
    graphstore.close(made["app"])


def test_hwbkg_serve_sends_no_server_header(served, capsys):
    capsys.readouterr()
    answers = []
    for request in ["GET /static/base.css HTTP/1.1", "NOT HTTP AT ALL"]:
        connection = http.client.HTTPConnection("127.0.0.1", served.effective_port, timeout=10)
        connection.sock = None
        connection.connect()
        connection.sock.sendall(f"{request}\r\nHost: x\r\n\r\n".encode())
        response = http.client.HTTPResponse(connection.sock)
        response.begin()
        answers.append((response.status, response.getheader("Server")))
        connection.close()
    # The second is waitress's own 400 for a malformed request: no Server header either.
    assert answers == [(200, None), (400, None)]


HOSTILE = ["<script>alert(1)</script>", "\x00", "h" * 5000]
PARAMETERS = {
    "/search": ["q", "plan", "type", "page"],
    "/network": ["plan", "theme", "role"],
    "/alignment": ["from", "to", "level"],
    "/alignment/gaps": ["to", "level"],
    "/alignment/coverage": ["to"],
    "/alignment/versions": ["from", "to"],
    "/audit": ["plan", "organisation"],
    "/query/terms.json": ["kind", "q"],
    "/query/entities.json": ["q"],
    "/evidence/network-organisations.zip": ["plan", "theme", "role"],
    "/evidence/alignment-matrix.zip": ["from", "to", "level"],
    "/evidence/audit.zip": ["plan", "organisation"],
    "/evidence/plan.zip": ["slug"],
    "/evidence/organisation.zip": ["slug"],
}
"""Each page's query-string parameters; /query's ``query`` is below (it fills the editor)."""
PATHS = [
    "/plans/{}", "/plans/{}.json", "/organisations/{}", "/organisations/{}.csv",
    "/sources/{}", "/sources/{}.txt", "/queries/{}", "/queries/{}.json", "/def/{}",
    "/def/{}.nt", "/id/action/{}", "/id/action/{}.ttl", "/evidence/{}.zip",
    "/evidence/queries/{}.zip", "/network/vis/{}", "/static/{}",
]  # fmt: skip
"""Pages and twins whose address holds a name."""
TEXT = ("text/", "application/json", "application/xml", "image/svg+xml")


def echoed(response, value: str) -> bool:
    """Whether a readable body (not a zip) holds ``value`` as sent.

    The one exception is data, not a message: the search twin's "query" says what was
    searched for (JSON, served with nosniff, so never read as a page).
    """
    media = parse_options_header(response.headers.get("Content-Type", ""))[0]
    if response.request.path == "/search.json" and response.status_code == 200:
        data = response.get_json()
        assert data.pop("query") == (response.request.args.get("q") or "")
        return value in json.dumps(data, ensure_ascii=False)
    return media.startswith(TEXT) and value.encode() in response.get_data()


def hostile_requests():
    for url, names in PARAMETERS.items():
        for name in names:
            for value in HOSTILE:
                yield pytest.param(url, {name: value}, value, id=f"{url}?{name}={value[:9]!r}")
    for pattern in PATHS:
        for value in HOSTILE:
            yield pytest.param(pattern.format(value), {}, value, id=f"{pattern}:{value[:9]!r}")


@pytest.mark.parametrize(("url", "args", "value"), list(hostile_requests()))
def test_hostile_values_are_never_sent_back(client, url, args, value):
    urls = [url]
    if url in PARAMETERS and not url.endswith((".json", ".zip")):
        urls += [f"{url}.json", f"{url}.csv"]
    for each in urls:
        with client.get(each, query_string=args) as response:
            assert response.status_code < 500, each
            if response.status_code == 404 and each.endswith(".csv"):
                continue  # a page without a CSV twin
            assert not echoed(response, value), each
            assert_secured(response)


def test_the_query_editor_holds_a_shared_query_escaped_and_refuses_a_nul(client):
    """/query?query= fills the editor: that one parameter is meant to come back, as text."""
    editor = client.get("/query", query_string={"query": HOSTILE[0]})
    assert "<script>alert" not in editor.get_data(as_text=True)
    assert ">&lt;script&gt;alert(1)&lt;/script&gt;</textarea>" in editor.get_data(as_text=True)
    long = client.get("/query", query_string={"query": HOSTILE[2]}).get_data(as_text=True)
    assert long.count(HOSTILE[2]) == 1 and f">{HOSTILE[2]}</textarea>" in long
    refused = client.get("/query", query_string={"query": "ASK {}\x00"})
    assert refused.status_code == 400 and b"\x00" not in refused.data
    assert "contains a NUL character" in refused.get_data(as_text=True)
    assert_secured(refused, QUERY_PAGE_CSP)
