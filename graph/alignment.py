"""Plan alignment: how the themes and priorities of two plans line up, from the mappings.

The graph holds two kinds of mapping record (hwb:Mapping, see docs/ontology.md): mappings
stated in a document (with hwb:sourceDocument and hwb:sourceLine, including
hwb:noEquivalentIn) and curated SSSOM rows (justification, confidence, author). This
module reads them with three queries (:func:`load`) and answers everything else with pure
functions over the rows, so the web pages, the CLI and the tests share one computation.

A mapping is read in both directions (the inverse of skos:broadMatch is narrowMatch).
Where two plans are not mapped directly (Leicester 2022-27 and the ICS), a chain of
mappings through other plans gives a derived cell, in the spirit of SSSOM's
semapv:MappingChaining: the chain is kept so every derived cell cites its records.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import reduce

import pyoxigraph as ox
from rdflib.namespace import SKOS

from graph import sparql
from graph.namespace import HWB, ID

KIND_OF = {
    str(SKOS.exactMatch): "exact",
    str(SKOS.closeMatch): "close",
    str(SKOS.broadMatch): "broad",
    str(SKOS.narrowMatch): "narrow",
    str(SKOS.relatedMatch): "related",
}
KINDS = tuple(KIND_OF.values())
NO_EQUIVALENT = "no equivalent"
UNMAPPED = "unmapped"
INVERSE = {"broad": "narrow", "narrow": "broad"}
STRENGTH = {"exact": 0, "close": 1, "broad": 2, "narrow": 2, "related": 3}
MAX_HOPS = 4
"""Longest chain of mappings followed: 2018-23 reaches Leicestershire's stages in three."""

DEFAULT_FROM = "leicester-jhws-refresh-proposed-priorities-2021"
DEFAULT_TO = "llr-ics-priorities"
DEFAULT_NEWER = "leicester-health-care-wellbeing-strategy-2022-27"

ITEMS_QUERY = """
SELECT DISTINCT ?item ?level ?label ?notation ?line ?theme ?plan ?planLabel ?period WHERE {
  ?item hwb:plan ?plan ; skos:prefLabel ?label .
  { ?item a hwb:Theme . BIND("theme" AS ?level) }
  UNION
  { ?item a/rdfs:subClassOf* hwb:Priority . FILTER NOT EXISTS { ?item a hwb:Theme }
    BIND("priority" AS ?level) OPTIONAL { ?item hwb:theme ?theme } }
  ?plan skos:prefLabel ?planLabel .
  OPTIONAL { ?item skos:notation ?notation }
  OPTIONAL { ?item hwb:sourceLine ?line }
  OPTIONAL { ?plan hwb:period ?period }
}
"""
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


class UnknownPlan(LookupError):
    """A plan slug names no plan with themes or priorities; the message lists the choices."""


@dataclass(frozen=True)
class Plan:
    slug: str
    iri: str
    label: str
    period: str = ""


@dataclass(frozen=True)
class Item:
    """A theme or priority of a plan."""

    iri: str
    plan: str
    level: str
    label: str
    notation: str = ""
    themes: tuple[str, ...] = ()
    line: int = 0

    @property
    def text(self) -> str:
        return f"{self.notation} {self.label}" if self.notation else self.label


@dataclass(frozen=True)
class Record:
    """One hwb:Mapping record, stated in a document (``line`` set) or curated (``set``)."""

    iri: str
    subject: str
    kind: str
    target: str
    justification: str = ""
    confidence: str = ""
    creator: str = ""
    date: str = ""
    comment: str = ""
    mapping_set: str = ""
    document: str = ""
    line: int | None = None

    @property
    def stated(self) -> bool:
        return self.line is not None

    @property
    def source_slug(self) -> str:
        """The source document's slug (for /sources/<slug>#L<n>), or "" when curated."""
        return local(self.document, "source") if self.document else ""


@dataclass(frozen=True)
class Step:
    """A record read from ``start`` to ``end``: against its direction when ``inverted``."""

    record: Record
    inverted: bool = False

    @property
    def start(self) -> str:
        return self.record.target if self.inverted else self.record.subject

    @property
    def end(self) -> str:
        return self.record.subject if self.inverted else self.record.target

    @property
    def kind(self) -> str:
        return (
            INVERSE.get(self.record.kind, self.record.kind) if self.inverted else self.record.kind
        )


@dataclass(frozen=True)
class Cell:
    """How a row item relates to a column item (or plan), and the chain of records saying so."""

    kind: str
    chain: tuple[Step, ...] = ()

    @property
    def derived(self) -> bool:
        """True when the cell follows from a chain of records rather than one."""
        return len(self.chain) > 1


@dataclass
class Data:
    """Everything alignment needs, read once from the graph."""

    plans: dict[str, Plan]
    items: dict[str, Item]
    records: list[Record]
    serving: list[tuple[str, str, str, str]] = field(default_factory=list)

    def items_of(self, plan: Plan, level: str = "all") -> list[Item]:
        """The plan's themes then priorities, in printed order."""
        found = [i for i in self.items.values() if i.plan == plan.iri]
        found = [i for i in found if level in ("all", i.level)]
        return sorted(
            found, key=lambda i: (i.level != "theme", notation_key(i.notation), i.line, i.label)
        )

    def plan(self, slug: str, parameter: str = "plan") -> Plan:
        """The plan called ``slug``, given as ``parameter``. Raises UnknownPlan naming the
        parameter and the plans there are (not the slug: the web pages never echo input)."""
        if slug not in self.plans:
            raise UnknownPlan(f"{parameter} names no plan with themes or priorities; choose "
                              "one of " + ", ".join(sorted(self.plans)))  # fmt: skip
        return self.plans[slug]


