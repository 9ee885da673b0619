"""`hwbkg build`: read the inputs, check the result, and publish it as a new build.

Nothing is published unless everything succeeded: every input read cleanly, the graph did
not shrink sharply against the build being served (graph/shrink.py) unless that was
accepted, and the new build's folder was written completely (graph/builds.py), SHACL
report included. Otherwise the current build stays, and the reason is one line.
"""

from __future__ import annotations

import argparse
import json
import shutil
import time
from collections.abc import Mapping
from pathlib import Path

from graph import builds, digests, shrink, store
from graph.build import BuildResult
from graph.build import build as build_dataset
from graph.commands import UserError
from graph.ids import source_graph
from graph.inputs import InputError
from graph.manifest import load_manifest
from graph.namespace import HWB
from graph.validate import ValidationResult, save_report, validate
from loaders import UnknownLoader
from loaders.base import Source

LOAD_REPORT_FILE = "load-report.json"


def add_parser(sub) -> None:
    command = sub.add_parser("build", help="read the sources and curated data into a new build")
    command.add_argument(
        "--manifest", type=Path, help="source manifest (default data/sources/sources.toml)"
    )
    command.add_argument(
        "--curated-dir", type=Path, help="organisations, ICS priorities, mappings (data/curated)"
    )
    command.add_argument("--ontology", type=Path, help="the ontology (ontology/hwbkg.ttl)")
    command.add_argument(
        "--accept-shrink",
        action="store_true",
        help="publish even if the graph shrank sharply against the current build",
    )
    command.set_defaults(run=build_command)


def build_command(args: argparse.Namespace, config: dict) -> int:
    """Build, check and publish; print the new build's id and what the loaders reported."""
    started = time.perf_counter()
    try:
        sources = load_manifest(Path(config["MANIFEST"]))
        result = build_dataset(sources, config)
        _refuse_shrinkage(Path(config["BUILD_DIR"]), summarise(result, sources), args.accept_shrink)
        published, checked = publish(result, sources, config)
    except (InputError, UnknownLoader, FileNotFoundError, Shrunk) as error:
        raise UserError(str(error)) from None
    took = time.perf_counter() - started
    print(f"published build {published.id} ({len(result.dataset):,} quads) in {took:.2f} s")
    print(f"  folder: {published.path}")
    for slug, report in result.reports.items():
        counts = ", ".join(f"{n} {outcome}" for outcome, n in report.counts().items())
        print(f"  {slug}: lines {counts}")
    print(f"load issues: {len(result.issues())} (report: {published.path / LOAD_REPORT_FILE})")
    for slug, line, reason in sorted(set(result.issues())):
        if reason.startswith("unknown partner alias"):
            print(f"  {slug}:{line}: {reason}")
    for issue in result.curated_issues:
        print(f"  curated: {issue}")
    counts = ", ".join(f"{n} {severity}" for severity, n in sorted(checked.counts.items()))
    print(f"SHACL: conforms: {checked.conforms}; {counts}")
    return 0


class Shrunk(Exception):
    """The new build lost too much against the current one (graph/shrink.py)."""


def _refuse_shrinkage(root: Path, summary: dict, accepted: bool) -> None:
    """Raise Shrunk, one line saying what shrank, unless nothing did or it was accepted."""
    try:
        served = builds.current(root)
    except store.StoreMissing:
        return
    shrunk = shrink.shrinkage(served.summary(), summary)
    if not shrunk:
        return
    what = f"the graph shrank against build {served.id} ({'; '.join(shrunk)})"
    if not accepted:
        raise Shrunk(f"not published: {what}; if that is intended, build with --accept-shrink")
    print(f"accepted: {what}")


def publish(
    result: BuildResult, sources: list[Source], config: Mapping
) -> tuple[builds.Build, ValidationResult]:
    """Validate ``result`` with the SHACL shapes and publish it, with its load and SHACL
    reports and summary, as the current build under ``config["BUILD_DIR"]``."""
    checked = validate(result.dataset, Path(config["SHAPES_DIR"]))
    data = store.nquads(result.dataset)
    build_id = builds.new_id(data, result.built_at)
    summary = {"id": build_id, **summarise(result, sources)}

    def write(folder: Path) -> None:
        digests.write_all(store.write(data, folder), folder)
        copies = folder / builds.SOURCES_DIR
        copies.mkdir()
        for source in sources:
            shutil.copyfile(source.path, copies / source.file_name)
        _write_json(folder / LOAD_REPORT_FILE, _load_report(result))
        save_report(folder, checked.report_graph)
        _write_json(folder / builds.SUMMARY_FILE, summary)

    return builds.publish(Path(config["BUILD_DIR"]), build_id, write), checked


def summarise(result: BuildResult, sources: list[Source]) -> dict:
    """What summary.json says of a build besides its id: when, how many quads in all and per
    named graph, and per source the file read (SHA-256, lines) and its graph."""
    dataset = result.dataset
    counts = {str(g.identifier): len(g) for g in dataset.graphs() if len(g)}
    described = {}
    for source in sources:
        graph = dataset.graph(source_graph(source.slug))
        described[source.slug] = {
            "file": source.file_name,
            "sha256": str(graph.value(source.document, HWB.sha256)),
            "lines": graph.value(source.document, HWB.lineCount).toPython(),
            "graph": str(graph.identifier),
        }
    return {
        "built_at": result.built_at.isoformat(),
        "quads": len(dataset),
        "graphs": dict(sorted(counts.items())),
        "sources": described,
    }


def _load_report(result: BuildResult) -> list[dict]:
    """Every line's fate, per source, for load-report.json."""
    return [
        {
            "source": slug,
            "line": e.line,
            "outcome": e.outcome,
            "reason": e.reason,
            "node": str(e.node) if e.node else None,
        }
        for slug, report in result.reports.items()
        for e in report.entries
    ]


def _write_json(path: Path, data) -> None:
    path.write_text(json.dumps(data, indent=1), encoding="utf-8")
