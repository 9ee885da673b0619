"""The SPARQL behind plan alignment, and the build's digest of what it reads.

Alignment reads the plans' themes and priorities, every mapping record and what each
action and priority hangs from (:func:`load`). That is the whole graph, so `hwbkg build`
reads it once and keeps it as the ``alignment`` digest (graph/digests.py); pages and the
CLI read that (:func:`from_digest`) and compute only the matrix they show.

Three readable queries say what is read; an evidence pack holds them (webapp/alignment.py).
Over every plan at once Oxigraph plans their joins badly (at 100x, 505 documents, they ran
82 s): the items' OPTIONALs multiplied the rows of a node restated in many documents, and
the serving path was followed from every action. :func:`load` reads the same with small
queries, one pattern or a type and its facts each, joined in Python as
graph/network_whole.py does; tests/test_alignment.py checks both give the same data.
"""

from __future__ import annotations

from dataclasses import astuple

import pyoxigraph as ox
from rdflib.namespace import DCTERMS, OWL, RDFS, SKOS

from graph import digests, facts, sparql
from graph.alignment import KIND_OF, NO_EQUIVALENT, Data, Item, Plan, Record, local
from vocab.namespace import HWB

# The readable queries: an evidence pack holds them (webapp/alignment.py), and a reader runs
# them to see where the pages' data comes from. load() reads the same with LEVELS and after.
ITEMS_QUERY = """
SELECT DISTINCT ?item ?level ?label ?notation ?line ?theme ?plan ?planLabel ?period WHERE {
  { SELECT DISTINCT ?item ?level WHERE {
    { ?item a hwb:Theme . BIND("theme" AS ?level) }
    UNION
    { ?item a/rdfs:subClassOf* hwb:Priority . FILTER NOT EXISTS { ?item a hwb:Theme }
      BIND("priority" AS ?level) } } }
  ?item hwb:plan ?plan ; skos:prefLabel ?label .
  OPTIONAL { FILTER(?level = "priority") ?item hwb:theme ?theme }
  OPTIONAL { ?item skos:notation ?notation }
  OPTIONAL { ?item hwb:sourceLine ?line }
  { SELECT DISTINCT ?plan ?planLabel ?period WHERE {
      ?x hwb:plan ?plan . ?plan skos:prefLabel ?planLabel .
      OPTIONAL { ?plan hwb:period ?period } } }
}
"""
"""Themes and priorities with their plans. The items are found (each once) before anything
is joined to them, and the plans' labels apart: joined in one flat pattern, Oxigraph took
4 s at 50 documents (a priority typed through several subclasses repeats every row)."""
RECORDS_QUERY = """
SELECT ?record ?subject ?property ?target ?justification ?confidence ?creator ?date ?comment
       ?set ?document ?line WHERE {
  ?record a hwb:Mapping ; owl:annotatedSource ?subject ; owl:annotatedProperty ?property ;
          owl:annotatedTarget ?target .
  OPTIONAL { ?record hwb:mappingJustification ?justification }
  OPTIONAL { ?record hwb:confidence ?confidence }
  OPTIONAL { ?record dcterms:creator ?creator }
  OPTIONAL { ?record dcterms:date ?date }
  OPTIONAL { ?record rdfs:comment ?comment }
  OPTIONAL { ?record dcterms:source ?set }
  OPTIONAL { ?record hwb:sourceDocument ?document ; hwb:sourceLine ?line }
}
"""
SERVING_QUERY = """
SELECT DISTINCT ?thing ?kind ?plan ?start WHERE {
  ?thing hwb:plan ?plan .
  { ?thing a hwb:Action . BIND("action" AS ?kind) }
  UNION
  { ?thing a/rdfs:subClassOf* hwb:Priority . BIND("priority" AS ?kind) }
  ?thing (hwb:priority|skos:broader|hwb:theme)* ?start .
}
"""
"""Each action or priority with everything it hangs from (itself, its priority, theme...)."""

PLAN, LABEL, NOTATION, LINE, THEME, PERIOD = (
    str(term) for term in (HWB.plan, SKOS.prefLabel, SKOS.notation, HWB.sourceLine, HWB.theme,
                           HWB.period)
)  # fmt: skip
SOURCE, PROPERTY, TARGET = (
    str(term) for term in (OWL.annotatedSource, OWL.annotatedProperty, OWL.annotatedTarget)
)
DOCUMENT = str(HWB.sourceDocument)
RECORD_FIELDS = {
    str(HWB.mappingJustification): "justification",
    str(HWB.confidence): "confidence",
    str(DCTERMS.creator): "creator",
    str(DCTERMS.date): "date",
    str(RDFS.comment): "comment",
    str(DCTERMS.source): "mapping_set",
}
"""A mapping record's optional facts, by the Record field each fills."""

# The queries load() runs: the same data as the three above, from patterns Oxigraph answers
# by index lookups; the joins are done in Python.
LEVELS = {
    "theme": "?item a hwb:Theme .",
    "priority": "?class rdfs:subClassOf* hwb:Priority . ?item a ?class .",
}
"""How the items of each level are found; an item typed as both is a theme."""
ITEM_FACTS = """SELECT DISTINCT ?item ?property ?value WHERE {
  %s ?item ?property ?value .
  FILTER(?property IN (hwb:plan, skos:prefLabel, skos:notation, hwb:sourceLine, hwb:theme)) }"""
