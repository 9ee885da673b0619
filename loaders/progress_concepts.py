"""The strategy a progress report reports on, and the concepts read from the report.

The strategy (Leicestershire's Joint Health and Wellbeing Strategy 2022-32) is only
referenced: its life-course stages (themes), priority areas, commitments and cross-cutting
priority are the strategy's (hwb:plan the strategy, IRIs minted under its slug) so a future
loader of the strategy itself meets the same nodes. Initiatives and spotlight priorities
are the report's own (hwb:plan the report).
"""

from __future__ import annotations

import calendar
import re

from rdflib import DCTERMS, RDF, XSD, Literal, URIRef
from rdflib.namespace import RDFS, SKOS

from loaders.base import SourceGraph, clean_text
from vocab.ids import mint
from vocab.namespace import HWB

_ACRONYM = re.compile(r"^(?P<label>.+?)\s*\((?P<acronym>[A-Z][A-Za-z]*[A-Z])\)$")
_MONTHS = [name.lower() for name in calendar.month_name[1:]]


def key(name: str) -> str:
    """Fold a printed name so its variants meet: "Choices & Environments" = "choices and ..."."""
    return re.sub(r"\s+", " ", name.replace("&", " and ")).strip(" .;:").lower()


def year_month(year: str, month: str) -> str:
    """ "2022", "February" -> "2022-02" (xsd:gYearMonth)."""
    return f"{year}-{_MONTHS.index(month.lower()) + 1:02d}"


class Report:
    """What the loader has read that later lines refer back to."""

    def __init__(self, doc: SourceGraph) -> None:
        self.doc = doc
        self.strategy: URIRef | None = None
        self.strategy_slug = ""
        self.strategy_name = ""  # as printed without its period
        self.acronym = ""
        self.themes: dict[str, URIRef] = {}
        self.concepts: set[URIRef] = set()

    def cite_strategy(self, name: str, acronym: str, period: str, line: int) -> None:
        """The strategy the report is on, first cited on ``line``, with its theme scheme.

        Its slug is "<area>-<acronym>-<period>" ("leicestershire-jhws-2022-32"); its
        publisher is the council among the report's publishers.
        """
        doc = self.doc
        self.acronym, self.strategy_name = acronym, name
        self.strategy_slug = f"{doc.source.area}-{acronym}-{period}".lower()
        self.strategy = mint("plan", self.strategy_slug)
        label = f"{name} {period}"
        doc.node(self.strategy, HWB.Strategy, line, label)
        doc.add(self.strategy, SKOS.altLabel, acronym)
        doc.add(self.strategy, HWB.period, period)
        doc.add(self.strategy, HWB.area, doc.source.area)
        for publisher in doc.source.publishers:
            if doc.registry.organisations[publisher].kind == "council":
                doc.add(self.strategy, DCTERMS.publisher, mint("org", publisher))
        scheme = mint("scheme", self.strategy_slug)
        doc.add(self.strategy, HWB.themeScheme, scheme)
        doc.add(scheme, RDF.type, SKOS.ConceptScheme)
        doc.add(scheme, SKOS.prefLabel, Literal(f"Themes of {label}"))
        doc.add(doc.source.plan, HWB.relatedPlan, self.strategy)

    def add_theme(self, name: str, notation: str, line: int, lead_in: int) -> URIRef:
        """A life-course stage of the strategy, a top concept of its theme scheme."""
        theme = mint("theme", self._strategy_slug(), name)
        scheme = mint("scheme", self.strategy_slug)
        self.doc.node(theme, HWB.Theme, line, name, notation, continued=(lead_in,))
        self.doc.add(theme, HWB.plan, self.strategy)
        self.doc.add(theme, SKOS.inScheme, scheme)
        self.doc.add(theme, SKOS.topConceptOf, scheme)
        self.themes[key(name)] = theme
        return theme

    @property
    def theme(self) -> URIRef | None:
        """The stage the report is on: the theme its title names ("... on Staying Healthy,
        Safe & Well")."""
        title = key(self.doc.source.title)
        return next((iri for name, iri in self.themes.items() if name in title), None)

    def priority(
        self,
        printed: str,
        rdf_type: URIRef,
        line: int,
        own: bool = False,
        broader: URIRef | None = None,
        theme: URIRef | None = None,
    ) -> URIRef:
        """A priority, priority area or commitment named ``printed``.

        ``own``: the report's own priority (a spotlight), not the strategy's.
        """
        label, acronym = split_acronym(printed)
        slug = self.doc.source.slug if own else self._strategy_slug()
        iri, new = self._concept(mint("priority", slug, key(label)), rdf_type, line, label)
        if new:
            self.doc.add(iri, HWB.plan, self.doc.source.plan if own else self.strategy)
            for prop, value in (
                (SKOS.altLabel, acronym),
                (SKOS.broader, broader),
                (HWB.theme, theme),
            ):
                if value is not None:
                    self.doc.add(iri, prop, value)
        return iri

    def initiative(self, printed: str, line: int, serves: URIRef) -> URIRef:
        """A programme reported on (hwb:Initiative of the report) serving ``serves``."""
        label, acronym = split_acronym(printed)
        iri, new = self._concept(
            mint("initiative", self.doc.source.slug, key(label)), HWB.Initiative, line, label
        )
        self.doc.add(iri, HWB.priority, serves)
        if new:
            self.doc.add(iri, HWB.plan, self.doc.source.plan)
            if acronym:
                self.doc.add(iri, SKOS.altLabel, acronym)
        return iri

    def previous_report(self, year: str, month: str, line: int) -> URIRef:
        """An earlier report of the same series, cited by date; its slug is this report's
        with the year-month replaced, so that document gets the same IRI if it is loaded."""
        series = re.sub(r"-\d{4}-\d{2}$", "", self.doc.source.slug)
        slug = f"{series}-{year_month(year, month)}"
        iri, new = self._concept(mint("plan", slug), HWB.ProgressReport, line)
        if new:
            self.doc.add(self.doc.source.plan, HWB.relatedPlan, iri)
        return iri

    def _concept(
        self, iri: URIRef, rdf_type: URIRef, line: int, label: str | None = None
    ) -> tuple[URIRef, bool]:
        """(iri, True) when ``line`` is the first to name it; later lines only point at it."""
        if iri in self.concepts:
            self.doc.uses(iri, line)
            return iri, False
        self.concepts.add(iri)
        return self.doc.node(iri, rdf_type, line, label), True

    def see_also(self, iri: URIRef, url: str, line: int) -> None:
        """Where a referenced document is published, as printed on ``line``."""
        self.doc.add(iri, RDFS.seeAlso, URIRef(url))
        self.doc.uses(iri, line)

    def accepted(self, year: str, month: str, line: int) -> None:
        """The strategy's approval date ("approved in February 2022")."""
        self.doc.add(
            self.strategy,
            DCTERMS.dateAccepted,
            Literal(year_month(year, month), datatype=XSD.gYearMonth),
        )
        self.doc.uses(self.strategy, line)

    def _strategy_slug(self) -> str:
        if self.strategy is None:
            raise self.doc.layout_error(None, "the strategy is used before it is cited")
        return self.strategy_slug


def split_acronym(printed: str) -> tuple[str, str | None]:
    """ "Health in all Policies (HiAP)" -> ("Health in all Policies", "HiAP")."""
    text = clean_text(printed.replace("*", ""))
    match = _ACRONYM.match(text)
    return (match.group("label"), match.group("acronym")) if match else (text, None)
