"""The hwbkg workbench: a Flask application factory, blueprints by area."""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from pathlib import Path

from flask import Flask

from webapp import graphstore

# One module per area, each with a Blueprint named `bp`; add a name to add an area.
BLUEPRINTS = [
    "home", "sparql", "search", "validation", "entities", "sources", "browse", "network",
    "alignment", "audit", "evidence", "query", "queries",
]  # fmt: skip


def create_app(config: Mapping | None = None) -> Flask:
    """Build the app from ``config`` (graph.cli.default_config gives every path).

    Paths: BUILD_DIR (the built graph), QUERIES_DIR (the query library), SHAPES_DIR (for a
    validation report not saved at build time), MANIFEST (the source documents shown by the
    source viewer). Settings, with defaults: QUERY_TIMEOUT (10 s per SPARQL query), ROW_LIMIT
    (10,000 rows), QUERY_WORKERS (2 processes), STORE_IN_MEMORY (True: serve a copy of the
    store in memory). Raises graph.store.StoreMissing when no graph has been built.
    """
    app = Flask(__name__)
    app.config.from_mapping(
        QUERY_TIMEOUT=10.0, ROW_LIMIT=10_000, QUERY_WORKERS=2, STORE_IN_MEMORY=True
    )
    if config:
        app.config.from_mapping(
            {k: Path(v) if k.endswith("_DIR") else v for k, v in config.items()}
        )
    graphstore.init_app(app)
    for name in BLUEPRINTS:
        app.register_blueprint(importlib.import_module(f"webapp.{name}").bp)
    return app
