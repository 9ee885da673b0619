"""Accessibility of the main pages: axe-core finds no serious or critical issue, and a
phone-width screen (390 px) never needs sideways scrolling.

axe-core comes from npm (package.json pins it; `make setup` copies it beside YASGUI under
webapp/static/vendor/), and the page loads it from the server: the Content-Security-Policy
refuses inline scripts, injected ones too. Add a page to PAGES to check it too.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

AXE = "/static/vendor/axe-core/axe.min.js"
AXE_FILE = Path(__file__).resolve().parents[2] / "webapp" / "static" / AXE.removeprefix("/static/")
PAGES = [
    "/",
    "/search",
    "/search?q=diabetes",
    "/search?q=" + "x" * 201,
    "/validation",
    "/plans/leicester-jhwb-action-plan-2018-23",
    "/organisations/leicester-city-council",
    "/id/action/leicester-jhwb-action-plan-2018-23/12.6",
    "/def",
    "/sources",
    "/sources/harborough-hw-action-plan-2022-23",
    "/query",
    "/queries",
    "/queries/district-actions",
    "/network",
    "/network?plan=leicester-jhwb-action-plan-2018-23",
    "/alignment",
    "/alignment/gaps",
    "/alignment/coverage",
    "/alignment/versions",
    "/audit",
]
"""The main pages of every area; a new page belongs here."""
pytestmark = pytest.mark.usefixtures("validated")
SERIOUS = ("serious", "critical")
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def axe_source() -> str:
    """The axe-core script's URL, or a skip (a failure where HWBKG_REQUIRE_BROWSER is set)."""
    if not AXE_FILE.is_file():
        message = f"axe-core not installed at {AXE_FILE}: run `make setup`"
        if os.environ.get("HWBKG_REQUIRE_BROWSER"):
            pytest.fail(message)
        pytest.skip(message)
    return AXE


@pytest.mark.parametrize("url", PAGES, ids=[url[:40] for url in PAGES])
def test_no_serious_accessibility_issue(page, axe_source, url):
    page.goto(url)
    page.add_script_tag(url=axe_source)
    violations = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
    )
    serious = [
        f"{v['impact']} {v['id']}: {v['help']} at {[n['target'] for n in v['nodes'][:3]]}"
        for v in violations
        if v["impact"] in SERIOUS
    ]
    assert serious == []


@pytest.mark.parametrize("url", PAGES, ids=[url[:40] for url in PAGES])
def test_phone_width_needs_no_sideways_scrolling(browser, live_server, url):
    context = browser.new_context(base_url=live_server, viewport=PHONE)
    try:
        phone = context.new_page()
        phone.goto(url)
        width = phone.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"{url} is {width} px wide on a {PHONE['width']} px phone"
    finally:
        context.close()
