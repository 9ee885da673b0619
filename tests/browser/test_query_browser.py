"""The query page in a real browser: library query, results, CSV download, entity link."""

from pathlib import Path
from urllib.parse import parse_qs, urlparse

HARBOROUGH = "District actions with deadlines and deliverers"


def test_run_a_library_query_download_csv_and_open_an_entity(page):
    offsite = []
    page.on(
        "request",
        lambda r: (
            offsite.append(r.url) if not r.url.startswith(("http://127.0.0.1", "data:")) else None
        ),
    )
    page.goto("/query")
    assert page.locator("#editor .CodeMirror").is_visible()
    page.get_by_role("link", name=HARBOROUGH).click()
    table = page.locator("#results table.dataTable")
    table.locator("tbody tr").first.wait_for()
    assert table.get_by_text("Review policy as part of Local Plan refresh").is_visible()
    assert "hwb:area" in parse_qs(urlparse(page.url).query)["query"][0]

    with page.expect_download() as download:
        page.locator("#download-csv").click()
    lines = Path(download.value.path()).read_text(encoding="utf-8").splitlines()
    assert lines[0] == "notation,objective,action,deadline,deliverers,target"
    assert lines[1].startswith("1.a,Promote high design standards for new housing,")

    page.locator("#editor .CodeMirror").click()
    page.keyboard.press("Control+a")
    page.keyboard.type("SELECT ?d WHERE { ?d hwb:fileName ?f } ORDER BY ?f")
    page.keyboard.press("Control+Enter")
    link = page.locator("#results a.iri", has_text="harborough-hw-action-plan-2022-23")
    link.wait_for()
    assert link.get_attribute("href") == "/id/source/harborough-hw-action-plan-2022-23"
    assert link.get_attribute("target") == "_self"
    with page.expect_navigation():
        link.click()
    assert urlparse(page.url).path == "/id/source/harborough-hw-action-plan-2022-23"
    assert page.locator("h1").count() == 1
    assert offsite == []
