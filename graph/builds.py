"""Each build in a folder of its own, and one pointer to the build being served.

::

    <root>/builds/<id>/   hwbkg.nq, oxigraph/, load-report.json, shacl-report.ttl, summary.json,
                          sources/ (the documents as the loaders read them),
                          digests/ (what pages read instead of computing: graph/digests.py),
                          search.sqlite (the full-text index: graph/search_index.py)
    <root>/current        a relative symbolic link to builds/<id>

A build is written completely in ``builds/<id>.partial``, renamed into place, and only then
is the pointer replaced, by renaming a new link over the old one (a rename is atomic). A
reader that resolves the pointer once (:func:`current`) and keeps the concrete folder sees
one whole build, the old one or the new one, never a mix. A published folder is never
written again; a failed build removes its staging folder and leaves the pointer alone.

The last :data:`KEEP` builds stay on disk, so a server still reading the previous build
keeps its files until it switches, and going back is a matter of pointing ``current`` at
an older folder.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import os
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from graph.store import StoreMissing

BUILDS_DIR = "builds"
POINTER = "current"
PARTIAL = ".partial"
SUMMARY_FILE = "summary.json"
SOURCES_DIR = "sources"
"""The source documents as the loaders read them, so pages quote them from the build."""
LOCK_FILE = ".lock"
KEEP = 3


@dataclass(frozen=True)
class Build:
    """One published build: its id and its concrete folder (never the pointer)."""

    id: str
    path: Path

    @property
    def sources(self) -> Path:
        """The folder of the source files this build read (by file name)."""
        return self.path / SOURCES_DIR

    def summary(self) -> dict:
        """The build's summary.json: id, time, quad counts, the sources it read."""
        return json.loads((self.path / SUMMARY_FILE).read_text(encoding="utf-8"))


def current(root: Path) -> Build:
    """The build ``root/current`` names, resolved once. Raises StoreMissing if there is none."""
    try:
        path = (Path(root) / POINTER).resolve(strict=True)
    except (OSError, RuntimeError):  # missing or dangling link; RuntimeError: a link loop
        path = None
    if path is None or not path.is_dir():
        raise StoreMissing(f"no graph built in {root}: run `hwbkg build` first")
    return Build(path.name, path)


def new_id(digest: str, built_at: dt.datetime) -> str:
    """``20261203T124100Z-<first 10 hex of the N-Quads' SHA-256 hex digest>``: ids sort by
    build time, and two builds of the same second differ unless their graphs are the same."""
    return f"{built_at:%Y%m%dT%H%M%SZ}-{digest[:10]}"


def publish(root: Path, build_id: str, write: Callable[[Path], None]) -> Build:
    """Stage a build with ``write(folder)``, move it into place and point ``current`` at it.

    ``write`` must leave the folder complete. If it raises, the staging folder is removed
    and ``current`` is untouched. Builds are published one at a time (a lock file in
    ``root``), so a staging folder found under the lock was left by a build that died and
    is removed. Afterwards only the newest KEEP builds remain, and never is the one
    ``current`` names deleted.
    """
    folder = Path(root) / BUILDS_DIR
    folder.mkdir(parents=True, exist_ok=True)
    with _locked(Path(root)):
        for stale in folder.glob("*" + PARTIAL):
            shutil.rmtree(stale)
        staging, final = folder / (build_id + PARTIAL), folder / build_id
        staging.mkdir()
        try:
            write(staging)
            if final.exists():  # same second, same graph: the same build, already there
                shutil.rmtree(staging)
            else:
                staging.rename(final)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        _point(Path(root), build_id)
        _prune(folder, keep=build_id)
    return Build(build_id, final.resolve())


@contextmanager
def _locked(root: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``root`` (released when the process ends, however it ends)."""
    with open(root / LOCK_FILE, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield


def _point(root: Path, build_id: str) -> None:
    """Replace the pointer atomically: a new relative link renamed over the old one."""
    link = root / (POINTER + ".new")
    link.unlink(missing_ok=True)
    os.symlink(Path(BUILDS_DIR) / build_id, link)
    os.replace(link, root / POINTER)


def _prune(folder: Path, keep: str) -> None:
    """Delete all but the newest KEEP builds (ids sort by time), sparing ``keep``."""
    published = sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.endswith(PARTIAL))
    for old in published[:-KEEP]:
        if old.name != keep:
            shutil.rmtree(old)
