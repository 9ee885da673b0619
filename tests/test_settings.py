"""Settings have one home (graph/settings.py): defaults, then HWBKG_* variables, then a TOML
file, then command-line options; the app factory works with no arguments."""

import pytest

from cli.main import main
from graph import settings
from webapp import create_app, graphstore


def test_defaults_are_the_project_folders_and_the_documented_limits():
    found = settings.load(environ={})
    assert found["BUILD_DIR"] == settings.ROOT / "build"
    assert found["MANIFEST"] == settings.ROOT / "data" / "sources" / "sources.toml"
    assert (found["QUERY_TIMEOUT"], found["ROW_LIMIT"], found["QUERY_WORKERS"]) == (10.0, 10_000, 2)


def test_the_environment_overrides_defaults_with_values_of_their_type(tmp_path):
    environ = {"HWBKG_QUERY_TIMEOUT": "2.5", "HWBKG_ROW_LIMIT": "500", "HWBKG_BUILD_DIR": "/srv/b",
               "HWBKG_UNKNOWN": "ignored", "QUERY_WORKERS": "9"}  # fmt: skip
    found = settings.load(environ=environ)
    assert (found["QUERY_TIMEOUT"], found["ROW_LIMIT"]) == (2.5, 500)
    assert found["BUILD_DIR"] == settings.Path("/srv/b") and found["QUERY_WORKERS"] == 2
    assert "UNKNOWN" not in found


def test_later_sources_win():
    found = settings.load({"ROW_LIMIT": 7, "BUILD_DIR": "x"}, {"ROW_LIMIT": 8},
                          environ={"HWBKG_ROW_LIMIT": "6"})  # fmt: skip
    assert found["ROW_LIMIT"] == 8 and found["BUILD_DIR"] == settings.Path("x")


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("HWBKG_ROW_LIMIT", "lots", "HWBKG_ROW_LIMIT='lots' is not an integer"),
        ("HWBKG_QUERY_TIMEOUT", "10s", "HWBKG_QUERY_TIMEOUT='10s' is not a number"),
    ],
)
def test_a_bad_variable_is_one_line_and_exit_2(monkeypatch, capsys, variable, value, message):
    monkeypatch.setenv(variable, value)
    assert main(["stats"]) == 2
    assert capsys.readouterr().err == f"hwbkg: {message}\n"


def test_create_app_needs_no_arguments(monkeypatch, build_dir, published):
    monkeypatch.setenv("HWBKG_BUILD_DIR", str(build_dir))
    monkeypatch.setenv("HWBKG_QUERY_TIMEOUT", "3")
    app = create_app()
    try:
        assert app.config["QUERY_TIMEOUT"] == 3.0 and app.config["BUILD_DIR"] == build_dir
        response = app.test_client().get("/index.json")
        assert response.status_code == 200
        assert response.headers[graphstore.BUILD_HEADER] == published.id
    finally:
        graphstore.close(app)


def test_a_settings_file_does_not_override_the_command_line(tmp_path, build_dir, monkeypatch):
    """`hwbkg --build-dir B serve --settings f` serves B even if f names another BUILD_DIR."""
    chosen = {}
    monkeypatch.setattr("webapp.create_app", lambda config: chosen.update(config) or 1 / 0)
    toml = tmp_path / "hwbkg.toml"
    toml.write_text(f'BUILD_DIR = "{tmp_path}"\nROW_LIMIT = 5\n', encoding="utf-8")
    with pytest.raises(ZeroDivisionError):
        main(["--build-dir", str(build_dir), "serve", "--settings", str(toml)])
    assert chosen["BUILD_DIR"] == build_dir and chosen["ROW_LIMIT"] == 5


def test_the_store_is_oxigraph_or_a_server_named_by_the_environment():
    assert settings.load(environ={})["STORE"] == "oxigraph"
    found = settings.load(environ={"HWBKG_STORE": "server", "HWBKG_SERVER_TIMEOUT": "5"})
    assert (found["STORE"], found["SERVER_TIMEOUT"]) == ("server", 5.0)
    with pytest.raises(settings.SettingsError) as refused:
        settings.load({"STORE": "virtuoso"}, environ={})
    assert str(refused.value) == "STORE is 'virtuoso'; choose one of oxigraph, server"
