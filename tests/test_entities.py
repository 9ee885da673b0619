"""Linked-data pages: /id/<path> and /def, as HTML or RDF, and their 404s.

Values checked by hand against data/sources/leicester-jhwb-action-plan-2018-23.txt,
line 45: "1.2.  Support initiatives to increase healthy options in fast food outlets
(Stretch)  LCC  Local Plan  TBA".
"""

from __future__ import annotations

import json

import pyoxigraph as ox
import pytest

from graph import sparql, void
from vocab.ids import mint
from vocab.namespace import HWB
from webapp import entities, graphstore

ACTION = "/id/action/leicester-jhwb-action-plan-2018-23/1.2"
ACTION_IRI = str(mint("action", "leicester-jhwb-action-plan-2018-23", "1.2"))
LCC_IRI = str(mint("org", "leicester-city-council"))


def test_entity_page_shows_label_types_properties_and_provenance(client):
    response = client.get(ACTION)
    assert response.status_code == 200 and response.mimetype == "text/html"
    html = response.get_data(as_text=True)
    assert (
        "<h1>1.2. Support initiatives to increase healthy options in fast food outlets</h1>" in html
    )
    assert ACTION_IRI in html
    assert 'href="/def/Action"' in html
    assert 'href="/id/org/leicester-city-council">Leicester City Council</a>' in html
    assert 'href="/id/plan/local-plan">Local Plan</a>' in html
    assert ">Stretch<" in html
    assert 'href="/sources/leicester-jhwb-action-plan-2018-23#L45"' in html
    assert "leicester-jhwb-action-plan-2018-23.txt, line 45" in html


def test_entity_page_groups_incoming_links(client):
    html = client.get("/id/org/leicester-city-council").get_data(as_text=True)
    assert "Linked from" in html
    assert f'href="{ACTION}"' in html
    assert 'href="/organisations/leicester-city-council"' in html


def test_html_page_announces_its_rdf_twins(client):
    link = client.get(ACTION).headers["Link"]
    assert f'<{ACTION}.ttl>; rel="alternate"; type="text/turtle"' in link
    assert f'<{ACTION}.jsonld>; rel="alternate"; type="application/ld+json"' in link
    assert f'<{ACTION}.nt>; rel="alternate"; type="application/n-triples"' in link


@pytest.mark.parametrize(
    ("accept", "media"),
    [
        ("text/turtle", "text/turtle"),
        ("application/ld+json", "application/ld+json"),
        ("application/n-triples", "application/n-triples"),
    ],
)
def test_accept_header_negotiates_rdf(client, accept, media):
    response = client.get(ACTION, headers={"Accept": accept})
    assert response.status_code == 200 and response.mimetype == media
    assert "Accept" in response.headers["Vary"]
    assert "fast food outlets" in response.get_data(as_text=True)


def test_browser_accept_header_gets_html(client):
    accept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    assert client.get(ACTION, headers={"Accept": accept}).mimetype == "text/html"


def test_ntriples_suffix_gives_the_resource_triples(client):
    response = client.get(ACTION + ".nt")
    assert response.mimetype == "application/n-triples"
    lines = response.get_data(as_text=True).splitlines()
    assert f"<{ACTION_IRI}> <{HWB.leadPartner}> <{LCC_IRI}> ." in lines
    xsd_integer = "http://www.w3.org/2001/XMLSchema#integer"
    assert f'<{ACTION_IRI}> <{HWB.sourceLine}> "45"^^<{xsd_integer}> .' in lines
    assert all(line.startswith(f"<{ACTION_IRI}>") for line in lines if line)


def test_jsonld_suffix_is_json(client):
    response = client.get(ACTION + ".jsonld")
    assert response.mimetype == "application/ld+json"
    assert ACTION_IRI in json.dumps(json.loads(response.get_data(as_text=True)))


def test_turtle_suffix(client):
    response = client.get(ACTION + ".ttl")
    assert response.mimetype == "text/turtle"
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "Support initiatives to increase healthy options" in response.get_data(as_text=True)


def test_unknown_iri_is_a_404_page(client):
    response = client.get("/id/action/no-such-plan/1.1")
    assert response.status_code == 404 and response.mimetype == "text/html"
    assert "Nothing in the graph has this address" in response.get_data(as_text=True)


def test_unknown_iri_with_rdf_suffix_is_a_plain_404(client):
    response = client.get("/id/action/no-such-plan/1.1.ttl")
    assert response.status_code == 404 and response.mimetype == "text/plain"


def test_unknown_suffix_is_not_a_format(client):
    assert client.get(ACTION + ".xml").status_code == 404


def test_ontology_page_lists_classes_and_properties(client):
    response = client.get("/def")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="Action"' in html and 'id="leadPartner"' in html
    assert 'href="/def.ttl"' in html


@pytest.mark.parametrize("suffix", ["ttl", "jsonld", "nt"])
def test_ontology_as_rdf(client, suffix):
    response = client.get(f"/def.{suffix}")
    assert response.status_code == 200
    assert "MeasurePlaceholder" in response.get_data(as_text=True)


def test_ontology_negotiates_turtle(client):
    response = client.get("/def", headers={"Accept": "text/turtle"})
    assert response.mimetype == "text/turtle" and "MeasurePlaceholder" in response.get_data(
        as_text=True
    )


def test_term_page_counts_instances(client):
    html = client.get("/def/MeasurePlaceholder").get_data(as_text=True)
    assert "MeasurePlaceholder" in html
    # 30 TBA/TBC/? cells in Leicester's 2018-23 plan, 1 in Harborough's, 2 in the 2021 proposals
    assert "33 instances in the graph" in html


def test_property_page_counts_uses(client):
    html = client.get("/def/leadPartner").get_data(as_text=True)
    # 155 action lead-partner cells and 2 statements naming a lead
    assert "Used in 157 statements" in html


def test_term_as_turtle(client):
    response = client.get("/def/Action.ttl")
    assert response.mimetype == "text/turtle"
    assert "A row of an action plan" in response.get_data(as_text=True)


def test_unknown_term_is_a_404(client):
    response = client.get("/def/NoSuchTerm")
    assert response.status_code == 404
    assert "The ontology has no term of that name" in response.get_data(as_text=True)
    assert client.get("/def/NoSuchTerm.nt").mimetype == "text/plain"


@pytest.mark.parametrize("name", ["Statement", "Action", "leadPartner", "plan"])
def test_uses_read_from_the_void_statistics_equal_a_count(app, oxigraph, name):
    node = ox.NamedNode(str(HWB._NS) + name)
    with app.test_request_context():
        graphstore._pin()
        counted = void.uses(oxigraph, node.value)
        is_class = name[0].isupper()
        query = entities.CLASS_USES if is_class else entities.PROPERTY_USES
        found = next(iter(sparql.run(oxigraph, query, {"t": node}).results))["n"].value
        assert counted == int(found) == entities._uses(node, is_class)


def test_links_in_are_shown_fifty_per_property_with_how_many_more(client):
    """Leicester City Council leads 71 items and 78 statements refer to it (counted in the
    graph): the page lists 50 of each and says how many more; its own page lists them all."""
    html = client.get("/id/org/leicester-city-council").get_data(as_text=True)
    assert '<li class="more">and 21 more</li>' in html
    assert '<li class="more">and 28 more</li>' in html
    assert html.count('<li class="more">') == 2
    assert html.count('href="/id/action/') + html.count('href="/id/priority/') >= 50
