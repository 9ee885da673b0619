"""A real browser (Debian's Chromium driven by Playwright) against a live server.

Playwright cannot download browsers here, so Debian's /usr/bin/chromium is launched
directly. Without it the browser tests skip with a reason, except where
HWBKG_REQUIRE_BROWSER is set (CI sets it): there a missing browser is a failure.
"""

from __future__ import annotations

import os
import shutil
import socket
import threading

import pytest
from waitress.server import create_server

CHROMIUM = os.environ.get("HWBKG_CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-gpu",
]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def live_server(app):
    """The test app served by waitress on a free port; yields its base URL."""
    server = create_server(app, host="127.0.0.1", port=_free_port(), threads=4)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.effective_port}"
    server.close()


@pytest.fixture(scope="session")
def validated(app):
    """Validate before the browser asks: the first page needing the report would otherwise
    wait the ten seconds of SHACL under the browser's time limit (the test build folder has
    no saved report)."""
    from webapp import validation

    with app.app_context():
        validation.get_report()


@pytest.fixture(scope="session")
def browser():
    """Chromium through Playwright, or a skip (a failure when HWBKG_REQUIRE_BROWSER is set)."""
    if not shutil.which(CHROMIUM):
        message = f"Chromium not found at {CHROMIUM}: browser tests need Debian's chromium"
        if os.environ.get("HWBKG_REQUIRE_BROWSER"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    args = ARGS + (["--no-sandbox"] if os.geteuid() == 0 else [])
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=args)
        yield launched
        launched.close()


@pytest.fixture()
def page(browser, live_server):
    """A fresh page whose relative URLs resolve against the live server."""
    context = browser.new_context(base_url=live_server, viewport={"width": 1280, "height": 900})
    opened = context.new_page()
    yield opened
    context.close()
