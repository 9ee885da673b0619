"""Evidence packs: graph/evidence.py and the /evidence routes.

The quoted line was read by hand: line 45 of leicester-jhwb-action-plan-2018-23.txt is
action 1.2, whose measure cell is "TBA".
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import zipfile
from pathlib import Path

import pytest

from graph import evidence

SOURCES = Path(__file__).resolve().parent.parent / "data" / "sources"
LINE_45 = (
    "\t1.2.\tSupport initiatives to increase healthy options in fast food outlets "
    "(<i>Stretch</i>)\tLCC\tLocal Plan\tTBA\t"
)
ACTION_1_2 = "https://w3id.org/hwbkg/id/action/leicester-jhwb-action-plan-2018-23/1.2"


def opened(response) -> zipfile.ZipFile:
    assert response.status_code == 200
    assert response.mimetype == "application/zip"
    return zipfile.ZipFile(io.BytesIO(response.data))


@pytest.fixture(scope="module")
def placeholder_pack(app):
    return opened(app.test_client().get("/evidence/queries/placeholder-measures.zip"))


def test_query_pack_holds_rows_sparql_build_and_appendix(placeholder_pack, client):
    assert placeholder_pack.namelist() == [
        "README.txt",
        "data.csv",
        "sparql/placeholder-measures.rq",
        "build.json",
        "appendix.md",
    ]
    rows = list(csv.DictReader(io.StringIO(placeholder_pack.read("data.csv").decode())))
    assert len(rows) == 33  # 30 in the 2018-23 plan, 1 in Harborough's, 2 proposed priorities
    assert rows[1]["item"] == ACTION_1_2 and rows[1]["placeholder"] == "TBA"
    rq = placeholder_pack.read("sparql/placeholder-measures.rq").decode()
    assert rq == (Path("queries") / "placeholder-measures.rq").read_text(encoding="utf-8")
    readme = placeholder_pack.read("README.txt").decode()
    assert readme.startswith("Actions and priorities whose measure is a placeholder\n")
    assert "Rows: 33." in readme
    response = client.get("/evidence/queries/placeholder-measures.zip")
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="placeholder-measures-evidence.zip"'
    )


def test_build_file_checksums_match_the_sources(placeholder_pack):
    build = json.loads(placeholder_pack.read("build.json"))
    assert build["build"] == "https://w3id.org/hwbkg/id/build/latest"
    assert build["endedAtTime"]
    on_disk = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in SOURCES.glob("*.txt")}
    assert {s["file"]: s["sha256"] for s in build["sources"]} == on_disk
    assert len(on_disk) == 5


def test_appendix_quotes_the_line_behind_a_row(placeholder_pack):
    appendix = placeholder_pack.read("appendix.md").decode()
    assert f"### line 45\n\n> {LINE_45}\n\nCited for: {ACTION_1_2}\n" in appendix
    assert (SOURCES / "leicester-jhwb-action-plan-2018-23.txt").read_text(
        encoding="utf-8"
    ).splitlines()[44] == LINE_45
    assert "has changed since the build" not in appendix


def test_audit_pack_follows_the_page_filters(client):
    pack = opened(client.get("/evidence/audit.zip?plan=harborough-hw-action-plan-2022-23"))
    assert pack.namelist() == [
        "README.txt",
        "data.csv",
        "sparql/warned-nodes.rq",
        "sparql/load-issues.rq",
        "build.json",
        "appendix.md",
    ]
    rows = list(csv.DictReader(io.StringIO(pack.read("data.csv").decode())))
    assert [(r["kind"], r["line"]) for r in rows] == [
        ("no lead", "20"),
        ("unknown partner alias", "20"),
        ("load issue", "20"),
        ("placeholder measure", "28"),
    ]
    assert "VALUES (?node ?kind)" in pack.read("sparql/warned-nodes.rq").decode()
    appendix = pack.read("appendix.md").decode()
    assert (
        "### line 20\n\n> 3.c\tEnsure advice and support for vulnerable\t"
        "Commission free advice and support for\t2022/23\tCommunity\t"
        "Quarterly updates and annual Scrutiny\tNumber of clients supported\n"
    ) in appendix
    readme = pack.read("README.txt").decode()
    assert readme.startswith("Audit worklist: Health & Wellbeing Strategy Action Plan 2022/23\n")
    assert "Where: http://localhost/audit?plan=harborough-hw-action-plan-2022-23" in readme


@pytest.mark.parametrize(
    "url",
    [
        "/evidence/queries/no-such-query.zip",
        "/evidence/queries/BAD_name.zip",
        "/evidence/network-x.zip",
    ],
)
def test_unknown_names_are_404_in_one_line(client, url):
    response = client.get(url)
    assert response.status_code == 404
    assert response.mimetype == "text/plain"
    assert response.get_data(as_text=True).count("\n") == 1


def test_registry_names_the_audit_view():
    from webapp.evidence import VIEWS

    assert "audit" in VIEWS


def test_appendix_warns_when_a_source_changed_since_the_build(oxigraph, tmp_path):
    (tmp_path / "leicester-jhwb-action-plan-2018-23.txt").write_text("edited\n", encoding="utf-8")
    view = evidence.View("t", "T", ["action"], [[ACTION_1_2]], {})
    cited = evidence.citations(oxigraph, view.rows)
    assert cited.lines == {"leicester-jhwb-action-plan-2018-23.txt": {45: [ACTION_1_2]}}
    text = evidence.appendix(view, evidence.build_info(oxigraph), cited, tmp_path)
    assert "leicester-jhwb-action-plan-2018-23.txt has changed since the build" in text
    assert "> (line not available)" in text
    missing = evidence.appendix(view, evidence.build_info(oxigraph), cited, tmp_path / "gone")
    assert "cannot be read" in missing


def test_instance_iris_are_found_in_cells_in_order():
    rows = [["x", f"{ACTION_1_2} https://w3id.org/hwbkg/id/org/nhs"], [ACTION_1_2, "y"]]
    assert evidence.instance_iris(rows) == [ACTION_1_2, "https://w3id.org/hwbkg/id/org/nhs"]
