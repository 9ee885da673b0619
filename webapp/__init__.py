"""The hwbkg workbench: a Flask application factory, blueprints by area."""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from pathlib import Path

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from webapp import graphstore, security

# One module per area, each with a Blueprint named `bp`; add a name to add an area.
BLUEPRINTS = [
    "home", "sparql", "search", "validation", "entities", "sources", "browse", "network",
    "alignment", "audit", "evidence", "query", "queries",
]  # fmt: skip


SETTINGS = {
    "QUERY_TIMEOUT": 10.0,  # seconds a SPARQL query may run, parsing included
    "ROW_LIMIT": 10_000,  # rows (or triples) a result keeps; the body says when it was cut
    "QUERY_WORKERS": 2,  # worker processes running users' queries at once
    "QUERY_QUEUE": 16,  # queries that may wait for a worker; more get 503 + Retry-After
    "QUERY_MEMORY_MB": 1024,  # memory a worker may take beyond its copy of the store
    "QUERY_MAX_LENGTH": 100_000,  # characters in a query
    "QUERY_MAX_NESTING": 64,  # levels of ( { [ in a query
    "MAX_CONTENT_LENGTH": 1_000_000,  # bytes in a request body (Flask's own setting)
    "PAGE_THREADS": 8,  # server threads kept for pages beyond those queries can hold
    "STORE_IN_MEMORY_UP_TO": 100_000,  # quads: a build no bigger is served from a memory copy
    "BUILD_POLL_SECONDS": 2.0,  # how often `hwbkg serve` looks for a new build (0: never)
    "TRUSTED_PROXIES": 0,  # reverse proxies in front whose X-Forwarded-* headers are believed
}
"""Every setting with its default; a config mapping given to create_app overrides them."""


def create_app(config: Mapping | None = None) -> Flask:
    """Build the app from ``config`` (graph.cli.default_config gives every path).

    Paths: BUILD_DIR (the builds: the app serves the one its `current` pointer names when it
    starts), QUERIES_DIR (the query library), SHAPES_DIR (for a validation report made before
    the shapes last changed).
    Settings: see :data:`SETTINGS` (docs/security.md explains each).
    Raises graph.store.StoreMissing when no graph has been built.
    """
    app = Flask(__name__)
    app.config.from_mapping(SETTINGS)
    if config:
        app.config.from_mapping(
            {k: Path(v) if k.endswith("_DIR") else v for k, v in config.items()}
        )
    if app.config["TRUSTED_PROXIES"]:
        hops = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    graphstore.init_app(app)
    security.init_app(app)
    for name in BLUEPRINTS:
        app.register_blueprint(importlib.import_module(f"webapp.{name}").bp)
    return app
