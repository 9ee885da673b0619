"""Nothing in a source is silently dropped: every non-blank line is in the graph or the report."""

import pytest
from rdflib import URIRef

from graph import settings
from graph.manifest import load_manifest
from vocab.namespace import HWB

SLUGS = [s.slug for s in load_manifest(settings.load()["MANIFEST"])]


@pytest.mark.parametrize("slug", SLUGS)
def test_every_content_line_is_accounted_for(load_doc, slug):
    doc = load_doc(slug)
    content = {number for number, _ in doc.content_lines()}
    missing = sorted(content - doc.report.accounted_lines())
    assert not missing, f"lines with no fate: {missing[:20]}"


@pytest.mark.parametrize("slug", SLUGS)
def test_lines_said_to_be_in_the_graph_are(load_doc, slug):
    doc = load_doc(slug)
    nodes = {e.node for e in doc.report.entries if e.outcome == "graph"}
    in_graph = set(doc.graph.subjects(HWB.sourceLine, None))
    assert nodes <= in_graph, sorted(nodes - in_graph)[:5]


@pytest.mark.parametrize("slug", SLUGS)
def test_every_reason_is_said(load_doc, slug):
    doc = load_doc(slug)
    assert all(e.reason for e in doc.report.entries if e.outcome != "graph")


@pytest.mark.parametrize("slug", SLUGS)
def test_every_node_read_from_the_source_says_where(load_doc, slug):
    doc = load_doc(slug)
    for node in set(doc.graph.subjects(HWB.sourceLine, None)):
        assert isinstance(node, URIRef)
        assert (node, HWB.sourceDocument, doc.source.document) in doc.graph
