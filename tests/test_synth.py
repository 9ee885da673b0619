"""`hwbkg synth`: variants of the real sources that the real loaders build like the originals."""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

import pytest
from rdflib import Graph

from cli.main import main
from graph import builds, store
from graph.build import PLAN_CLASSES
from graph.manifest import load_manifest
from graph.validate import REPORT_FILE, count_results, records, validate
from vocab.ids import source_graph
from vocab.namespace import HWB, ID
from webapp import create_app, graphstore

SHAPES_DIR = Path(__file__).parent.parent / "shapes"

# Per real source: (actions, priorities) in the graph built from data/sources/.
COUNTS = {
    "harborough-hw-action-plan-2022-23": (25, 6),
    "leicester-health-care-wellbeing-strategy-2022-27": (0, 19),
    "leicester-jhwb-action-plan-2018-23": (76, 0),
    "leicester-jhws-refresh-proposed-priorities-2021": (0, 17),
    "leicestershire-hwb-staying-healthy-progress-2025-05": (0, 3),
}


def synth(out: Path, scale: int = 2, seed: int = 7) -> int:
    """Run `hwbkg synth`, its output swallowed."""
    with contextlib.redirect_stdout(io.StringIO()):
        return main(["synth", "--scale", str(scale), "--seed", str(seed), "--out", str(out)])


