"""The application factory: config is passed in, and a missing build is a clear error."""

import pytest

from graph.store import StoreMissing
from webapp import BLUEPRINTS, create_app


def test_factory_needs_a_build(tmp_path, config):
    with pytest.raises(StoreMissing):
        create_app({**config, "BUILD_DIR": tmp_path})


def test_config_is_passed_in_and_paths_become_paths(app, build_dir):
    assert app.config["TESTING"] is True
    assert app.config["BUILD_DIR"] == build_dir
    assert app.config["QUERY_TIMEOUT"] == 10.0


def test_every_area_is_a_registered_blueprint(app):
    assert sorted(app.blueprints) == sorted(BLUEPRINTS)
