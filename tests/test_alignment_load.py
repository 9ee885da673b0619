"""alignment_queries.load reads with small queries joined in Python what the three readable
queries of an evidence pack say, and counts a triple stated in several graphs once."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from graph import alignment_queries, sparql
from graph.alignment import KIND_OF, NO_EQUIVALENT
from vocab.namespace import HWB, ID


@pytest.fixture(scope="module")
def data(oxigraph):
    return alignment_queries.load(oxigraph)


def _rows(store, query):
    """A SELECT's rows as dicts of text ("" for unbound)."""
    columns, found = sparql.rows(sparql.run(store, query))
    return [dict(zip(columns, map(sparql.term_text, row), strict=True)) for row in found]


def test_the_items_and_plans_are_those_of_the_items_query(data, oxigraph):
    rows = _rows(oxigraph, alignment_queries.ITEMS_QUERY)
    facts = ("item", "level", "label", "notation", "line", "plan", "planLabel", "period")
    assert {tuple(row[f] for f in facts) for row in rows} == {
        (i.iri, i.level, i.label, i.notation, str(i.line or ""), i.plan,
         *[(p.label, p.period) for p in data.plans.values() if p.iri == i.plan][0])
        for i in data.items.values()
    }  # fmt: skip
    themes = {(row["item"], row["theme"]) for row in rows if row["theme"]}
    assert themes == {(i.iri, t) for i in data.items.values() for t in i.themes}
    assert len(data.items) == 102 and len(data.plans) == 7


def test_the_records_are_those_of_the_records_query(data, oxigraph):
    handled = {*KIND_OF, str(HWB.noEquivalentIn)}
    rows = [r for r in _rows(oxigraph, alignment_queries.RECORDS_QUERY) if r["property"] in handled]
    assert sorted(r["record"] for r in rows) == [r.iri for r in data.records]
    for row, record in zip(sorted(rows, key=lambda r: r["record"]), data.records, strict=True):
        assert (row["subject"], row["target"], row["document"], row["line"]) == (
            record.subject, record.target, record.document, str(record.line or ""),
        )  # fmt: skip
        assert (row["justification"], row["confidence"], row["set"]) == (
            record.justification, record.confidence, record.mapping_set,
        )  # fmt: skip
    assert sum(r.kind == NO_EQUIVALENT for r in data.records) > 0


def test_serving_is_what_the_serving_query_gives_from_every_item(data, oxigraph):
    rows = _rows(oxigraph, alignment_queries.SERVING_QUERY)
    expected = {tuple(r.values()) for r in rows if r["start"] in data.items}
    assert data.serving == sorted(expected) and len(expected) == 487


PLAN, THEME, PRIORITY, ACTION = (
    str(ID[name]) for name in ("plan/p", "theme/p/t", "priority/p/1", "action/p/1.1")
)
TWICE = f"""
<{PLAN}> skos:prefLabel "Plan P" ; hwb:period "2024" .
<{THEME}> a hwb:Theme ; hwb:plan <{PLAN}> ; skos:prefLabel "T" ; hwb:sourceLine 3 .
<{PRIORITY}> a hwb:Priority ; hwb:plan <{PLAN}> ; skos:prefLabel "One" ;
  skos:notation "1" ; hwb:theme <{THEME}> ; hwb:sourceLine 4 .
<{ACTION}> a hwb:Action ; hwb:plan <{PLAN}> ; hwb:priority <{PRIORITY}> .
"""
"""A plan with a theme, a priority and an action, which two documents both state."""


def test_a_plan_stated_in_two_graphs_is_read_once():
    store = ox.Store()
    for graph in ("a", "b"):
        graph = ox.NamedNode(f"http://example.org/{graph}")
        prefixes = "".join(f"@prefix {p}: <{iri}> .\n" for p, iri in sparql.PREFIXES.items())
        store.load(prefixes + TWICE, ox.RdfFormat.TURTLE, to_graph=graph)
    found = alignment_queries.load(store)
    assert list(found.plans) == ["p"] and found.plans["p"].period == "2024"
    priority = found.items[PRIORITY]
    assert (priority.label, priority.notation, priority.line) == ("One", "1", 4)
    assert priority.themes == (THEME,)
    assert found.serving == sorted(
        (thing, kind, PLAN, item)
        for thing, kind in ((ACTION, "action"), (PRIORITY, "priority"))
        for item in (PRIORITY, THEME)
    )
