"""Several web processes over one builds root (issue 9, item 4): each holds nothing but
caches keyed by build, so all of them switch to a newly published build by themselves and
answer alike, with no coordination between them."""

import time
import urllib.parse
import urllib.request

import pytest
from test_concurrency import start_server

from vocab.namespace import HWB

QUERY = f"SELECT (COUNT(*) AS ?n) WHERE {{ ?d a <{HWB.SourceDocument}> }}"


@pytest.fixture()
def two_servers(own_root):
    servers = [start_server(own_root), start_server(own_root)]
    yield servers
    for server in servers:
        server.stop()


def answered_by(server) -> tuple[str, str]:
    """The build a server answers from (its X-Hwbkg-Build header) and its count of sources."""
    url = f"{server.url}/sparql?" + urllib.parse.urlencode({"query": QUERY})
    request = urllib.request.Request(url, headers={"Accept": "text/csv"})
    with urllib.request.urlopen(request, timeout=30) as answer:
        return answer.headers["X-Hwbkg-Build"], answer.read().decode().split()[-1]


def test_two_processes_switch_to_a_new_build_by_themselves(two_servers, own_root, seed, published):
    assert {answered_by(s) for s in two_servers} == {(published.id, "5")}
    seed(own_root, "20990101T000000Z-second")
    deadline = time.monotonic() + 30  # BUILD_POLL_SECONDS is 2 by default
    while time.monotonic() < deadline:
        seen = {answered_by(s) for s in two_servers}
        if seen == {("20990101T000000Z-second", "5")}:
            break
        time.sleep(0.2)
    assert seen == {("20990101T000000Z-second", "5")}
