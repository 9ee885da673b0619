"""The audit worklist: the gaps in the sources an analyst must chase, plan by plan.

Two reports in the graph name the gaps, and the worklist joins them into one table:

- the SHACL warnings (graph/validate.py): a placeholder where a measure should be
  (TBA, TBC, "?", "To be determined", blank), no measure at all, an action with no lead
  partner the registry knows, a partner name the registry does not know;
- the load report (``hwb:LoadIssue`` nodes): lines a loader could not fully read.

Violations are left out: they mean the graph is broken, not the sources, and belong on the
validation page. Each gap is then placed by SPARQL: the plan it belongs to, the
organisations named on its row (so a partner can see the gaps in its own work) and the
source line to check. A load issue names only a line, so its row is the work item read
from that line, and its plan, failing that, the plan the document itself is.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from graph import facts, sparql
from graph.evidence import View
from graph.validate import Record, records, saved_report
from vocab.ids import mint

KINDS = {
    "MeasureIsPlaceholder": "placeholder measure",
    "ActionMeasured": "missing measure",
    "ProposedPriorityMeasured": "missing measure",
    "Action-leadPartner-given": "no lead",
    "PartnerMention-resolved": "unknown partner alias",
}
"""SHACL shape (local name) -> kind of gap; any other warning is kept as "other warning"."""
LOAD_ISSUE = "load issue"
ORDER = [*dict.fromkeys(KINDS.values()), "other warning", LOAD_ISSUE]

COLUMNS = [
    "kind",
    "plan",
    "plan_label",
    "node",
    "label",
    "detail",
    "organisations",
    "organisation_labels",
    "file",
    "line",
]

# The focus node, and for a partner mention the action or priority that prints it (its
# "owner"): plan, label and organisations are the owner's, the line is the focus node's.
# ?kind picks what the source printed: the placeholder, the unknown name, the lead cell.
# The line, document and file are three OPTIONALs: as one, Oxigraph read every node's line
# and document before joining them to the warnings (about 7 s of 8.7 at 100x).
WARNED = """
SELECT ?node ?kind ?owner ?label ?notation ?plan ?planLabel ?doc ?file ?line
       ?printed ?org ?orgLabel WHERE {
  VALUES (?node ?kind) { %s }
  OPTIONAL { ?mentioner hwb:mention ?node }
  BIND(COALESCE(?mentioner, ?node) AS ?owner)
  OPTIONAL { ?owner skos:prefLabel ?label } OPTIONAL { ?owner skos:notation ?notation }
  OPTIONAL { ?owner hwb:plan ?plan . ?plan skos:prefLabel ?planLabel }
  OPTIONAL { ?node hwb:sourceLine ?line } OPTIONAL { ?node hwb:sourceDocument ?doc }
  OPTIONAL { ?doc hwb:fileName ?file }
  OPTIONAL { FILTER(?kind = "placeholder measure")
             ?node hwb:measurePlaceholder/skos:prefLabel ?placeholder }
  OPTIONAL { ?node hwb:mentionText ?mentionText }
  OPTIONAL { FILTER(?kind = "no lead")
             ?node hwb:mention ?lead . ?lead hwb:mentionRole "lead" ; hwb:mentionText ?leadText }
  BIND(COALESCE(?placeholder, ?mentionText, ?leadText) AS ?printed)
  OPTIONAL { ?owner hwb:leadPartner|hwb:partner ?org . ?org skos:prefLabel ?orgLabel }
}
"""
# An unknown partner alias is reported twice, by the loader and by the SHACL warning on
# its mention; the warning knows the mention and its row, so the loader's copy is dropped.
LOAD_ISSUES = """
SELECT ?node ?doc ?file ?line ?printed WHERE {
  ?node a hwb:LoadIssue ; hwb:reason ?printed ; hwb:sourceLine ?line ; hwb:sourceDocument ?doc .
  ?doc hwb:fileName ?file .
  FILTER(!STRSTARTS(?printed, "unknown partner alias"))
}
"""
LINE_OWNERS = """
SELECT DISTINCT ?owner ?doc ?line ?ownerPlan WHERE {
  VALUES ?doc { %s }
  GRAPH ?g { ?owner hwb:plan ?ownerPlan ; hwb:sourceDocument ?doc ; hwb:sourceLine ?line }
}
"""
"""The nodes of the documents with load issues, by line: an issue belongs to the nodes
stated on its line (joined in Python: inside one query Oxigraph's join of line numbers,
which every document shares, grew with the issues times the graph). A node's facts are
paired in the graph that states them: a theme restated in many documents has a document and
a line in each, and across graphs every document was paired with every line (718,979 rows
at 100x, 20 s; 37,067 paired in their graphs)."""
OWNERS = """
SELECT ?owner ?label ?notation ?org ?orgLabel WHERE {
  VALUES ?owner { %s }
  OPTIONAL { ?owner skos:prefLabel ?label } OPTIONAL { ?owner skos:notation ?notation }
  OPTIONAL { ?owner hwb:leadPartner|hwb:partner ?org . ?org skos:prefLabel ?orgLabel }
}
"""
DOCUMENT_PLANS = """
SELECT ?doc ?plan ?planLabel WHERE {
  ?doc a hwb:SourceDocument ; dcterms:title ?planLabel .
  ?kind rdfs:subClassOf hwb:Plan .
  ?plan a ?kind ; hwb:sourceDocument ?doc ; skos:prefLabel ?planLabel .
}
"""
"""The plan each document is: the build gives a document the title of its plan
(graph/build.py). A load issue with no owner on its line belongs to it. Asked apart and
joined in Python: inside LOAD_ISSUES, Oxigraph matched the title against every label once
per issue, a cost that grew with the issues times the graph. Only nodes typed as a kind of
plan are matched: every node of the document had its labels compared (1.4 s at 100x)."""
PLAN_LABELS = (
    "SELECT ?plan ?planLabel WHERE { VALUES ?plan { %s } ?plan skos:prefLabel ?planLabel }"
)

FILTERS = {
    "plan": (
        "plan",
        "SELECT ?x ?label WHERE { ?x a/rdfs:subClassOf* hwb:Plan ; skos:prefLabel ?label }",
    ),
    "organisation": (
        "org",
        "SELECT ?x ?label WHERE { ?x a org:Organization ; skos:prefLabel ?label }",
    ),
}
"""Filter -> the kind its slug is minted as, and the query that checks the IRI bound to ?x."""


class UnknownFilter(LookupError):
    """A filter names no plan or organisation in the graph; the message says which."""


@dataclass(frozen=True)
class Gap:
    """One row of the worklist: what is missing, where to look, and whose work it is.

    ``node`` is the IRI the gap is about (the action, priority or mention warned about,
    or the load issue); ``label`` the row's printed number and text; ``detail`` what the
    source printed (the placeholder, the unknown name) or why the line could not be read.
    """

    kind: str
    plan: str
    plan_label: str
    node: str
    label: str
    detail: str
    organisations: tuple[tuple[str, str], ...]
    document: str
    file: str
    line: int | None

    def row(self) -> list[str]:
        """The gap as CSV cells, in the order of COLUMNS."""
        return [
            self.kind,
            self.plan,
            self.plan_label,
            self.node,
            self.label,
            self.detail,
            " ".join(iri for iri, _ in self.organisations),
            "; ".join(label for _, label in self.organisations),
            self.file,
            "" if self.line is None else str(self.line),
        ]


def shacl_records(build_dir: Path, shapes_dir: Path) -> list[Record]:
    """The SHACL results of the built graph, from the report saved beside it.

    Raises graph.store.StoreMissing when nothing has been built.
    """
    return records(saved_report(build_dir, shapes_dir))


def kind_of(record: Record) -> str:
    """The kind of gap a SHACL result names, from its shape's local name."""
    return KINDS.get(record.shape.rsplit("#", 1)[-1], "other warning")


