"""Plan alignment: how the themes and priorities of two plans line up, from the mappings.

The graph holds two kinds of mapping record (hwb:Mapping, see docs/ontology.md): mappings
stated in a document (with hwb:sourceDocument and hwb:sourceLine, including
hwb:noEquivalentIn) and curated SSSOM rows (justification, confidence, author). This
module answers everything with pure functions over the rows that three queries read
(graph/alignment_queries.py), so the web pages, the CLI and the tests share one computation.

A mapping is read in both directions (the inverse of skos:broadMatch is narrowMatch).
Where two plans are not mapped directly (Leicester 2022-27 and the ICS), a chain of
mappings through other plans gives a derived cell, in the spirit of SSSOM's
semapv:MappingChaining: the chain is kept so every derived cell cites its records.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property, reduce

from rdflib.namespace import SKOS

from vocab.namespace import ID

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
    """Everything alignment needs, read once from the graph (or a build's digest).

    The indexes below are computed on first use and kept with the data, which the
    workbench keeps once per build: a page then touches only the items and records it
    shows, not every record of the graph.
    """

    plans: dict[str, Plan]
    items: dict[str, Item]
    records: list[Record]
    serving: list[tuple[str, str, str, str]] = field(default_factory=list)

    @cached_property
    def edges(self) -> dict[str, list[Step]]:
        """Each mapping in both directions, keyed by the item it starts from (:func:`_edges`)."""
        return _edges(self.records)

    @cached_property
    def by_plan(self) -> dict[str, list[Item]]:
        """Each plan's items (by plan IRI), in no particular order."""
        found: dict[str, list[Item]] = {}
        for item in self.items.values():
            found.setdefault(item.plan, []).append(item)
        return found

    @cached_property
    def absent(self) -> dict[str, dict[str, Record]]:
        """The "no equivalent" statements by plan IRI, then by the item they are about."""
        found: dict[str, dict[str, Record]] = {}
        for record in self.records:
            if record.kind == NO_EQUIVALENT:
                found.setdefault(record.target, {})[record.subject] = record
        return found

    @cached_property
    def hanging(self) -> dict[str, list[tuple[str, str, str]]]:
        """(thing, kind, plan) of the actions and priorities hanging from each item."""
        found: dict[str, list[tuple[str, str, str]]] = {}
        for thing, kind, plan, start in self.serving:
            found.setdefault(start, []).append((thing, kind, plan))
        return found

    def items_of(self, plan: Plan, level: str = "all") -> list[Item]:
        """The plan's themes then priorities, in printed order."""
        found = [i for i in self.by_plan.get(plan.iri, ()) if level in ("all", i.level)]
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


def _rank(chain: tuple[Step, ...]) -> tuple:
    """How good a chain is, best lowest: a direct mapping before a derived one, then the
    stronger kind, then the shorter chain, then the first by record IRIs (so the cited
    records never depend on the order the store answers in)."""
    kind = STRENGTH[compose(s.kind for s in chain)]
    return (len(chain) > 1, kind, len(chain), [s.record.iri for s in chain])


def _paths(data: Data, start: str):
    """Every chain of steps from ``start`` (up to MAX_HOPS) that never enters a plan twice."""

    def walk(node: str, chain: tuple[Step, ...], plans: frozenset[str]):
        for step in data.edges.get(node, ()):
            item = data.items.get(step.end)
            if item is None or item.plan in plans:
                continue
            longer = chain + (step,)
            yield longer
            if len(longer) < MAX_HOPS:
                yield from walk(step.end, longer, plans | {item.plan})

    return walk(start, (), frozenset({data.items[start].plan}))


def _best(found: dict[str, tuple[Step, ...]], end: str, chain: tuple[Step, ...]) -> None:
    if end not in found or _rank(chain) < _rank(found[end]):
        found[end] = chain


def chains_from(data: Data, start: str) -> dict[str, tuple[Step, ...]]:
    """The best chain of mappings (see :func:`_rank`) from ``start`` to every item it reaches."""
    best: dict[str, tuple[Step, ...]] = {}
    for chain in _paths(data, start):
        _best(best, chain[-1].end, chain)
    return best


def chains_to(data: Data, end: str) -> dict[str, tuple[Step, ...]]:
    """The best chain from every item that reaches ``end`` to it: what :func:`chains_from`
    of each of them finds for ``end``, found from ``end`` alone.

    The paths are the same read backwards (a step inverted is the same record), and each
    is ranked as the forward chain it is, so ties fall the same way.
    """
    best: dict[str, tuple[Step, ...]] = {}
    for path in _paths(data, end):
        forward = tuple(Step(s.record, not s.inverted) for s in reversed(path))
        _best(best, path[-1].end, forward)
    return best


def no_equivalent(data: Data, item: Item, plan: Plan) -> tuple[Step, ...]:
    """The chain saying ``item`` has no equivalent in ``plan``, or () if nothing says so.

    Stated on the item itself, or on an item it matches exactly or closely (2022-27
    Healthy Places inherits the 2021 statement through their exact match).
    """
    stated = data.absent.get(plan.iri, {})
    if item.iri in stated:
        return (Step(stated[item.iri]),)
    if not stated:
        return ()
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
