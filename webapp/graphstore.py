"""The build the app serves, and everything derived from it, switched as one.

A :class:`Snapshot` holds one build: its store (an in-memory copy if the build has at most
STORE_IN_MEMORY_UP_TO quads, else read from disk; with STORE = "server", the build on a SPARQL
server, graph.remote), the pool of query workers over that same build (for a server, a gate
that forwards policed queries to it), and what pages derive from it (the editor vocabulary,
a search index connection), computed once per build; what is too costly for that is computed
by the build itself and read from its folder (:func:`digest`).

Each request pins the snapshot current when it starts (on ``flask.g``), so a page never
mixes two builds, and says which build answered in the ``X-Hwbkg-Build`` header. When
``hwbkg build`` publishes a new build, :func:`refresh` opens a complete snapshot beside the
old one (store copied, workers started, derived data computed) and swaps it in with one
assignment: readers see the old build or the new one, never both, and a build that fails
to open leaves the old one serving. The old build's workers stop when its last reader is
done. ``hwbkg serve`` calls it every BUILD_POLL_SECONDS.

With a SPARQL server, the build served is the one the server's pointer names
(graph.server_builds), so every process and host serving that store finds the same build id
and keys its caches by it: the web tier keeps no state of its own.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from flask import Flask, Response, current_app, g

from graph import builds, digests, pool, remote, sandbox, server, server_builds, store
from webapp.replies import Replies

BUILD_HEADER = "X-Hwbkg-Build"
WARMUPS: list[Callable[[], object]] = []
"""What a new snapshot computes before it is swapped in (see :func:`warmup`)."""


@dataclass(eq=False)
class Snapshot:
    """One build as the app serves it, and how many requests are reading it now."""

    build: builds.Build
    store: ox.Store
    pool: pool.QueryPool
    replies: Replies
    derived: dict = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)
    readers: int = 0
    retired: bool = False
    _count: threading.Lock = field(default_factory=threading.Lock)

    def enter(self) -> bool:
        """Count one more reader; False if this snapshot has been retired meanwhile."""
        with self._count:
            if self.retired:
                return False
            self.readers += 1
            return True

    def leave(self) -> None:
        """Count one reader fewer; the last reader of a retired snapshot stops its workers."""
        with self._count:
            self.readers -= 1
            last = self.retired and not self.readers
        if last:
            self.pool.close()

    def retire(self) -> None:
        """Take no new readers; stop the workers once the current readers are done."""
        with self._count:
            self.retired = True
            idle = not self.readers
        if idle:
            self.pool.close()


def init_app(app: Flask) -> None:
    """Open the current build under BUILD_DIR and pin it to each request.

    Raises graph.store.StoreMissing when nothing has been built.
    """
    if app.config["STORE"] == "server":
        app.extensions["hwbkg.server"] = server.Server(app.config)
    app.extensions["hwbkg.snapshot"] = _open(app, _latest(app))
    app.extensions["hwbkg.refresh"] = threading.Lock()
    app.before_request(_pin)
    app.after_request(_stamp)
    app.teardown_request(_unpin)


def warmup(compute: Callable[[], object]) -> Callable[[], object]:
    """Register ``compute`` (a function of the pinned snapshot, such as the editor vocabulary)
    to run on a new snapshot before it is swapped in, so no request waits for it."""
    WARMUPS.append(compute)
    return compute


def snapshot() -> Snapshot:
    """The snapshot this request pinned, or the current one outside a request."""
    return g.get("hwbkg_snapshot") or snapshot_of(current_app)


def get_store() -> ox.Store:
    """The read-only store of the build this request is served from."""
    return snapshot().store


def get_pool() -> pool.QueryPool:
    """The query workers over the build this request is served from."""
    return snapshot().pool


def derived(name: str, compute: Callable[[], object]):
    """``compute()`` for this request's build, computed once per build and kept."""
    pinned = snapshot()
    with pinned.lock:
        if name not in pinned.derived:
            pinned.derived[name] = compute()
        return pinned.derived[name]


def digest(name: str, into: Callable[[object], object] | None = None):
    """The digest ``name`` of this request's build (graph/digests.py), read once per build;
    ``into`` converts its JSON into the reader's own types, once, and only that is kept."""
    pinned = snapshot()

    def read() -> object:
        found = digests.read(pinned.build.path, name, pinned.store)
        return into(found) if into else found

    return derived(f"digest-{name}", read)


def refresh(app: Flask) -> bool:
    """Swap in the build ``hwbkg build`` last published, if it is new; True if swapped.

    The new snapshot is complete before the swap; a build that cannot be opened is logged
    and the old one keeps serving. Only one refresh runs at a time.
    """
    with app.extensions["hwbkg.refresh"]:
        old = snapshot_of(app)
        try:
            latest = _latest(app)
        except (store.StoreMissing, *server.TROUBLE) as error:
            app.logger.warning("no new build looked for: %s", error)
            return False
        if latest.id == old.build.id:
            return False
        try:
            new = _open(app, latest)
            new.pool.warm(wait=True)
            warm(app, new)
        except Exception as error:  # whatever broke (store, workers, a warm-up), keep serving
            app.logger.error("build %s not served: %s", latest.id, error)
            return False
        app.extensions["hwbkg.snapshot"] = new
        old.retire()
        app.logger.info("serving build %s (was %s)", latest.id, old.build.id)
        return True