def worklist(store: ox.Store, records: Iterable[Record]) -> list[Gap]:
    """Every gap: the SHACL warnings in ``records`` and the load issues in ``store``.

    Sorted by plan, then file and line (the order to work through a document in), then kind.
    """
    warnings = {(r.focus, kind_of(r)): r for r in records if r.severity == "Warning"}
    gaps = _placed(load_issues(store), lambda key: "")
    if warnings:
        gaps += _placed(
            _solutions(store, warned_query(warnings.values())), lambda key: warnings[key].message
        )
    return sorted(
        gaps,
        key=lambda g: (g.plan_label, g.file, g.line or 0, ORDER.index(g.kind), g.label, g.detail),
    )


def warned_query(records: Iterable[Record]) -> str:
    """WARNED with the warnings' focus nodes and kinds in its VALUES block.

    The IRIs come from the validation report and pyoxigraph writes each term, so nothing
    unescaped reaches the query text.
    """
    pairs = "\n    ".join(
        f"({ox.NamedNode(r.focus)} {ox.Literal(kind_of(r))})"
        for r in records
        if r.severity == "Warning"
    )
    return WARNED % pairs


def load_issues(store: ox.Store) -> list[dict[str, str]]:
    """A row per load issue and owner (a node stated on the issue's line, LINE_OWNERS) and
    organisation of the owner (OWNERS), with the plan of its owner or, failing that, of its
    document (DOCUMENT_PLANS), and the plan's label."""
    rows, _ = _owned(store, _solutions(store, LOAD_ISSUES))
    own_plan = {r["doc"]: r["plan"] for r in _solutions(store, DOCUMENT_PLANS)}
    plans = {r["ownerPlan"] or own_plan.get(r["doc"], "") for r in rows} - {""}
    labels = {}
    if plans:
        bound = facts.values(plans)
        for r in _solutions(store, PLAN_LABELS % bound):
            labels.setdefault(r["plan"], r["planLabel"])
    for r in rows:
        r["plan"] = r.pop("ownerPlan") or own_plan.get(r["doc"], "")
        r["planLabel"] = labels.get(r["plan"], "")
    return rows


