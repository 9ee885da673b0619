"""Reports over an alignment: gaps, coverage of a plan's items, plan versions, SSSOM out.

Pure functions over :class:`graph.alignment.Data`; each answers one analyst question
(issue 5): what one plan lacks in another, how much of each plan serves each ICS priority,
what changed between the 2021 proposals and the 2022-27 strategy.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from rdflib.namespace import SKOS

from graph.alignment import (
    KINDS,
    NO_EQUIVALENT,
    UNMAPPED,
    Cell,
    Data,
    Item,
    Matrix,
    Plan,
    Record,
    Step,
    chains_from,
    chains_to,
    matrix,
)
from graph.curated import COLUMNS
from vocab.ids import mint
from vocab.namespace import ID, SEMAPV, SSSOM

VERSION_STATUSES = ("kept", "reworded", "merged", "new", "dropped")


@dataclass
class Gap:
    """An item of one plan with no counterpart in another; ``through`` names the theme
    whose "no equivalent" it inherits, when it is a priority that has none of its own."""

    item: Item
    status: str
    basis: Cell | None = None
    through: Item | None = None


def gaps(data: Data, source: Plan, target: Plan) -> list[Gap]:
    """Themes and priorities of ``source`` with nothing in ``target``.

    A priority counts as having a counterpart when one of its themes has one: the 2021
    documents map strands, not priorities, to the ICS.
    """
    found = matrix(data, source, target)
    rows = {row.item.iri: row for row in found.rows}
    result = []
    for row in found.rows:
        themes = [rows[t] for t in row.item.themes if t in rows]
        if row.cells or any(theme.cells for theme in themes):
            continue
        inherited = next((t for t in themes if t.absent), None)
        if row.absent or inherited is None:
            result.append(Gap(row.item, row.status, row.absent))
        else:
            result.append(Gap(row.item, NO_EQUIVALENT, inherited.absent, inherited.item))
    return result


@dataclass
class Coverage:
    """The actions and priorities of ``plan`` that serve ``item`` through the mappings, and
    the mapping records they serve it through: kept, not only counted, so a page or an
    evidence pack can cite what each count stands for."""

    item: Item
    plan: Plan
    action_iris: tuple[str, ...]
    priority_iris: tuple[str, ...]
    records: tuple[Record, ...]

    @property
    def actions(self) -> int:
        return len(self.action_iris)

    @property
    def priorities(self) -> int:
        return len(self.priority_iris)


def coverage(data: Data, target: Plan) -> list[Coverage]:
    """For each item of ``target`` (the ICS priorities) and each other plan, the plan's
    actions and priorities that reach it: through themselves, their priority or their
    theme, then any chain of mappings (the best chain from each, as the matrix cites).

    A thing hanging from an item of ``target`` itself serves it through no record. Only
    the chains ending in ``target`` are followed (:func:`chains_to`), not every item's.
    """
    served: dict[tuple[str, str], dict[str, set[str]]] = {}
    through: dict[tuple[str, str], dict[str, Record]] = {}
    for end in data.items_of(target):
        for start, chain in {end.iri: (), **chains_to(data, end.iri)}.items():
            for thing, kind, plan in data.hanging.get(start, ()):
                served.setdefault((end.iri, plan), {}).setdefault(kind, set()).add(thing)
                through.setdefault((end.iri, plan), {}).update(
                    (s.record.iri, s.record) for s in chain
                )
    plans = {p.iri: p for p in data.plans.values()}
    return [
        Coverage(
            item,
            plans[plan],
            _in_order(kinds.get("action", ())),
            _in_order(kinds.get("priority", ())),
            tuple(records[iri] for iri in _in_order(records)),
        )
        for item in data.items_of(target)
        for plan in sorted(plans, key=lambda p: plans[p].label)
        if plan != target.iri and (kinds := served.get((item.iri, plan)))
        for records in [through[item.iri, plan]]
    ]


def _in_order(iris: Iterable[str]) -> tuple[str, ...]:
    """IRIs with their numbers in order: .../action/<plan>/2.10 after .../2.9."""
    return tuple(sorted(iris, key=_natural))


def _natural(text: str) -> list:
    """Text split into alternate words and numbers, the numbers compared as numbers."""
    return [int(part) if i % 2 else part for i, part in enumerate(re.split(r"(\d+)", text))]


@dataclass
class Change:
    """One line of a version comparison, with the record (or mapping set) that says so."""

    status: str
    older: Item | None
    newer: Item | None
    step: Step | None = None
    mapping_sets: tuple[str, ...] = ()


def versions(data: Data, older: Plan, newer: Plan) -> list[Change]:
    """Each priority of ``older`` kept, reworded, merged or dropped in ``newer``, then the
    priorities of ``newer`` that nothing in ``older`` maps to (new).

    Only direct mappings count: a version comparison is about one document becoming the
    next. "New" and "dropped" cite the mapping sets that cover the two plans, since their
    evidence is a row that is not there.
    """
    old_items = data.items_of(older, "priority")
    new_items = {i.iri: i for i in data.items_of(newer, "priority")}
    links = {
        item.iri: [
            chain[0]
            for end, chain in chains_from(data, item.iri).items()
            if end in new_items and len(chain) == 1
        ]
        for item in old_items
    }
    sources = Counter(step.end for steps in links.values() for step in steps)
    sets = tuple(sorted({s.record.mapping_set for steps in links.values() for s in steps} - {""}))
    changes = []
    for item in old_items:
        for step in sorted(links[item.iri], key=lambda s: new_items[s.end].line):
            status = "merged" if sources[step.end] > 1 else _kept_or_reworded(step.kind)
            changes.append(Change(status, item, new_items[step.end], step))
        if not links[item.iri]:
            changes.append(Change("dropped", item, None, mapping_sets=sets))
    changes += [
        Change("new", None, new, mapping_sets=sets)
        for new in new_items.values()
        if new.iri not in sources
    ]
    return changes


def _kept_or_reworded(kind: str) -> str:
    """An exact match is the same priority kept; any looser match is a rewording."""
    return "kept" if kind == "exact" else "reworded"


SSSOM_COLUMNS = (*COLUMNS, "object_source")
"""The curated files' columns, and the plan a "no equivalent" (sssom:NoTermFound) is about."""
CURIE_MAP = {"hwbid": str(ID), "semapv": str(SEMAPV), "skos": str(SKOS), "sssom": str(SSSOM)}


