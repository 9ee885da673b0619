"""Digests: analyses computed once per build into its folder, read back by the workbench."""

import json

import pytest

from cli.build import publish
from graph import digests, store, void
from graph.manifest import load_manifest
from graph.staging import stage
from webapp import graphstore


@pytest.fixture()
def graphs_digest(monkeypatch):
    """A digest of the test's own (the named graphs and their sizes), registered for one test."""
    monkeypatch.setattr(digests, "_REGISTRY", dict(digests._REGISTRY))

    @digests.digest("test-graph-sizes")
    def sizes(found):
        counts = {}
        for graph in found.named_graphs():
            counts[graph.value] = len(list(found.quads_for_pattern(None, None, None, graph)))
        return sorted(counts.items())

    return sizes


def test_a_build_writes_every_registered_digest(tmp_path, built, config, graphs_digest):
    root = tmp_path / "build"
    config = {**config, "BUILD_DIR": root}
    sources = load_manifest(config["MANIFEST"])
    published, _ = publish(stage(sources, config), sources, config)
    written = published.path / digests.DIGESTS_DIR / "test-graph-sizes.json"
    sizes = dict(json.loads(written.read_text(encoding="utf-8")))
    # Digests read the data as built, without its VoID statistics (graph/publishing.py).
    assert void.VOID_GRAPH.value not in sizes
    assert sum(sizes.values()) == len(built.dataset)
    assert sizes == {str(g.identifier): len(g) for g in built.dataset.graphs() if len(g)}


def test_a_build_without_the_digest_gets_it_computed_in_the_same_shape(published, graphs_digest):
    assert not (published.path / digests.DIGESTS_DIR / "test-graph-sizes.json").exists()
    found = digests.read(published.path, "test-graph-sizes", store.open_store(published.path))
    assert all(isinstance(pair, list) for pair in found)  # as JSON gives it back
    data = [n for graph, n in found if graph != void.VOID_GRAPH.value]
    assert sum(data) == published.summary()["quads"]


def test_an_unknown_digest_is_a_lookup_error(published):
    with pytest.raises(digests.UnknownDigest, match="no digest called 'nothing'"):
        digests.read(published.path, "nothing", store.open_store(published.path))


def test_the_workbench_reads_a_digest_once_per_build(make_app, graphs_digest, monkeypatch):
    calls, real = [], digests.read
    monkeypatch.setattr(digests, "read", lambda *args: calls.append(args) or real(*args))
    with make_app().test_request_context():
        graphstore._pin()
        first = graphstore.digest("test-graph-sizes")
        assert graphstore.digest("test-graph-sizes") is first
    assert len(calls) == 1 and calls[0][1] == "test-graph-sizes"
