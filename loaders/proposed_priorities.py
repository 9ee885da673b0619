"""Loader for Leicester's 2021 JHWS refresh and proposed priorities (slides as text).

The slides are, in order: notes on the strategy refresh, the five strategic strands
(``Strand <tab> Description``), guiding principles, three communications insights, a
summary table of the 17 proposed priorities (``Strand+description <tab> No. <tab> title``,
the strand cell filled only on its first row), a table mapping the strands to the ICS
priorities, one slide per priority and a table of next steps. A priority slide has its
title, its strand, ``Level:``, then the sections ``Why a Priority?``, ``Key Partners``,
``Current improvement plans include:`` and ``Measuring progress:``. Bullets are ``- ``,
sub-bullets `` - ``. Each slide opens with a heading line that the loader recognises by
text, so the sections are found by what they say, not by line number.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from rdflib import OWL, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, SKOS

from loaders.base import SourceGraph, clean_text, is_placeholder_measure
from loaders.figures import FigureWriter
from loaders.proposed_priorities_text import (
    Line,
    bullet,
    join_split_bullets,
    partners_after_heading,
    same_wording,
    split_labels,
    split_parts,
    split_sections,
)
from vocab.ids import mint
from vocab.namespace import HWB

SLIDE_TITLE = re.compile(r"Proposed Priority (?P<number>\d+)\s*[:.]?\s*(?P<title>.*)$")
LEVEL = re.compile(r"Level:\s*(?P<level>.+)$")
WORKING_TOGETHER = re.compile(r"(?P<who>.+?)\s+are working together to:$")
DONE_BY = re.compile(r"\bby (?P<who>[A-Z][A-Za-z+]*)$")  # "Agreement on ... by HWB"
ICS_PLAN = mint("plan", "llr-ics-priorities")
NO_EQUIVALENT = re.compile(r"No ICS equivalent$", re.I)
# The mapping table names the Healthy Lives strand "Healthy Living" (line 118): one strand
# named two ways, not a sixth strand. Resolved here and reported.
STRAND_ALIASES = {"Healthy Living": "Healthy Lives"}


class ProposedPrioritiesLoader:
    """Strands, proposed priorities with their rationale, partners, plans and measures."""

    name = "leicester-proposed-priorities"

    def load(self, doc: SourceGraph) -> None:
        self.doc, self.slug = doc, doc.source.slug
        self.themes: dict[str, URIRef] = {}
        self.priorities: dict[str, URIRef] = {}
        self.summary_theme: dict[str, URIRef] = {}
        self.figures = FigureWriter(doc)
        handlers = {
            "title": self._title,
            "refresh": self._plan_statements,
            "principles": self._plan_statements,
            "insights": self._insights,
            "strands": self._strands,
            "summary": self._summary,
            "mapping": self._mapping,
            "priority": self._priority_slide,
            "next-steps": self._next_steps,
        }
        for kind, heading, body in split_sections(list(doc.content_lines())):
            handlers[kind](heading, body)

    # Plan-level slides -----------------------------------------------------------

    def _title(self, heading: Line | None, body: list[Line]) -> None:
        """The title runs over several lines; the build already used the first."""
        title_line = self.doc.source.title_line
        self.doc.uses(self.doc.source.plan, *[n for n, _ in body if n != title_line])

    def _group(self, heading: Line) -> URIRef:
        """A slide of plan-level statements, so they can be queried by slide."""
        line, text = heading
        return self._plan_statement(line, text.rstrip(" :"))

    def _plan_statement(
        self, line: int, text: str, parent: URIRef | None = None, notation: str | None = None
    ) -> URIRef:
        """A statement about the plan as a whole (no priority owns it), so hwb:plan links it."""
        statement = self._statement(line, text, HWB.Statement, parent, notation=notation)
        self.doc.add(statement, HWB.plan, self.doc.source.plan)
        return statement

    def _plan_statements(self, heading: Line, body: list[Line]) -> None:
        """A slide of bullets (refresh notes, guiding principles) under its title."""
        plan = self.doc.source.plan
        self._statements(
            body, HWB.Statement, lambda s: self.doc.add(s, HWB.plan, plan), self._group(heading)
        )

    def _insights(self, heading: Line, body: list[Line]) -> None:
        """Three numbered insights ("1", "THE WAY WE COMMUNICATE", two paragraphs each)."""
        self.doc.report.skip(
            heading[0],
            "slide title" if body else "slide title (its content was an image, not in the text)",
        )
        number: Line | None = None
        insight = None
        for line, text in body:
            text = text.strip()
            if text.isdigit():
                number = (line, text)
            elif text.isupper():
                insight = self._plan_statement(line, text, notation=number and number[1])
                if number:
                    self.doc.uses(insight, number[0])
                number = None
            else:
                self._plan_statement(line, text, insight)

    def _strands(self, heading: Line, body: list[Line]) -> None:
        """Strand <tab> Description: the plan's themes, the scheme the priorities are tagged in."""
        self.doc.report.skip(heading[0], "slide title")
        for line, cells in self._table(body, 2, "introduces the table of strands"):
            name, description = (clean_text(c) for c in cells)
            theme = mint("theme", self.slug, name)
            scheme = mint("scheme", self.slug)
            self.doc.node(theme, HWB.Theme, line, name)
            self.doc.add(theme, HWB.ambition, Literal(description))
            self.doc.add(theme, HWB.plan, self.doc.source.plan)
            self.doc.add(theme, SKOS.inScheme, scheme)
            self.doc.add(theme, SKOS.topConceptOf, scheme)
            self.themes[name] = theme

    def _table(self, body: list[Line], width: int, prose: str) -> list[tuple[int, list[str]]]:
        """The ``width``-cell rows of a tab-separated table after its column header.

        Lines without a tab are ``prose`` (skipped); a row of another width is reported.
        """
        rows, header = [], True
        for line, text in body:
            cells = text.split("\t")
            if len(cells) == 1:
                self.doc.report.skip(line, prose)
            elif header:
                self.doc.report.skip(line, "column header")
                header = False
            elif len(cells) != width:
                self.doc.report.issue(line, f"expected {width} cells, found {len(cells)}", text)
            else:
                rows.append((line, cells))
        return rows

    def _next_steps(self, heading: Line, body: list[Line]) -> None:
        """Action <tab> When: statements with a deadline; "by HWB" names who acts."""
        group = self._group(heading)
        for line, (action, when) in self._table(body, 2, "introduces the table of next steps"):
            step = self._plan_statement(line, action, group)
            self.doc.add(step, HWB.deadline, Literal(clean_text(when)))
            done_by = DONE_BY.search(action.strip(" ."))
            if done_by:
                self.doc.partners(step, done_by["who"], line, "lead")

    # Summary and mapping tables --------------------------------------------------

    def _summary(self, heading: Line, body: list[Line]) -> None:
        """Strand (with its description) <tab> No. <tab> title; the strand cell is filled once."""
        self.doc.report.skip(heading[0], "slide title")
        theme = None
        for line, (strand, number, title) in self._table(body, 3, "introduces the summary table"):
            if strand.strip():
                theme = self._summary_strand(line, clean_text(strand))
            priority = self._new_priority(number.strip(), line, clean_text(title))
            if theme is not None:
                self.doc.add(priority, HWB.theme, theme)
                self.summary_theme[number.strip()] = theme

    def _summary_strand(self, line: int, cell: str) -> URIRef | None:
        """The strand a summary cell names; its description must match the strands table."""
        name = next((n for n in self.themes if cell.startswith(n)), None)
        if name is None:
            self.doc.report.issue(line, f"no strand named in {cell!r}", cell)
            return None
        theme = self.themes[name]
        ambition = str(self.doc.graph.value(theme, HWB.ambition))
        if not same_wording(cell[len(name) :], ambition):
            self.doc.report.issue(
                line, f"{name} described differently from the strands table", cell
            )
        self.doc.uses(theme, line)
        return theme

    def _new_priority(self, number: str, line: int, title: str) -> URIRef:
        """A priority read where it is first printed (the summary row), numbered as printed."""
        priority = mint("priority", self.slug, number)
        self.doc.node(priority, HWB.Priority, line, title, number)
        self.doc.add(priority, HWB.plan, self.doc.source.plan)
        self.priorities[number] = priority
        return priority

    def _mapping(self, heading: Line, body: list[Line]) -> None:
        """Leicester strand <tab> ICS priorities: stated mappings, as triples and records."""
        self.doc.report.skip(heading[0], "slide title")
        ics_themes = self._ics_themes()
        for line, (strand_cell, ics_cell) in self._table(body, 2, "slide title (continued)"):
            strand = self._strand(line, clean_text(strand_cell))
            if strand is None:
                continue
            if NO_EQUIVALENT.match(ics_cell.strip()):
                self.doc.add(strand, HWB.noEquivalentIn, ICS_PLAN)
                self._mapping_record(line, 1, strand, HWB.noEquivalentIn, ICS_PLAN)
                continue
            targets, rest = split_labels(clean_text(ics_cell), ics_themes)
            if rest:
                self.doc.report.issue(line, f"no ICS theme named {rest!r}", rest)
            for k, target in enumerate(targets, start=1):
                self.doc.add(strand, SKOS.closeMatch, target)
                self._mapping_record(line, k, strand, SKOS.closeMatch, target)

    def _ics_themes(self) -> dict[str, URIRef]:
        """The curated ICS themes by label (case folded)."""
        curated = self.doc.curated
        return {
            str(label).casefold(): theme
            for theme in curated.subjects(HWB.plan, ICS_PLAN)
            if (theme, RDF.type, HWB.Theme) in curated
            for label in curated.objects(theme, SKOS.prefLabel)
        }

    def _strand(self, line: int, name: str) -> URIRef | None:
        """The strand a mapping row names, resolving the second name of Healthy Lives."""
        if STRAND_ALIASES.get(name) in self.themes:
            known = STRAND_ALIASES[name]
            self.doc.report.issue(
                line,
                f"strand named {name!r} here and {known!r} in the "
                f"strands and summary tables: read as {known}",
                name,
            )
            self.doc.add(self.themes[known], SKOS.altLabel, Literal(name))
            name = known
        theme = self.themes.get(name)
        if theme is None:
            self.doc.report.issue(line, f"no strand named {name!r}", name)
            return None
        self.doc.uses(theme, line)
        return theme

    def _mapping_record(
        self, line: int, k: int, source: URIRef, prop: URIRef, target: URIRef
    ) -> None:
        """Who states the mapping and where: the triple alone cannot carry its provenance."""
        record = self.doc.node(mint("mapping", self.slug, f"l{line}-{k}"), HWB.Mapping, line)
        self.doc.add(record, OWL.annotatedSource, source)
        self.doc.add(record, OWL.annotatedProperty, prop)
        self.doc.add(record, OWL.annotatedTarget, target)
        self.doc.add(record, HWB.mappingJustification, Literal("stated in source"))

    # Priority slides -------------------------------------------------------------

    def _priority_slide(self, heading: Line, body: list[Line]) -> None:
        """One priority's slide: its title (kept if worded differently), strand, level, parts."""
        line, text = heading
        match = SLIDE_TITLE.match(text)
        number, title = match["number"], clean_text(match["title"])
        priority = self.priorities.get(number)
        if priority is None:
            self.doc.report.issue(line, f"priority {number} is not in the summary table", text)
            priority = self._new_priority(number, line, title)
        self.doc.uses(priority, line)
        if title and not same_wording(title, str(self.doc.graph.value(priority, SKOS.prefLabel))):
            self.doc.add(priority, SKOS.altLabel, Literal(title))
        for part, part_heading, lines in split_parts(body):
            if part == "partners":
                self._partners(priority, part_heading, lines)
                continue
            if part_heading:
                self.doc.report.skip(part_heading[0], "section heading")
            if part == "head":
                self._head(priority, number, lines)
            elif part == "measures":
                self._measures(priority, lines)
            else:
                prop, rdf_type = (
                    (HWB.rationale, HWB.Rationale)
                    if part == "rationale"
                    else (HWB.improvementPlan, HWB.ImprovementPlan)
                )
                self._statements(
                    lines,
                    rdf_type,
                    lambda s, p=prop: self.doc.add(priority, p, s),
                    None,
                    figures=True,
                )

    def _head(self, priority: URIRef, number: str, lines: list[Line]) -> None:
        """The strand under the slide title (checked against the summary table), the level."""
        for line, text in lines:
            text = clean_text(text)
            level = LEVEL.match(text)
            if level:
                self.doc.add(priority, HWB.level, Literal(level["level"]))
                self.doc.uses(priority, line)
            elif text in self.themes:
                self._slide_strand(priority, number, line, text)
            else:
                self.doc.report.issue(line, "expected the strand or level of the priority", text)

    def _slide_strand(self, priority: URIRef, number: str, line: int, name: str) -> None:
        """The slide's strand must be the summary table's: a disagreement is reported."""
        theme, listed = self.themes[name], self.summary_theme.get(number)
        if listed is not None and listed != theme:
            listed_name = self.doc.graph.value(listed, SKOS.prefLabel)
            self.doc.report.issue(
                line,
                f"slide puts priority {number} under {name}, the summary table under {listed_name}",
                name,
            )
            return
        self.doc.add(priority, HWB.theme, theme)
        self.doc.uses(priority, line)

    def _partners(self, priority: URIRef, heading: Line, lines: list[Line]) -> None:
        """Key partners: after the heading's colon(s) and on the lines up to the next part."""
        for line, cell in [(heading[0], partners_after_heading(heading[1])), *lines]:
            self.doc.uses(priority, line)
            if cell.strip():
                self.doc.partners(priority, cell.strip(), line, "partner")

    def _measures(self, priority: URIRef, lines: list[Line]) -> None:
        """One measure per bullet or paragraph; a leading '*' is emphasis, kept as a flag."""
        for key, (line, text) in enumerate(lines, start=1):
            text = bullet(text)[1]
            measure = self.doc.measure(priority, str(key), text.lstrip("* "), line)
            if text.startswith("*"):
                self.doc.add(measure, HWB.flag, Literal("Asterisked"))
            if not is_placeholder_measure(text):
                self.figures.add(measure, text, line)

    # Statements and figures ------------------------------------------------------

    def _statements(
        self,
        lines: list[Line],
        rdf_type: URIRef,
        attach: Callable[[URIRef], None],
        section: URIRef | None,
        figures: bool = False,
    ) -> None:
        """Bullets and lines as statements, each dcterms:isPartOf what it details.

        A line ending in ':' heads the bullets after it; a sub-bullet details the bullet
        before it; other lines belong to ``section`` (a slide) if any.
        """
        group = top = None
        for line, depth, text, continued in join_split_bullets(lines):
            parent = (
                section
                if depth == 0
                else group or section
                if depth == 1
                else top or group or section
            )
            statement = self._statement(line, text, rdf_type, parent, figures, continued)
            attach(statement)
            if depth == 0:
                group, top = (statement if text.endswith(":") else None), None
            elif depth == 1:
                top = statement

    def _statement(
        self,
        line: int,
        text: str,
        rdf_type: URIRef,
        parent: URIRef | None,
        figures: bool = False,
        continued: Sequence[int] = (),
        notation: str | None = None,
    ) -> URIRef:
        """A statement node; "*" before it is printed emphasis, kept as hwb:flag."""
        label = clean_text(text.lstrip("* "))
        statement = self.doc.node(
            mint("statement", self.slug, f"l{line}"), rdf_type, line, label, notation, continued
        )
        if text.startswith("*"):
            self.doc.add(statement, HWB.flag, Literal("Asterisked"))
        if parent is not None:
            self.doc.add(statement, DCTERMS.isPartOf, parent)
        if figures:
            self.figures.add(statement, label, line)
        together = WORKING_TOGETHER.match(label)
        if together:
            self.doc.partners(statement, together["who"], line, "partner")
        return statement