def local(iri: str, kind: str) -> str:
    """The slug after ``id/<kind>/`` ("plan/llr-ics-priorities" -> "llr-ics-priorities")."""
    return iri.removeprefix(str(ID[kind + "/"]))


def notation_key(notation: str) -> list:
    """Printed numbers in document order: "10" after "9", "A" before "B"."""
    parts = notation.rstrip(".)").split(".") if notation else []
    return [(0, int(p), "") if p.isdigit() else (1, 0, p) for p in parts]


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


def compose(kinds: Iterable[str]) -> str:
    """The kind of a chain of mappings (exact for an empty chain)."""
    return reduce(_then, kinds, "exact")


def _then(first: str, second: str) -> str:
    """One kind followed by another: exact changes nothing, close gives way to broad or
    narrow, related absorbs all, and broad then narrow (or the reverse) only says related."""
    if "exact" in (first, second):
        return second if first == "exact" else first
    if "related" in (first, second):
        return "related"
    if "close" in (first, second):
        return second if first == "close" else first
    return first if first == second else "related"


def _edges(records: list[Record]) -> dict[str, list[Step]]:
    """Each mapping in both directions, keyed by the item it starts from.

    Records are taken in IRI order, not the store's answer order (which differs between
    the on-disk store and its in-memory copy), so equal chains are found in the same order.
    """
    edges: dict[str, list[Step]] = {}
    for record in sorted(records, key=lambda r: r.iri):
        if record.kind in KINDS:
            edges.setdefault(record.subject, []).append(Step(record))
            edges.setdefault(record.target, []).append(Step(record, inverted=True))
    return edges


def chains_from(data: Data, start: str) -> dict[str, tuple[Step, ...]]:
    """The best chain of mappings from ``start`` to every item it reaches.

    A chain never enters the same plan twice; a direct mapping always beats a derived one,
    then the stronger kind, then the shorter chain, then the first by record IRIs (so the
    cited records never depend on the order the store answers in).
    """
    edges = _edges(data.records)
    best: dict[str, tuple[Step, ...]] = {}

    def rank(chain: tuple[Step, ...]) -> tuple:
        kind = STRENGTH[compose(s.kind for s in chain)]
        return (len(chain) > 1, kind, len(chain), [s.record.iri for s in chain])

    def walk(node: str, chain: tuple[Step, ...], plans: frozenset[str]) -> None:
        for step in edges.get(node, ()):
            item = data.items.get(step.end)
            if item is None or item.plan in plans:
                continue
            longer = chain + (step,)
            if step.end not in best or rank(longer) < rank(best[step.end]):
                best[step.end] = longer
            if len(longer) < MAX_HOPS:
                walk(step.end, longer, plans | {item.plan})

    walk(start, (), frozenset({data.items[start].plan}))
    return best


def no_equivalent(data: Data, item: Item, plan: Plan) -> tuple[Step, ...]:
    """The chain saying ``item`` has no equivalent in ``plan``, or () if nothing says so.

    Stated on the item itself, or on an item it matches exactly or closely (2022-27
    Healthy Places inherits the 2021 statement through their exact match).
    """
    stated = {
        r.subject: r for r in data.records if r.kind == NO_EQUIVALENT and r.target == plan.iri
    }
    if item.iri in stated:
        return (Step(stated[item.iri]),)
    for end, chain in chains_from(data, item.iri).items():
        if end in stated and compose(s.kind for s in chain) in ("exact", "close"):
            return chain + (Step(stated[end]),)
    return ()


@dataclass
class Row:
    """A row of the matrix: an item of the first plan and its cells in the second."""

    item: Item
    cells: dict[str, Cell]
    absent: Cell | None = None

    @property
    def status(self) -> str:
        if self.cells:
            return "mapped"
        return self.absent.kind if self.absent else UNMAPPED


@dataclass
class Matrix:
    source: Plan
    target: Plan
    rows: list[Row]
    columns: list[Item]

    def cell(self, row: Row, column: Item) -> Cell:
        """The cell at ``row``/``column``: a mapping, the row's "no equivalent", or unmapped."""
        return row.cells.get(column.iri) or row.absent or Cell(UNMAPPED)

    def counts(self) -> Counter:
        return Counter(self.cell(r, c).kind for r in self.rows for c in self.columns)


def matrix(data: Data, source: Plan, target: Plan, level: str = "all") -> Matrix:
    """The alignment of ``source``'s items (rows) with ``target``'s (columns)."""
    columns = data.items_of(target, level)
    wanted = {c.iri for c in columns}
    rows = []
    for item in data.items_of(source, level):
        chains = chains_from(data, item.iri)
        cells = {
            end: Cell(compose(s.kind for s in chain), chain)
            for end, chain in chains.items()
            if end in wanted
        }
        absent = None if cells else no_equivalent(data, item, target)
        rows.append(Row(item, cells, Cell(NO_EQUIVALENT, absent) if absent else None))
    return Matrix(source, target, rows, columns)
