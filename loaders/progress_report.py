"""Leicestershire Health and Wellbeing Board progress reports on one life-course stage.

The report is committee paper front matter (numbered paragraphs under fixed headings:
Purpose, Recommendation, Background, Key Challenges, Next Steps, Background Papers...)
around a progress table (loaders/progress_table.py). From the front matter the loader
keeps what an analyst queries:

- the strategy reported on (first cited in the purpose), its approval date, its
  life-course stages (themes) and the stage's priority areas, its cross-cutting priority;
- the recommendations and next steps, as statements (the lead-in paragraph is a
  statement too, each lettered item dcterms:isPartOf it);
- the earlier report and the strategy named as background papers, with their addresses.

The rest (the board's statutory duty, governance of the subgroups, the challenge
escalation route, the risk log) is narrative; officers' contact details are not modelled.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

from rdflib import DCTERMS, XSD, Literal
from rdflib.namespace import SKOS

from loaders.base import SourceGraph, clean_text
from loaders.progress_concepts import Report, year_month
from loaders.progress_statements import add_statement
from loaders.progress_table import read_table
from vocab.namespace import HWB

# Section headings of the front matter and how their bodies are read.
_FRONT = {
    "purpose of report": "paragraphs",
    "recommendation": "statements",
    "background": "paragraphs",
    "key challenges": "paragraphs",
    "next steps": "statements",
    "background papers": "papers",
    "appendices": "appendices",
    "officer to contact": "contacts",
    "relevant impact assessments": "paragraphs",
}
_NUMBERED = re.compile(r"^(?P<number>\d+\.)\s+(?P<text>.+)$")
_ITEM = re.compile(r"^\s*-\s+(?P<letter>[a-z]\.)\s+(?P<text>.+)$")
_STRATEGY = re.compile(
    r"(?P<name>Joint Health and Wellbeing Strategy) "
    r"\((?P<acronym>[A-Z]+)\) (?P<period>\d{4}-\d{2})"
)
_APPROVED = re.compile(r"approved in (?P<month>[A-Z][a-z]+) (?P<year>\d{4})")
_CROSS_CUTTING = re.compile(r"^(?P<name>[A-Z][^.]*?) remains a cross-cutting theme")
_PREVIOUS = re.compile(
    r"report on progress was presented to \w+ in "
    r"(?P<month>[A-Z][a-z]+) (?P<year>\d{4})"
)
_PAPER = re.compile(r"^Report to .+? (?P<day>\d{1,2}) (?P<month>[A-Z][a-z]+) (?P<year>\d{4})")
_URL = re.compile(r"^<?(?P<url>https?://[^>\s]+)>?$")
_STRATEGY_ACRONYMS = re.compile(r"\bJL[A-Z]{3}\b")


@dataclass
class _Paragraph:
    """A numbered paragraph with its continuation lines and lettered items."""

    lines: list[tuple[int, str]] = field(default_factory=list)
    items: list[tuple[int, str, str]] = field(default_factory=list)  # line, letter, text

    @property
    def line(self) -> int:
        return self.lines[0][0]

    @property
    def text(self) -> str:
        first = _NUMBERED.match(self.lines[0][1])
        texts = [first.group("text") if first else self.lines[0][1]]
        return clean_text(" ".join(texts + [t for _, t in self.lines[1:]]))


class ProgressReportLoader:
    """Reads a Leicestershire HWB progress report (see the module doc)."""

    name = "leicestershire-progress-report"

    def load(self, doc: SourceGraph) -> None:
        report = Report(doc)
        for kind, heading, body in _sections(doc):
            if heading is not None:
                doc.report.skip(heading, "section heading")
            if kind == "title":
                doc.uses(doc.source.plan, *(line for line, _ in body))
            elif kind == "table":
                read_table(report, body)
            elif kind == "papers":
                _papers(report, body)
            elif kind == "appendices":
                for line, _ in body:
                    doc.report.skip(line, "states there are no appendices")
            elif kind == "contacts":
                for line, _ in body:
                    doc.report.skip(line, "officer contact details (people are not modelled)")
            else:
                for paragraph in _paragraphs(body):
                    _paragraph(report, paragraph, as_statements=kind == "statements")
        _acronym_variants(doc)


def _sections(doc: SourceGraph):
    """(kind, heading line or None, body lines) in order; the title block comes first.

    The progress table runs from the first "Progress against ..." heading to the next
    front-matter heading, its own "Progress against" headings included.
    """
    kind, heading, body = "title", None, []
    for line, text in doc.content_lines():
        if line == doc.source.title_line:
            continue  # the build reads the title
        front = _front_heading(text)
        if front is None and text.startswith("Progress against") and kind != "table":
            yield kind, heading, body
            kind, heading, body = "table", None, [(line, text)]
        elif front is not None:
            yield kind, heading, body
            kind, heading, body = _FRONT[front], line, []
        else:
            body.append((line, text))
    yield kind, heading, body


def _front_heading(text: str) -> str | None:
    """The front-matter heading ``text`` is, or None. "Relevant Impact Assessments**Risk
    Assessment**" is two headings run together: the first decides."""
    words = re.sub(r"[^a-z]+", " ", text.split("**")[0].lower()).strip()
    return words if words in _FRONT else None


