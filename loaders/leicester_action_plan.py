"""Loader for Leicester's Joint Health and Wellbeing Action Plan 2018-23 (draft).

The document is a title block, five themes with their ambitions, a list of key principles
and one tab-separated table: ``tag | No. | Action | Lead Partner | Related Strategy/ Plan |
Measure | Level``. Lettered rows (``A)`` .. ``R)``) are objective groups whose first cell tags
the themes they serve; numbered rows are actions. The PDF conversion left the table messy
and this loader repairs only what the page itself makes unambiguous, reporting each repair:
rows carried over a page break, a row printed without its leading tab, rows with no number,
a notation printed twice, truncated theme tags, and related-plan and measure cells swapped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rdflib import Literal, URIRef
from rdflib.namespace import SKOS

from loaders.base import SourceGraph, clean_text, is_placeholder_measure
from loaders.figures import FigureWriter
from loaders.leicester_action_plan_cells import (
    STRETCH,
    PlanName,
    resolve_tag,
    split_plans,
    tidy_label,
)
from vocab.ids import mint
from vocab.namespace import HWB

ACTION, LEAD, RELATED, MEASURE, LEVEL = range(5)
NOTATION = re.compile(r"^\d+\.\d+\.?$")
OBJECTIVE = re.compile(r"^(?P<letter>[A-Ra-r])\)\s*(?P<label>.+)$")
THEME_HEADING = re.compile(r"^Healthy (?P<tag>[A-Za-z]+)$")
PRINCIPLE = re.compile(r"^-\s*\*\*(?P<name>[^*]+)\*\*$")
LEADING_PLACEHOLDER = re.compile(r"^(?P<placeholder>TBA|TBC|TBD|\?)\s+(?P<rest>\S.*)$")


@dataclass
class Part:
    """One printed line of a row: a row carried over a page break has two."""

    line: int
    cells: list[str]  # action, lead, related, measure, level

    def __post_init__(self) -> None:
        self.cells = [c.strip() for c in self.cells][:5] + [""] * (5 - len(self.cells))


@dataclass
class Row:
    """An action row: its notation as printed (None when the row has no number)."""

    notation: str | None
    parts: list[Part]

    @property
    def line(self) -> int:
        return self.parts[0].line

    def cell(self, column: int) -> str:
        return " ".join(p.cells[column] for p in self.parts if p.cells[column])

    def lines(self, column: int) -> list[int]:
        """The lines where ``column`` has text."""
        return [p.line for p in self.parts if p.cells[column]]

    def line_at(self, column: int, offset: int) -> int:
        """The line holding character ``offset`` of :meth:`cell` ``column``."""
        start = 0
        for part in (p for p in self.parts if p.cells[column]):
            start += len(part.cells[column]) + 1
            if offset < start:
                return part.line
        return self.line


@dataclass
class Objective:
    """A lettered objective group with its tags as printed and its action rows."""

    line: int
    letter: str
    label: str
    tags: list[tuple[int, str]] = field(default_factory=list)  # (line, tag text as printed)
    rows: list[Row] = field(default_factory=list)
    residue: list[tuple[int, str]] = field(default_factory=list)  # tag scraps on continuations


def parse_table(doc: SourceGraph, first: int) -> list[Objective]:
    """Group the table's lines from ``first`` into objectives and their action rows.

    A page break is a blank line; an unnumbered line right after one, following a row,
    continues that row. Rows with no number elsewhere (lines 130-131) are rows of their own.
    """
    objectives: list[Objective] = []
    after_break = False
    for number in range(first, len(doc.lines) + 1):
        cells = doc.text(number).split("\t")
        if not doc.text(number).strip():
            after_break = True
            continue
        current = objectives[-1] if objectives else None
        if (match := _objective_match(cells)) is None and current is None:
            raise doc.layout_error(number, "an action row before the first objective heading")
        if match:
            objectives.append(Objective(number, match["letter"], match["label"].strip()))
            if not OBJECTIVE.match(cells[0].strip()) and cells[0].strip():
                objectives[-1].tags.append((number, cells[0].strip()))
        elif after_break and current.rows and not _numbered(cells):
            _continue_row(current, number, cells)
        else:
            _add_row(current, number, cells)
        after_break = False
    return objectives


def _objective_match(cells: list[str]) -> re.Match | None:
    """An objective heading sits in the number column, or first when the tag is missing."""
    return next((m for c in cells[:2] if (m := OBJECTIVE.match(c.strip()))), None)


def _numbered(cells: list[str]) -> bool:
    return any(NOTATION.match(c.strip()) for c in cells[:2])


def _add_row(objective: Objective, line: int, cells: list[str]) -> None:
    """Read a row whatever its shift: from line 133 the leading (tag) tab is missing."""
    cells = [c.strip() for c in cells]
    if NOTATION.match(cells[0]):
        tag, notation, rest = "", cells[0], cells[1:]
    elif len(cells) > 1 and NOTATION.match(cells[1]):
        tag, notation, rest = cells[0], cells[1], cells[2:]
    else:
        tag, notation, rest = cells[0], None, cells[1:]
    if tag:  # printed beside the group's first action (lines 118, 123): the group's tag
        objective.tags.append((line, tag))
    objective.rows.append(Row(notation, [Part(line, rest)]))


def _continue_row(objective: Objective, line: int, cells: list[str]) -> None:
    """Append a continuation line to the group's last row.

    A continuation has no number, so text in the number column means the conversion
    dropped that empty cell (line 74: "city" is the action's last word); read one column
    further left then. A scrap in the tag column is kept to be reported.
    """
    cells = [c.strip() for c in cells]
    if cells[0]:
        objective.residue.append((line, cells[0]))
    rest = cells[1:] if cells[1] else cells[2:]
    objective.rows[-1].parts.append(Part(line, rest))


class LeicesterActionPlanLoader:
    """Themes, principles, objectives A-R and their actions from the 2018-23 action plan."""

    name = "leicester-action-plan"

    def load(self, doc: SourceGraph) -> None:
        self.doc = doc
        self.slug = doc.source.slug
        self.plans_cited: set[URIRef] = set()
        self.actions_seen: dict[URIRef, int] = {}
        self.figures = FigureWriter(doc)
        header = next((n for n, text in doc.content_lines() if "No.\tAction" in text), None)
        if header is None:
            raise doc.layout_error(None, "no action table (a 'No.<tab>Action' header line)")
        self.themes = self._preamble(header)
        doc.report.skip(header, "column header of the action table")
        for objective in parse_table(doc, header + 1):
            self._objective(objective)

    # Title, themes and principles -------------------------------------------------

    def _preamble(self, header: int) -> dict[str, URIRef]:
        """Read everything above the table; return theme IRIs by their table tag (PLACE...)."""
        doc, themes, principles = self.doc, {}, None
        lines = [(n, t.strip()) for n, t in doc.content_lines() if n < header]
        for index, (number, text) in enumerate(lines):
            if match := THEME_HEADING.match(text):
                ambition = lines[index + 1]
                themes[match["tag"].upper()] = self._theme(number, text, *ambition)
            elif text.startswith("Key principles"):
                principles = self._principle_scheme(number, text)
            elif principles is not None and (match := PRINCIPLE.match(text)):
                self._principle(principles, number, match["name"].strip())
            elif principles is not None:
                doc.add(principles, SKOS.scopeNote, Literal(text))
                doc.uses(principles, number)
            elif not themes:  # "Draft", the title, "ACTION PLAN", "2018-23"
                doc.uses(doc.source.plan, number)
        return themes

    def _theme(self, line: int, name: str, ambition_line: int, ambition: str) -> URIRef:
        doc, scheme = self.doc, mint("scheme", self.slug)
        theme = doc.node(mint("theme", self.slug, name), HWB.Theme, line, name)
        doc.add(theme, SKOS.altLabel, Literal(name.split()[-1].upper()))  # the table's tag
        doc.add(theme, HWB.plan, doc.source.plan)
        doc.add(theme, SKOS.inScheme, scheme)
        doc.add(theme, SKOS.topConceptOf, scheme)
        doc.add(theme, HWB.ambition, Literal(ambition))
        doc.uses(theme, ambition_line)
        return theme

    def _principle_scheme(self, line: int, heading: str) -> URIRef:
        scheme = mint("scheme", self.slug, "principles")
        return self.doc.node(scheme, SKOS.ConceptScheme, line, heading)

    def _principle(self, scheme: URIRef, line: int, name: str) -> None:
        """A key principle, a concept of its own so plans can be compared on them."""
        doc = self.doc
        principle = doc.node(mint("principle", self.slug, name), SKOS.Concept, line, name)
        doc.add(principle, SKOS.inScheme, scheme)
        doc.add(principle, SKOS.topConceptOf, scheme)
        doc.add(principle, HWB.plan, doc.source.plan)

    # Objectives ------------------------------------------------------------------

    def _objective(self, objective: Objective) -> None:
        doc = self.doc
        iri = mint("priority", self.slug, objective.letter.lower())
        doc.node(
            iri, HWB.Objective, objective.line, clean_text(objective.label), f"{objective.letter})"
        )
        doc.add(iri, HWB.plan, doc.source.plan)
        themes = self._objective_themes(iri, objective)
        for line, scrap in objective.residue:
            doc.report.issue(
                line,
                f"theme tag scrap {scrap!r} on a continuation line: "
                "which theme it was cannot be read; not applied",
                scrap,
            )
        for row in objective.rows:
            self._action(row, iri, themes)

    def _objective_themes(self, iri: URIRef, objective: Objective) -> list[URIRef]:
        """The themes tagged on the objective's line or, failing that, beside its first action."""
        doc, themes = self.doc, []
        if not objective.tags:
            doc.report.issue(
                objective.line,
                f"no theme tag printed for objective {objective.letter}); no theme given",
            )
        for line, text in objective.tags:
            doc.uses(iri, line)
            if line != objective.line:
                doc.report.issue(
                    line,
                    f"theme tag {text!r} printed on an action row; "
                    f"read as the tag of objective {objective.letter})",
                    text,
                )
            for token in re.findall(r"[A-Za-z]+", text):
                tag = resolve_tag(token, list(self.themes))
                if tag is None:
                    doc.report.issue(line, f"unreadable theme tag {token!r}", token)
                    continue
                if tag != token.upper():
                    doc.report.issue(line, f"truncated theme tag {token!r} read as {tag}", token)
                doc.add(iri, HWB.theme, self.themes[tag])
                themes.append(self.themes[tag])
        return themes

    # Actions ---------------------------------------------------------------------

    def _action(self, row: Row, objective: URIRef, themes: list[URIRef]) -> None:
        doc = self.doc
        iri = self._action_iri(row)
        label, flags = tidy_label(row.cell(ACTION))
        if STRETCH.search(row.cell(MEASURE)) and "Stretch" not in flags:
            flags.append("Stretch")  # 10.1 prints "(Stretch)" beside its target
        continued = [p.line for p in row.parts[1:] if p.cells[ACTION]]
        doc.node(iri, HWB.Action, row.line, label, row.notation, continued=continued)
        doc.add(iri, HWB.plan, doc.source.plan)
        doc.add(iri, HWB.priority, objective)
        for theme in themes:
            doc.add(iri, HWB.theme, theme)
        for flag in flags:
            doc.add(iri, HWB.flag, Literal(flag))
        if row.cell(LEVEL):
            doc.add(iri, HWB.level, Literal(row.cell(LEVEL)))
        if row.cell(LEAD):
            doc.partners(iri, row.cell(LEAD), row.line, "lead")
        for part in row.parts:
            self.figures.add(iri, clean_text(part.cells[ACTION]), part.line)
        self._unswap(row)
        self._related(iri, row)
        self._measure(iri, row)

    def _action_iri(self, row: Row) -> URIRef:
        """mint per the conventions; a repeated notation or no number is also an issue."""
        if row.notation is None:
            self.doc.report.issue(row.line, "action row has no number; IRI suffix l<line>")
            return mint("action", self.slug, f"l{row.line}")
        iri = mint("action", self.slug, row.notation)
        if iri in self.actions_seen:
            self.doc.report.issue(
                row.line,
                f"notation {row.notation!r} printed again (first "
                f"on line {self.actions_seen[iri]}); IRI suffix "
                f"-l{row.line}",
                row.notation,
            )
            return mint("action", self.slug, f"{row.notation}-l{row.line}")
        self.actions_seen[iri] = row.line
        return iri

    def _unswap(self, row: Row) -> None:
        """Put back related and measure cells printed the wrong way round (line 86).

        Only a measure cell that is wholly names of the curated plan list, beside an empty or
        placeholder related cell, proves the swap; "TBC" beside a real measure (7.7) does not.
        """
        related, measure = row.cell(RELATED), row.cell(MEASURE)
        names = split_plans(measure) if measure else []
        if not is_placeholder_measure(related) or not names or any(n.kind != "plan" for n in names):
            return
        for part in row.parts:
            part.cells[RELATED], part.cells[MEASURE] = part.cells[MEASURE], part.cells[RELATED]
        self.doc.report.issue(
            row.line,
            f"related strategy and measure columns swapped: "
            f"read {measure!r} as the related plan and "
            f"{related!r} as the measure",
            measure,
        )

    def _related(self, action: URIRef, row: Row) -> None:
        """Link the plans named in the related cell; placeholders and non-plans are reported."""
        doc, text = self.doc, row.cell(RELATED)
        if not text:
            return
        if is_placeholder_measure(text):
            doc.report.issue(
                row.line,
                f"related strategy/plan is the placeholder {text!r}; no plan recorded",
                text,
            )
            return
        for name in split_plans(text):
            line = row.line_at(RELATED, name.start)
            if name.kind not in ("plan", "unknown"):
                doc.report.issue(
                    line,
                    f"related cell names no plan: {name.printed!r} ({name.kind}); not recorded",
                    name.printed,
                )
                continue
            if name.kind == "unknown":
                doc.report.issue(
                    line,
                    f"related plan {name.printed!r} is not in the curated list; kept as printed",
                    name.printed,
                )
            self._plan(action, name, line, row.line_at(RELATED, name.end - 1))

    def _plan(self, action: URIRef, name: PlanName, line: int, last_line: int) -> None:
        doc, iri = self.doc, mint("plan", name.name)
        if iri not in self.plans_cited:
            self.plans_cited.add(iri)
            doc.node(iri, HWB.Plan, line, name.name)
        for alias in name.aliases:
            doc.add(iri, SKOS.altLabel, Literal(alias))
        doc.uses(iri, line, last_line)
        doc.add(action, HWB.relatedPlan, iri)

    def _measure(self, action: URIRef, row: Row) -> None:
        """One measure per cell; a leading TBA/TBC before real text gives both (line 52)."""
        doc, text = self.doc, row.cell(MEASURE)
        lines = row.lines(MEASURE) or [row.line]
        if match := LEADING_PLACEHOLDER.match(text):
            doc.measure(action, "measure", match["placeholder"], lines[0])
            text = match["rest"]
        measure = doc.measure(action, "measure", text, lines[0], continued=lines[1:])
        if text and not is_placeholder_measure(text):
            for part in row.parts:
                self.figures.add(measure, clean_text(part.cells[MEASURE]), part.line)
