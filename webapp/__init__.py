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
    """Build the app. ``config`` must name BUILD_DIR (the built graph) and QUERIES_DIR.

    Raises graph.store.StoreMissing when no graph has been built.
    """
    app = Flask(__name__)
    app.config.from_mapping(QUERY_TIMEOUT=10.0, ROW_LIMIT=10_000, STORE_IN_MEMORY=True)
    if config:
        app.config.from_mapping(
            {k: Path(v) if k.endswith("_DIR") else v for k, v in config.items()}
        )
    graphstore.init_app(app)
    for name in BLUEPRINTS:
        app.register_blueprint(importlib.import_module(f"webapp.{name}").bp)
    return app