def _paragraphs(body: list[tuple[int, str]]) -> list[_Paragraph]:
    """Group a section into numbered paragraphs; unnumbered lines continue the last one
    (a paragraph carried over a page break), lettered items belong to it."""
    paragraphs: list[_Paragraph] = []
    for line, text in body:
        item = _ITEM.match(text)
        if not paragraphs or _NUMBERED.match(text):
            paragraphs.append(_Paragraph())
        if item:
            paragraphs[-1].items.append((line, item.group("letter"), item.group("text")))
        else:
            paragraphs[-1].lines.append((line, text))
    return paragraphs


def _paragraph(report: Report, paragraph: _Paragraph, as_statements: bool) -> None:
    """Read one paragraph; whatever no reader took is narrative."""
    doc = report.doc
    if not paragraph.lines:
        raise doc.layout_error(paragraph.items[0][0], "a lettered item before any paragraph")
    if as_statements:
        _statements(doc, paragraph)
    else:
        for reader in (
            _cite_strategy,
            _approval,
            _stages,
            _priority_areas,
            _cross_cutting,
            _previous_report,
        ):
            reader(report, paragraph)
    accounted = doc.report.accounted_lines()
    for line in [line for line, _ in paragraph.lines] + [line for line, _, _ in paragraph.items]:
        if line not in accounted:
            doc.report.skip(line, "narrative")


def _statements(doc: SourceGraph, paragraph: _Paragraph) -> None:
    """Recommendations, next steps: the lead-in and each lettered item as statements."""
    number = _NUMBERED.match(paragraph.lines[0][1])
    lead = add_statement(
        doc,
        paragraph.line,
        paragraph.text,
        HWB.Statement,
        number.group("number") if number else None,
        continued=tuple(line for line, _ in paragraph.lines[1:]),
    )
    for line, letter, text in paragraph.items:
        item = add_statement(doc, line, text, HWB.Statement, letter)
        doc.add(item, DCTERMS.isPartOf, lead)


def _cite_strategy(report: Report, paragraph: _Paragraph) -> None:
    match = _STRATEGY.search(paragraph.text)
    if match and report.strategy is None:
        report.cite_strategy(
            match.group("name"), match.group("acronym"), match.group("period"), paragraph.line
        )


def _approval(report: Report, paragraph: _Paragraph) -> None:
    """ "The ten-year JHWS was approved in February 2022": the strategy's approval."""
    match = _APPROVED.search(paragraph.text)
    if match and report.strategy is not None and report.acronym in paragraph.text:
        report.accepted(match.group("year"), match.group("month"), paragraph.line)


def _stages(report: Report, paragraph: _Paragraph) -> None:
    """ "The strategy follows a life course approach: a. Best Start for Life; ...": themes."""
    if paragraph.items and "life course" in paragraph.text:
        for line, letter, text in paragraph.items:
            report.add_theme(clean_text(text).rstrip(";."), letter, line, paragraph.line)


def _priority_areas(report: Report, paragraph: _Paragraph) -> None:
    """ "... strategic priority is split into two priority areas: a. ...": priority areas."""
    if paragraph.items and "priority areas" in paragraph.text:
        for line, _, text in paragraph.items:
            area = report.priority(
                clean_text(text).rstrip(";."), HWB.PriorityArea, line, theme=report.theme
            )
            report.doc.uses(area, paragraph.line)


def _cross_cutting(report: Report, paragraph: _Paragraph) -> None:
    """ "Reducing health inequalities remains a cross-cutting theme": the strategy's
    cross-cutting priority, which belongs to no single stage (no hwb:theme)."""
    match = _CROSS_CUTTING.search(paragraph.text)
    if match:
        report.priority(match.group("name"), HWB.Priority, paragraph.line)


def _previous_report(report: Report, paragraph: _Paragraph) -> None:
    """ "A report on progress was presented to HWB in May 2024": the earlier report."""
    match = _PREVIOUS.search(paragraph.text)
    if match:
        report.previous_report(match.group("year"), match.group("month"), paragraph.line)


def _papers(report: Report, body: list[tuple[int, str]]) -> None:
    """Background papers: a title line, then the address lines that follow it."""
    doc, paper = report.doc, None
    for line, text in body:
        url = _URL.match(text.strip())
        if url and paper is not None:
            report.see_also(paper, url.group("url"), line)
            continue
        title = clean_text(text).rstrip(";")
        dated = _PAPER.match(title)
        if dated:
            paper = report.previous_report(dated.group("year"), dated.group("month"), line)
            doc.add(paper, SKOS.prefLabel, title)
            doc.add(
                paper,
                DCTERMS.issued,
                Literal(
                    f"{year_month(dated.group('year'), dated.group('month'))}-"
                    f"{int(dated.group('day')):02d}",
                    datatype=XSD.date,
                ),
            )
        elif report.strategy is not None and title.startswith(report.strategy_name):
            paper = report.strategy
            doc.add(paper, SKOS.altLabel, title)
            doc.uses(paper, line)
        else:
            paper = None
            doc.report.issue(line, "background paper not recognised", text)


def _acronym_variants(doc: SourceGraph) -> None:
    """The strategy's long acronym printed two ways (JLHWS, JLHSW): report the rarer."""
    lines = defaultdict(list)
    for line, text in doc.content_lines():
        for spelling in _STRATEGY_ACRONYMS.findall(text):
            lines[spelling].append(line)
    usual = max(lines, key=lambda s: len(lines[s]), default=None)
    for spelling, where in lines.items():
        if spelling != usual:
            for line in where:
                doc.report.issue(
                    line,
                    f"strategy acronym printed {spelling!r} here but "
                    f"{usual!r} on lines {', '.join(map(str, lines[usual]))}",
                    spelling,
                )
