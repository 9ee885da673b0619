"""From an entity page to the highlighted source line, and a plan page at phone width."""

from __future__ import annotations

ACTION = "/id/action/leicester-jhwb-action-plan-2018-23/1.2"
HIGHLIGHT = "rgb(255, 243, 160)"  # .line:target in templates/sources/source.html


def test_provenance_link_lands_on_the_highlighted_line(page):
    page.goto(ACTION)
    assert (
        page.title()
        == "1.2. Support initiatives to increase healthy options in fast food outlets · hwbkg"
    )
    page.get_by_role("link", name="leicester-jhwb-action-plan-2018-23.txt, line 45").click()
    page.wait_for_url("**/sources/leicester-jhwb-action-plan-2018-23#L45")
    line = page.locator("#L45")
    assert line.evaluate("el => el.matches(':target')")
    assert line.evaluate("el => getComputedStyle(el).backgroundColor") == HIGHLIGHT
    assert "Support initiatives to increase healthy options" in line.inner_text()
    assert page.locator("#L44").evaluate("el => getComputedStyle(el).backgroundColor") != HIGHLIGHT
    assert line.is_visible()


def test_plan_page_works_by_keyboard_at_phone_width(page):
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto("/plans/harborough-hw-action-plan-2022-23")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    link = page.get_by_role(
        "link", name="1.a Review policy as part of Local Plan refresh", exact=True
    )
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/id/action/harborough-hw-action-plan-2022-23/1.a")
    assert page.locator("h1").inner_text() == "1.a Review policy as part of Local Plan refresh"
