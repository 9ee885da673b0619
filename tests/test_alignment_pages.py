"""The alignment pages and their twins through the Flask test client."""

from __future__ import annotations

import csv
import io

import pytest

from graph import curated
from vocab.ids import mint

PROPOSALS = "leicester-jhws-refresh-proposed-priorities-2021"
ICS_2021 = "?from=leicester-jhws-refresh-proposed-priorities-2021&to=llr-ics-priorities&level=theme"


def test_page_shows_the_form_picture_and_stated_links(client):
    response = client.get("/alignment" + ICS_2021)
    assert response.status_code == 200 and response.mimetype == "text/html"
    html = response.get_data(as_text=True)
    assert '<select name="from">' in html and "<svg" in html
    assert 'href="/sources/leicester-jhws-refresh-proposed-priorities-2021#L115"' in html
    assert 'href="/sources/leicester-jhws-refresh-proposed-priorities-2021#L119"' in html
    assert 'rel="alternate"; type="application/json"' in response.headers["Link"]


def test_curated_cells_link_to_their_record_row(client):
    html = client.get(
        "/alignment?from=leicester-health-care-wellbeing-strategy-2022-27"
        "&to=leicestershire-jhws-2022-32&level=theme"
    ).get_data(as_text=True)
    anchor = "record-leicester-themes-across-plans-14"  # Healthy Ageing narrowMatch Dying Well
    assert f'href="#{anchor}"' in html and f'id="{anchor}"' in html


def test_json_twin(client):
    body = client.get("/alignment.json" + ICS_2021).get_json()
    assert body["counts"] == {"mapped": 3, "no equivalent": 2, "unmapped": 0}
    ageing = next(r for r in body["rows"] if r["label"] == "Healthy Ageing")
    assert len(ageing["cells"]) == 2
    lines = {r["line"] for r in body["records"]}
    assert lines == {115, 116, 117, 118, 119}


def test_csv_twin_has_one_line_per_cell(client):
    response = client.get("/alignment.csv" + ICS_2021)
    assert response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert len(rows) == 5 * 4
    places = [r for r in rows if r["from_label"] == "Healthy Places"]
    assert {r["kind"] for r in places} == {"no equivalent"}
    assert places[0]["citations"].endswith("#L115")


def test_svg_picture(client):
    response = client.get("/alignment.svg" + ICS_2021)
    assert response.mimetype == "image/svg+xml"
    svg = response.get_data(as_text=True)
    assert svg.startswith("<svg") and svg.count("<rect") == 5 * 4 + 7  # cells + legend


def test_sssom_export(client):
    response = client.get("/alignment.sssom.tsv" + ICS_2021)
    assert response.mimetype == "text/tab-separated-values"
    lines = response.get_data(as_text=True).splitlines()
    header = [line for line in lines if line.startswith("#")]
    assert curated._curie_map(header, "export")["hwbid"] == "https://w3id.org/hwbkg/id/"
    rows = list(
        csv.DictReader([line for line in lines if not line.startswith("#")], delimiter="\t")
    )
    assert len(rows) == 6


def test_gaps_page_and_twins(client):
    assert client.get("/alignment/gaps" + ICS_2021).status_code == 200
    body = client.get("/alignment/gaps.json" + ICS_2021).get_json()
    assert body["counts"] == {"theme": 2, "priority": 7}
    response = client.get("/alignment/gaps.csv" + ICS_2021)
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert [r["label"] for r in rows[:2]] == ["Healthy Places", "Healthy Minds"]


def test_coverage_page_and_twins(client):
    assert client.get("/alignment/coverage").status_code == 200
    rows = client.get("/alignment/coverage.json").get_json()["rows"]
    strategy = {
        r["label"]: r["priorities"]
        for r in rows
        if r["plan"] == "leicester-health-care-wellbeing-strategy-2022-27"
    }
    assert strategy == {"Best Start in Life": 4, "Staying Healthy and Well": 4,
                        "Living and Supported Well": 3, "Dying Well": 3}  # fmt: skip
    assert client.get("/alignment/coverage.csv").mimetype == "text/csv"


