"""Shared fixtures: the real sources loaded one by one, and the whole built dataset."""

from __future__ import annotations

from functools import cache

import pytest
from rdflib import Graph

from graph import curated
from graph.build import build, load_source
from graph.cli import default_config
from graph.manifest import load_manifest
from graph.organisations import Registry
from loaders.base import SourceGraph


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
