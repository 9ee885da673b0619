"""The home page in a real browser."""


def test_home_page_lists_the_plans(page):
    page.goto("/")
    assert page.title() == "Plans · hwbkg"
    rows = page.locator("tbody tr")
    assert rows.count() >= 6
    assert page.get_by_text("Joint Health and Wellbeing Action Plan 2018-23").is_visible()