def test_coverage_rows_list_what_they_count(client):
    """2021 proposals 5-7 (lines 97-99) serve Best Start in Life through line 117."""
    rows = client.get("/alignment/coverage.json").get_json()["rows"]
    start = next(r for r in rows if r["label"] == "Best Start in Life" and r["plan"] == PROPOSALS)
    assert start["priority_iris"] == [str(mint("priority", PROPOSALS, n)) for n in "567"]
    assert start["action_iris"] == []
    assert [(r["line"], r["href"]) for r in start["records"]] == [
        (117, f"/sources/{PROPOSALS}#L117")
    ]
    assert all(
        (r["actions"], r["priorities"]) == (len(r["action_iris"]), len(r["priority_iris"]))
        for r in rows
    )
    table = list(
        csv.DictReader(io.StringIO(client.get("/alignment/coverage.csv").get_data(as_text=True)))
    )
    assert [r["plan"] for r in table] == [r["plan"] for r in rows]
    line = next(r for r in table if r["label"] == "Best Start in Life" and r["plan"] == PROPOSALS)
    assert line["priority_iris"].split() == start["priority_iris"]
    assert line["records"] == str(mint("mapping", PROPOSALS, "l117-1"))
    assert all(int(r["actions"]) == len(r["action_iris"].split()) for r in table)


def test_coverage_counts_open_on_their_items(client):
    html = client.get("/alignment/coverage").get_data(as_text=True)
    assert (
        "<details><summary>3</summary><ul>\n"
        f'  <li><a href="/id/priority/{PROPOSALS}/5">5 &#39;First 1001 Critical days&#39;</a></li>'
    ) in html
    assert f'<a href="/sources/{PROPOSALS}#L117">{PROPOSALS} line 117</a>' in html


def test_versions_page_and_twins(client):
    html = client.get("/alignment/versions").get_data(as_text=True)
    assert "We will make sure our children are able to Play and Learn." in html
    body = client.get("/alignment/versions.json").get_json()
    assert body["counts"] == {"kept": 13, "reworded": 4, "merged": 0, "new": 2, "dropped": 0}
    new = [c["newer"]["notation"] for c in body["changes"] if c["status"] == "new"]
    assert new == ["6", "16"]
    rows = list(
        csv.DictReader(io.StringIO(client.get("/alignment/versions.csv").get_data(as_text=True)))
    )
    assert len(rows) == 19


@pytest.mark.parametrize(
    "url",
    [
        "/alignment?from=no-such-plan",
        "/alignment.json?to=no-such-plan",
        "/alignment.svg?level=everything",
        "/alignment.sssom.tsv?from=x",
        "/alignment/gaps.csv?to=x",
        "/alignment/coverage?to=x",
        "/alignment/versions.json?from=x",
    ],
)
def test_bad_input_is_a_400_with_one_line(client, url):
    response = client.get(url)
    assert response.status_code == 400
    if response.mimetype == "text/plain":
        assert response.get_data(as_text=True).count("\n") == 1


def test_coverage_is_paged_and_its_csv_whole(client, monkeypatch):
    """A hundred rows a page (every plan's rows at 100x named 2,626 items to label); at
    five rows a page the real rows are walked page by page, and the CSV has them all."""
    whole = client.get("/alignment/coverage.json").get_json()
    assert whole["pages"] == 1 and whole["total"] == len(whole["rows"]) > 5
    monkeypatch.setattr("webapp.alignment.COVERAGE_PER_PAGE", 5)
    walked, url = [], "/alignment/coverage.json"
    while url:
        page = client.get(url).get_json()
        walked += page["rows"]
        url = page["next"]
    assert walked == whole["rows"]
    csv_rows = client.get("/alignment/coverage.csv").get_data(as_text=True).splitlines()
    assert len(csv_rows) == 1 + whole["total"]
    assert client.get("/alignment/coverage?page=99").status_code == 400
