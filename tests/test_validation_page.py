"""The validation page, its twins, and the report saved beside the build."""

import csv
import io
import os
import re
import shutil
from collections import Counter

from rdflib import Graph

from cli import main as cli
from graph import validate
from graph.store import DATASET_FILE


def test_counts_equal_what_hwbkg_validate_prints(client, build_dir, capsys):
    status = cli.main(["--build-dir", str(build_dir), "validate"])
    printed = capsys.readouterr().err.strip().splitlines()[-1]
    counts = client.get("/validation.json").get_json()["counts"]
    assert printed == (
        f"conforms: {status == 0}; {counts['Info']} Info, "
        f"{counts['Violation']} Violation, {counts['Warning']} Warning"
    )
    assert counts == {"Violation": 0, "Warning": 36, "Info": 0}


def test_page_groups_by_severity_then_shape(client):
    response = client.get("/validation")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html))
    assert "Warnings (36)" in text
    records = client.get("/validation.json").get_json()["results"]
    shapes = Counter(r["shape"].rsplit("#", 1)[-1] for r in records)
    # 31 actions and 2 priorities print a placeholder (TBA, TBC, ?, blank) as their measure.
    assert shapes["MeasureIsPlaceholder"] == 33
    for name, n in shapes.items():
        assert f"{name} ({n})" in text
    assert text.index("Warnings (36)") < text.index("MeasureIsPlaceholder (33)")


def test_each_result_links_its_focus_node_with_its_message(client):
    html = client.get("/validation").get_data(as_text=True)
    records = client.get("/validation.json").get_json()["results"]
    for r in records:
        path = r["focus"].split("/id/", 1)[1]
        assert f'href="/id/{path}"' in html
    assert "The source gives only a placeholder (TBA, TBC, ?, blank)" in html
    assert "<code>hwb:measurePlaceholder</code>" in html


def test_twins(client):
    link = client.get("/validation").headers["Link"]
    assert '</validation.json>; rel="alternate"' in link and "</validation.csv>" in link
    data = client.get("/validation.json").get_json()
    assert data["conforms"] is True and len(data["results"]) == 36
    response = client.get("/validation.csv")
    assert response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0] == ["severity", "shape", "focus", "path", "message", "value"]
    assert len(rows) == 37 and {r[0] for r in rows[1:]} == {"Warning"}
    assert client.get("/validation.xml").status_code == 404


def test_the_build_saves_the_report_and_pages_reuse_it(published, config, monkeypatch):
    assert (published.path / validate.REPORT_FILE).is_file()

    def refuse(*args, **kwargs):
        raise AssertionError("validated again although a fresh report is saved")

    monkeypatch.setattr(validate, "validate_build", refuse)
    report = validate.saved_report(published.path, config["SHAPES_DIR"])
    assert validate.count_results(report)["Warning"] == 36


def test_a_rebuilt_graph_makes_the_saved_report_stale(published, config, tmp_path, monkeypatch):
    copy = tmp_path / "build"
    copy.mkdir()
    shutil.copy(published.path / DATASET_FILE, copy / DATASET_FILE)
    (copy / validate.REPORT_FILE).write_text("", encoding="utf-8")
    os.utime(copy / validate.REPORT_FILE, (0, 0))
    calls = []

    def fake(build_dir, shapes_dir):
        calls.append((build_dir, shapes_dir))
        return validate.ValidationResult(True, Graph(), "", {})

    monkeypatch.setattr(validate, "validate_build", fake)
    validate.saved_report(copy, config["SHAPES_DIR"])
    assert calls == [(copy, config["SHAPES_DIR"])]


def test_results_are_paged_with_every_shape_counted_in_full(client, monkeypatch):
    monkeypatch.setattr("webapp.validation.PER_PAGE", 20)
    first = client.get("/validation.json").get_json()
    assert (len(first["results"]), first["total"], first["pages"]) == (20, 36, 2)
    second = client.get(first["next"]).get_json()
    assert len(second["results"]) == 16 and second["next"] is None
    html = client.get("/validation?page=2").get_data(as_text=True)
    assert "Results 21 to 36 of 36 (page 2 of 2)" in html and 'rel="prev"' in html
    assert "MeasureIsPlaceholder (33)" in html  # its results on both pages
    assert len(client.get("/validation.csv").text.splitlines()) == 37
    assert client.get("/validation?page=3").status_code == 400
