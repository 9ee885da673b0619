"""What every loader shares: the source record, the load report and the graph writer.

A loader reads one document layout. It gets a :class:`SourceGraph` and must account for
every non-blank line of the source: either a node in the graph starts or continues there
(:meth:`SourceGraph.node`, :meth:`SourceGraph.uses`) or the report says why not
(:meth:`LoadReport.skip`, :meth:`LoadReport.issue`). tests/test_line_accounting.py proves it.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from rdflib import RDF, XSD, Graph, Literal, URIRef
from rdflib.namespace import SKOS

from vocab.ids import mint
from vocab.inputs import InputError
from vocab.namespace import HWB
from vocab.organisations import Registry


@dataclass(frozen=True)
class Source:
    """One document of the manifest (data/sources/sources.toml)."""

    slug: str
    path: Path
    title: str
    publishers: tuple[str, ...]  # organisation ids in the registry
    area: str  # decides which aliases apply (LCC in Leicester vs Leicestershire)
    kind: str  # strategy | action plan | proposed priorities | progress report
    period: str
    status: str  # draft | final
    loader: str
    title_line: int
    issued: str | None = None  # ISO date or year-month, as precise as the document

    @property
    def file_name(self) -> str:
        return self.path.name

    @property
    def plan(self) -> URIRef:
        return mint("plan", self.slug)

    @property
    def document(self) -> URIRef:
        return mint("source", self.slug)


class LayoutError(InputError):
    """The source is not in the layout its loader reads (the wrong document, or one cut
    short): what the loader needs and cannot find, as one line naming the file and line."""


@dataclass(frozen=True)
class ReportEntry:
    """One line's fate: in the graph (``node``), skipped as layout or prose, or an issue."""

    line: int
    outcome: str  # "graph" | "skipped" | "issue"
    reason: str
    node: URIRef | None = None
    text: str = ""


@dataclass
class LoadReport:
    """What a loader did with each line of its source."""

    source: str
    entries: list[ReportEntry] = field(default_factory=list)

    def record(self, line: int, node: URIRef) -> None:
        self.entries.append(ReportEntry(line, "graph", "", node))

    def skip(self, line: int, reason: str) -> None:
        """Say why a line adds no fact (a heading repeated, a column header, narrative prose)."""
        self.entries.append(ReportEntry(line, "skipped", reason))

    def issue(self, line: int, reason: str, text: str = "") -> None:
        """Say what could not be read on a line; the build prints these."""
        self.entries.append(ReportEntry(line, "issue", reason, text=text))

    def accounted_lines(self) -> set[int]:
        return {e.line for e in self.entries}

    def issues(self) -> list[ReportEntry]:
        return [e for e in self.entries if e.outcome == "issue"]

    def counts(self) -> dict[str, int]:
        """Number of distinct lines per outcome (a line may feed several nodes)."""
        lines: dict[str, set[int]] = {}
        for entry in self.entries:
            lines.setdefault(entry.outcome, set()).add(entry.line)
        return {outcome: len(found) for outcome, found in sorted(lines.items())}


class Loader(Protocol):
    """A reader for one document layout; registered by name in loaders/__init__.py."""

    name: str

    def load(self, doc: SourceGraph) -> None:
        """Add the source's facts to ``doc`` and account for every non-blank line."""


PLACEHOLDER_MEASURES = re.compile(r"^(tba|tbc|\?|to be determined|tbd|-|)$", re.IGNORECASE)


def is_placeholder_measure(text: str) -> bool:
    """True for a measure cell that names no measure: TBA, TBC, ?, To be determined, empty."""
    return bool(PLACEHOLDER_MEASURES.match(text.strip().rstrip(".")))


def clean_text(text: str) -> str:
    """Strip HTML markup and entities the PDF conversion left, and squeeze spaces."""
    # Tags only: "<https://...>" is a printed web address, not markup.
    text = re.sub(r"</?[A-Za-z][A-Za-z0-9]*(\s[^>]*)?/?>", " ", text)
    text = html.unescape(text).replace("\u00a0", " ")
    return re.sub(r"\s+", " ", text).strip()


def read_lines(path: Path) -> list[str]:
    """The document's lines without line ends; index 0 is line 1."""
    return path.read_text(encoding="utf-8").splitlines()


