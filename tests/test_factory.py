"""The application factory: config is passed in, and a missing build is a clear error."""

import pyoxigraph as ox
import pytest

from graph.store import StoreMissing
from webapp import BLUEPRINTS, create_app, graphstore


def test_factory_needs_a_build(tmp_path, config):
    with pytest.raises(StoreMissing):
        create_app({**config, "BUILD_DIR": tmp_path})


def test_config_is_passed_in_and_paths_become_paths(app, build_dir):
    assert app.config["TESTING"] is True
    assert app.config["BUILD_DIR"] == build_dir
    assert app.config["QUERY_TIMEOUT"] == 10.0


def test_every_area_is_a_registered_blueprint(app):
    assert sorted(app.blueprints) == sorted(BLUEPRINTS)


@pytest.mark.parametrize(("up_to", "copied"), [(100_000, True), (10_000, False), (0, False)])
def test_a_build_is_copied_into_memory_only_up_to_the_set_size(make_app, published, up_to, copied):
    """The test build has 10,5xx quads: copied under the default, read from disk (read-only,
    so adding a quad fails) when the setting is smaller."""
    assert 10_000 < published.summary()["quads"] < 11_000
    app = make_app(STORE_IN_MEMORY_UP_TO=up_to)
    served = graphstore.snapshot_of(app).store
    quad = ox.Quad(ox.NamedNode("urn:x:s"), ox.NamedNode("urn:x:p"), ox.Literal("o"))
    if copied:
        served.add(quad)
        assert quad in served
    else:
        with pytest.raises(RuntimeError, match="read-write"):
            served.add(quad)
