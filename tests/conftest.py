"""Shared fixtures: the real sources loaded one by one, and the whole built dataset."""

from __future__ import annotations

from functools import cache

import pytest
from rdflib import Graph

from graph import curated, store
from graph.build import build, load_source
from graph.cli import default_config
from graph.manifest import load_manifest
from graph.organisations import Registry
from loaders.base import SourceGraph
from webapp import create_app


@pytest.fixture(scope="session")
def config() -> dict:
    return default_config()


@pytest.fixture(scope="session")
def registry(config) -> Registry:
    return Registry.from_toml(config["CURATED_DIR"] / "organisations.toml")


@pytest.fixture(scope="session")
def load_doc(config, registry):
    """Return a function slug -> SourceGraph that runs that source's loader once."""
    sources = {s.slug: s for s in load_manifest(config["MANIFEST"])}
    curated_data = Graph()
    for graph in curated.load(config["CURATED_DIR"], registry, []).values():
        curated_data += graph

    @cache
    def load(slug: str) -> SourceGraph:
        return load_source(sources[slug], registry, curated_data)

    return load


@pytest.fixture(scope="session")
def built(config):
    """The whole dataset, built in memory from the real sources and curated data."""
    return build(load_manifest(config["MANIFEST"]), config)


@pytest.fixture(scope="session")
def build_dir(tmp_path_factory, built):
    """The built dataset written as `hwbkg build` writes it (N-Quads + Oxigraph store)."""
    directory = tmp_path_factory.mktemp("build")
    store.write(built.dataset, directory)
    return directory


@pytest.fixture(scope="session")
def oxigraph(build_dir):
    return store.open_store(build_dir)


@pytest.fixture(scope="session")
def reference(build_dir):
    """rdflib's in-memory Dataset over the same build: the reference engine."""
    return store.open_reference(build_dir)


@pytest.fixture(scope="session")
def app(config, build_dir):
    """The workbench on the test build; its query workers are stopped at the end."""
    app = create_app({**config, "BUILD_DIR": build_dir, "TESTING": True})
    yield app
    app.extensions["hwbkg.pool"].close()


@pytest.fixture()
def client(app):
    return app.test_client()
