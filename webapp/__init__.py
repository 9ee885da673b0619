"""The hwbkg workbench: a Flask application factory, blueprints by area."""

from __future__ import annotations

import importlib
from collections.abc import Mapping

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from graph import settings
from webapp import graphstore, security

# One module per area, each with a Blueprint named `bp`; add a name to add an area.
BLUEPRINTS = [
    "home", "sparql", "search", "validation", "entities", "sources", "browse", "network",
    "alignment", "audit", "evidence", "query", "queries",
]  # fmt: skip


def create_app(config: Mapping | None = None) -> Flask:
    """Build the app from the settings (graph/settings.py: defaults, then HWBKG_* variables),
    with ``config`` overriding them.

    The app serves the build that BUILD_DIR's `current` pointer names when it starts, and
    each one published after. Raises graph.store.StoreMissing when no graph has been built,
    and graph.settings.SettingsError for a bad HWBKG_* variable.
    """
    app = Flask(__name__)
    app.config.from_mapping(settings.load(config or {}))
    if app.config["TRUSTED_PROXIES"]:
        hops = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    graphstore.init_app(app)
    security.init_app(app)
    for name in BLUEPRINTS:
        app.register_blueprint(importlib.import_module(f"webapp.{name}").bp)
    return app
