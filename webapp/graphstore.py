"""The app's one handle on the built graph, opened once at start-up (read-only)."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
from flask import Flask, current_app

from graph import builds, store


def init_app(app: Flask) -> None:
    """Resolve the build BUILD_DIR's pointer names, once, and open its Oxigraph store (in
    memory unless STORE_IN_MEMORY is false: see graph.store.open_store). Everything the app
    reads of the graph comes from that one build folder (:func:`get_build`), even after a
    rebuild moves the pointer. Raises graph.store.StoreMissing when nothing is built."""
    build = builds.current(Path(app.config["BUILD_DIR"]))
    app.extensions["hwbkg.build"] = build
    app.extensions["hwbkg.store"] = store.open_store(
        build.path, in_memory=app.config["STORE_IN_MEMORY"]
    )


def get_build(app: Flask | None = None) -> builds.Build:
    """The build the app serves (``app`` where there is no app context yet)."""
    return (app or current_app).extensions["hwbkg.build"]


def get_store() -> ox.Store:
    """The read-only store of the running app."""
    return current_app.extensions["hwbkg.store"]