def warm(app: Flask, pinned: Snapshot | None = None) -> None:
    """Compute what pages derive from ``pinned`` (the current snapshot by default) now,
    so that no request waits for it (see :func:`warmup`)."""
    target = pinned or snapshot_of(app)
    with app.test_request_context():  # warm-ups build URLs, as pages do
        if target.enter():  # counted as a reader: the context's teardown counts it out
            g.hwbkg_snapshot = target
            for compute in WARMUPS:
                compute()


def watch(app: Flask) -> None:
    """Refresh every BUILD_POLL_SECONDS in a background thread, for as long as the server
    runs (0 turns it off)."""
    interval = app.config["BUILD_POLL_SECONDS"]
    if not interval:
        return

    def poll() -> None:
        while True:
            time.sleep(interval)
            refresh(app)

    threading.Thread(target=poll, daemon=True, name="hwbkg-build-watch").start()


def snapshot_of(app: Flask) -> Snapshot:
    """The snapshot ``app`` serves now (outside any request)."""
    return app.extensions["hwbkg.snapshot"]


def close(app: Flask) -> None:
    """Stop the current snapshot's query workers (tests and benchmarks end with this)."""
    snapshot_of(app).pool.close()
    if "hwbkg.server" in app.extensions:
        app.extensions["hwbkg.server"].close()


def _latest(app: Flask) -> builds.Build:
    """The build to serve: the one `current` names under BUILD_DIR or, with a SPARQL
    server, the one its pointer names (its folder under BUILD_DIR, where it was built,
    holds its reports and sources). Raises graph.store.StoreMissing when there is none."""
    root = Path(app.config["BUILD_DIR"])
    if "hwbkg.server" not in app.extensions:
        return builds.current(root)
    found = server_builds.served(app.extensions["hwbkg.server"])
    if found is None:
        raise store.StoreMissing(f"no build loaded into the SPARQL server at "
                                 f"{app.config['SERVER_QUERY_URL']}: run `hwbkg build` with "
                                 'STORE = "server"')  # fmt: skip
    return builds.Build(found.id, root / builds.BUILDS_DIR / found.id)


def _open(app: Flask, build: builds.Build) -> Snapshot:
    """A snapshot of ``build``: the store opened (copied into memory if small enough) and a
    pool of workers over the same folder, not yet started.

    The copy costs every process start-up time and memory in proportion to the graph
    (docs/benchmarks.md, "Serving a big build"): a bigger build is read from disk, whose
    page cache the processes share.
    """
    config = app.config
    limits = sandbox.Limits(
        timeout=config["QUERY_TIMEOUT"],
        rows=config["ROW_LIMIT"],
        memory_mb=config["QUERY_MEMORY_MB"],
        max_length=config["QUERY_MAX_LENGTH"],
        max_nesting=config["QUERY_MAX_NESTING"],
    )
    if "hwbkg.server" in app.extensions:
        graph = _remote_store(app.extensions["hwbkg.server"], build.id)
        workers = pool.ForwardingPool(graph, limits, config["QUERY_WORKERS"], config["QUERY_QUEUE"])
        return Snapshot(build, graph, workers, _replies(config))
    in_memory = build.summary()["quads"] <= config["STORE_IN_MEMORY_UP_TO"]
    workers = pool.QueryPool(
        build.path,
        limits,
        config["QUERY_WORKERS"],
        config["QUERY_QUEUE"],
        in_memory,
    )
    return Snapshot(build, store.open_store(build.path, in_memory), workers, _replies(config))


def _replies(config) -> Replies:
    return Replies(int(config["RESULT_CACHE_MB"] * 2**20))


def _remote_store(on: server.Server, build_id: str) -> remote.RemoteStore:
    """Build ``build_id`` on the server, as pages query it. Raises StoreMissing if the
    server no longer holds it."""
    for found in server_builds.registered(on):
        if found.id == build_id:
            return remote.RemoteStore(on, build_id, found.graphs)
    raise store.StoreMissing(f"build {build_id} is no longer on the SPARQL server")


def _pin() -> None:
    """Pin the current snapshot for this request (the one swapped in, if a swap raced)."""
    while True:
        current = snapshot_of(current_app)
        if current.enter():
            g.hwbkg_snapshot = current
            return


def _unpin(_error: BaseException | None) -> None:
    pinned = g.pop("hwbkg_snapshot", None)
    if pinned is not None:
        pinned.leave()


def _stamp(response: Response) -> Response:
    response.headers[BUILD_HEADER] = snapshot().build.id
    return response
