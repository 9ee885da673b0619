"""The alignment page in a real browser: choose two plans, follow a stated cell to its line."""

from __future__ import annotations

import re


def test_pick_two_plans_and_follow_a_stated_cell(page):
    page.goto("/alignment")
    page.select_option("select[name=from]", "leicester-jhws-refresh-proposed-priorities-2021")
    page.select_option("select[name=to]", "llr-ics-priorities")
    page.select_option("select[name=level]", "theme")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url(re.compile(r"to=llr-ics-priorities"))
    assert page.locator("svg rect").count() == 5 * 4 + 7
    row = page.locator("table.alignment-words tr", has_text="Healthy Places")
    row.locator("a.stated").first.click()
    page.wait_for_url(re.compile(r"#L115$"))
    assert page.url.endswith("/sources/leicester-jhws-refresh-proposed-priorities-2021#L115")
    line = page.locator("[id='L115']")
    assert "Healthy Places\tNo ICS equivalent" in line.locator("pre").inner_text()