def curie(iri: str) -> str:
    """``iri`` as a CURIE of CURIE_MAP, or the IRI itself when no prefix fits."""
    for prefix, namespace in CURIE_MAP.items():
        if iri.startswith(namespace):
            return f"{prefix}:{iri[len(namespace) :]}"
    return iri


def sssom_rows(data: Data, found: Matrix) -> list[dict[str, str]]:
    """One SSSOM row per cell of ``found`` that is not unmapped.

    A direct cell is its record; a derived cell is semapv:MappingChaining with the records
    of the chain in the comment; "no equivalent" is sssom:NoTermFound in the target plan.
    """
    rows = []
    for row in found.rows:
        for column_iri, cell in row.cells.items():
            rows.append(_sssom_row(row.item, cell, data.items[column_iri].label, column_iri))
        if row.absent:
            rows.append(_sssom_row(row.item, row.absent, "", str(SSSOM.NoTermFound)))
    return [{**r, "object_source": curie(found.target.iri)} for r in rows]


def _sssom_row(subject: Item, cell: Cell, object_label: str, object_iri: str) -> dict[str, str]:
    first: Record = cell.chain[0].record
    kind = cell.kind if cell.kind in KINDS else "exact"
    row = {
        "subject_id": curie(subject.iri),
        "subject_label": subject.label,
        "predicate_id": curie(str(getattr(SKOS, kind + "Match"))),
        "object_id": curie(object_iri),
        "object_label": object_label,
        "mapping_justification": "semapv:MappingChaining",
        "confidence": "",
        "author_id": "",
        "mapping_date": "",
        "comment": "chain: " + "; ".join(_cite(s.record) for s in cell.chain),
    }
    if cell.derived:
        return row
    return {
        **row,
        "mapping_justification": first.justification
        if first.justification.startswith("semapv:")
        else "semapv:ManualMappingCuration",
        "confidence": first.confidence,
        "author_id": curie(first.creator) if first.creator else "",
        "mapping_date": first.date,
        "comment": "; ".join(filter(None, [first.comment, _cite(first)])),
    }


def _cite(record: Record) -> str:
    """Where a record comes from, in words: a source line or a curated file."""
    if record.stated:
        return f"stated in {record.source_slug} line {record.line}"
    return f"{curie(record.iri)} ({record.mapping_set})"


def sssom_tsv(data: Data, found: Matrix) -> str:
    """The cells of ``found`` as an SSSOM TSV file, curie_map in the ``#`` header."""
    buffer = io.StringIO()
    buffer.write("#curie_map:\n")
    buffer.writelines(f"#  {prefix}: {ns}\n" for prefix, ns in CURIE_MAP.items())
    set_id = mint("mapping", "alignment", found.source.slug, found.target.slug)
    buffer.write(f"#mapping_set_id: {set_id}\n")
    buffer.write(
        f"#mapping_set_description: {found.source.label} aligned with {found.target.label}"
        " (hwbkg: stated, curated and chained mappings)\n"
    )
    buffer.write("#license: https://opensource.org/license/mit\n")
    writer = csv.DictWriter(
        buffer, SSSOM_COLUMNS, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_NONE,
        escapechar="\\",
    )  # fmt: skip
    writer.writeheader()
    writer.writerows(sssom_rows(data, found))
    return buffer.getvalue()


def status_counts(found: Matrix) -> dict[str, int]:
    """How many rows are mapped, have no equivalent, or are unmapped."""
    counts = Counter(row.status for row in found.rows)
    return {status: counts[status] for status in ("mapped", NO_EQUIVALENT, UNMAPPED)}
