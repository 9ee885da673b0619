"""Validation source by source, cached: the same report as validating the whole graph, and a
rebuild validates only what changed (graph/validate_parts.py)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from rdflib import Graph

from cli import main as cli
from cli.build import publish
from graph import store
from graph.manifest import load_manifest
from graph.staging import stage
from graph.validate import REPORT_FILE, count_results, records, validate
from graph.validate_parts import CACHE_DIR, Unordered, check_nquads
from vocab.ids import source_graph

SLUGS = [  # in the manifest's order
    "leicester-jhwb-action-plan-2018-23",
    "leicester-jhws-refresh-proposed-priorities-2021",
    "leicestershire-hwb-staying-healthy-progress-2025-05",
    "harborough-hw-action-plan-2022-23",
    "leicester-health-care-wellbeing-strategy-2022-27",
]
EVERY_PART = [str(source_graph(slug)) for slug in SLUGS] + ["across sources"]


def test_the_saved_report_is_the_whole_graph_report(published, built, config):
    saved = Graph().parse(published.path / REPORT_FILE, format="turtle")
    whole = validate(built.dataset, config["SHAPES_DIR"]).report_graph
    assert records(saved) == records(whole)
    assert count_results(saved) == {"Violation": 0, "Warning": 36, "Info": 0}


def rebuild(config: dict) -> tuple[list[str], list[str]]:
    """Build and publish; return the parts validated anew and those taken from the cache."""
    sources = load_manifest(config["MANIFEST"])
    staged = stage(sources, config)
    published, _ = publish(staged, sources, config)
    checker = staged.checker
    assert sorted(checker.validated + checker.reused) == sorted(EVERY_PART)
    return checker.validated, checker.reused


def revise(document: Path, manifest: Path, data: bytes) -> None:
    """Replace ``document`` on purpose: new bytes, and the manifest's sha256 to match."""
    old, new = (hashlib.sha256(d).hexdigest() for d in (document.read_bytes(), data))
    manifest.write_text(manifest.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    document.write_bytes(data)


def test_a_rebuild_validates_only_what_changed(inputs):
    assert rebuild(inputs) == (EVERY_PART, [])
    assert rebuild(inputs) == ([], EVERY_PART)

    harborough = Path(inputs["MANIFEST"]).parent / "harborough-hw-action-plan-2022-23.txt"
    revise(harborough, inputs["MANIFEST"], harborough.read_bytes() + b"\n")
    validated, _ = rebuild(inputs)
    assert validated == [str(source_graph("harborough-hw-action-plan-2022-23"))]

    shape = Path(inputs["SHAPES_DIR"]) / "measures.ttl"
    shape.write_text(shape.read_text(encoding="utf-8").replace("malformed", "ill-formed"))
    validated, _ = rebuild(inputs)
    assert validated == EVERY_PART


def test_hwbkg_validate_reuses_what_the_build_validated(inputs, capsys):
    rebuild(inputs)
    root = inputs["BUILD_DIR"]
    nquads = root / "current" / store.DATASET_FILE
    checker = check_nquads(nquads, inputs["SHAPES_DIR"], root / CACHE_DIR)
    result = checker.finish(nquads)
    assert (checker.validated, sorted(checker.reused)) == ([], sorted(EVERY_PART))
    assert result.counts == {"Violation": 0, "Warning": 36, "Info": 0}
    assert cli.main(["--build-dir", str(root), "validate"]) == 0  # shapes as copied
    assert capsys.readouterr().err.strip() == "conforms: True; 0 Info, 0 Violation, 36 Warning"


def test_a_file_with_the_load_issues_apart_from_their_sources_is_refused(
    published, tmp_path, config
):
    lines = (published.path / store.DATASET_FILE).read_text(encoding="utf-8").splitlines()
    issues = [line for line in lines if "/graph/load-report>" in line]
    others = [line for line in lines if "/graph/load-report>" not in line]
    shuffled = tmp_path / "old.nq"
    shuffled.write_text("\n".join(issues + others) + "\n", encoding="utf-8")
    with pytest.raises(Unordered, match="load issues not beside their source; rebuild"):
        check_nquads(shuffled, config["SHAPES_DIR"], processes=False)
