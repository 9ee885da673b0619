"""One build at a time, everywhere: a rebuild switches pages, search, validation report and
query workers together, while analysts keep reading (issue 8, item 6)."""

import re
import threading
import time

import pytest

from cli import main as cli
from graph import builds
from webapp import create_app, graphstore

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?d a hwb:SourceDocument }"


@pytest.fixture(scope="module")
def served(tmp_path_factory, config):
    """A build of the five real sources in a root of its own, served with no poller (the
    test refreshes by hand)."""
    root = tmp_path_factory.mktemp("served")
    assert cli.main(["--build-dir", str(root), "build"]) == 0
    app = create_app({**config, "BUILD_DIR": root, "TESTING": True, "BUILD_POLL_SECONDS": 0})
    graphstore.snapshot_of(app).pool.warm(wait=True)  # as `hwbkg serve` does, in the background
    yield root, app
    graphstore.close(app)


def four_sources(config, folder) -> str:
    """A manifest of the first four real sources (the fifth's entry dropped), its files
    copied beside it as the manifest requires."""
    text = config["MANIFEST"].read_text(encoding="utf-8")
    entries = text.split("[[source]]")
    kept = "[[source]]".join(entries[:-1])
    for name in re.findall(r'^file = "([^"]+)"', kept, flags=re.MULTILINE):
        (folder / name).write_bytes((config["MANIFEST"].parent / name).read_bytes())
    (folder / "sources.toml").write_text(kept, encoding="utf-8")
    return str(folder / "sources.toml")


def read_continuously(client, stop: threading.Event, seen: list) -> None:
    """What an analyst sees, again and again: the build named in the header, the number of
    documents the workers count and the number the home page counts."""
    while not stop.is_set():
        answer = client.get("/sparql", query_string={"query": COUNT})
        if answer.status_code != 200:
            seen.append(("sparql", answer.status_code, answer.get_data(as_text=True)))
            continue
        documents = int(answer.get_json()["results"]["bindings"][0]["n"]["value"])
        seen.append(("sparql", answer.headers[graphstore.BUILD_HEADER], documents))
        home = client.get("/index.json")
        documents = home.get_json()["built"]["documents"]
        seen.append(("home", home.headers[graphstore.BUILD_HEADER], documents))


def test_a_rebuild_switches_everything_at_once(served, config, tmp_path):
    root, app = served
    first = builds.current(root).id
    old = graphstore.snapshot_of(app)
    figures = app.test_client().get("/queries/figures-reported.json")
    assert len(figures.get_json()["rows"]) == 163  # the five sources' (kept for this build)
    stop, seen_by = threading.Event(), [[] for _ in range(4)]
    readers = [
        threading.Thread(target=read_continuously, args=(app.test_client(), stop, seen))
        for seen in seen_by
    ]
    for reader in readers:
        reader.start()
    manifest = four_sources(config, tmp_path)
    rebuild = ["--build-dir", str(root), "build", "--manifest", manifest, "--accept-shrink"]
    assert cli.main(rebuild) == 0
    second = builds.current(root).id
    assert second != first
    time.sleep(0.3)
    assert graphstore.refresh(app) is True
    time.sleep(1.0)
    stop.set()
    for reader in readers:
        reader.join()
    # Every answer came wholly from one build: its header and its content agree.
    answers = {(build, documents) for seen in seen_by for _, build, documents in seen}
    assert answers == {(first, 5), (second, 4)}
    # Each reader saw the old build, then the new one, and never the old one again.
    for seen in seen_by:
        order = [build for _, build, _ in seen]
        assert order == sorted(order, key=[first, second].index) and order[-1] == second
    assert old.pool.pids() == []  # the old build's workers stopped with its last reader
    assert (old.readers, graphstore.snapshot_of(app).readers) == (0, 0)
    search = app.test_client().get("/search.json", query_string={"q": "Harborough"})
    assert search.headers[graphstore.BUILD_HEADER] == second
    # A library query's kept reply was the old build's: the new one answers anew, without
    # the strategy's 25 figures.
    figures = app.test_client().get("/queries/figures-reported.json")
    assert len(figures.get_json()["rows"]) == 163 - 25
    assert graphstore.refresh(app) is False  # nothing new


def test_a_build_that_cannot_be_opened_leaves_the_old_one_serving(served):
    root, app = served
    serving = builds.current(root)
    broken = root / "builds" / "29991231T000000Z-broken"
    broken.mkdir(parents=True)
    pointer = root / "current"
    saved = pointer.readlink()
    pointer.unlink()
    pointer.symlink_to(broken.relative_to(root))
    try:
        assert graphstore.refresh(app) is False
        response = app.test_client().get("/sparql", query_string={"query": COUNT})
        assert response.status_code == 200
        assert response.headers[graphstore.BUILD_HEADER] == serving.id
    finally:
        pointer.unlink()
        pointer.symlink_to(saved)
