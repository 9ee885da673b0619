"""The plans digest (graph/listings.py) reads a plan restated in several graphs once."""

from __future__ import annotations

import pyoxigraph as ox

from graph import listings, sparql
from vocab.namespace import HWB, ID

PLAN, THEME, ACTION, ORG = (
    str(ID[name]) for name in ("plan/p", "theme/p/t", "action/p/1", "org/o")
)
STATED = f"""
hwb:Strategy rdfs:subClassOf hwb:Plan .
<{PLAN}> a hwb:Strategy ; skos:prefLabel "Plan P" ; hwb:period "2024-29" ;
  dcterms:publisher <{ORG}> .
<{ORG}> skos:prefLabel "Org O" .
<{THEME}> a hwb:Theme ; hwb:plan <{PLAN}> ; skos:prefLabel "T" .
<{ACTION}> a hwb:Action ; hwb:plan <{PLAN}> ; hwb:leadPartner <{ORG}> .
"""
"""A strategy with a publisher, a theme and an action its publisher leads; the test states
all of it in two documents."""
CITED = f'<{PLAN}> a hwb:Plan ; skos:prefLabel "Plan P" .'
"""A third document names the strategy as a related plan."""


def test_a_plan_stated_in_several_graphs_is_listed_once_with_its_counts():
    store = ox.Store()
    prefixes = "".join(f"@prefix {p}: <{iri}> .\n" for p, iri in sparql.PREFIXES.items())
    for graph, text in (("a", STATED), ("b", STATED), ("c", CITED)):
        named = ox.NamedNode(f"http://example.org/{graph}")
        store.load(prefixes + text, ox.RdfFormat.TURTLE, to_graph=named)
    assert listings.plans(store) == {
        "plans": [
            {
                "plan": [PLAN, "Plan P", ""],
                "kind": [str(HWB.Strategy), "", ""],
                "period": "2024-29",
                "issued": "",
                "publishers": [[ORG, "Org O", ""]],
                "themes": 1, "priorities": 0, "actions": 1, "measures": 0, "organisations": 1,
            }
        ],
        "referenced": 1,
    }  # fmt: skip
