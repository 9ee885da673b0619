"""Publishing a build: its derived files are the same whether worker processes or the
building process write them (graph/publishing.py)."""

import json
import sqlite3

import pytest

from cli.build import publish
from graph import digests, publishing, search_index, store, void
from graph.manifest import load_manifest
from graph.staging import stage


@pytest.fixture(scope="module")
def both_ways(tmp_path_factory, config):
    """The real sources published twice: derived here, then in worker processes."""
    sources = load_manifest(config["MANIFEST"])
    folders = {}
    with pytest.MonkeyPatch.context() as patch:
        for way, workers_from in (("here", 10**12), ("workers", 0)):
            patch.setattr(publishing, "WORKERS_FROM_QUADS", workers_from)
            root = tmp_path_factory.mktemp(way)
            published, _ = publish(stage(sources, {**config, "BUILD_DIR": root}), sources,
                                   {**config, "BUILD_DIR": root})  # fmt: skip
            folders[way] = published.path
    return folders


def test_every_digest_is_the_same_either_way(both_ways):
    def read(way, name):
        path = both_ways[way] / digests.DIGESTS_DIR / f"{name}.json"
        return json.loads(path.read_text(encoding="utf-8"))

    for name in digests.names():
        assert read("here", name) == read("workers", name), name
    assert len(digests.names()) == 6


def test_the_search_index_is_the_same_either_way(both_ways):
    def rows(folder):
        with sqlite3.connect(folder / search_index.INDEX_FILE) as connection:
            return {table: sorted(connection.execute(f"SELECT {', '.join(columns)} FROM {table}"))
                    for table, columns in search_index.COLUMNS.items()}  # fmt: skip

    here, there = rows(both_ways["here"]), rows(both_ways["workers"])
    assert here == there
    assert len(here["node"]) > 1000


def test_both_ways_count_the_same_void_statistics(both_ways):
    counted = [void.statements(store.open_store(folder)) for folder in both_ways.values()]
    assert counted[0] == counted[1] == json.loads(
        (both_ways["here"] / "summary.json").read_text(encoding="utf-8"))["quads"]  # fmt: skip
