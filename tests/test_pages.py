"""Every page's data twin is also reached by content negotiation at the page's own URL."""

import csv
import io

import pytest

PLAN = "leicester-jhwb-action-plan-2018-23"


@pytest.mark.parametrize(
    "url, twin",
    [
        ("/network", "/network.json"),
        (f"/network?plan={PLAN}", f"/network.json?plan={PLAN}"),
        ("/audit", "/audit.json"),
        ("/alignment", "/alignment.json"),
    ],
)
def test_accept_json_gets_the_json_twin(client, url, twin):
    response = client.get(url, headers={"Accept": "application/json"})
    assert response.mimetype == "application/json"
    assert response.get_json() == client.get(twin).get_json()


def test_accept_csv_gets_the_table(client):
    response = client.get(f"/network?plan={PLAN}", headers={"Accept": "text/csv"})
    assert response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    # 2018-23 plan: Leicester City Council leads 71 of the 76 action rows.
    assert rows[0]["label"] == "Leicester City Council" and rows[0]["led"] == "71"


def test_browsers_and_plain_clients_get_html(client):
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    for accept in (browser, "*/*"):
        assert client.get("/audit", headers={"Accept": accept}).mimetype == "text/html"


def test_a_page_without_a_table_offers_no_csv(client):
    response = client.get("/sources", headers={"Accept": "text/csv"})
    assert response.mimetype == "text/html"
