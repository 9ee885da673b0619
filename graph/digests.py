"""Analyses computed once per build and kept in its folder, so that pages read them.

A page whose work grows with the whole graph (partner-network metrics, alignment data, the
home page's counts) must not redo it on every request, nor in every web process at
start-up. Its computation is registered here with :func:`digest`; `hwbkg build` runs each
over the staged store and writes ``<build>/digests/<name>.json`` (:func:`write`), and
the workbench reads that file once per build (``webapp.graphstore.digest``). A build made
before a digest existed gets it computed on first use instead, never written: a published
build folder is never written again (graph/builds.py).

A digest is plain JSON (what the computation returns), so any process, on any host that
has the build folder, reads the same thing; the module that registers it converts it back
into its own types.
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox

DIGESTS_DIR = "digests"
MODULES = (
    "graph.alignment_queries",
    "graph.listings",
    "graph.network_digest",
    "graph.organisation_roles",
)
"""Modules that register digests, imported before the registry is read."""

_REGISTRY: dict[str, Callable[[ox.Store], object]] = {}
_READS_FOLDER: set[str] = set()
"""Digests computed from the build's files as well as its store (its SHACL report)."""


class UnknownDigest(LookupError):
    """No digest is registered under that name (a programming error, not a user's)."""


def digest(name: str, reads_folder: bool = False) -> Callable[[Callable], Callable]:
    """Register ``compute(store) -> JSON-able data`` as the digest called ``name``; with
    ``reads_folder``, ``compute(store, folder)``, for what the build wrote beside the store
    (``hwbkg build`` computes digests after every other file is written)."""

    def register(compute: Callable) -> Callable:
        _REGISTRY[name] = compute
        if reads_folder:
            _READS_FOLDER.add(name)
        return compute

    return register


def registry() -> dict[str, Callable[[ox.Store], object]]:
    """Every registered digest by name (the registering modules imported first)."""
    for module in MODULES:
        importlib.import_module(module)
    return dict(_REGISTRY)


def names() -> list[str]:
    """Every registered digest's name, in name order."""
    return sorted(registry())


def write(name: str, store: ox.Store, folder: Path) -> None:
    """Compute the digest ``name`` over ``store`` into ``folder``/digests/``name``.json.

    ``folder`` is a build being staged (graph.builds.publish). Raises UnknownDigest.
    """
    compute = registry().get(name)
    if compute is None:
        raise UnknownDigest(f"no digest called {name!r}")
    target = folder / DIGESTS_DIR
    target.mkdir(exist_ok=True)
    data = json.dumps(_run(name, compute, store, folder), ensure_ascii=False, separators=(",", ":"))
    (target / f"{name}.json").write_text(data, encoding="utf-8")


def read(folder: Path, name: str, store: ox.Store) -> object:
    """The digest ``name`` of the build in ``folder``, computed over ``store`` if the build
    has none (it was made before the digest existed). Raises UnknownDigest."""
    compute = registry().get(name)
    if compute is None:
        raise UnknownDigest(f"no digest called {name!r}")
    path = folder / DIGESTS_DIR / f"{name}.json"
    if path.is_file():
        return json.loads(path.read_text(encoding="utf-8"))
    return json.loads(json.dumps(_run(name, compute, store, folder)))  # tuples become lists


def _run(name: str, compute: Callable, store: ox.Store, folder: Path) -> object:
    return compute(store, folder) if name in _READS_FOLDER else compute(store)
