"""Loading and validating in worker processes (graph/staging.py, graph/stage_worker.py):
the same file on every build, a rebuild that reads only what changed, and a failure that
stops the build at once and leaves no process behind."""

from __future__ import annotations

import multiprocessing
import os
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from cli.build import publish
from graph import store
from graph.manifest import load_manifest
from graph.shacl_workers import WorkerFailed, Workers, outcome
from graph.staging import stage
from loaders import UnknownLoader
from loaders.base import LayoutError
from vocab.ids import source_graph

HARBOROUGH = "harborough-hw-action-plan-2022-23"
COPY = f"{HARBOROUGH}-copy"


def rebuild(config: dict) -> tuple[list[str], list[str], bytes]:
    """Build and publish; return the sources whose loader ran, the parts validated anew
    and the published N-Quads without the build time (the only line that changes)."""
    sources = load_manifest(config["MANIFEST"])
    staged = stage(sources, config)
    published, _ = publish(staged, sources, config)
    lines = (published.path / store.DATASET_FILE).read_bytes().splitlines(keepends=True)
    timeless = b"".join(line for line in lines if b"prov#endedAtTime" not in line)
    return staged.read, staged.checker.validated, timeless


def add_a_copy(manifest: Path) -> None:
    """A new document: the Harborough plan again, under a slug of its own."""
    folder = manifest.parent
    shutil.copyfile(folder / f"{HARBOROUGH}.txt", folder / f"{COPY}.txt")
    entry = manifest.read_text(encoding="utf-8").split("[[source]]")[4]
    entry = entry.replace(HARBOROUGH, COPY)
    with manifest.open("a", encoding="utf-8") as handle:
        handle.write("\n[[source]]" + entry)


def slugs(config: dict) -> list[str]:
    return [source.slug for source in load_manifest(config["MANIFEST"])]


def test_a_rebuild_reads_only_the_new_document_and_writes_the_same_file(inputs):
    read, validated, first = rebuild(inputs)
    assert read == slugs(inputs)
    assert validated == [str(source_graph(slug)) for slug in read] + ["across sources"]

    read, validated, again = rebuild(inputs)
    assert (read, validated, again) == ([], [], first)

    add_a_copy(inputs["MANIFEST"])
    read, validated, _ = rebuild(inputs)
    assert read == [COPY]
    assert validated == [str(source_graph(COPY))]


def test_a_curated_edit_reads_every_document_again(inputs):
    rebuild(inputs)
    registry = Path(inputs["CURATED_DIR"]) / "organisations.toml"
    registry.write_text(registry.read_text(encoding="utf-8") + "\n# reviewed\n")
    read, validated, _ = rebuild(inputs)
    assert read == slugs(inputs)
    assert validated == []  # the same triples: the SHACL cache still holds them


def started_since(before: set) -> list:
    """The child processes alive now that were not before (other tests' pools stay)."""
    return [child for child in multiprocessing.active_children() if child not in before]


def test_a_loader_failing_in_a_worker_stops_the_build_and_its_workers(inputs):
    before = set(multiprocessing.active_children())
    sources = load_manifest(inputs["MANIFEST"])
    wrong = [
        replace(s, loader="leicester-action-plan") if s.slug == HARBOROUGH else s for s in sources
    ]
    with pytest.raises(LayoutError, match="harborough-hw-action-plan-2022-23.txt: no action table"):
        stage(wrong, inputs)
    assert started_since(before) == []
    assert list((Path(inputs["BUILD_DIR"]) / "cache").glob("staging-*")) == []


def test_an_unknown_loader_fails_before_any_source_is_read(inputs):
    before = set(multiprocessing.active_children())
    sources = load_manifest(inputs["MANIFEST"])
    unknown = [replace(sources[0], loader="no-such-layout")]
    with pytest.raises(UnknownLoader, match="no loader named 'no-such-layout'"):
        stage(unknown, inputs)
    assert started_since(before) == []
    assert not (Path(inputs["BUILD_DIR"]) / "cache" / "sources").exists()


def test_a_worker_that_dies_fails_its_job_at_once():
    before = set(multiprocessing.active_children())
    workers = Workers(int, ())
    try:
        with pytest.raises(WorkerFailed, match="^a build worker process died: "):
            outcome(workers.submit(os._exit, 3))
    finally:
        workers.close()
    assert started_since(before) == []
