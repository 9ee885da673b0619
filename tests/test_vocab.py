"""vocab/namespace.py and ontology/hwbkg.ttl must agree in both directions."""

import importlib.util
from pathlib import Path

from rdflib import OWL, RDF, RDFS, Graph, URIRef

from vocab.namespace import HWB

ROOT = Path(__file__).resolve().parent.parent
ONTOLOGY = Graph().parse(ROOT / "ontology" / "hwbkg.ttl")
DEF = "https://w3id.org/hwbkg/def#"
TERMS = {
    s
    for kind in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
    for s in ONTOLOGY.subjects(RDF.type, kind)
    if str(s).startswith(DEF)
}


def _generator():
    spec = importlib.util.spec_from_file_location("gen", ROOT / "scripts" / "generate_namespace.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_namespace_module_is_generated_from_the_ontology():
    assert _generator().render(ONTOLOGY) == (ROOT / "vocab" / "namespace.py").read_text()


def test_every_ontology_term_is_in_the_module():
    assert {str(t)[len(DEF) :] for t in TERMS} == set(HWB.__annotations__)


def test_the_module_refuses_unknown_terms():
    try:
        HWB.Planx  # noqa: B018
    except AttributeError:
        return
    raise AssertionError("HWB.Planx should raise")


def test_every_term_has_a_label_and_a_comment():
    for term in TERMS:
        assert ONTOLOGY.value(term, RDFS.label), term
        assert ONTOLOGY.value(term, RDFS.comment), term


def test_the_core_iris_the_issue_names_exist():
    core = [
        "Plan",
        "Theme",
        "Priority",
        "Action",
        "Measure",
        "SourceDocument",
        "plan",
        "theme",
        "priority",
        "leadPartner",
        "partner",
        "measure",
        "relatedPlan",
        "noEquivalentIn",
        "sourceDocument",
        "fileName",
        "sourceLine",
    ]
    for name in core:
        assert URIRef(DEF + name) in TERMS, name


def test_theme_is_a_skos_concept():
    assert (
        HWB.Theme,
        RDFS.subClassOf,
        URIRef("http://www.w3.org/2004/02/skos/core#Concept"),
    ) in ONTOLOGY


def test_docs_describe_every_term():
    docs = (ROOT / "docs" / "ontology.md").read_text()
    for term in TERMS:
        assert (
            f"`hwb:{str(term)[len(DEF) :]}`" in docs or f"**`hwb:{str(term)[len(DEF) :]}`**" in docs
        ), term
