"""The `hwbkg` command line: each subcommand on the real build, and one-line errors."""

import json
import os
import socket
import subprocess
import sys

import pytest
from virtuoso import free_port

from cli.main import main
from graph import builds
from graph.settings import ROOT


def run(capsys, *argv):
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def test_a_rebuild_of_unchanged_sources_publishes_a_new_build_and_keeps_three(
    tmp_path, seed, published, capsys
):
    root = tmp_path / "build"
    older = [seed(root, f"2020010{n}T000000Z-000000000{n}").id for n in (1, 2, 3)]
    status, out, _ = run(capsys, "--build-dir", str(root), "build")
    new = builds.current(root)
    assert status == 0 and new.id not in older
    assert out.splitlines()[0].startswith(f"published build {new.id} (10,563 quads) in ")
    assert sorted(p.name for p in (root / "builds").iterdir()) == [*older[1:], new.id]
    assert os.readlink(root / "current") == f"builds/{new.id}"
    assert sorted(p.name for p in new.path.iterdir()) == [
        "digests",
        "hwbkg.nq",
        "load-report.json",
        "oxigraph",
        "search.sqlite",
        "shacl-report.ttl",
        "sources",
        "summary.json",
    ]
    assert "leicester-jhwb-action-plan-2018-23: lines" in out
    assert "unknown partner alias 'LT'" in out
    assert out.splitlines()[-1] == "SHACL: conforms: True; 0 Info, 0 Violation, 36 Warning"
    report = json.loads((new.path / "load-report.json").read_text())
    assert {e["outcome"] for e in report} <= {"graph", "skipped", "issue"}
    summary, before = new.summary(), published.summary()
    assert summary["id"] == new.id and summary["quads"] == 10_563
    assert summary["graphs"] == before["graphs"] and summary["sources"] == before["sources"]


def test_query_by_name_prints_csv(build_dir, capsys):
    status, out, _ = run(
        capsys,
        "--build-dir",
        str(build_dir),
        "query",
        "--name",
        "themes-without-ics-equivalent",
        "--format",
        "csv",
    )
    assert status == 0
    assert out.splitlines()[0] == "theme,label,file,line"
    assert len(out.splitlines()) == 3


def test_query_inline_as_a_table(build_dir, capsys):
    status, out, _ = run(
        capsys,
        "--build-dir",
        str(build_dir),
        "query",
        "SELECT (COUNT(*) AS ?n) WHERE { ?s a hwb:SourceDocument }",
    )
    assert status == 0 and "5" in out.splitlines()[2] and "(1 rows)" in out


def test_construct_prints_turtle(build_dir, capsys):
    status, out, _ = run(
        capsys,
        "--build-dir",
        str(build_dir),
        "query",
        "CONSTRUCT { ?s a hwb:SourceDocument } WHERE { ?s a hwb:SourceDocument }",
    )
    assert status == 0 and "hwb:SourceDocument" in out


def test_query_from_a_file(build_dir, tmp_path, capsys):
    path = tmp_path / "q.rq"
    path.write_text("ASK { ?s a hwb:Plan }")
    status, out, _ = run(
        capsys, "--build-dir", str(build_dir), "query", "--file", str(path), "--format", "json"
    )
    assert status == 0 and json.loads(out)["boolean"] is True


@pytest.mark.parametrize(
    "argv, message",
    [
        (["query", "SELECT WHERE {"], "hwbkg query: "),
        (["query", "--name", "no-such-query"], "no library query of that name (known: "),
        (["query", "--file", "/no/such/file.rq"], "query file not found"),
    ],
)
def test_query_errors_are_one_line(build_dir, capsys, argv, message):
    status, out, err = run(capsys, "--build-dir", str(build_dir), *argv)
    assert status == 2 and out == ""
    assert message in err and len(err.strip().splitlines()) == 1


