"""Shared fixtures: the real sources loaded one by one, and the whole built dataset."""

from __future__ import annotations

import json
import os
import shutil
import sys
from functools import cache
from pathlib import Path

import pytest
from rdflib import Graph

# The tools in scripts/ (the Virtuoso starter, the bench) are imported by file name, as
# they import each other; tests may use the tools, the tools never import the tests.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))

from virtuoso import NOT_INSTALLED, Virtuoso, installed  # noqa: E402

from cli.build import publish
from graph import builds, curated, settings, store
from graph.build import build, load_source
from graph.manifest import load_manifest
from graph.staging import stage
from loaders.base import SourceGraph
from vocab.organisations import Registry
from webapp import create_app, graphstore


@pytest.fixture(scope="session")
def config() -> dict:
    return settings.load()


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


@pytest.fixture()
def inputs(tmp_path, config) -> dict:
    """A config whose sources, shapes and curated data are copies the test may edit, and
    whose builds root is the test's own."""
    shutil.copytree(Path(config["MANIFEST"]).parent, tmp_path / "sources")
    shutil.copytree(config["SHAPES_DIR"], tmp_path / "shapes")
    shutil.copytree(config["CURATED_DIR"], tmp_path / "curated")
    return {
        **config,
        "MANIFEST": tmp_path / "sources" / "sources.toml",
        "SHAPES_DIR": tmp_path / "shapes",
        "CURATED_DIR": tmp_path / "curated",
        "BUILD_DIR": tmp_path / "build",
    }


@pytest.fixture(scope="session")
def build_dir(tmp_path_factory, config):
    """A builds root (BUILD_DIR) where the real sources are built and published as `hwbkg
    build` does it: builds/<id>/ with every file, and the `current` pointer."""
    root = tmp_path_factory.mktemp("build")
    config = {**config, "BUILD_DIR": root}
    sources = load_manifest(config["MANIFEST"])
    publish(stage(sources, config), sources, config)
    return root


@pytest.fixture(scope="session")
def published(build_dir) -> builds.Build:
    """The build `current` names in build_dir: its id and concrete folder."""
    return builds.current(build_dir)


@pytest.fixture()
def seed(published):
    """Return a function (root, build_id) that publishes a copy of the session's build as
    build ``build_id`` in ``root``: builds to test on in the time a copy takes."""

    def publish_copy(root: Path, build_id: str = published.id) -> builds.Build:
        def write(folder: Path) -> None:
            shutil.copytree(published.path, folder, dirs_exist_ok=True)
            summary = {**published.summary(), "id": build_id}
            (folder / builds.SUMMARY_FILE).write_text(json.dumps(summary), encoding="utf-8")

        return builds.publish(root, build_id, write)

    return publish_copy


@pytest.fixture()
def own_root(tmp_path, seed) -> Path:
    """A builds root of the test's own, serving a copy of the session's build (same id),
    for tests that build or publish and must not touch the shared one."""
    seed(tmp_path / "build")
    return tmp_path / "build"


@pytest.fixture(scope="session")
def oxigraph(published):
    return store.open_store(published.path)


@pytest.fixture(scope="session")
def reference(published):
    """rdflib's in-memory Dataset over the same build: the reference engine."""
    return store.open_reference(published.path)


@pytest.fixture(scope="session")
def make_app(config, build_dir):
    """Return a function (**settings) -> the workbench on the test build with those
    settings (QUERY_TIMEOUT=0.5, say); every app made has its workers stopped at the end."""
    made = []

    def make(**settings):
        made.append(create_app({**config, "BUILD_DIR": build_dir, "TESTING": True, **settings}))
        return made[-1]

    yield make
    for app in made:
        graphstore.close(app)


@pytest.fixture(scope="session")
def app(make_app):
    """The workbench on the test build, with the default settings."""
    return make_app()


@pytest.fixture()
def client(app):
    return app.test_client()


@pytest.fixture(scope="session")
def virtuoso(tmp_path_factory):
    """A Virtuoso server of the session's own (scripts/virtuoso.py), started once.

    Skipped where Debian's virtuoso-opensource is not installed, except where
    HWBKG_REQUIRE_VIRTUOSO is set (.ci/run sets it): there its absence is a failure.
    """
    if not installed():
        if os.environ.get("HWBKG_REQUIRE_VIRTUOSO"):
            pytest.fail(NOT_INSTALLED)
        pytest.skip(NOT_INSTALLED)
    server = Virtuoso(tmp_path_factory.mktemp("virtuoso"))
    server.start()
    yield server
    server.stop()
