"""The organisation-plans digest: each organisation's plans and items, found once per build."""

import pyoxigraph as ox

from graph.organisation_roles import organisation_plans
from vocab.namespace import HWB

ID = "https://w3id.org/hwbkg/id/"
DOC_A, DOC_B = ox.NamedNode("https://g/a"), ox.NamedNode("https://g/b")
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
RDFS_LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
PREF_LABEL = ox.NamedNode("http://www.w3.org/2004/02/skos/core#prefLabel")
PUBLISHER = ox.NamedNode("http://purl.org/dc/terms/publisher")


def node(name: str) -> ox.NamedNode:
    return ox.NamedNode(ID + name)


def hwb(name: str) -> ox.NamedNode:
    return ox.NamedNode(str(getattr(HWB, name)))


def test_items_go_to_their_own_or_their_owners_plan_once_each():
    """A plan restated in two documents' graphs counts once; a progress statement without a
    plan of its own is listed under its owner's; an item with no plan under ""."""
    quads = [
        (hwb("Action"), RDFS_LABEL, ox.Literal("Action"), DOC_A),
        (hwb("Plan"), RDFS_LABEL, ox.Literal("Plan"), DOC_A),
        (hwb("Statement"), RDFS_LABEL, ox.Literal("Statement"), DOC_A),
        (node("plan/zeta"), RDF_TYPE, hwb("Plan"), DOC_A),
        (node("plan/zeta"), PREF_LABEL, ox.Literal("Zeta plan"), DOC_A),
        (node("plan/alpha"), RDF_TYPE, hwb("Plan"), DOC_A),
        (node("plan/alpha"), PREF_LABEL, ox.Literal("Alpha plan"), DOC_A),
        (node("plan/alpha"), PUBLISHER, node("org/x"), DOC_A),
        (node("plan/alpha"), RDF_TYPE, hwb("Plan"), DOC_B),
        (node("plan/alpha"), PUBLISHER, node("org/x"), DOC_B),
        (node("action/1"), RDF_TYPE, hwb("Action"), DOC_A),
        (node("action/1"), hwb("plan"), node("plan/zeta"), DOC_A),
        (node("action/1"), hwb("leadPartner"), node("org/x"), DOC_A),
        (node("action/1"), hwb("progress"), node("statement/1"), DOC_A),
        (node("statement/1"), RDF_TYPE, hwb("Statement"), DOC_A),
        (node("statement/1"), hwb("partner"), node("org/x"), DOC_A),
        (node("action/2"), RDF_TYPE, hwb("Action"), DOC_B),
        (node("action/2"), hwb("partner"), node("org/x"), DOC_B),
    ]
    store = ox.Store()
    store.extend(ox.Quad(*q) for q in quads)
    assert organisation_plans(store) == {
        ID + "org/x": [
            [ID + "plan/alpha", [(ID + "plan/alpha", "publisher")]],
            [ID + "plan/zeta", [(ID + "action/1", "lead"), (ID + "statement/1", "partner")]],
            ["", [(ID + "action/2", "partner")]],
        ]
    }
