"""Writing a staged build into its folder, on every core.

A build's folder holds its N-Quads, its store and what is derived from them: the SHACL
report, VoID statistics, the search index and the digests. Written one after another,
they took a 100x build 75 s on one core while the other idled (docs/benchmarks.md). So
here the store is bulk-loaded in a thread (Oxigraph's loader runs natively, without
Python's lock) while this process runs the SHACL pass across sources on the N-Quads file;
then the search index and each digest are computed in worker processes, each opening the
store read-only, while this process counts the VoID statistics into it. A digest that
reads the folder (graph/digests.py) starts once the SHACL report is written.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import shutil
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from pathlib import Path

import pyoxigraph as ox

from graph import builds, digests, search_index, store, void
from graph.shacl_workers import outcome
from graph.staging import Staged
from graph.validate import ValidationResult, save_report
from loaders.base import Source

LOAD_REPORT_FILE = "load-report.json"
WORKERS_FROM_QUADS = 100_000
"""A smaller build derives its files in this process: starting workers would cost more
than they save (0.4 s of a 3 s build at 1x)."""


def write(folder: Path, staged: Staged, sources: list[Source], summary: dict) -> ValidationResult:
    """Write the build ``staged`` into ``folder`` (a build being staged, graph.builds.publish)
    with copies of its ``sources`` and ``summary``; return its SHACL report. Raises what a
    step raises, or WorkerFailed when a worker process dies."""
    os.replace(staged.nquads, folder / store.DATASET_FILE)
    with ThreadPoolExecutor(1) as loader:
        loading = loader.submit(store.write, folder)
        _copy_sources(sources, folder)
        _write_json(folder / LOAD_REPORT_FILE, load_report(staged))
        checked = staged.checker.finish(folder / store.DATASET_FILE)
        save_report(folder, checked.report_graph)
        written = loading.result()
    _derive(folder, written, in_workers=summary["quads"] >= WORKERS_FROM_QUADS)
    _write_json(folder / builds.SUMMARY_FILE, summary)
    return checked


def _derive(folder: Path, written: ox.Store, in_workers: bool) -> None:
    """Count the VoID statistics into ``written``, the store in ``folder``, and write the
    search index and the digests, ``in_workers`` or here. Workers open the store read-only
    as it was before the statistics: neither the index nor a digest reads them."""
    if not in_workers:
        search_index.write(written, folder)
        for name in digests.names():
            digests.write(name, written, folder)
        void.add(written)
        return
    with ProcessPoolExecutor(
        max_workers=os.cpu_count() or 1,
        mp_context=multiprocessing.get_context("spawn"),  # this process runs a thread pool
    ) as workers:
        jobs = [workers.submit(_search_index, folder)]  # the longest first
        jobs += [workers.submit(_digest, name, folder) for name in digests.names()]
        void.add(written)
        for job in jobs:
            outcome(job)  # what the job raised, or WorkerFailed if its worker died


def load_report(staged: Staged) -> list[dict]:
    """Every line's fate, per source, for load-report.json."""
    return [
        {
            "source": slug,
            "line": e.line,
            "outcome": e.outcome,
            "reason": e.reason,
            "node": str(e.node) if e.node else None,
        }
        for slug, report in staged.result.reports.items()
        for e in report.entries
    ]


def _copy_sources(sources: list[Source], folder: Path) -> None:
    """Each source's file, for pages and evidence packs to read (never data/sources/)."""
    copies = folder / builds.SOURCES_DIR
    copies.mkdir()
    for source in sources:
        shutil.copyfile(source.path, copies / source.file_name)


def _search_index(folder: Path) -> None:
    search_index.write(store.open_store(folder), folder)


def _digest(name: str, folder: Path) -> None:
    digests.write(name, store.open_store(folder), folder)


def _write_json(path: Path, data) -> None:
    path.write_text(json.dumps(data, indent=1), encoding="utf-8")
