"""The home page and its .json and .csv twins, checked against the sources and the graph."""

import csv
import io
import re

import pyoxigraph as ox
from rdflib import Namespace

from graph import void

PROV = Namespace("http://www.w3.org/ns/prov#")
HARBOROUGH = "harborough-hw-action-plan-2022-23"


def plan_row(plans: list[dict], slug: str) -> dict:
    return next(p for p in plans if p["plan"]["iri"].endswith("/plan/" + slug))


def test_home_lists_the_eight_described_plans(client):
    response = client.get("/")
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    html = response.get_data(as_text=True)
    body = html[html.index("<tbody>") : html.index("</tbody>")]
    # Five manifest sources, the curated ICS priorities, and two plans described inside
    # the progress report (the 2022-32 strategy and the May 2024 report).
    assert body.count("<tr>") == 8
    assert "Joint Health and Wellbeing Action Plan 2018-23" in body
    assert "LLR Integrated Care System priorities" in body
    assert "36 further plans and strategies" in html


def test_home_announces_its_twins(client):
    link = client.get("/").headers["Link"]
    assert '</index.json>; rel="alternate"; type="application/json"' in link
    assert '</index.csv>; rel="alternate"; type="text/csv"' in link


def test_plan_links_go_to_the_plan_pages(client):
    html = client.get("/").get_data(as_text=True)
    assert f'href="/plans/{HARBOROUGH}"' in html


def test_harborough_counts_match_the_source(client):
    """The Harborough plan prints six priorities ("Priority 1" to "Priority 6") and 25
    numbered actions (1.a-1.e, 2.a-2.d, 3.a-3.c, 4.a-4.c, 5.a-5.d, 6.a-6.f), no themes."""
    row = plan_row(client.get("/index.json").get_json()["plans"], HARBOROUGH)
    assert (row["themes"], row["priorities"], row["actions"]) == (0, 6, 25)
    assert row["period"] == "2022/23"
    assert [p["label"] for p in row["publishers"]] == ["Harborough District Council"]


def test_counts_agree_with_sparql(client, oxigraph):
    from graph import sparql

    plans = client.get("/index.json").get_json()["plans"]
    query = "SELECT (COUNT(?a) AS ?n) WHERE { ?a a hwb:Action ; hwb:plan ?p }"
    actions = int(next(iter(sparql.run(oxigraph, query).results))["n"].value)
    assert sum(p["actions"] for p in plans) == actions
    row = plan_row(plans, "leicester-jhwb-action-plan-2018-23")
    assert (row["themes"], row["priorities"], row["actions"]) == (5, 18, 76)
    assert sorted(p["label"] for p in row["publishers"]) == [
        "Leicester City Council",
        "Leicester Health and Wellbeing Board",
    ]


def test_json_twin_carries_the_summary(client, oxigraph, reference, published):
    data = client.get("/index.json").get_json()
    assert len(data["plans"]) == 8
    assert (data["total_plans"], data["page"], data["pages"], data["next"]) == (8, 1, 1, None)
    assert data["referenced_plans"] == 36
    # The statements of the data as built: the store also holds their VoID statistics, and
    # the merge of both as its default graph (each triple once; the real documents repeat
    # none).
    statistics = len(list(oxigraph.quads_for_pattern(None, None, None, void.VOID_GRAPH)))
    merged = len(list(oxigraph.quads_for_pattern(None, None, None, ox.DefaultGraph())))
    assert data["statements"] == published.summary()["quads"] == merged - statistics
    assert len(oxigraph) == 2 * merged
    ended = next(reference.objects(None, PROV.endedAtTime)).toPython()
    assert data["built"]["ended"] == ended.isoformat()
    assert data["built"]["documents"] == 5


def test_validation_summary_matches_the_report(client):
    report = client.get("/validation.json").get_json()
    data = client.get("/index.json").get_json()
    assert data["validation"] == {"conforms": report["conforms"], "counts": report["counts"]}
    html = client.get("/").get_data(as_text=True)
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html))
    counts = report["counts"]
    assert f"{counts['Violation']} violations and {counts['Warning']} warnings" in text
    assert 'href="/validation"' in html


def test_build_time_is_shown(client, reference):
    ended = next(reference.objects(None, PROV.endedAtTime)).toPython()
    html = client.get("/").get_data(as_text=True)
    assert f'<time datetime="{ended.isoformat()}">' in html
    assert ended.strftime("%-d %B %Y at %H:%M UTC") in html
    assert "from 5 source documents" in html


def test_csv_twin_has_one_row_per_plan(client):
    response = client.get("/index.csv")
    assert response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0] == [
        "plan", "title", "kind", "period", "publishers",
        "themes", "priorities", "actions", "measures", "organisations",
    ]  # fmt: skip
    assert len(rows) == 9
    harborough = next(r for r in rows if r[0].endswith(HARBOROUGH))
    assert harborough[5:8] == ["0", "6", "25"]


def test_unknown_format_is_a_404(client):
    assert client.get("/index.xml").status_code == 404


def test_plans_are_paged(client, monkeypatch):
    monkeypatch.setattr("webapp.home.PER_PAGE", 3)
    first = client.get("/index.json").get_json()
    assert [len(first["plans"]), first["pages"], first["previous"]] == [3, 3, None]
    last = client.get("/index.json?page=3").get_json()
    assert len(last["plans"]) == 2 and last["next"] is None and last["previous"]
    assert first["next"] == "/index.json?page=2"
    html = client.get("/?page=2").get_data(as_text=True)
    assert 'rel="prev"' in html and 'rel="next"' in html and "Page 2 of 3" in html
    assert len(list(csv.reader(io.StringIO(client.get("/index.csv").text)))) == 9
    bad = client.get("/index.json?page=4")
    assert bad.status_code == 400 and bad.text == "page must be a whole number from 1 to 3\n"
