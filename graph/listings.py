"""What the listing pages read, computed once per build (graph/digests.py).

The home page's plans with their counts, the validation report's results and the audit
worklist are analyses of the whole graph: per request, they grew with it (the worklist
took 6 s at 50 documents). `hwbkg build` computes each once into the build's folder, with
what filtering and paging need (the worklist's gaps indexed by plan and organisation, and
their counts), so a page reads one JSON file per build and then only slices it.
"""

from __future__ import annotations

import functools
from collections import Counter
from dataclasses import asdict
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph
from rdflib.namespace import DCTERMS, RDF, SKOS

from graph import audit, digests, facts, sparql, validate
from vocab.namespace import HWB

KINDS = """SELECT ?kind ?label WHERE {
  ?kind rdfs:subClassOf hwb:Plan OPTIONAL { ?kind rdfs:label ?label } }"""
"""The kinds of plan the sources describe (hwb:Strategy...). Plans only named as a related
strategy are plain hwb:Plan and are counted apart (REFERENCED)."""
PLANS = """SELECT DISTINCT ?plan ?property ?value WHERE {
  ?kind rdfs:subClassOf hwb:Plan . ?plan a ?kind ; ?property ?value .
  FILTER(?property IN (rdf:type, skos:prefLabel, skos:notation, hwb:period, dcterms:issued,
                       dcterms:publisher)) }"""
"""What each described plan says of itself, as (plan, property, value) rows joined in Python
(graph/facts.py): with its facts as OPTIONALs of one row, a plan restated in many
documents gave the product of its facts' repeats (624,318 rows and 15 s at 100x)."""
NAMES = """SELECT DISTINCT ?thing ?property ?value WHERE {
  VALUES ?thing { %s } ?thing ?property ?value
  FILTER(?property IN (skos:prefLabel, skos:notation)) }"""
"""The label and printed number of the plans' publishers."""
COUNTS = {
    "themes": "?x hwb:plan ?plan ; a hwb:Theme .",
    "priorities": "?class rdfs:subClassOf* hwb:Priority . ?x a ?class ; hwb:plan ?plan .",
    "actions": "?x hwb:plan ?plan ; a hwb:Action .",
    "measures": "?item hwb:plan ?plan ; hwb:measure ?x .",
}
"""Per plan: its themes, priorities (of every kind), actions and the measures its items
name, each ?x counted by COUNT_QUERY. ?plan has no type test: it made Oxigraph three times
slower."""
COUNT_QUERY = "SELECT ?plan (COUNT(DISTINCT ?x) AS ?n) WHERE {{ {} }} GROUP BY ?plan"
"""One query per count: as the branches of one UNION grouped by plan and count, Virtuoso
refused it ("different number of expected and generated columns")."""
ORGANISATIONS = {
    "plan": "SELECT ?item ?plan WHERE { ?item hwb:plan ?plan }",
    "statement": """SELECT ?item ?named WHERE {
  ?item hwb:rationale|hwb:improvementPlan|hwb:progress ?named }""",
    "named": """SELECT ?named ?org WHERE {
  { ?named hwb:leadPartner|hwb:partner ?org } UNION { ?named hwb:mention/hwb:refersTo ?org } }""",
}
"""The steps from a plan to the organisations its items, or their statements, name as lead
or partner, joined in Python (:func:`_organisations`). Counted by COUNT_QUERY, the joins
took 3.8 s of CPU at 100x, these 1.5 s."""
COUNTED = (*COUNTS, "organisations")
REFERENCED = "SELECT (COUNT(DISTINCT ?plan) AS ?n) WHERE { ?plan a hwb:Plan }"
TYPE, LABEL, NOTATION, PERIOD, ISSUED, PUBLISHER = (
    str(term) for term in (RDF.type, SKOS.prefLabel, SKOS.notation, HWB.period, DCTERMS.issued,
                           DCTERMS.publisher)
)  # fmt: skip