@pytest.mark.parametrize("command", ["query", "validate", "stats", "export"])
def test_commands_before_a_build_say_so(tmp_path, capsys, command):
    argv = [command, "ASK {}"] if command == "query" else [command]
    status, _, err = run(capsys, "--build-dir", str(tmp_path), *argv)
    assert status == 2 and "run `hwbkg build` first" in err


def test_a_missing_manifest_is_one_line(tmp_path, capsys):
    status, _, err = run(
        capsys, "--build-dir", str(tmp_path), "build", "--manifest", str(tmp_path / "none.toml")
    )
    assert (
        status == 2 and err.strip() == f"hwbkg build: manifest not found: {tmp_path / 'none.toml'}"
    )


@pytest.mark.parametrize(
    "fmt, marker", [("ttl", "@prefix"), ("trig", "{"), ("nq", "> ."), ("jsonld", '"@id"')]
)
def test_export_formats(build_dir, tmp_path, capsys, fmt, marker):
    out = tmp_path / f"all.{fmt}"
    status, _, _ = run(
        capsys, "--build-dir", str(build_dir), "export", "--format", fmt, "--output", str(out)
    )
    text = out.read_text()
    assert status == 0 and marker in text and "hwbkg ontology" in text


def test_stats_counts_per_document(build_dir, capsys):
    status, out, _ = run(capsys, "--build-dir", str(build_dir), "stats")
    assert status == 0 and "harborough-hw-action-plan-2022-23.txt" in out and "quads:" in out
    # 2018-23 plan: 76 action rows (65 numbered tab rows and 11 printed otherwise).
    assert "leicester-jhwb-action-plan-2018-23.txt" in out
    assert any(line.split()[1:] == ["hwb:Action", "76"] for line in out.splitlines()[2:-2])


def test_a_closed_pipe_ends_quietly(build_dir):
    """`hwbkg stats | true`: the reader is gone before the first write; no traceback."""
    command = f"{sys.executable} -m cli.main --build-dir {build_dir} stats | true"
    done = subprocess.run(command, shell=True, capture_output=True, text=True, cwd=ROOT)
    assert done.stderr == ""


def test_serve_on_a_taken_port_is_one_line(build_dir, capsys):
    """It printed "workbench on http://..." and then a traceback."""
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        assert main(["--build-dir", str(build_dir), "serve", "--port", str(port)]) == 2
    error = capsys.readouterr().err
    assert error == (
        f"hwbkg serve: cannot listen on 127.0.0.1:{port} (Address already in use); "
        "choose another with --port\n"
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "QUERY_TIMEOUT = 20\nQUERY_TIMOUT = 5\n",
            "QUERY_TIMOUT is not a setting; the settings are MANIFEST, CURATED_DIR, ",
        ),
        ('ROW_LIMIT = "10', "not valid TOML (Unterminated string"),
    ],
    ids=["misspelt setting", "not TOML"],
)
def test_a_bad_settings_file_is_one_line(build_dir, tmp_path, capsys, text, message):
    settings = tmp_path / "hwbkg.toml"
    settings.write_text(text, encoding="utf-8")
    argv = ["--build-dir", str(build_dir), "serve", "--settings", str(settings)]
    assert main(argv) == 2
    error = capsys.readouterr().err
    assert error.startswith(f"hwbkg serve: settings file {settings}: {message}")
    assert error.count("\n") == 1


def test_a_server_store_that_is_down_is_one_line(build_dir, tmp_path, capsys):
    port = free_port()
    settings = tmp_path / "hwbkg.toml"
    settings.write_text(f'STORE = "server"\nSERVER_QUERY_URL = "http://127.0.0.1:{port}/sparql"\n')
    argv = ["--build-dir", str(build_dir), "serve", "--settings", str(settings)]
    assert main(argv) == 2
    error = capsys.readouterr().err
    assert error.startswith(
        f"hwbkg serve: cannot reach the SPARQL server at http://127.0.0.1:{port}/sparql: "
    )
    assert error.count("\n") == 1
