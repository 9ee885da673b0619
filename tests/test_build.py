"""The whole build: named graphs, counts per source and class, determinism, provenance."""

from collections import Counter

from rdflib import RDF, Graph
from rdflib.namespace import PROV

from graph.build import BUILD_GRAPH, LOAD_REPORT_GRAPH, ONTOLOGY_GRAPH, build
from graph.manifest import load_manifest
from vocab.ids import curated_graph, mint, source_graph
from vocab.namespace import HWB

# Per source document and hwb class, checked against the loaders' tests, which were
# checked line by line against the documents.
EXPECTED = {
    "harborough-hw-action-plan-2022-23": {
        "Action": 25,
        "Priority": 6,
        "Measure": 24,
        "MeasurePlaceholder": 1,
        "PartnerMention": 39,
    },
    "leicester-jhwb-action-plan-2018-23": {
        "Action": 76,
        "Objective": 18,
        "Theme": 5,
        "Measure": 47,
        "MeasurePlaceholder": 30,
        "PartnerMention": 118,
        "Plan": 36,
    },
    "leicester-jhws-refresh-proposed-priorities-2021": {
        "Priority": 17,
        "Theme": 5,
        "Measure": 41,
        "MeasurePlaceholder": 2,
        "Rationale": 76,
        "Mapping": 6,
    },
    "leicester-health-care-wellbeing-strategy-2022-27": {
        "Priority": 19,
        "Theme": 5,
        "DeliveryApproach": 3,
    },
    "leicestershire-hwb-staying-healthy-progress-2025-05": {
        "Theme": 4,
        "PriorityArea": 2,
        "Commitment": 14,
        "Initiative": 26,
    },
}


def classes_in(graph: Graph) -> Counter:
    return Counter(
        str(o).split("#")[1]
        for o in graph.objects(None, RDF.type)
        if str(o).startswith(str(HWB._NS))
    )


def test_one_named_graph_per_source_and_curated_file(built, config):
    names = {g.identifier for g in built.dataset.graphs()}
    for source in load_manifest(config["MANIFEST"]):
        assert source_graph(source.slug) in names
    for name in [
        "organisations",
        "llr-ics-priorities",
        *(
            "mappings-" + m
            for m in [
                "leicestershire-life-course-to-ics",
                "leicester-2021-proposals-to-2022-27",
                "leicester-themes-across-plans",
            ]
        ),
    ]:
        assert curated_graph(name) in names, name
    assert {ONTOLOGY_GRAPH, LOAD_REPORT_GRAPH, BUILD_GRAPH} <= names


def test_counts_per_source_and_class(built):
    for slug, expected in EXPECTED.items():
        found = classes_in(built.dataset.graph(source_graph(slug)))
        assert {k: found[k] for k in expected} == expected, slug


def test_no_triple_is_stated_in_two_graphs(built):
    # Oxigraph's union default graph would count such a triple twice.
    seen = Counter(triple for g in built.dataset.graphs() for triple in g)
    assert [t for t, n in seen.items() if n > 1] == []


def test_rebuilding_gives_the_same_iris_and_triples(built, config):
    again = build(load_manifest(config["MANIFEST"]), config)
    for graph in built.dataset.graphs():
        if graph.identifier != BUILD_GRAPH:  # holds the build time
            assert set(graph) == set(again.dataset.graph(graph.identifier)), graph.identifier


def test_load_issues_are_in_the_graph_as_data(built):
    issues = built.dataset.graph(LOAD_REPORT_GRAPH)
    assert len(set(issues.subjects(RDF.type, HWB.LoadIssue))) == len(built.issues())


def test_the_build_says_what_it_used(built, config):
    activity = mint("build", "latest")
    prov = built.dataset.graph(BUILD_GRAPH)
    used = set(prov.objects(activity, PROV.used))
    assert {s.document for s in load_manifest(config["MANIFEST"])} <= used
    assert prov.value(activity, PROV.endedAtTime) is not None


def test_the_store_copied_into_memory_holds_the_same_quads(published, oxigraph):
    """The workbench serves an in-memory copy of the on-disk store: nothing lost or added."""
    from graph.store import open_store

    in_memory = open_store(published.path, in_memory=True)
    assert len(in_memory) == len(oxigraph)
    assert set(in_memory) == set(oxigraph)


def test_rdflib_reaches_the_built_store_through_oxrdflib(tmp_path, published):
    """Code that needs rdflib's API opens the same Oxigraph store (graph.store.open_rdflib)."""
    import shutil

    from rdflib.namespace import SKOS

    from graph import store
    from vocab.ids import mint

    copy = tmp_path / "build"  # its own copy: oxrdflib opens the store for writing
    shutil.copytree(published.path, copy)
    dataset = store.open_rdflib(copy)
    try:
        action = mint("action", "leicester-jhwb-action-plan-2018-23", "17.3")
        label = dataset.value(action, SKOS.prefLabel)
        assert str(label) == "Deliver the falls prevention recommendations/ pathway"
    finally:
        dataset.close()