def files(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


@pytest.fixture(scope="module")
def synthesised(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("synth")
    assert synth(out) == 0
    return out


@pytest.fixture(scope="module")
def synth_build(tmp_path_factory, synthesised) -> tuple[builds.Build, str]:
    """The synthesised sources built by `hwbkg build`, and what it printed."""
    root = tmp_path_factory.mktemp("synth-build")
    printed = io.StringIO()
    manifest = str(synthesised / "sources.toml")
    with contextlib.redirect_stdout(printed):
        assert main(["--build-dir", str(root), "build", "--manifest", manifest]) == 0
    return builds.current(root), printed.getvalue()


def count(oxi, slug: str, rdf_type) -> int:
    """How many nodes of ``rdf_type`` the source ``slug`` has in its graph."""
    rows = oxi.query(
        f"SELECT (COUNT(DISTINCT ?node) AS ?n) WHERE {{ GRAPH <{source_graph(slug)}> "
        f"{{ ?node a <{rdf_type}> }} }}"
    )
    return int(next(iter(rows))["n"].value)


def test_a_scale_of_two_builds_fifteen_plans_with_no_violations(synthesised, synth_build):
    published, printed = synth_build
    sources = load_manifest(synthesised / "sources.toml")
    assert len(sources) == 15
    assert sorted(published.summary()["sources"]) == sorted(s.slug for s in sources)
    oxi = store.open_store(published.path)
    for source in sources:
        plan_type = PLAN_CLASSES[source.kind]
        assert oxi.query(f"ASK {{ GRAPH ?g {{ <{source.plan}> a <{plan_type}> }} }}"), source.slug
    assert "SHACL: conforms: True; 0 Info, 0 Violation" in printed


def test_each_variant_has_its_originals_actions_and_priorities(synth_build):
    oxi = store.open_store(synth_build[0].path)
    for slug, expected in COUNTS.items():
        for variant in (slug, f"{slug}-synth-1", f"{slug}-synth-2"):
            found = (count(oxi, variant, HWB.Action), count(oxi, variant, HWB.Priority))
            assert found == expected, variant


def test_no_variant_has_more_load_issues_than_its_original(synth_build):
    lines = synth_build[1].splitlines()
    issues = {
        slug: int(line.split(", ")[1].split()[0]) if " issue" in line else 0
        for line in lines
        if line.startswith("  ") and ": lines " in line
        for slug in [line.split(":")[0].strip()]
    }
    assert len(issues) == 15
    for slug, found in issues.items():
        assert found <= issues[slug.split("-synth-")[0]], slug


def test_variants_differ_from_their_original_but_keep_its_lines(synthesised):
    original = (synthesised / "harborough-hw-action-plan-2022-23.txt").read_text()
    variant = (synthesised / "harborough-hw-action-plan-2022-23-synth-1.txt").read_text()
    assert variant != original
    assert len(variant.splitlines()) == len(original.splitlines())
    assert [line.split("\t")[0] for line in variant.splitlines()[4:]] == [
        line.split("\t")[0] for line in original.splitlines()[4:]
    ]


def test_the_same_seed_writes_the_same_bytes_and_another_seed_does_not(synthesised, tmp_path):
    assert synth(tmp_path / "again") == 0
    assert files(tmp_path / "again") == files(synthesised)
    assert synth(tmp_path / "other", seed=8) == 0
    assert files(tmp_path / "other") != files(synthesised)


def bad(capsys, *argv) -> str:
    """What `hwbkg synth` prints to stderr for ``argv``, which it must refuse with exit 2."""
    assert main(["synth", *argv]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    return err


def test_a_scale_below_one_is_a_one_line_error(tmp_path, capsys):
    err = bad(capsys, "--scale", "0", "--out", str(tmp_path / "out"))
    assert err == "hwbkg synth: --scale must be 1 or more, not 0\n"
    assert not (tmp_path / "out").exists()


def test_an_out_that_is_a_file_is_a_one_line_error(tmp_path, capsys):
    afile = tmp_path / "a-file"
    afile.write_text("x")
    err = bad(capsys, "--scale", "1", "--out", str(afile))
    assert err == f"hwbkg synth: --out {afile} is a file, not a folder\n"


def test_source_by_source_validation_finds_what_whole_graph_validation_finds(synth_build):
    """Variants cite the same plans and strategies as their originals, so many nodes are
    described by several sources: the pass across sources must check them as one."""
    published = synth_build[0]
    saved = Graph().parse(published.path / REPORT_FILE, format="turtle")
    whole = validate(store.open_reference(published.path), SHAPES_DIR).report_graph
    assert records(saved) == records(whole)
    assert (
        count_results(saved) == count_results(whole) == {"Violation": 0, "Warning": 108, "Info": 0}
    )


@pytest.fixture(scope="module")
def synth_client(synth_build):
    """The workbench serving the synthesised build, as `hwbkg serve` would."""
    root = synth_build[0].path.parent.parent
    app = create_app({"BUILD_DIR": root, "TESTING": True, "BUILD_POLL_SECONDS": 0})
    yield app.test_client()
    graphstore.close(app)


def page_data(client, url: str) -> dict:
    response = client.get(url)
    assert response.status_code == 200, (url, response.get_data(as_text=True)[:300])
    return response.get_json()


def test_the_workbench_serves_the_synthesised_build_end_to_end(synth_client):
    """Every main page answers over the 15 documents; what each real source holds is there
    three times (the original and two variants)."""
    client = synth_client
    assert len(page_data(client, "/sources.json")["sources"]) == 15
    # 1x: eleven nodes of the sources print "diabetes", and the registry's Diabetes Centre.
    assert page_data(client, "/search.json?q=diabetes")["total"] == 3 * 11 + 1
    assert page_data(client, "/validation.json")["total"] == 3 * 36  # 36 warnings at 1x
    for url in ("/index.json", "/network.json", "/alignment.json", "/alignment/coverage.json",
                "/audit.json", "/organisations/leicester-city-council.json"):  # fmt: skip
        page_data(client, url)
    plan = page_data(client, "/plans/harborough-hw-action-plan-2022-23-synth-1.json")
    action = next(node for node in walk(plan["tree"]) if node.get("kind") == "Action")
    assert client.get("/id/" + action["iri"][len(str(ID)) :]).status_code == 200
    sources = f"SELECT (COUNT(*) AS ?n) WHERE {{ ?d a <{HWB.SourceDocument}> }}"
    answer = client.get("/sparql", query_string={"query": sources}, headers={"Accept": "text/csv"})
    assert answer.status_code == 200 and answer.text.split() == ["n", "15"]


def walk(tree: list[dict]):
    """Every node of a plan page's tree, depth first."""
    for node in tree:
        yield node
        yield from walk(node.get("children", []))
