"""Loader for The Leicester Health, Care and Wellbeing Strategy 2022-27 (draft v4, prose).

The document is numbered sections of prose. What it states as plan facts: the overall
purpose (section 1) and the ICS offer bullets; five "THEME n:" sections (section 4), each
with an ambition and a key-issues table; the priorities table (section 5), which letters
the themes A-E and prints only some priority numbers; what the priorities mean for a
resident (section 6); the Do/Sponsor/Watch table and the guiding principles (section 7).

Prose paragraphs state facts too (the city's key health issues, each theme's case): each is
a statement of the plan or its theme, with its figures and rdfs:comment naming its section.
Skipped, with the reason: the foreword, engagement, next steps, acknowledgements, headings,
captions, a footnote and the lines introducing a diagram or a table.

Lists (the ICS offer, the resident statements, the guiding principles) are kept as the
proposed-priorities loader keeps them: the sentence that introduces a list is a statement,
and each item is a statement dcterms:isPartOf it, so an analyst can ask for "the guiding
principles" of any plan the same way. Every statement has hwb:plan.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

from rdflib import DCTERMS, RDFS, URIRef
from rdflib.namespace import SKOS

from loaders.base import SourceGraph, clean_text
from loaders.figures import FigureWriter
from loaders.strategy_tables import (
    ApproachTable,
    PriorityRow,
    ThemeLabel,
    misplaced_work,
    nearest_label,
    parse_approaches,
    parse_priorities,
    parse_table,
)
from vocab.ids import mint
from vocab.namespace import HWB

Lines = list[tuple[int, str]]
_SECTION = re.compile(r"^(\d+)\. \S")  # "5. What are the key priorities?" (not "\t3. We will")
_THEME = re.compile(r"^THEME (\d+): (.+)$")
_FOOTNOTE_MARKS = "¹²³⁴⁵⁶⁷⁸⁹⁰"
_PROCESS = {  # sections saying how the strategy was made, or what follows it, not what it plans
    8: "engagement process: who was consulted on the strategy and how",
    9: "next steps: the action plans to come, not part of this document",
    10: "acknowledgements",
}
NOT_ASSIGNED = (
    "The strategy puts 1-2 priorities of each theme under each approach but does "
    "not say which priority is Do, Sponsor or Watch."
)


class StrategyLoader:
    """Reads the 2022-27 strategy: themes, priorities, key issues, lists and approaches."""

    name = "leicester-strategy"

    def load(self, doc: SourceGraph) -> None:
        """Route each numbered section to its reader; other sections are prose paragraphs."""
        self.doc, self.slug, self.plan = doc, doc.source.slug, doc.source.plan
        self.themes: dict[str, URIRef] = {}  # "HEALTHY PLACES" -> theme
        self.figures = FigureWriter(doc)
        readers = {
            0: self._front_matter,
            1: self._purpose,
            4: self._themes,
            5: self._priorities,
            6: self._resident,
            7: self._delivery,
        }
        for number, heading, lines in _sections(doc):
            self.section = ""
            if heading:
                doc.report.skip(heading, "heading")
                self.section = clean_text(doc.text(heading).split(".", 1)[1])
            if number in _PROCESS:
                for line, _ in lines:
                    doc.report.skip(line, _PROCESS[number])
            else:
                readers.get(number, self._prose)(lines)

    ####################################################################
    # Cover, prose paragraphs, purpose and lists

    def _front_matter(self, lines: Lines) -> None:
        """The cover (title, period, status and month, as the manifest records them), then
        the foreword, which introduces the strategy but states none of its facts."""
        source = self.doc.source
        month = (
            dt.date.fromisoformat(f"{source.issued[:7]}-01").strftime("%B %Y")
            if source.issued
            else None
        )
        for number, text in lines:
            text = text.strip()
            if number == source.title_line:
                continue  # graph.build already read the title into the plan
            if text in (source.period, month) or text.lower().startswith(source.status):
                self.doc.uses(self.plan, number)
            elif text == "Foreword":
                self.doc.report.skip(number, "heading")
            else:
                self.doc.report.skip(number, "foreword")

    def _prose(self, lines: Lines) -> None:
        """Background and key health issues (sections 2-3): a statement per paragraph;
        figure captions and footnotes are told apart and skipped."""
        for number, text in lines:
            text = text.strip()
            if re.match(r"Figure \d+:", text):
                self.doc.report.skip(number, "figure caption")
            elif text[0] in _FOOTNOTE_MARKS:
                self.doc.report.skip(number, "footnote")
            else:
                self._paragraph(number, text)

    def _paragraph(self, line: int, text: str, theme: URIRef | None = None) -> URIRef:
        """A prose paragraph as a statement of the plan (or of ``theme``), with its figures;
        rdfs:comment names the section, so "the key health issues" are one query away."""
        statement = self._statement(line, text)
        if self.section:
            self.doc.add(statement, RDFS.comment, self.section)
        if theme is not None:
            self.doc.add(statement, HWB.theme, theme)
        self.figures.add(statement, str(self.doc.graph.value(statement, SKOS.prefLabel)), line)
        return statement

    def _purpose(self, lines: Lines) -> None:
        """Section 1: the overall purpose and ambition, then the ICS offer bullets."""
        lead, intro = None, None
        for number, text in lines:
            text = text.strip()
            if text.startswith("- ") and lead is not None:
                intro = self._item(number, text, lead, intro)
            elif text.endswith(":"):
                lead, intro = (number, text), None
            elif lead and lead[1].endswith("purpose and ambition is:"):
                statement = self._statement(number, text, continued=[lead[0]])
                self.doc.add(
                    self.plan, HWB.ambition, self.doc.graph.value(statement, SKOS.prefLabel)
                )
                lead = None
            else:
                self._paragraph(number, text)

    def _resident(self, lines: Lines) -> None:
        """Section 6: one statement per sentence; a line not ending a sentence wraps on."""
        intro, sentence = None, []
        for number, text in lines:
            text = text.strip()
            if intro is None and text.endswith(":"):
                intro = self._statement(number, text)
                continue
            sentence.append((number, text))
            if text.endswith((".", "?", "!")):
                self._sentence(sentence, intro)
                sentence = []
        if sentence:
            self._sentence(sentence, intro)
            self.doc.report.issue(sentence[-1][0], "sentence does not end; kept as printed")

    def _item(self, line: int, text: str, lead: tuple[int, str], intro: URIRef | None) -> URIRef:
        """A "- " bullet of the list ``lead`` introduces; returns the introduction's statement,
        made with the first item so an introduction with no items is not a list."""
        intro = intro or self._statement(*lead)
        self._statement(line, text[2:], intro)
        return intro

    def _sentence(self, pieces: Lines, intro: URIRef | None) -> None:
        self._statement(
            pieces[0][0],
            " ".join(t for _, t in pieces),
            intro,
            continued=[n for n, _ in pieces[1:]],
        )

    def _statement(
        self,
        line: int,
        text: str,
        part_of: URIRef | None = None,
        continued: Iterable[int] = (),
        key: str = "",
    ) -> URIRef:
        """A sentence, bullet or table cell of the plan, without footnote markers.

        ``part_of`` is the statement introducing the list the item belongs to.

        ``key`` tells apart two statements read from one line (a row's two cells).
        """
        iri = mint("statement", self.slug, f"l{line}{key}")
        label = clean_text(text).rstrip(_FOOTNOTE_MARKS)
        self.doc.node(iri, HWB.Statement, line, label, continued=sorted(set(continued) - {line}))
        self.doc.add(iri, HWB.plan, self.plan)
        if part_of is not None:
            self.doc.add(iri, DCTERMS.isPartOf, part_of)
        return iri

    ####################################################################
    # Themes and their key-issues tables

    def _themes(self, lines: Lines) -> None:
        """Section 4: "THEME n: NAME", its "Ambition:" line, prose, then a key-issues table."""
        theme, table = None, []
        for number, text in lines:
            heading = _THEME.match(text.strip())
            if heading:
                self._key_issues(theme, table)
                theme, table = self._theme(number, *heading.groups()), []
            elif theme is not None and "\t" in text:
                table.append((number, text))
            elif theme is not None and text.startswith("Ambition:"):
                self.doc.add(theme, HWB.ambition, clean_text(text.split(":", 1)[1]))
                self.doc.uses(theme, number)
            elif text.lower().startswith("key issues"):
                self.doc.report.skip(number, "table caption")
            elif theme is not None:
                self._paragraph(number, text, theme)
            else:
                self.doc.report.skip(number, "introduces the themes diagram (an image)")
        self._key_issues(theme, table)

    def _theme(self, line: int, notation: str, printed: str) -> URIRef:
        """A theme of the plan's scheme, named in title case ("Healthy Places")."""
        name = printed.strip().title()
        iri = mint("theme", self.slug, name)
        scheme = mint("scheme", self.slug)
        self.doc.node(iri, HWB.Theme, line, name, notation)
        self.doc.add(iri, HWB.plan, self.plan)
        self.doc.add(iri, SKOS.inScheme, scheme)
        self.doc.add(iri, SKOS.topConceptOf, scheme)
        self.doc.add(scheme, SKOS.hasTopConcept, iri)
        self.themes[printed.strip().upper()] = iri
        return iri

    def _key_issues(self, theme: URIRef | None, lines: Lines) -> None:
        """Each Area row: what we know (with its figures), and the examples of work.

        Both are hwb:Statement (hwb:ImprovementPlan needs a priority, and the table names
        none); rdfs:comment keeps the column each was printed in, to tell them apart.
        """
        if theme is None or not lines:
            return
        table = parse_table(lines)
        misplaced = misplaced_work(table.rows)
        for row in table.rows:
            for key, cell, column in (("", row.known, 1), ("-work", row.work, 2)):
                if not cell.parts:
                    continue
                statement = self._statement(
                    row.line,
                    f"{row.area.text}: {cell.text}",
                    continued=row.area.lines + cell.lines,
                    key=key,
                )
                self.doc.add(statement, HWB.theme, theme)
                if table.columns:
                    self.doc.add(statement, RDFS.comment, table.columns[column])
                self.figures.add(statement, cell.text, row.line, cell.lines_between)
            if row.line in misplaced:
                self.doc.report.issue(
                    row.line,
                    "examples of work seem to belong to the "
                    f"{misplaced[row.line]!r} row (cells slipped between "
                    "rows); kept as printed",
                )
        if table.header is not None:
            self.doc.report.skip(table.header, "column header")
        used = self.doc.report.accounted_lines()
        for line, text in table.slips.items():
            self.doc.report.issue(
                line,
                f"Area text {text!r} printed in the next column "
                "(column slip); read as part of the Area",
            )
        for line, text in table.residue.items():
            if line in used:
                self.doc.report.issue(line, f"page residue {text!r} inside the table; ignored")
            else:
                self.doc.report.skip(line, "page-break residue")
        for line in table.orphans:
            self.doc.report.issue(line, "table text before the first Area row; not read")

    ####################################################################
    # Priorities

    def _priorities(self, lines: Lines) -> None:
        """Section 5: the Theme / Proposed Priority table, after a line introducing it."""
        for number, text in lines:
            if "\t" not in text:
                self.doc.report.skip(number, "introduces the priorities table")
        table = parse_priorities([(n, t) for n, t in lines if "\t" in t])
        if table.header is not None:
            self.doc.report.skip(table.header, "column header")
        for line in table.stray:
            self.doc.report.issue(line, "theme description before any theme label; not read")
        for label in table.labels:
            self._lettered_theme(label)
        for position, row in enumerate(table.rows, start=1):
            self._priority(position, row, table.labels)

    def _lettered_theme(self, label: ThemeLabel) -> None:
        """The table's letter and description belong to the numbered theme of that name."""
        theme = self.themes.get(label.name)
        if theme is None:
            self.doc.report.issue(
                label.lines[0],
                f"theme {label.name!r} has no THEME section; its priorities have no theme",
            )
            return
        self.doc.add(theme, SKOS.altLabel, label.printed)
        self.doc.add(theme, SKOS.definition, clean_text(" ".join(label.description)))
        self.doc.uses(theme, *label.lines)

    def _priority(self, position: int, row: PriorityRow, labels: list[ThemeLabel]) -> None:
        """A priority numbered by its position, which every printed number must match."""
        notation = str(position)
        if row.printed is None:
            self.doc.report.issue(row.line, "number not printed; inferred from position")
        elif row.printed != notation:
            self.doc.report.issue(
                row.line,
                f"printed number {row.printed} is not its "
                f"position {position}; kept the printed number",
            )
            notation = row.printed
        iri = mint("priority", self.slug, notation)
        self.doc.node(iri, HWB.Priority, row.line, clean_text(row.text), notation)
        self.doc.add(iri, HWB.plan, self.plan)
        label, tied = nearest_label(row.line, labels)
        theme = self.themes.get(label.name) if label else None
        if theme is not None:
            self.doc.add(iri, HWB.theme, theme)
        if tied:
            self.doc.report.issue(
                row.line,
                "theme labels are as near above as below; "
                f"assigned to the earlier, {label.name.title()}",
            )

    ####################################################################
    # Do / Sponsor / Watch and the guiding principles

    def _delivery(self, lines: Lines) -> None:
        """Section 7: the approach, its table, the guiding principles list."""
        scheme, table, lead, intro = None, [], None, None
        for number, text in lines:
            stripped = text.strip()
            named = re.search(r"'([^']+)' approach", stripped)
            if "\t" in text:
                table.append((number, text))
            elif named:
                scheme = self._approach_scheme(number, named.group(1))
            elif stripped.endswith(":"):
                lead, intro = (number, stripped), None
            elif stripped.startswith("- ") and lead is not None:
                intro = self._item(number, stripped, lead, intro)
            else:
                self._paragraph(number, stripped)
        if scheme is None:
            for number, _ in table:
                self.doc.report.issue(number, "approach table with no approach named; not read")
            return
        self._approaches(scheme, parse_approaches(table))

    def _approach_scheme(self, line: int, printed: str) -> URIRef:
        """The scheme of delivery approaches ("Do, Sponsor, Watch")."""
        scheme = mint("scheme", self.slug, "delivery-approaches")
        self.doc.node(scheme, SKOS.ConceptScheme, line, printed)
        self.doc.add(scheme, HWB.plan, self.plan)
        self.doc.add(scheme, RDFS.comment, NOT_ASSIGNED)
        self.doc.report.issue(
            line,
            "no priority is assigned Do, Sponsor or Watch in the "
            "document (only 1-2 per theme); no hwb:deliveryApproach links",
        )
        return scheme

    def _approaches(self, scheme: URIRef, table: ApproachTable) -> None:
        """One hwb:DeliveryApproach per row, defined by its supporting expectations."""
        if table.header is not None:
            self.doc.report.skip(table.header, "column header")
        for line in table.leftover:
            self.doc.report.issue(line, "approach text after the last row; not read")
        for row in table.rows:
            iri = mint("approach", self.slug, row.label.lower())
            self.doc.node(
                iri, HWB.DeliveryApproach, row.lines[0], row.label.title(), continued=row.lines[1:]
            )
            self.doc.add(iri, SKOS.definition, row.column(1))
            self.doc.add(iri, SKOS.inScheme, scheme)
            self.doc.add(iri, SKOS.topConceptOf, scheme)
            self.doc.add(scheme, SKOS.hasTopConcept, iri)
            if row.column(2) and table.columns:
                self.doc.add(iri, SKOS.scopeNote, f"{table.columns[2]}: {row.column(2)}")


def _sections(doc: SourceGraph):
    """(section number, heading line, lines) in order; the cover and foreword are 0."""
    number, heading, lines = 0, None, []
    for line, text in doc.content_lines():
        found = _SECTION.match(text)
        if found:
            yield number, heading, lines
            number, heading, lines = int(found.group(1)), line, []
        else:
            lines.append((line, text))
    yield number, heading, lines
