"""What the listing pages read, computed once per build (graph/digests.py).

The home page's plans with their counts, the validation report's results and the audit
worklist are analyses of the whole graph: per request, they grew with it (the worklist
took 6 s at 50 documents). `hwbkg build` computes each once into the build's folder, with
what filtering and paging need (the worklist's gaps indexed by plan and organisation, and
their counts), so a page reads one JSON file per build and then only slices it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from graph import audit, digests, sparql, validate

LABEL = (
    "OPTIONAL { ?%(v)s skos:prefLabel ?%(v)s_label } OPTIONAL { ?%(v)s skos:notation ?%(v)s_no }"
)
PLANS = f"""
SELECT ?plan ?plan_label ?plan_no ?kind ?kind_label ?period ?issued ?publisher ?publisher_label
       ?publisher_no WHERE {{
  ?plan a ?kind . ?kind rdfs:subClassOf hwb:Plan .
  OPTIONAL {{ ?plan hwb:period ?period }}
  OPTIONAL {{ ?plan dcterms:issued ?issued }}
  OPTIONAL {{ ?plan dcterms:publisher ?publisher . {LABEL % {"v": "publisher"}} }}
  {LABEL % {"v": "plan"}} OPTIONAL {{ ?kind rdfs:label ?kind_label }}
}}
"""
"""The plans the sources describe: typed with a kind of plan (hwb:Strategy...). Plans only
named as a related strategy are plain hwb:Plan and are counted apart (REFERENCED)."""
COUNTS = """
SELECT ?plan ?what (COUNT(DISTINCT ?x) AS ?n) WHERE {
  { ?x hwb:plan ?plan ; a hwb:Theme . BIND("themes" AS ?what) }
  UNION { ?class rdfs:subClassOf* hwb:Priority . ?x a ?class ; hwb:plan ?plan .
          BIND("priorities" AS ?what) }
  UNION { ?x hwb:plan ?plan ; a hwb:Action . BIND("actions" AS ?what) }
  UNION { ?item hwb:plan ?plan ; hwb:measure ?x . BIND("measures" AS ?what) }
  UNION { ?item hwb:plan ?plan ; (hwb:rationale|hwb:improvementPlan|hwb:progress)? ?named .
          ?named hwb:leadPartner|hwb:partner|hwb:mention/hwb:refersTo ?x .
          BIND("organisations" AS ?what) }
} GROUP BY ?plan ?what
"""
"""Per plan: its themes, priorities (of every kind), actions, the measures its items name,
and the organisations its items (or their statements) name as lead or partner. ?plan has
no type test: it made Oxigraph three times slower."""
COUNTED = ("themes", "priorities", "actions", "measures", "organisations")
REFERENCED = "SELECT (COUNT(DISTINCT ?plan) AS ?n) WHERE { ?plan a hwb:Plan }"


def _named(row, var: str) -> list[str] | None:
    """``[IRI, label, printed number]`` of ``?var`` ("" for what it lacks), None if unbound."""
    if row[var] is None:
        return None
    return [
        row[var].value,
        sparql.term_text(row[f"{var}_label"]),
        sparql.term_text(row[f"{var}_no"]),
    ]


@digests.digest("plans")
def plans(store: ox.Store) -> dict:
    """The described plans (IRI, label, printed number, kind, period, issued, publishers and
    :data:`COUNTED`), by title; and how many plans are only referred to."""
    found: dict[str, dict] = {}
    for row in sparql.run(store, PLANS).results:
        plan = found.setdefault(
            row["plan"].value,
            {
                "plan": _named(row, "plan"),
                "kind": [row["kind"].value, sparql.term_text(row["kind_label"]), ""],
                "period": sparql.term_text(row["period"]),
                "issued": sparql.term_text(row["issued"]),
                "publishers": [],
                **dict.fromkeys(COUNTED, 0),
            },
        )
        publisher = _named(row, "publisher")
        if publisher and publisher not in plan["publishers"]:
            plan["publishers"].append(publisher)
    for row in sparql.run(store, COUNTS).results:
        if row["plan"].value in found:  # an item of a plan only referenced: not listed
            found[row["plan"].value][row["what"].value] = int(row["n"].value)
    referenced = next(iter(sparql.run(store, REFERENCED).results))["n"].value
    ordered = sorted(found.values(), key=lambda p: (p["plan"][1] or p["plan"][0]).lower())
    return {"plans": ordered, "referenced": int(referenced)}


def report_records(folder: Path) -> list[validate.Record]:
    """The SHACL results of the build in ``folder``, from the report it saved."""
    return validate.records(Graph().parse(folder / validate.REPORT_FILE, format="turtle"))


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