@digests.digest("plans")
def plans(store: ox.Store) -> dict:
    """The described plans (IRI, label, printed number, kind, period, issued, publishers and
    :data:`COUNTED`), by title; and how many plans are only referred to.

    Where a plan states a fact twice, the first value the store gives is shown."""
    kinds = {k.value: sparql.term_text(label) for k, label in sparql.run(store, KINDS).results}
    described = facts.read(store, PLANS)
    publishers = {org for said in described.values() for org in said[PUBLISHER]}
    names = facts.read(store, NAMES % facts.values(publishers)) if publishers else {}
    found = {iri: _plan(iri, said, kinds, names) for iri, said in described.items()}
    for what, pattern in COUNTS.items():
        for plan, n in sparql.run(store, COUNT_QUERY.format(pattern)).results:
            if plan.value in found:  # an item of a plan only referenced: not listed
                found[plan.value][what] = int(n.value)
    for plan, n in _organisations(store).items():
        if plan in found:
            found[plan]["organisations"] = n
    referenced = next(iter(sparql.run(store, REFERENCED).results))["n"].value
    ordered = sorted(found.values(), key=lambda p: (p["plan"][1] or p["plan"][0]).lower())
    return {"plans": ordered, "referenced": int(referenced)}


def _organisations(store: ox.Store) -> dict[str, int]:
    """How many organisations each plan's items, or their statements, name (ORGANISATIONS)."""
    plans, statements, named = (facts.steps(store, q) for q in ORGANISATIONS.values())
    found: dict[str, set[str]] = {}
    for item, own in plans.items():
        orgs = named.get(item, set()).union(*(named.get(s, ()) for s in statements.get(item, ())))
        for plan in own:
            found.setdefault(plan, set()).update(orgs)
    return {plan: len(orgs) for plan, orgs in found.items() if orgs}


def _plan(iri: str, said: dict[str, list[str]], kinds: dict, names: facts.BySubject) -> dict:
    """One plan of the digest, from its facts and its publishers' ``names``."""
    kind = next(k for k in said[TYPE] if k in kinds)
    return {
        "plan": _named(iri, said),
        "kind": [kind, kinds[kind], ""],
        "period": _first(said[PERIOD]),
        "issued": _first(said[ISSUED]),
        "publishers": [_named(org, names.get(org, {})) for org in said[PUBLISHER]],
        **dict.fromkeys(COUNTED, 0),
    }


def _named(iri: str, said: dict[str, list[str]]) -> list[str]:
    """``[IRI, label, printed number]`` ("" for what it lacks)."""
    return [iri, _first(said.get(LABEL, [])), _first(said.get(NOTATION, []))]


def _first(values: list[str]) -> str:
    return values[0] if values else ""


def report_records(folder: Path) -> tuple[validate.Record, ...]:
    """The SHACL results of the build in ``folder``, from the report it saved.

    Two digests read them, and parsing the report took a second at 100x: it is parsed once
    while the file is unchanged (same path, modification time and size)."""
    report = folder / validate.REPORT_FILE
    found = report.stat()
    return _parsed(report, found.st_mtime_ns, found.st_size)


@functools.lru_cache(maxsize=1)
def _parsed(report: Path, _modified: int, _size: int) -> tuple[validate.Record, ...]:
    return tuple(validate.records(Graph().parse(report, format="turtle")))


@digests.digest("validation", reads_folder=True)
def validation(_store: ox.Store, folder: Path) -> dict:
    """The counts per severity and every result (violations first) of the build's report."""
    records = report_records(folder)
    counts = Counter({severity: 0 for severity in validate.SEVERITIES})
    counts.update(r.severity for r in records)
    return {"counts": dict(counts), "records": [asdict(r) for r in records]}


@digests.digest("audit", reads_folder=True)
def worklist(store: ox.Store, folder: Path) -> dict:
    """Every gap (graph/audit.py), in the worklist's order; the positions of each plan's
    and each organisation's gaps in it; and the filters' choices with their gap counts."""
    gaps = audit.worklist(store, report_records(folder))
    index: dict[str, dict[str, list[int]]] = {name: {} for name in audit.FILTERS}
    for number, gap in enumerate(gaps):
        index["plan"].setdefault(gap.plan, []).append(number)
        for iri, _ in gap.organisations:
            index["organisation"].setdefault(iri, []).append(number)
    return {
        "gaps": [asdict(g) for g in gaps],
        "index": index,
        "by_plan": [
            [iri, label, dict(kinds)] for (iri, label), kinds in audit.counts(gaps, "plan").items()
        ],
        "choices": {
            by: [
                [iri, label, sum(kinds.values())]
                for (iri, label), kinds in audit.counts(gaps, by).items()
                if iri
            ]
            for by in audit.FILTERS
        },
    }
