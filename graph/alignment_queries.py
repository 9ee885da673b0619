"""The SPARQL behind plan alignment, and the build's digest of what it reads.

Three queries read the plans' themes and priorities, every mapping record and what each
action and priority hangs from (:func:`load`). They read the whole graph, so `hwbkg build`
runs them once and keeps their rows as the ``alignment`` digest (graph/digests.py); pages
and the CLI read that (:func:`from_digest`) and compute only the matrix they show.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import astuple

import pyoxigraph as ox

from graph import digests, sparql
from graph.alignment import KIND_OF, NO_EQUIVALENT, Data, Item, Plan, Record, local
from vocab.namespace import HWB

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


def load(store: ox.Store) -> Data:
    """Read plans, items, mapping records and what serves what from the graph."""
    items, plans = _items(sparql.run(store, ITEMS_QUERY).results)
    records = [_record(row) for row in sparql.run(store, RECORDS_QUERY).results]
    serving = [
        tuple(row[v].value for v in ("thing", "kind", "plan", "start"))
        for row in sparql.run(store, SERVING_QUERY).results
    ]
    return Data(plans, items, [r for r in records if r.kind], serving)


def _items(solutions: Iterable) -> tuple[dict[str, Item], dict[str, Plan]]:
    """Items (a priority's themes gathered from its several rows) and their plans."""
    rows = list(solutions)
    themes: dict[str, list[str]] = {}
    for row in rows:
        if row["theme"] is not None:
            themes.setdefault(row["item"].value, []).append(row["theme"].value)
    items, plans = {}, {}
    for row in rows:
        plan = row["plan"].value
        slug = local(plan, "plan")
        plans[slug] = Plan(slug, plan, row["planLabel"].value, sparql.term_text(row["period"]))
        iri = row["item"].value
        items[iri] = Item(iri, plan, row["level"].value, row["label"].value,
                          sparql.term_text(row["notation"]),
                          tuple(sorted(set(themes.get(iri, ())))),
                          int(row["line"].value) if row["line"] is not None else 0)  # fmt: skip
    return items, plans


def _record(row) -> Record:
    """A Record from a RECORDS_QUERY solution; ``kind`` is "" for a property not handled."""
    prop = row["property"].value
    kind = NO_EQUIVALENT if prop == str(HWB.noEquivalentIn) else KIND_OF.get(prop, "")
    names = ("justification", "confidence", "creator", "date", "comment", "set", "document")
    text = {name: sparql.term_text(row[name]) for name in names}
    return Record(
        row["record"].value, row["subject"].value, kind, row["target"].value,
        text["justification"], text["confidence"], text["creator"], text["date"],
        text["comment"], text["set"], text["document"],
        int(row["line"].value) if row["line"] is not None else None,
    )  # fmt: skip


@digests.digest("alignment")
def digest(store: ox.Store) -> dict[str, list]:
    """:func:`load`'s data as JSON rows, for the build to keep (:func:`from_digest` reads it).

    Only what hangs from a theme or priority is kept of ``serving``: coverage starts from
    an item, and the rest (an action hanging from itself) can never be reached from one.
    """
    data = load(store)
    return {
        "plans": [astuple(plan) for plan in data.plans.values()],
        "items": [astuple(item) for item in data.items.values()],
        "records": [astuple(record) for record in data.records],
        "serving": [row for row in data.serving if row[3] in data.items],
    }


def from_digest(found: dict[str, list]) -> Data:
    """The Data a digest holds (what :func:`digest` wrote)."""
    plans = {row[0]: Plan(*row) for row in found["plans"]}
    items = {row[0]: Item(*row[:5], tuple(row[5]), row[6]) for row in found["items"]}
    records = [Record(*row) for row in found["records"]]
    return Data(plans, items, records, [tuple(row) for row in found["serving"]])
