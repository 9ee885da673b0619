"""Headers that every response carries: pages, data twins, static files, errors, /sparql.

The pages load only the app's own scripts and styles (webapp/static/, vis-network from
pyvis's package files, YASGUI and axe-core from npm, all served from this origin), so the
Content-Security-Policy refuses everything else, inline code included: an injected
``<script>`` or ``style=""`` does not run even where a page forgot to escape it.
``<script type="application/json">`` data blocks are not executed, so they need no allowance.

vis-network (network page) styles its elements through CSSOM (``element.style.x = ...``),
which ``style-src`` does not govern, and calls no ``eval``: it needs nothing. YASGUI (query
page) does not eval either, but needs three inline styles, and only the query page allows
them, each by the SHA-256 of its exact text (:data:`YASGUI_STYLES`); a nonce would not do,
as the library creates the styles itself and cannot be handed one:

- the result table's column resizer (the npm package column-resizer, inside YASR) adds a
  ``<style>`` with the grips' rules when it draws a table;
- it adds ``<style>*{cursor:col-resize!important}</style>`` while a column is dragged;
- Yasqe's tooltip on a syntax error lists the expected keywords as
  ``<strong style='text-decoration:underline'>``; a style attribute needs
  ``'unsafe-hashes'`` beside its hash, and then only an attribute whose whole text has one
  of these hashes applies: that underline, and nothing an attacker could choose.

A new YASGUI version may change these texts: tests/browser/test_csp_browser.py then fails,
and Chromium's console names the hash to put here.

/sparql keeps its CORS headers (webapp/sparql.py sets them): the endpoint is meant to be
read from other origins, and nothing here stops that. Cross-Origin-Opener-Policy concerns
windows, not fetches, and no Cross-Origin-Resource-Policy is sent.
"""

from __future__ import annotations

from flask import Flask, Response, request

POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    # data: for the one-pixel image the query editor (CodeMirror) shows when text is
    # dragged, and the icons vis-network's stylesheet embeds.
    "img-src": ["'self'", "data:"],
    "object-src": ["'none'"],
    "base-uri": ["'none'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}
"""The Content-Security-Policy of every response, by directive."""
YASGUI_STYLES = [
    "'sha256-zCK2EVMoPc04mRF/g5CotUvxbJPWS+8V0b+s9ptqQIk='",  # column-resizer's grip rules
    "'sha256-c0O6TmFAkgpNbHxKAa1BrveWHHopjEtC47i0PzMudxg='",  # *{cursor:col-resize!important}
    "'sha256-EntWS0hFrz2vH7susM+dPUxvHlL6sBswmM8K80E5oUk='",  # text-decoration:underline
]
"""The inline styles YASGUI 4 creates, by hash (see the module docstring)."""
LOOSER = {"query.page": {"style-src": ["'self'", "'unsafe-hashes'", *YASGUI_STYLES]}}
"""Pages (by endpoint) whose policy allows more, and the directives they replace."""
HEADERS = {
    "X-Content-Type-Options": "nosniff",
    # frame-ancestors 'none' is the modern form; X-Frame-Options for browsers without it.
    "X-Frame-Options": "DENY",
    # Page URLs carry what analysts typed (a search, a whole SPARQL query in /query?query=),
    # which must not reach another site in a Referer; within the workbench the referrer is
    # harmless and lets the access log show how people move between pages.
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
}
"""The other headers every response gets; docs/security.md says why, one by one."""


def init_app(app: Flask) -> None:
    """Give every response the app makes, error pages included, the headers above."""
    app.after_request(secure)


def policy(endpoint: str | None) -> str:
    """The Content-Security-Policy header value for a response of ``endpoint``."""
    directives = POLICY | LOOSER.get(endpoint or "", {})
    return "; ".join(" ".join([name, *sources]) for name, sources in directives.items())


def secure(response: Response) -> Response:
    """``response`` with the security headers (overriding any a view set) and no ``Server``
    header: a server's name and version help only whoever looks for its known flaws."""
    response.headers["Content-Security-Policy"] = policy(request.endpoint)
    response.headers.update(HEADERS)
    response.headers.pop("Server", None)
    return response
