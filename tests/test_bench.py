"""scripts/bench.py's parts that decide what the table says (the whole run is `make bench`,
minutes long, and not a test): percentiles, ratios, disagreeing stores, and the rdflib
endpoint's answers and time limit."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))  # the scripts import each other by file name

import bench  # noqa: E402
import bench_stores  # noqa: E402


def test_p95_is_the_nearest_rank():
    assert bench.percentile(list(range(1, 21)), 0.95) == 19
    assert bench.percentile([5.0], 0.95) == 5.0
    assert bench.percentile([3.0, 1.0, 2.0], 0.5) == 2.0


def test_the_table_gives_ratios_to_the_first_store_and_flags_different_rows(capsys):
    results = bench.Results()
    results.put("query a", 10, "oxigraph", bench.Timing(30, 10, 20, rows="5"))
    results.put("query a", 10, "rdflib", bench.Timing(300, 100, 200, rows="7"))
    results.put("query b", 10, "oxigraph", bench.Timing(3, 1, 2, rows="4"))
    results.put("query b", 10, "rdflib", bench.Timing(0, 0, 0, failed="timeout"))
    results.put("build", 10, "oxigraph", bench.Value(6.5, "s"))
    results.print(["oxigraph", "rdflib"])
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["measure", "scale", "oxigraph", "rdflib", "rdflib/oxigraph", "rows"]
    assert lines[1].split() == ["query", "a", "10x", *"30 / 10.0 / 20.0".split(),
                                *"300 / 100.0 / 200.0".split(), "10.0", "5", "≠", "7"]  # fmt: skip
    assert lines[2].split() == ["query", "b", "10x", *"3 / 1.0 / 2.0".split(), "timeout", "-", "4"]
    assert lines[3].split() == ["build", "10x", "6.50", "s", "-", "-"]


def test_the_rdflib_endpoint_answers_and_stops_a_query_at_its_time_limit(build_dir):
    # 5 s: a cold first query takes over 1 s on a loaded machine; the cross product, minutes
    running = bench_stores.Rdflib(timeout=5.0).start(build_dir)
    try:
        found = bench.ask(running, "SELECT ?plan WHERE { ?plan a hwb:ActionPlan }", 30)
        assert int(found) > 0
        with pytest.raises(bench.Failure, match="503"):
            bench.ask(running, "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f }", 30)
        assert bench.ask(running, "SELECT ?x WHERE { ?x a hwb:NoSuchClass }", 30) == "0"
        assert running.peak_mb() > 10
    finally:
        running.stop()
    assert running.process.returncode is not None