def owner_queries(store: ox.Store, gaps: Iterable[Gap]) -> dict[str, str]:
    """LINE_OWNERS and OWNERS as they run for the load issues among ``gaps`` (none if there
    are none), for an evidence pack to hold."""
    issues = [{"doc": g.document, "line": str(g.line)} for g in gaps if g.kind == LOAD_ISSUE]
    return _owned(store, issues)[1]


def _owned(
    store: ox.Store, issues: list[dict[str, str]]
) -> tuple[list[dict[str, str]], dict[str, str]]:
    """``issues`` with their owners' columns (empty for an issue that has none), and the
    queries that found them, by name."""
    blank = dict.fromkeys(("owner", "ownerPlan", "label", "notation", "org", "orgLabel"), "")
    if not issues:
        return [], {}
    documents = facts.values({i["doc"] for i in issues})
    ran = {"line-owners": LINE_OWNERS % documents}
    wanted = {(i["doc"], i["line"]) for i in issues}
    by_line: dict[tuple[str, str], dict[str, str]] = {}
    for r in _solutions(store, ran["line-owners"]):
        if (r["doc"], r["line"]) in wanted:
            by_line.setdefault((r["doc"], r["line"]), {})[r["owner"]] = r["ownerPlan"]
    owners = sorted({o for found in by_line.values() for o in found})
    described: dict[str, list[dict[str, str]]] = {}
    if owners:
        ran["owners"] = OWNERS % facts.values(owners)
        for r in _solutions(store, ran["owners"]):
            described.setdefault(r["owner"], []).append(r)
    rows = []
    for issue in issues:
        found = by_line.get((issue["doc"], issue["line"]), {})
        if not found:
            rows.append({**issue, **blank})
        for owner, plan in sorted(found.items()):  # a line's owners in one order on every engine
            for about in described[owner]:
                rows.append({**issue, **blank, **about, "ownerPlan": plan})
    return rows, ran


def _solutions(store: ox.Store, query: str) -> list[dict[str, str]]:
    columns, found = sparql.rows(sparql.run(store, query))
    return [dict(zip(columns, map(sparql.term_text, row), strict=True)) for row in found]