"""What the items of one level (LEVELS) say of themselves. One level at a time, and the
properties filtered: a UNION of the levels, or a pattern per property, had Oxigraph scan
every triple of each property (30 s at 100x, where this takes 0.6 s)."""
PLAN_FACTS = """SELECT DISTINCT ?plan ?property ?value WHERE {
  VALUES ?plan { %s } ?plan ?property ?value FILTER(?property IN (skos:prefLabel, hwb:period)) }"""
"""The label and period of the items' plans (a plan's every statement, not the items')."""
RECORD_FACTS = """SELECT DISTINCT ?record ?property ?value WHERE {
  ?record a hwb:Mapping ; ?property ?value }"""
"""Everything each mapping record says (about a dozen facts)."""
THINGS = """SELECT DISTINCT ?thing ?kind ?plan WHERE {
  { ?thing a hwb:Action ; hwb:plan ?plan BIND("action" AS ?kind) }
  UNION { ?class rdfs:subClassOf* hwb:Priority . ?thing a ?class ; hwb:plan ?plan
          BIND("priority" AS ?kind) } }"""
"""The actions and priorities with their plans, where SERVING_QUERY's path starts."""
UPWARD = "SELECT DISTINCT ?from ?to WHERE { ?from hwb:priority|skos:broader|hwb:theme ?to }"
"""One step of SERVING_QUERY's path (walked in Python, graph.facts.reachable)."""


def load(store: ox.Store) -> Data:
    """Read plans, items, mapping records and what serves what from the graph."""
    items, plans = _items(store)
    return Data(plans, items, _records(store), _serving(store, items))


def _items(store: ox.Store) -> tuple[dict[str, Item], dict[str, Plan]]:
    """Themes and priorities by IRI, and their plans by slug, as ITEMS_QUERY finds them: an
    item needs a label and a plan with a label. Where the graph gives a fact several values,
    the least is taken, so the choice never depends on the engine's answer order."""
    found: dict[str, tuple[str, dict[str, list[str]]]] = {}
    for level, pattern in LEVELS.items():
        for iri, said in facts.read(store, ITEM_FACTS % pattern).items():
            found.setdefault(iri, (level, said))
    plans = _plans(store, {plan for _, said in found.values() for plan in said[PLAN]})
    items, used = {}, set()
    for iri, (level, said) in sorted(found.items()):
        own = sorted(plan for plan in said[PLAN] if plan in plans)
        if not own or not said[LABEL]:
            continue
        used.update(own)
        themes = tuple(sorted(said[THEME])) if level == "priority" else ()
        line = min(map(int, said[LINE]), default=0)
        items[iri] = Item(iri, own[0], level, min(said[LABEL]), min(said[NOTATION], default=""),
                          themes, line)  # fmt: skip
    return items, {plans[iri].slug: plans[iri] for iri in sorted(used)}


def _plans(store: ox.Store, iris: set[str]) -> dict[str, Plan]:
    """The plans among ``iris`` that have a label, by IRI."""
    if not iris:
        return {}
    found = {}
    for iri, said in facts.read(store, PLAN_FACTS % facts.values(iris)).items():
        if said[LABEL]:
            period = min(said[PERIOD], default="")
            found[iri] = Plan(local(iri, "plan"), iri, min(said[LABEL]), period)
    return found


def _records(store: ox.Store) -> list[Record]:
    """The mapping records of a kind alignment handles, by IRI (as RECORDS_QUERY reads them)."""
    records = []
    for iri, said in sorted(facts.read(store, RECORD_FACTS).items()):
        if not all(said[p] for p in (SOURCE, PROPERTY, TARGET)):
            continue
        prop = min(said[PROPERTY])
        kind = NO_EQUIVALENT if prop == str(HWB.noEquivalentIn) else KIND_OF.get(prop, "")
        if not kind:
            continue
        text = {name: min(said[p], default="") for p, name in RECORD_FIELDS.items()}
        stated = said[DOCUMENT] and said[LINE]
        records.append(
            Record(iri, min(said[SOURCE]), kind, min(said[TARGET]), **text,
                   document=min(said[DOCUMENT]) if stated else "",
                   line=min(map(int, said[LINE])) if stated else None)
        )  # fmt: skip
    return records


def _serving(store: ox.Store, items: dict[str, Item]) -> list[tuple[str, str, str, str]]:
    """(thing, kind, plan, item) for each action or priority and each of ``items`` it hangs
    from (itself included), as SERVING_QUERY gives them: its path walked in Python. Only
    items are kept: coverage starts from one, and nothing else is ever looked up."""
    above = facts.steps(store, UPWARD)
    found = set()
    for thing, kind, plan in sparql.run(store, THINGS).results:
        for start in facts.reachable(thing.value, above) & items.keys():
            found.add((thing.value, kind.value, plan.value, start))
    return sorted(found)


@digests.digest("alignment")
def digest(store: ox.Store) -> dict[str, list]:
    """:func:`load`'s data as JSON rows, each list in IRI order, for the build to keep
    (:func:`from_digest` reads it)."""
    data = load(store)
    return {
        "plans": [astuple(plan) for plan in data.plans.values()],
        "items": [astuple(item) for item in data.items.values()],
        "records": [astuple(record) for record in data.records],
        "serving": data.serving,
    }


def from_digest(found: dict[str, list]) -> Data:
    """The Data a digest holds (what :func:`digest` wrote)."""
    plans = {row[0]: Plan(*row) for row in found["plans"]}
    items = {row[0]: Item(*row[:5], tuple(row[5]), row[6]) for row in found["items"]}
    records = [Record(*row) for row in found["records"]]
    return Data(plans, items, records, [tuple(row) for row in found["serving"]])