class SourceGraph:
    """The triples read from one source, with the helpers that keep provenance uniform."""

    def __init__(self, source: Source, registry: Registry, curated: Graph | None = None) -> None:
        self.source = source
        self.registry = registry
        self.curated = curated if curated is not None else Graph()  # read-only: ICS themes...
        self.graph = Graph()
        self.report = LoadReport(source.slug)
        self.lines = read_lines(source.path)
        self._mentions_on_line: dict[int, int] = {}

    def layout_error(self, line: int | None, reason: str) -> LayoutError:
        """The error to raise when the document lacks what this layout always has."""
        where = self.source.file_name if line is None else f"{self.source.file_name} line {line}"
        return LayoutError(f"{where}: {reason} (is it the document the manifest names, whole?)")

    def text(self, line: int) -> str:
        """The raw text of 1-based ``line``."""
        return self.lines[line - 1]

    def content_lines(self) -> Iterable[tuple[int, str]]:
        """(line number, text) for every line that is not blank."""
        for number, text in enumerate(self.lines, start=1):
            if text.strip():
                yield number, text

    def node(
        self,
        iri: URIRef,
        rdf_type: URIRef,
        line: int,
        label: str | None = None,
        notation: str | None = None,
        continued: Iterable[int] = (),
    ) -> URIRef:
        """Add a node read from ``line`` with its type, provenance and optional label.

        ``continued`` are continuation lines (a row carried over a page break).
        """
        self.graph.add((iri, RDF.type, rdf_type))
        self.graph.add((iri, HWB.sourceDocument, self.source.document))
        self.graph.add((iri, HWB.sourceLine, Literal(line, datatype=XSD.positiveInteger)))
        if label:
            self.graph.add((iri, SKOS.prefLabel, Literal(label)))
        if notation:
            self.graph.add((iri, SKOS.notation, Literal(notation)))
        self.uses(iri, line, *continued)
        return iri

    def uses(self, iri: URIRef, *lines: int) -> None:
        """Record that ``lines`` were read into the node ``iri``."""
        for line in lines:
            self.report.record(line, iri)

    def add(self, subject: URIRef, predicate: URIRef, obj) -> None:
        self.graph.add(
            (subject, predicate, obj if isinstance(obj, (URIRef, Literal)) else Literal(obj))
        )

    def partners(self, subject: URIRef, cell: str, line: int, role: str) -> list[URIRef]:
        """Resolve the names in a partner cell, link them to ``subject`` and return them.

        ``role`` "lead" links with hwb:leadPartner, anything else with hwb:partner. Every
        name becomes an hwb:PartnerMention (text as printed, line); a name the registry
        does not know for this source's area is reported, never guessed.
        """
        prop = HWB.leadPartner if role == "lead" else HWB.partner
        found = []
        for match in self.registry.split(cell, self.source.area):
            index = self._mentions_on_line[line] = self._mentions_on_line.get(line, 0) + 1
            mention = mint("mention", self.source.slug, f"l{line}-{index}")
            self.node(mention, HWB.PartnerMention, line)
            self.add(mention, HWB.mentionText, match.text)
            self.add(mention, HWB.mentionRole, role)
            self.add(subject, HWB.mention, mention)
            if match.organisation is None:
                self.report.issue(line, f"unknown partner alias {match.text!r}", match.text)
                continue
            self.add(mention, HWB.refersTo, match.organisation)
            self.add(subject, prop, match.organisation)
            found.append(match.organisation)
        return found

    def measure(
        self, owner: URIRef, key: str, text: str, line: int, continued: Iterable[int] = ()
    ) -> URIRef:
        """Add a measure cell of ``owner``: a hwb:Measure, or a placeholder if it names none."""
        slug = f"{owner.rsplit('/', 1)[-1]}-{key}"
        if is_placeholder_measure(text):
            iri = mint("placeholder", self.source.slug, slug)
            label = text.strip() or "(blank in source)"
            self.node(iri, HWB.MeasurePlaceholder, line, label, continued=continued)
            self.add(owner, HWB.measurePlaceholder, iri)
            return iri
        iri = mint("measure", self.source.slug, slug)
        self.node(iri, HWB.Measure, line, clean_text(text), continued=continued)
        self.add(owner, HWB.measure, iri)
        return iri
