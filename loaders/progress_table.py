"""The progress table of a Leicestershire progress report, converted to lines.

The table's columns (commitment | initiative | progress) come out as a run of lines:
headings without a final full stop or colon, bullets ("- ", sub-bullets " - ") and the
odd paragraph. Which heading is a commitment and which an initiative follows from the
layout (checked heading by heading in tests/test_loader_progress_report.py):

1. "JLHWS Priority 2: Enabling healthy choices and environments" opens a priority area.
2. A heading followed by another heading is a commitment; the second is its first
   initiative (an empty progress cell cannot happen, an empty initiative cell can).
3. A heading right after a priority-area heading, followed by progress, is a commitment
   reported on directly (its initiative cell is empty).
4. Any other heading followed by progress is the next initiative of the current
   commitment, unless it is worded in sentence case like the strategy's commitments
   ("Explore a new approach to the design of our ... environments"): initiatives are
   named programmes in Title Case ("Work Well Programme"), so a sentence-case heading is
   a commitment reported on directly.
5. In the cross-cutting and spotlight sections a bold bullet ("**Reducing health
   inequalities**") is a priority, introduced by the lines before it; the headings under
   a cross-cutting priority are initiatives serving it directly (that section has no
   commitment column).

Every bullet, sub-bullet and paragraph under a commitment or initiative is one progress
statement of it; a sub-bullet is also dcterms:isPartOf the bullet above it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rdflib import DCTERMS, URIRef
from rdflib.namespace import SKOS

from loaders.base import clean_text
from loaders.progress_concepts import Report
from loaders.progress_statements import add_statement, clean_statement
from vocab.namespace import HWB

_SECTION = re.compile(r"^Progress against\b")
_NUMBERED = re.compile(r"^\d+\.\s")
_AREA = re.compile(r"^(?P<acronym>[A-Z]+) Priority (?P<number>\d+):\s*(?P<name>.+)$")
_BULLET = re.compile(r"^(?P<indent>\s*)-\s+(?P<text>.+)$")
_BOLD = re.compile(r"^\*{2,3}(?P<name>[^*]+)\*{2,3}\s*(?:[–-]\s*(?P<scope>.+))?$")
_SMALL_WORDS = {
    "a",
    "an",
    "and",
    "the",
    "of",
    "to",
    "in",
    "for",
    "on",
    "with",
    "at",
    "by",
    "from",
    "or",
    "our",
    "&",
}


@dataclass
class _State:
    """Where the reader is in the table."""

    mode: str = "stage"  # stage | cross-cutting | spotlight
    area: URIRef | None = None  # priority area or bold-bullet priority
    commitment: URIRef | None = None
    owner: URIRef | None = None  # what the next progress statements report on
    parent: URIRef | None = None  # the last bullet, for its sub-bullets
    previous: str = ""  # what the previous line was read as
    lead_in: list[int] = field(default_factory=list)  # lines introducing the next priorities


def read_table(report: Report, lines: list[tuple[int, str]]) -> None:
    """Read the progress sections ``lines`` (headings included) into ``report``."""
    state, left_over = _State(), []
    kinds = [_kind(text) for _, text in lines]
    for index, (line, text) in enumerate(lines):
        if kinds[index] == "section":
            report.doc.report.skip(line, "section heading")
            left_over += state.lead_in
            state = _State(
                mode="cross-cutting"
                if "cross-cutting" in text
                else "spotlight"
                if "recommendations" in text
                else "stage"
            )
            continue
        following = kinds[index + 1] if index + 1 < len(kinds) else ""
        state.previous = _read(report, state, line, text, kinds[index], following)
    accounted = report.doc.report.accounted_lines()
    for line in left_over + state.lead_in:
        if line not in accounted:
            report.doc.report.skip(line, "heading with no priority under it")


def _kind(text: str) -> str:
    """What a line of the table looks like, before knowing where it is."""
    bullet = _BULLET.match(text)
    if _SECTION.match(text):
        return "section"
    if _NUMBERED.match(text):
        return "numbered"
    if _AREA.match(text):
        return "area"
    if bullet:
        if _BOLD.match(bullet.group("text")):
            return "bold"
        return "sub-bullet" if bullet.group("indent") else "bullet"
    if len(text.strip()) < 2:
        return "stray"
    return "paragraph" if text.rstrip().endswith((".", ":")) else "heading"


def _read(report: Report, state: _State, line: int, text: str, kind: str, following: str) -> str:
    """Read one line; return what it was read as (rule numbers: see the module doc)."""
    doc = report.doc
    if kind == "numbered":
        doc.report.skip(line, "narrative: introduces the progress table")
        return kind
    if kind == "stray":
        doc.report.issue(line, f"stray text {text.strip()!r} (conversion residue)", text.strip())
        return kind
    if kind == "area":
        _area(report, state, line, _AREA.match(text))
        return kind
    if kind == "bold":
        _bold_priority(report, state, line, _BOLD.match(_BULLET.match(text).group("text")))
        return kind
    if state.area is None:  # rule 5: lines introducing the priorities that follow
        state.lead_in.append(line)
        return "lead-in"
    if kind == "heading":
        return _heading(report, state, line, text, following)
    if state.owner is None:
        doc.report.issue(line, "progress under no commitment or initiative heading", text)
        return kind
    _progress(report, state, line, text, kind)
    return kind


def _area(report: Report, state: _State, line: int, match: re.Match) -> None:
    """Rule 1: a priority area, already listed in the background or new here."""
    area = report.priority(match.group("name"), HWB.PriorityArea, line, theme=report.theme)
    report.doc.add(area, SKOS.notation, match.group("number"))
    printed = clean_text(match.group("name"))
    if printed != str(report.doc.graph.value(area, SKOS.prefLabel)):  # a variant spelling
        report.doc.add(area, SKOS.altLabel, printed)
    state.area, state.commitment, state.owner = area, None, None


def _bold_priority(report: Report, state: _State, line: int, match: re.Match) -> None:
    """Rule 5: a cross-cutting priority (the strategy's) or a spotlight (the report's)."""
    own = state.mode == "spotlight"
    priority = report.priority(
        match.group("name"), HWB.Priority, line, own=own, theme=report.theme if own else None
    )
    report.doc.uses(priority, *state.lead_in)
    if match.group("scope"):
        report.doc.add(priority, SKOS.definition, clean_statement(match.group("scope")))
    state.area, state.commitment, state.owner = priority, None, None


def _heading(report: Report, state: _State, line: int, text: str, following: str) -> str:
    """Rules 2-5: a commitment or an initiative."""
    if state.mode != "stage":  # rule 5
        state.owner = report.initiative(text, line, state.area)
        return "initiative"
    if state.previous != "commitment" and (
        following == "heading" or state.previous == "area" or _sentence_case(text)
    ):
        state.commitment = report.priority(
            text, HWB.Commitment, line, broader=state.area, theme=report.theme
        )
        state.owner = state.commitment
        return "commitment" if following == "heading" else "commitment reported on"
    state.owner = report.initiative(text, line, state.commitment)
    return "initiative"


def _sentence_case(text: str) -> bool:
    """True for "Supporting community cohesion", False for "Work Well Programme"."""
    words = [w for w in re.findall(r"[A-Za-z][\w'’-]*", text)[1:] if w.lower() not in _SMALL_WORDS]
    return any(w[0].islower() for w in words)


def _progress(report: Report, state: _State, line: int, text: str, kind: str) -> None:
    """A bullet, sub-bullet or paragraph: a progress statement of the current owner."""
    statement = add_statement(report.doc, line, text)
    report.doc.add(state.owner, HWB.progress, statement)
    if kind == "sub-bullet" and state.parent is not None:
        report.doc.add(statement, DCTERMS.isPartOf, state.parent)
    elif kind == "bullet":
        state.parent = statement
