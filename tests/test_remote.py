"""How a query is sent to a SPARQL server (graph.remote), checked without one."""

import pyoxigraph as ox
import pytest

from graph import remote
from vocab.namespace import GRAPH, HWB, ID

IRI = ox.NamedNode(str(ID["plan/x"]))
VALUES = f"VALUES (?s) {{ ({IRI}) }}"


@pytest.mark.parametrize(
    ("text", "form", "sent"),
    [
        ("SELECT * WHERE { ?s ?p ?o }", "SELECT", f"SELECT * WHERE {{ {VALUES}  ?s ?p ?o }}"),
        ("ASK { ?s ?p ?o }", "ASK", f"ASK {{ {VALUES}  ?s ?p ?o }}"),
        ("DESCRIBE ?s", "DESCRIBE", f"DESCRIBE ?s WHERE {{ {VALUES} }}"),
        ("CONSTRUCT { ?s ?p ?o } { ?s ?p ?o }", "CONSTRUCT",
         f"CONSTRUCT {{ ?s ?p ?o }} {{ {VALUES}  ?s ?p ?o }}"),
        ("CONSTRUCT WHERE { ?s ?p ?o }", "CONSTRUCT", f"CONSTRUCT WHERE {{ {VALUES}  ?s ?p ?o }}"),
        ("SELECT (EXISTS { ?s ?p 1 } AS ?e) { ?s ?p ?o }", "SELECT",
         f"SELECT (EXISTS {{ ?s ?p 1 }} AS ?e) {{ {VALUES}  ?s ?p ?o }}"),
        ('# a "{" in a comment\nSELECT * { ?s ?p "}" }', "SELECT",
         f'# a "{{" in a comment\nSELECT * {{ {VALUES}  ?s ?p "}}" }}'),
    ],
)  # fmt: skip
def test_bindings_open_the_where_group(text, form, sent):
    assert remote.prepare(text, {}, {ox.Variable("s"): IRI}) == (form, sent)


def test_literals_are_written_escaped_and_prefixes_declared_first():
    tricky = ox.Literal('a "quoted"\n} line', language="en")
    form, sent = remote.prepare("ASK { ?s ?p ?o }", {"hwb": str(HWB._NS)}, {"o": tricky})
    assert sent == (
        f"PREFIX hwb: <{HWB._NS}>\n"
        'ASK { VALUES (?o) { ("a \\"quoted\\"\\n} line"@en) }  ?s ?p ?o }'
    )


def test_a_blank_node_cannot_be_bound():
    with pytest.raises(ValueError, match=r"\?s is bound to a blank node"):
        remote.prepare("ASK { ?s ?p ?o }", {}, {"s": ox.BlankNode()})


def test_graph_names_are_relocated_under_the_build_and_back():
    query = f"SELECT * {{ GRAPH <{GRAPH['ontology']}> {{ ?s ?p ?o }} }}"
    moved = remote.relocate(query, "B1")
    assert moved == f"SELECT * {{ GRAPH <{GRAPH['build/B1/ontology']}> {{ ?s ?p ?o }} }}"
    assert remote.restore(moved.encode(), "B1").decode() == query


@pytest.mark.parametrize(
    ("text", "sent"),
    [
        ("SELECT * FROM <http://e/g> WHERE { GRAPH ?g {} }",
         "SELECT * FROM <http://e/g> FROM NAMED <http://e/none> WHERE { GRAPH ?g {} }"),
        ("SELECT * FROM <http://e/g> { GRAPH ?g {} }",
         "SELECT * FROM <http://e/g> FROM NAMED <http://e/none> { GRAPH ?g {} }"),
        ("SELECT * FROM NAMED <http://e/g> { GRAPH ?g {} }",
         "SELECT * FROM NAMED <http://e/g> { GRAPH ?g {} }"),
        ("SELECT * FROM <http://e/g> FROM NAMED <http://e/h> { GRAPH ?g {} }",
         "SELECT * FROM <http://e/g> FROM NAMED <http://e/h> { GRAPH ?g {} }"),
        ("SELECT ?from { ?from ?p ?o }", "SELECT ?from { ?from ?p ?o }"),
    ],
)  # fmt: skip
def test_a_query_from_graphs_gets_no_named_graphs_but_its_own(text, sent):
    assert remote.prepare(text, {}, {}, "http://e/none") == ("SELECT", sent)
