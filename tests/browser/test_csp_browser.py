"""The Content-Security-Policy in a real browser: every main page, the query editor and the
network drawing work under it, and Chromium reports no violation.

A violation is counted twice over: the ``securitypolicyviolation`` events the page fires
(listened for by a script Playwright adds before any of the page's own) and Chromium's
console errors naming the policy. The first test proves the listener hears a refusal.
"""

from __future__ import annotations

import pytest
from test_accessibility import PAGES
from test_network_browser import DRAWN, LCC, NODE_ON_SCREEN

pytestmark = pytest.mark.usefixtures("validated")

LISTEN = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => window.cspViolations.push(
  `${e.violatedDirective} refused ${e.blockedURI} at ${e.sourceFile}:${e.lineNumber}`));
"""
UNDERLINE = """() => {
  const expected = document.querySelector(".yasqe_tooltip strong");
  return expected && expected.isConnected && getComputedStyle(expected).textDecorationLine;
}"""


class Watched:
    """A page whose policy violations are recorded, from events and from the console."""

    def __init__(self, page):
        self.page = page
        self.console: list[str] = []
        page.on("console", self._console)

    def _console(self, message) -> None:
        if message.type == "error" and "Content Security Policy" in message.text:
            self.console.append(message.text)

    def violations(self) -> list[str]:
        return self.page.evaluate("window.cspViolations") + self.console


@pytest.fixture()
def watched(browser, live_server):
    context = browser.new_context(base_url=live_server, viewport={"width": 1280, "height": 900})
    context.add_init_script(LISTEN)
    yield Watched(context.new_page())
    context.close()


def test_an_injected_inline_script_is_refused_and_heard(watched):
    watched.page.goto("/")
    ran = watched.page.evaluate("""() => {
      const script = document.createElement("script");
      script.textContent = "window.injected = true";
      document.head.appendChild(script);
      return window.injected === true;
    }""")
    assert ran is False
    watched.page.wait_for_function("window.cspViolations.length > 0")
    assert watched.violations()[0].startswith("script-src-elem refused inline")


@pytest.mark.parametrize("url", PAGES, ids=[url[:40] for url in PAGES])
def test_no_main_page_breaks_the_policy(watched, url):
    watched.page.goto(url, wait_until="networkidle")
    assert watched.violations() == []


def test_query_editor_runs_completes_and_explains_errors_under_the_policy(watched):
    page = watched.page
    page.goto("/query")
    editor = page.locator("#editor .CodeMirror")
    editor.click()
    page.keyboard.press("Control+Enter")
    rows = page.locator("#results table.dataTable tbody tr")
    rows.first.wait_for()
    assert rows.count() > 1
    # column-resizer's grip rules (allowed by hash) position the grips relatively.
    grips = page.locator(".grip-container")
    assert grips.evaluate("el => getComputedStyle(el).position") == "relative"
    handle = page.locator(".grip-handle .grip-resizable").first.bounding_box()
    page.mouse.move(handle["x"] + 5, handle["y"] + 5)
    page.mouse.down()
    page.mouse.move(handle["x"] + 60, handle["y"] + 5, steps=4)
    page.mouse.up()
    page.locator(".yasr .select_response").click()
    page.locator(".yasr .select_table").click()

    editor.click()
    page.keyboard.press("Control+a")
    page.keyboard.type("SELECT * WHERE { ?s a hwb:Pla")
    page.keyboard.press("Control+Space")
    page.locator(".CodeMirror-hints li", has_text="hwb:Plan").wait_for()
    page.keyboard.press("Escape")

    page.keyboard.press("Control+a")
    page.keyboard.type("SELEC ?s")
    page.locator(".parseErrorIcon").hover()
    # The tooltip lists the keywords expected, each underlined by a style attribute.
    underline = page.wait_for_function(UNDERLINE).json_value()
    assert underline == "underline"
    assert watched.violations() == []


def test_network_drawing_and_its_tooltips_work_under_the_policy(watched):
    page = watched.page
    page.goto("/network")
    page.wait_for_function(DRAWN)
    assert page.locator("#network canvas").count() == 1
    page.locator("#network").scroll_into_view_if_needed()
    point = page.evaluate(NODE_ON_SCREEN, LCC)
    page.mouse.move(point["x"], point["y"])
    tooltip = page.locator(".vis-tooltip")
    tooltip.wait_for()
    assert tooltip.inner_text().startswith("Leicester City Council")
    assert watched.violations() == []
