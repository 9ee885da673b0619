"""Screenshots of the real workbench for the docs (README tour, docs/analysts.md).

Serves the built graph (`make build` first) with waitress on a free port, opens each page
in Debian's Chromium through Playwright and writes docs/img/<name>.png. Run with
`make screenshots`; the pictures in the docs are whatever this last printed.
"""

from __future__ import annotations

import argparse
import os
import socket
import sys
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402
from waitress.server import create_server  # noqa: E402

from graph import settings  # noqa: E402
from webapp import create_app  # noqa: E402

CHROMIUM = os.environ.get("HWBKG_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--disable-background-networking", "--disable-component-update", "--no-first-run"]

SHOTS = {
    # name: (path, a CSS selector to wait for, what to do first)
    "home": ("/", "main", None),
    "query": (
        "/query?query=" + "SELECT%20*%20WHERE%20%7B%20%3Fs%20a%20hwb%3APlan%20%7D",
        "main",
        "run",
    ),
    "entity": ("/id/action/leicester-jhwb-action-plan-2018-23/17.3", "main", None),
    "source": ("/sources/leicester-jhwb-action-plan-2018-23#L139", "main", None),
    "network": ("/network?plan=leicester-jhwb-action-plan-2018-23", "main", None),
    "alignment": ("/alignment", "main", None),
}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def serve() -> str:
    """Start the workbench on the default build in a background thread; return its URL."""
    server = create_server(create_app(settings.load()), host="127.0.0.1", port=_free_port())
    threading.Thread(target=server.run, daemon=True).start()
    return f"http://127.0.0.1:{server.effective_port}"


def shoot(base: str, out: Path, names: list[str]) -> None:
    """Write one PNG per page name into ``out``."""
    args = ARGS + (["--no-sandbox"] if os.geteuid() == 0 else [])
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=args)
        page = browser.new_page(viewport={"width": 1280, "height": 860})
        for name in names:
            path, ready, action = SHOTS[name]
            page.goto(base + path)
            page.wait_for_selector(ready)
            if action == "run":
                page.keyboard.press("Control+Enter")
            page.wait_for_load_state("networkidle")
            page.wait_for_timeout(600)  # let the editor and the network drawing settle
            page.screenshot(path=str(out / f"{name}.png"))
            print(f"wrote {out / f'{name}.png'}")
        browser.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", default=list(SHOTS), help="pages to shoot")
    args = parser.parse_args()
    out = ROOT / "docs" / "img"
    out.mkdir(parents=True, exist_ok=True)
    shoot(serve(), out, args.names)
    return 0


if __name__ == "__main__":
    sys.exit(main())
