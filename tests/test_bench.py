"""scripts/bench.py's parts that decide what the table says (the whole run is `make bench`,
minutes long, and not a test): percentiles, ratios, disagreeing stores, and the rdflib
endpoint's answers and time limit."""

from __future__ import annotations

import bench  # scripts/, on the path from conftest.py
import bench_stores
import pytest


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


def test_virtuoso_is_a_store_of_the_bench_that_serves_pages():
    known = bench_stores.stores(5.0)
    assert list(known) == ["oxigraph", "rdflib", "virtuoso"]
    assert isinstance(known["virtuoso"], bench_stores.VirtuosoStore)
    assert known["virtuoso"].serves_pages


def test_a_store_that_cannot_start_gets_one_row_saying_why(monkeypatch, tmp_path, capsys):
    monkeypatch.setattr(bench_stores, "installed", lambda: False)
    results = bench.Results()
    bench.measure_store(bench_stores.stores(5.0)["virtuoso"], tmp_path, 1, None, results)
    results.print(["oxigraph", "virtuoso"])
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["measure", "scale", "oxigraph", "virtuoso", "virtuoso/oxigraph",
                                "rows"]  # fmt: skip
    assert lines[1:] == [lines[1]]
    assert lines[1].split()[:6] == ["start-up", "until", "the", "first", "200", "1x"]
    assert "failed: virtuoso-t not found: install Debian's virtuoso-opensource" in lines[1]


def test_bench_measures_the_stores_named_in_order_and_lists_them_for_a_wrong_name(
    monkeypatch, tmp_path, capsys
):
    measured = []
    monkeypatch.setattr(bench, "prepare", lambda scale, *rest: tmp_path / f"build-{scale}")
    monkeypatch.setattr(bench, "measure_store", lambda store, root, scale, *rest: measured.append(
        (store.name, root.name, scale)))  # fmt: skip
    assert bench.main(["--scales", "1,3", "--stores", "virtuoso,oxigraph"]) == 0
    assert measured == [("virtuoso", "build-1", 1), ("oxigraph", "build-1", 1),
                        ("virtuoso", "build-3", 3), ("oxigraph", "build-3", 3)]  # fmt: skip
    with pytest.raises(SystemExit) as exit_:
        bench.main(["--stores", "oxigraph,fuseki"])
    assert exit_.value.code == 2
    assert "stores are oxigraph, rdflib, virtuoso" in capsys.readouterr().err


def test_the_virtuoso_store_loads_the_build_serves_the_workbench_and_cleans_up(build_dir):
    if not bench_stores.installed():
        pytest.skip(bench_stores.NOT_INSTALLED)
    running = bench_stores.stores(5.0)["virtuoso"].start(build_dir)
    try:
        assert list(running.steps) == ["server start", "load into the server",
                                       "server restart after the first load"]  # fmt: skip
        assert bench.ask(running, "SELECT ?plan WHERE { ?plan a hwb:ActionPlan }", 30) == "2"
        assert bench.get(running.base + bench.PAGES["entity (action 17.3)"], 30) == ""
        assert running.peak_mb() > 200  # the workbench alone: under 100 MB; virtuoso-t counts
    finally:
        running.stop()
    assert running.behind.process.returncode is not None
    assert not running.behind.folder.exists()
