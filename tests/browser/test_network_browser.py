"""The partner network page in a real browser: drawn, filtered, and a node opens its page."""

from __future__ import annotations

import re

PLAN = "leicester-jhwb-action-plan-2018-23"
LCC = "https://w3id.org/hwbkg/id/org/leicester-city-council"

DRAWN = "() => window.hwbkgNetwork && window.hwbkgNetwork.nodes.length > 0"
NODE_ON_SCREEN = """(id) => {
  const drawn = window.hwbkgNetwork.network;
  drawn.stopSimulation();
  const at = drawn.canvasToDOM(drawn.getPositions([id])[id]);
  const box = document.getElementById("network").getBoundingClientRect();
  return { x: box.left + at.x, y: box.top + at.y };
}"""


def node_count(page) -> int:
    page.wait_for_function(DRAWN)
    return page.evaluate("window.hwbkgNetwork.nodes.length")


def test_network_is_drawn_from_local_files_only(page, live_server):
    outside = []
    page.on("request", lambda r: None if r.url.startswith(live_server) else outside.append(r.url))
    page.goto("/network")
    assert node_count(page) == 55
    assert page.locator("#network canvas").count() == 1
    assert outside == []


def test_filtering_by_plan_changes_the_nodes(page):
    page.goto("/network")
    assert node_count(page) == 55
    page.locator("select[name=plan]").select_option(PLAN)
    page.get_by_role("button", name="Show").click()
    page.wait_for_url(re.compile(rf"plan={PLAN}"))
    assert node_count(page) == 16
    ids = page.evaluate("window.hwbkgNetwork.nodes.getIds()")
    assert LCC in ids and "https://w3id.org/hwbkg/id/org/everyone-active" not in ids


def test_clicking_a_node_opens_the_organisation_page(page):
    page.goto(f"/network?plan={PLAN}")
    node_count(page)
    page.locator("#network").scroll_into_view_if_needed()
    point = page.evaluate(NODE_ON_SCREEN, LCC)
    page.mouse.click(point["x"], point["y"])
    page.wait_for_url(re.compile(r"/organisations/leicester-city-council$"))
