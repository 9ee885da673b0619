"""Every setting of hwbkg in one place: its default, its meaning, and how to change it.

Paths say where the inputs and the builds are; limits say what the served workbench allows
(docs/security.md explains each). A setting is taken, last one winning, from:

1. the defaults below;
2. the environment, as ``HWBKG_<NAME>`` (``HWBKG_QUERY_TIMEOUT=5``), for a process started by
   a service manager or a container;
3. a TOML file of settings (``hwbkg serve --settings hwbkg.toml``);
4. the command line's options (``--build-dir``).

So ``webapp.create_app()`` works with no arguments, as flaskr's does, and the command line
and the workbench read one set of names.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ENVIRONMENT_PREFIX = "HWBKG_"

PATHS = {
    "MANIFEST": ROOT / "data" / "sources" / "sources.toml",  # the sources to read
    "CURATED_DIR": ROOT / "data" / "curated",  # organisations, ICS priorities, mappings
    "ONTOLOGY": ROOT / "ontology" / "hwbkg.ttl",
    "SHAPES_DIR": ROOT / "shapes",  # SHACL shapes
    "QUERIES_DIR": ROOT / "queries",  # the query library
    "BUILD_DIR": ROOT / "build",  # builds/<id>/ and the `current` pointer
}
LIMITS = {
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
    "RESULT_CACHE_MB": 64,  # replies to library queries kept per build (webapp/replies.py)
    "BUILD_POLL_SECONDS": 2.0,  # how often `hwbkg serve` looks for a new build (0: never)
    "TRUSTED_PROXIES": 0,  # reverse proxies in front whose X-Forwarded-* headers are believed
}
STORE = {
    "STORE": "oxigraph",  # "oxigraph": embedded, in each build folder; "server": SERVER_* below
    "SERVER_QUERY_URL": "http://127.0.0.1:8890/sparql",  # SPARQL 1.1 Protocol endpoint
    "SERVER_UPDATE_URL": "http://127.0.0.1:8890/sparql-auth",  # SPARQL 1.1 Update endpoint
    "SERVER_GRAPH_STORE_URL": "http://127.0.0.1:8890/sparql-graph-crud-auth",  # Graph Store
    "SERVER_TIMEOUT": 60.0,  # seconds a page's query, or one load request, may take
}
"""Where the graph is served from (docs/deploy.md). The server's credentials are no setting:
they come from HWBKG_SERVER_USER and HWBKG_SERVER_PASSWORD only (graph/server.py)."""
STORES = ("oxigraph", "server")
DEFAULTS = {**PATHS, **LIMITS, **STORE}


class SettingsError(ValueError):
    """A setting that cannot be used: the message names it and says why, in one line."""


def load(*overrides: Mapping, environ: Mapping[str, str] = os.environ) -> dict:
    """The defaults, then ``HWBKG_*`` variables of ``environ``, then each mapping of
    ``overrides`` in turn. Values of path settings become Paths.

    Raises SettingsError for an environment value of the wrong kind, or an unknown STORE.
    Overrides may carry Flask's own keys (TESTING) beside the settings.
    """
    merged = {**DEFAULTS, **from_environment(environ)}
    for override in overrides:
        merged.update(override)
    if merged["STORE"] not in STORES:
        raise SettingsError(f"STORE is {merged['STORE']!r}; choose one of {', '.join(STORES)}")
    return {name: Path(v) if name in PATHS else v for name, v in merged.items()}


def from_options(options: object) -> dict:
    """The path settings given as command-line options (``--build-dir`` is BUILD_DIR)."""
    given = {name: getattr(options, name.lower(), None) for name in PATHS}
    return {name: value for name, value in given.items() if value is not None}


def from_environment(environ: Mapping[str, str]) -> dict:
    """The settings given as ``HWBKG_<NAME>`` variables, as values of their default's type."""
    found = {}
    for name, default in DEFAULTS.items():
        text = environ.get(ENVIRONMENT_PREFIX + name)
        if text is not None:
            found[name] = _typed(name, text, default)
    return found


def read_toml(path: Path) -> dict:
    """The settings in a TOML file whose keys are names of :data:`DEFAULTS`.

    Raises SettingsError for a missing or malformed file, or a key that is not a setting.
    """
    try:
        found = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise SettingsError(f"settings file {path}: {error.strerror}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise SettingsError(f"settings file {path}: not valid TOML ({error})") from None
    unknown = sorted(set(found) - set(DEFAULTS))
    if unknown:
        raise SettingsError(f"settings file {path}: {', '.join(unknown)} is not a setting; "
                            f"the settings are {', '.join(DEFAULTS)}")  # fmt: skip
    return found


def _typed(name: str, text: str, default: object) -> object:
    """``text`` read as the type of ``default``; SettingsError if it is not one."""
    if isinstance(default, Path):
        return Path(text)
    kind = type(default)
    try:
        return kind(text)
    except ValueError:
        raise SettingsError(
            f"{ENVIRONMENT_PREFIX}{name}={text!r} is not {'an' if kind is int else 'a'} "
            f"{'integer' if kind is int else 'number'}"
        ) from None
