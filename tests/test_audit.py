"""The audit worklist: graph/audit.py, the /audit page and its twins, and `hwbkg audit`.

Figures counted by hand in data/sources/leicester-jhwb-action-plan-2018-23.txt (columns:
No., Action, Lead Partner, Related Strategy/Plan, Measure, Level): 30 action rows print a
placeholder in the measure column: TBA 4 (1.2, 2.11, 17.3, 17.4), TBC 6 (4.1, 5.6, 7.6
whose columns are swapped, 7.8, 13.4, 17.5), "?" 2 (3.9, 9.4), "To be determined" 2 (6.4,
18.1) and 16 blank (2.13, 9.5 on line 59, 7.4, 8.1, 11.10, 12.6, 12.7, 14.1, 14.2, 14.3,
14.5, 14.6, the unnumbered row on line 130, 16.1, 16.2, 16.3). Every action there has a
lead; one lead name, "LT" on line 116 ("CCG/UHL/LT/ LCC"), is unknown. In the Harborough
plan, 3.c (line 20) names only "Community" as lead: no lead, and an unknown alias.
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter

import pytest

from cli.audit import table
from cli.main import main
from graph import audit
from webapp import audit as web_audit

PLAN_2018 = "leicester-jhwb-action-plan-2018-23"
HARBOROUGH = "harborough-hw-action-plan-2022-23"


@pytest.fixture(scope="module")
def gaps(app, oxigraph):
    """The whole worklist, from the SHACL results the app keeps (pySHACL runs once)."""
    with app.app_context():
        return audit.worklist(oxigraph, web_audit.shacl_records())


def of_plan(gaps, slug, kind):
    return [g for g in gaps if g.plan.endswith(f"/plan/{slug}") and g.kind == kind]


def test_placeholder_measures_of_the_2018_23_plan_as_counted_in_the_source(gaps):
    found = of_plan(gaps, PLAN_2018, "placeholder measure")
    assert len(found) == 30
    assert Counter(g.detail for g in found) == {
        "(blank in source)": 16,
        "TBC": 6,
        "TBA": 4,
        "?": 2,
        "To be determined": 2,
    }
    first = found[0]
    assert (first.label, first.detail, first.line) == (
        "1.2. Support initiatives to increase healthy options in fast food outlets",
        "TBA",
        45,
    )
    assert [label for _, label in first.organisations] == ["Leicester City Council"]


def test_actions_without_lead_and_unknown_aliases(gaps):
    assert of_plan(gaps, PLAN_2018, "no lead") == []
    (no_lead,) = of_plan(gaps, HARBOROUGH, "no lead")
    assert (no_lead.label, no_lead.detail, no_lead.line) == (
        "3.c Commission free advice and support for",
        "Community",
        20,
    )
    aliases = [g for g in gaps if g.kind == "unknown partner alias"]
    assert [(g.detail, g.file, g.line) for g in aliases] == [
        ("Community", "harborough-hw-action-plan-2022-23.txt", 20),
        ("LT", "leicester-jhwb-action-plan-2018-23.txt", 116),
    ]
    # The alias's row is the action that prints it, with its resolved partners.
    assert aliases[1].label.startswith("12.10 To increase the number of people")
    assert "Leicester City Council" in dict(aliases[1].organisations).values()


def test_load_issues_without_the_duplicated_unknown_alias(gaps):
    issues = of_plan(gaps, PLAN_2018, "load issue")
    # 32 load issues on that document, less the "unknown partner alias 'LT'" the SHACL
    # warning on its mention already reports.
    assert len(issues) == 31
    assert not any(g.detail.startswith("unknown partner alias") for g in issues)
    swapped = next(g for g in issues if g.line == 86)
    assert swapped.detail.startswith("related strategy and measure columns swapped")
    assert swapped.label.startswith("7.6 ")


def test_select_by_organisation(gaps):
    council = "https://w3id.org/hwbkg/id/org/leicester-city-council"
    mine = audit.select(gaps, organisation=council)
    labels = {g.label.split(" ")[0] for g in mine}
    assert "1.2." in labels and "17.3" not in labels  # 17.3 is led by the CCG alone


def test_page_lists_gaps_with_links_to_node_and_source_line(client):
    response = client.get("/audit", query_string={"plan": PLAN_2018})
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    html = response.get_data(as_text=True)
    assert 'href="/id/action/leicester-jhwb-action-plan-2018-23/1.2"' in html
    assert f'href="/sources/{PLAN_2018}#L45"' in html
    assert f"/evidence/audit.zip?plan={PLAN_2018}" in html
    assert f'<option value="{PLAN_2018}" selected>' in html
    assert '<option value="leicester-city-council" >Leicester City Council (' in html
    assert "/audit.json" in response.headers["Link"]


def test_json_twin_counts_by_plan_and_links(client):
    response = client.get("/audit.json", query_string={"plan": PLAN_2018})
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    data = response.get_json()
    assert data["count"] == 62  # 30 placeholders, 1 unknown alias, 31 load issues
    (plan,) = data["by_plan"]
    assert plan["kinds"] == {
        "placeholder measure": 30,
        "unknown partner alias": 1,
        "load issue": 31,
    }
    first = data["gaps"][0]
    assert first["href"] == "/id/action/leicester-jhwb-action-plan-2018-23/1.2"
    assert first["source"]["href"] == f"/sources/{PLAN_2018}#L45"


def test_csv_twin_by_organisation(client):
    response = client.get("/audit.csv", query_string={"organisation": "canal-and-river-trust"})
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert list(rows[0]) == audit.COLUMNS
    # Lines 72 (5.6, "LCC/ Canal River Trust", TBC) and 141 (17.5, "... Canal River Trust").
    assert sorted((r["kind"], r["line"]) for r in rows) == [
        ("load issue", "141"),
        ("placeholder measure", "141"),
        ("placeholder measure", "72"),
    ]


@pytest.mark.parametrize(
    "query", [{"plan": "no-such-plan"}, {"organisation": "nobody"}, {"plan": "!!!"}]
)
def test_unknown_filter_is_a_400_in_one_line(client, query):
    for url in ("/audit", "/audit.csv", "/evidence/audit.zip"):
        response = client.get(url, query_string=query)
        assert response.status_code == 400
        assert response.mimetype == "text/plain"
        assert response.get_data(as_text=True).count("\n") == 1


def test_cli_csv_and_an_unknown_plan(build_dir, capsys):
    args = ["--build-dir", str(build_dir), "audit", "--plan"]
    assert main([*args, HARBOROUGH, "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [(r["kind"], r["line"]) for r in rows] == [
        ("no lead", "20"),
        ("unknown partner alias", "20"),
        ("load issue", "20"),
        ("placeholder measure", "28"),
    ]
    assert main([*args, "nope"]) == 2
    assert capsys.readouterr().err == "hwbkg audit: no plan of that name in the graph\n"


def test_cli_table_and_json_formats(gaps):
    harborough = [g for g in gaps if g.file == "harborough-hw-action-plan-2022-23.txt"]
    text = table(harborough)
    assert text.splitlines()[0] == "Health & Wellbeing Strategy Action Plan 2022/23"
    assert "harborough-hw-action-plan-2022-23.txt:28" in text
    assert text.endswith("(4 gaps)")
    assert json.loads(audit.dumps(harborough))[3]["detail"] == "(blank in source)"


def test_worklist_is_paged_and_the_csv_has_every_gap(client, monkeypatch):
    monkeypatch.setattr(web_audit, "PER_PAGE", 25)
    first = client.get("/audit.json", query_string={"plan": PLAN_2018}).get_json()
    assert (first["count"], first["pages"], len(first["gaps"])) == (62, 3, 25)
    last = client.get(f"/audit.json?plan={PLAN_2018}&page=3").get_json()
    assert len(last["gaps"]) == 12 and last["next"] is None
    assert last["by_plan"] == first["by_plan"]  # counts are of every page
    assert first["next"] == f"/audit.json?plan={PLAN_2018}&page=2"
    html = client.get(f"/audit?plan={PLAN_2018}&page=2").get_data(as_text=True)
    assert "62 gaps, page 2 of 3" in html and 'rel="prev"' in html and 'rel="next"' in html
    rows = client.get("/audit.csv", query_string={"plan": PLAN_2018}).text.splitlines()
    assert len(rows) == 63
    assert client.get(f"/audit.json?plan={PLAN_2018}&page=4").status_code == 400
