"""The app's one handle on the built graph, opened once at start-up (read-only)."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
from flask import Flask, current_app

from graph import store


def init_app(app: Flask) -> None:
    """Open the Oxigraph store under BUILD_DIR and keep it on the app (in memory unless
    STORE_IN_MEMORY is false: see graph.store.open_store)."""
    app.extensions["hwbkg.store"] = store.open_store(
        Path(app.config["BUILD_DIR"]), in_memory=app.config["STORE_IN_MEMORY"]
    )


def get_store() -> ox.Store:
    """The read-only store of the running app."""
    return current_app.extensions["hwbkg.store"]