def _placed(solutions: list[dict[str, str]], message: Callable[[tuple], str]) -> list[Gap]:
    """One Gap per node and kind: the query gives a row per organisation, merged here.

    ``message((node, kind))`` is the detail to show when the source printed nothing.
    """
    merged: dict[tuple[str, str], dict] = {}
    for s in solutions:
        kind = s.get("kind") or LOAD_ISSUE
        gap = merged.setdefault((s["node"], kind), {**s, "kind": kind, "organisations": {}})
        for name in ("label", "notation", "plan", "planLabel", "printed"):
            gap[name] = gap[name] or s[name]
        if s["org"]:
            gap["organisations"][s["org"]] = s["orgLabel"]
    gaps = []
    for key, g in merged.items():
        gaps.append(
            Gap(
                kind=g["kind"],
                plan=g["plan"],
                plan_label=g["planLabel"],
                node=g["node"],
                label=" ".join(filter(None, (g["notation"], g["label"]))),
                detail=g["printed"] or message(key),
                organisations=tuple(sorted(g["organisations"].items(), key=lambda o: o[1])),
                document=g["doc"],
                file=g["file"],
                line=int(g["line"]) if g["line"] else None,
            )
        )
    return gaps


def resolve(store: ox.Store, what: str, slug: str) -> tuple[str, str]:
    """The IRI and label of the "plan" or "organisation" called ``slug``.

    Raises UnknownFilter if the graph has no such plan or organisation; its message does not
    repeat ``slug`` (the audit page shows it).
    """
    kind, query = FILTERS[what]
    try:
        iri = str(mint(kind, slug))
    except ValueError:
        raise UnknownFilter(f"no {what} of that name in the graph") from None
    _, found = sparql.rows(sparql.run(store, query, {"x": ox.NamedNode(iri)}))
    if not found:
        raise UnknownFilter(f"no {what} of that name in the graph")
    return iri, sparql.term_text(found[0][1])


def select(gaps: Iterable[Gap], plan: str = "", organisation: str = "") -> list[Gap]:
    """The gaps of one plan and/or of one organisation's rows (an empty filter keeps all)."""
    return [
        g
        for g in gaps
        if (not plan or g.plan == plan)
        and (not organisation or organisation in dict(g.organisations))
    ]


def counts(gaps: Iterable[Gap], by: str) -> dict[tuple[str, str], Counter]:
    """Gaps by kind per plan (``by="plan"``) or per organisation (``by="organisation"``).

    Keys are (IRI, label); a gap with several organisations counts for each of them.
    """
    table: dict[tuple[str, str], Counter] = {}
    for gap in gaps:
        owners = [(gap.plan, gap.plan_label)] if by == "plan" else list(gap.organisations)
        for owner in owners:
            table.setdefault(owner, Counter())[gap.kind] += 1
    return dict(sorted(table.items(), key=lambda item: item[0][1]))


def view(
    gaps: Sequence[Gap],
    records: Iterable[Record],
    owners: Mapping[str, str],
    title: str,
    url: str = "",
) -> View:
    """The worklist as an evidence-pack view: its rows and the SPARQL that placed them.

    ``records`` are the SHACL results the gaps came from and ``owners`` the queries that
    found the nodes on the load issues' lines (:func:`owner_queries`), so the pack holds
    each query as it runs for these rows.
    """
    return View(
        name="audit",
        title=title,
        columns=COLUMNS,
        rows=[g.row() for g in gaps],
        queries={
            "warned-nodes": warned_query(records),
            "load-issues": LOAD_ISSUES,
            **owners,
            "document-plans": DOCUMENT_PLANS,
        },
        url=url,
        notes=(
            "The SHACL shapes in shapes/*.ttl were run with pySHACL over the whole graph; "
            "each warning's focus node was bound in warned-nodes.rq (VALUES) to find its plan, "
            "row and organisations. Load issues come from load-issues.rq; the nodes stated "
            "on their lines from line-owners.rq and owners.rq (their VALUES filled with the "
            "documents of the issues shown and with those nodes); each issue is placed in the "
            "plan of its owner or else of its document (document-plans.rq). Rows are sorted by "
            "plan, file and line."
        ),
    )


def as_json(gap: Gap) -> dict:
    """A gap for the JSON twins (IRIs and labels; the web adds links)."""
    return {
        "kind": gap.kind,
        "plan": {"iri": gap.plan, "label": gap.plan_label},
        "node": {"iri": gap.node, "label": gap.label},
        "detail": gap.detail,
        "organisations": [{"iri": iri, "label": label} for iri, label in gap.organisations],
        "source": {"document": gap.document, "file": gap.file, "line": gap.line},
    }


def dumps(gaps: Iterable[Gap]) -> str:
    """The worklist as JSON text (the CLI's --format json)."""
    return json.dumps([as_json(g) for g in gaps], indent=1, ensure_ascii=False)
