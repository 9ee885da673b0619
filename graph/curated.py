"""Curated data other than the organisation registry: ICS priorities and theme mappings.

Each file becomes a named graph of its own (see graph/build.py): every ``*.ttl`` in the
curated folder, and every ``mappings/*.sssom.tsv``. A mapping file is SSSOM TSV
(https://mapping-commons.github.io/sssom/): a ``#``-commented YAML block with the
``curie_map``, then one tab-separated row per mapping. Each row asserts its SKOS triple and
an hwb:Mapping record (an owl:Axiom annotating that triple) with the row's SSSOM fields.

The mapping justification is stored as the CURIE string the file gives
("semapv:ManualMappingCuration"), because the ontology declares hwb:mappingJustification an
owl:DatatypeProperty whose value is "a semapv term written as a CURIE"; the CURIE is checked
to expand into the semapv vocabulary, so it always names a real semapv term.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from itertools import takewhile
from pathlib import Path

from rdflib import DCTERMS, OWL, RDF, RDFS, XSD, Graph, Literal, URIRef
from rdflib.namespace import SKOS

from vocab.ids import mint
from vocab.inputs import InputError, parse_turtle, read_text
from vocab.namespace import HWB, ID, SEMAPV
from vocab.organisations import Registry

MAPPINGS_DIR = "mappings"
SSSOM_SUFFIX = ".sssom.tsv"
COLUMNS = (
    "subject_id",
    "subject_label",
    "predicate_id",
    "object_id",
    "object_label",
    "mapping_justification",
    "confidence",
    "author_id",
    "mapping_date",
    "comment",
)
MAPPING_PREDICATES = (
    SKOS.exactMatch,
    SKOS.closeMatch,
    SKOS.broadMatch,
    SKOS.narrowMatch,
    SKOS.relatedMatch,
)
# A file may bind these prefixes only to the project's own namespaces: a typo in an
# expansion would otherwise silently point every row at IRIs nothing else uses.
PROJECT_PREFIXES = {"hwbid": str(ID), "skos": str(SKOS), "semapv": str(SEMAPV)}


class CuratedDataError(InputError):
    """A curated file is malformed; the one-line message names the file and line."""


@dataclass(frozen=True)
class MappingRow:
    """One SSSOM row, with CURIEs expanded and values typed.

    The labels are not put in the graph (the concepts have their own); they are kept so a
    test can check each row still names the concept its curator read.
    """

    line: int
    subject: URIRef
    subject_label: str
    predicate: URIRef
    object: URIRef
    object_label: str
    justification: str
    confidence: Decimal
    author: URIRef
    date: dt.date
    comment: str


@dataclass(frozen=True)
class MappingSet:
    """One SSSOM file: its name (the rows' dcterms:source) and its rows in file order."""

    file_name: str
    rows: tuple[MappingRow, ...]

    @property
    def stem(self) -> str:
        return self.file_name.removesuffix(SSSOM_SUFFIX)


def load(curated_dir: Path, registry: Registry, issues: list[str]) -> dict[str, Graph]:
    """Return {graph name: graph} for every curated Turtle and SSSOM file in ``curated_dir``.

    Raises CuratedDataError for a malformed mapping file, InputError for a Turtle file that
    does not parse. Problems that do not stop the
    build go to ``issues``: an organisation the registry does not know, or a mapping to a
    curated concept (an ICS theme) that the curated data does not define. Mappings to
    concepts read from sources are checked by the SHACL shapes once the graph is built,
    since the loaders run after this.
    """
    graphs = {path.stem: parse_turtle(path) for path in sorted(curated_dir.glob("*.ttl"))}
    sets = [
        read_sssom(path) for path in sorted((curated_dir / MAPPINGS_DIR).glob("*" + SSSOM_SUFFIX))
    ]
    _refuse_repeated_mappings(sets)
    curated_concepts = {s for graph in graphs.values() for s in graph.subjects(HWB.plan, None)}
    for mappings in sets:
        graphs[f"{MAPPINGS_DIR}/{mappings.stem}"] = mapping_graph(mappings)
        issues.extend(_unknown_curated_concepts(mappings, curated_concepts))
    issues.extend(_unknown_organisations(graphs, registry))
    return graphs


def read_sssom(path: Path) -> MappingSet:
    """Parse one SSSOM TSV file. Raises CuratedDataError naming the file and line."""
    lines = read_text(path).splitlines()
    header = list(takewhile(lambda line: line.startswith("#"), lines))
    table = lines[len(header) :]
    if any(line.startswith("#") for line in table):
        raise CuratedDataError(f"{path.name}: '#' lines must all come before the table")
    curie_map = _curie_map(header, path.name)
    reader = csv.DictReader(table, delimiter="\t", quoting=csv.QUOTE_NONE, strict=True)
    _check_columns(reader.fieldnames, path.name)
    rows = []
    for record in reader:
        number = len(header) + reader.line_num
        where = f"{path.name} line {number}"
        if None in record or None in record.values():
            raise CuratedDataError(f"{where}: expected {len(COLUMNS)} tab-separated values")
        rows.append(_row(record, number, curie_map, where))
    if not rows:
        raise CuratedDataError(f"{path.name}: no mapping rows")
    return MappingSet(path.name, tuple(rows))


def _curie_map(header: list[str], file_name: str) -> dict[str, str]:
    """The prefixes of the YAML block's ``curie_map``: the only YAML this project reads.

    The block is a flat list of ``key: value`` lines, ``curie_map`` holding indented
    ``prefix: expansion`` lines; other top-level keys (mapping_set_id, license...) are
    documentation for people and SSSOM tools.
    """
    curie_map: dict[str, str] = {}
    in_map = False
    for line in (h[1:] for h in header):
        if not line.strip() or line.strip().startswith("#"):  # blank or a YAML comment
            continue
        key, colon, value = line.strip().partition(":")
        if not colon:
            raise CuratedDataError(f"{file_name}: header line {line!r} is not 'key: value'")
        if not line.startswith(" "):
            in_map = key == "curie_map"
        elif in_map:
            curie_map[key] = value.strip().strip("'\"")
    if not curie_map:
        raise CuratedDataError(f"{file_name}: no curie_map in the '#' header")
    for prefix, expected in PROJECT_PREFIXES.items():
        if curie_map.get(prefix, expected) != expected:
            raise CuratedDataError(f"{file_name}: prefix {prefix!r} must expand to {expected}")
    return curie_map


def _check_columns(found: list[str] | None, file_name: str) -> None:
    """Exactly the columns this project reads: an unread SSSOM column (say,
    predicate_modifier "Not") would change a row's meaning without anyone noticing."""
    missing = [c for c in COLUMNS if c not in (found or [])]
    if missing:
        raise CuratedDataError(f"{file_name}: missing column(s) {', '.join(missing)}")
    extra = [c for c in found or [] if c not in COLUMNS]
    if extra:
        raise CuratedDataError(f"{file_name}: unexpected column(s) {', '.join(extra)}")


def _row(record: dict[str, str], line: int, curie_map: dict[str, str], where: str) -> MappingRow:
    """Type one row's values; every error names the column and the value."""
    predicate = expand(record["predicate_id"], curie_map, where)
    if predicate not in MAPPING_PREDICATES:
        raise CuratedDataError(
            f"{where}: predicate_id {record['predicate_id']!r} is not a "
            "SKOS mapping property (exactMatch, closeMatch, broadMatch, "
            "narrowMatch, relatedMatch)"
        )
    justification = record["mapping_justification"]
    if not expand(justification, curie_map, where).startswith(str(SEMAPV)):
        raise CuratedDataError(
            f"{where}: mapping_justification {justification!r} is not a semapv term"
        )
    return MappingRow(
        line=line,
        subject=expand(record["subject_id"], curie_map, where),
        subject_label=record["subject_label"].strip(),
        predicate=predicate,
        object=expand(record["object_id"], curie_map, where),
        object_label=record["object_label"].strip(),
        justification=justification,
        confidence=_confidence(record["confidence"], where),
        author=expand(record["author_id"], curie_map, where),
        date=_date(record["mapping_date"], where),
        comment=record["comment"].strip(),
    )


def expand(curie: str, curie_map: dict[str, str], where: str) -> URIRef:
    """The IRI a CURIE stands for. Raises CuratedDataError for an unknown prefix."""
    prefix, colon, local = curie.strip().partition(":")
    if (
        not colon
        or not local
        or local.startswith("//")
        or not re.fullmatch(r"[A-Za-z_][\w.-]*", prefix)
    ):
        raise CuratedDataError(f"{where}: {curie!r} is not a CURIE (prefix:local)")
    if prefix not in curie_map:
        raise CuratedDataError(
            f"{where}: unknown prefix {prefix!r} in {curie!r} (not in the curie_map)"
        )
    return URIRef(curie_map[prefix] + local)


def _confidence(text: str, where: str) -> Decimal:
    try:
        value = Decimal(text.strip())
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite() or not 0 <= value <= 1:
        raise CuratedDataError(f"{where}: confidence {text!r} is not a number from 0 to 1")
    return value


def _date(text: str, where: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise CuratedDataError(f"{where}: mapping_date {text!r} is not YYYY-MM-DD") from None


def _refuse_repeated_mappings(sets: list[MappingSet]) -> None:
    """Each mapping is stated once: the dataset never repeats a triple across named graphs
    (Oxigraph's union would count it twice), and two rows could disagree on why."""
    seen: dict[tuple[URIRef, URIRef, URIRef], str] = {}
    for mappings in sets:
        for row in mappings.rows:
            key = (row.subject, row.predicate, row.object)
            here = f"{mappings.file_name} line {row.line}"
            if key in seen:
                raise CuratedDataError(f"{here}: the same mapping is already in {seen[key]}")
            seen[key] = here


def mapping_graph(mappings: MappingSet) -> Graph:
    """The SKOS triples of a mapping file and one hwb:Mapping record per row."""
    graph = Graph()
    source = Literal(mappings.file_name)
    for index, row in enumerate(mappings.rows, start=1):
        graph.add((row.subject, row.predicate, row.object))
        record = mint("mapping", mappings.stem, str(index))
        for predicate, value in (
            (RDF.type, HWB.Mapping),
            (OWL.annotatedSource, row.subject),
            (OWL.annotatedProperty, row.predicate),
            (OWL.annotatedTarget, row.object),
            (HWB.mappingJustification, Literal(row.justification)),
            (HWB.confidence, Literal(row.confidence, datatype=XSD.decimal)),
            (DCTERMS.creator, row.author),
            (DCTERMS.date, Literal(row.date, datatype=XSD.date)),
            (RDFS.comment, Literal(row.comment)),
            (DCTERMS.source, source),
        ):
            graph.add((record, predicate, value))
    return graph


def _unknown_curated_concepts(mappings: MappingSet, curated_concepts: set) -> list[str]:
    """Rows naming a concept in a curated plan's IRI space (``id/theme/llr-ics-priorities/``)
    that the curated files do not define: caught here, with the line, before any loader runs."""
    spaces = {str(c).rsplit("/", 1)[0] for c in curated_concepts}
    return [
        f"{mappings.file_name} line {row.line}: {iri} is not defined in the curated data"
        for row in mappings.rows
        for iri in (row.subject, row.object)
        if str(iri).rsplit("/", 1)[0] in spaces and iri not in curated_concepts
    ]


def _unknown_organisations(graphs: dict[str, Graph], registry: Registry) -> list[str]:
    """Organisation IRIs in curated files that organisations.toml does not define."""
    known = {org.iri for org in registry.organisations.values()}
    return [
        f"{name}: organisation {iri} is not in organisations.toml"
        for name, graph in graphs.items()
        for iri in sorted(set(graph.objects()))
        if isinstance(iri, URIRef) and iri.startswith(ID["org/"]) and iri not in known
    ]
