"""`hwbkg build`: read the inputs, check the result, and publish it as a new build.

Nothing is published unless everything succeeded: every input read cleanly, the graph did
not shrink sharply against the build being served (graph/shrink.py) unless that was
accepted, and the new build's folder was written completely (graph/builds.py), SHACL
report included. Otherwise the current build stays, and the reason is one line.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Mapping
from pathlib import Path

from cli.commands import UserError
from graph import builds, publishing, server, server_builds, settings, shrink, store
from graph.manifest import load_manifest
from graph.shacl_workers import WorkerFailed
from graph.staging import Staged, stage
from graph.validate import ValidationResult
from loaders import UnknownLoader
from loaders.base import Source
from vocab.inputs import InputError


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
    command.add_argument(
        "--settings",
        type=Path,
        help='a TOML file of settings; STORE = "server" also loads the build into a SPARQL '
        "server (docs/deploy.md)",
    )
    command.set_defaults(run=build_command)


def build_command(args: argparse.Namespace, config: dict) -> int:
    """Build, check and publish; print the new build's id and what the loaders reported."""
    started = time.perf_counter()
    if args.settings:
        try:
            config = settings.load(config, settings.read_toml(args.settings))
        except settings.SettingsError as error:
            raise UserError(str(error)) from None
    staged = None
    try:
        sources = load_manifest(Path(config["MANIFEST"]))
        staged = stage(sources, config)
        staged_in = time.perf_counter() - started
        _refuse_shrinkage(Path(config["BUILD_DIR"]), staged.summary(), args.accept_shrink)
        published, checked = publish(staged, sources, config)
    except (InputError, UnknownLoader, FileNotFoundError, Shrunk, WorkerFailed) as error:
        raise UserError(str(error)) from None
    finally:
        if staged is not None:
            staged.discard()
    took = time.perf_counter() - started
    result = staged.result
    print(f"published build {published.id} ({staged.summary()['quads']:,} quads) in {took:.2f} s")
    print(f"  folder: {published.path}")
    for slug, report in result.reports.items():
        counts = ", ".join(f"{n} {outcome}" for outcome, n in report.counts().items())
        print(f"  {slug}: lines {counts}")
    report_file = published.path / publishing.LOAD_REPORT_FILE
    print(f"load issues: {len(result.issues())} (report: {report_file})")
    for slug, line, reason in sorted(set(result.issues())):
        if reason.startswith("unknown partner alias"):
            print(f"  {slug}:{line}: {reason}")
    for issue in result.curated_issues:
        print(f"  curated: {issue}")
    cached = len(result.reports) - len(staged.read)
    print(
        f"loaders: {len(staged.read)} sources read anew, {cached} from the cache; "
        f"read, written and validated source by source in {staged_in:.2f} s"
    )
    checker = staged.checker
    print(f"SHACL: {len(checker.validated)} parts validated anew, {len(checker.reused)} cached")
    counts = ", ".join(f"{n} {severity}" for severity, n in sorted(checked.counts.items()))
    print(f"SHACL: conforms: {checked.conforms}; {counts}")
    if config["STORE"] == "server":
        load_into_server(published, config)
    return 0


def load_into_server(published: builds.Build, config: Mapping) -> None:
    """Load a published build into the SPARQL server and serve it from there
    (graph.server_builds); raise UserError, one line, if the server failed."""
    target = server.Server(config)
    try:
        took = server_builds.load(published.path, published.id, target)
    except server.TROUBLE as error:
        raise UserError(f"build {published.id} was published in {published.path} but not "
                        f"loaded into the SPARQL server: {error}") from None  # fmt: skip
    finally:
        target.close()
    if took is None:
        print(f"the SPARQL server at {config['SERVER_QUERY_URL']} already serves it")
    else:
        print(f"loaded into the SPARQL server at {config['SERVER_QUERY_URL']} in {took:.2f} s")


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
    staged: Staged, sources: list[Source], config: Mapping
) -> tuple[builds.Build, ValidationResult]:
    """Publish ``staged`` as the current build under ``config["BUILD_DIR"]``, with its load
    and SHACL reports, summary and what is derived from its store (graph/publishing.py)."""
    build_id = builds.new_id(staged.digest, staged.result.built_at)
    summary = {"id": build_id, **staged.summary()}
    checked = []

    def write(folder: Path) -> None:
        checked.append(publishing.write(folder, staged, sources, summary))

    return builds.publish(Path(config["BUILD_DIR"]), build_id, write), checked[0]
