"""District council health and wellbeing action plans: one table, rows under priorities.

The columns are found from the header row by name (No. / Objective / What we will do /
By when / Who will deliver this? / Milestones / Target/Outcome), so another district's
plan with the same columns in any order loads too. A "<b>Priority 1 - Housing for
all</b>" row opens a priority; the numbered rows under it ("1.a") are actions. District
plans have no themes, so their priorities have none.
"""

from __future__ import annotations

import re

from rdflib import URIRef

from loaders.base import SourceGraph, clean_text
from vocab.ids import mint
from vocab.namespace import HWB

# Header cell (folded) -> what the column holds.
COLUMNS = {
    "no.": "notation",
    "objective": "objective",
    "what we will do": "label",
    "by when": "deadline",
    "who will deliver this?": "deliverers",
    "milestones": "milestones",
    "target/outcome": "target",
}
_PRIORITY = re.compile(r"^Priority\s+(?P<number>\d+)\s*[-–:]\s*(?P<name>.+)$")
_NOTATION = re.compile(r"^\d+\.[a-z]$")
# A cell cut off mid-phrase ends on a word that cannot end one ("support for").
_DANGLING = re.compile(r"\b(for|to|of|and|or|the|a|an|with|by|in|on|from)$", re.IGNORECASE)
# Two or more spaces inside a cell are the line breaks of the printed cell.
_CELL_BREAK = re.compile(r"\s{2,}")


class DistrictActionPlanLoader:
    """Reads a district action plan table (see the module doc)."""

    name = "district-action-plan"

    def load(self, doc: SourceGraph) -> None:
        columns: dict[str, int] | None = None
        priority: URIRef | None = None
        seen: set[str] = set()
        for line, text in doc.content_lines():
            if line == doc.source.title_line:
                continue  # the build reads the title
            cells = [cell.strip() for cell in text.split("\t")]
            if columns is None:
                columns = _header(cells)
                if columns is None:
                    doc.report.issue(line, "text before the column header row", text)
                else:
                    doc.report.skip(line, "column header")
                continue
            row = {role: cells[i] if i < len(cells) else "" for role, i in columns.items()}
            heading = _PRIORITY.match(clean_text(cells[0]))
            if heading:
                priority = _priority(doc, line, heading)
            elif priority is not None and (row["notation"] or row["label"]):
                _action(doc, line, row, priority, seen)
            else:
                doc.report.issue(line, "row outside any priority or with nothing to read", text)


def _header(cells: list[str]) -> dict[str, int] | None:
    """{role: column index} if ``cells`` is the header row, else None."""
    roles = {COLUMNS.get(clean_text(cell).lower()): index for index, cell in enumerate(cells)}
    if "notation" in roles and "label" in roles:
        return {role: index for role, index in roles.items() if role}
    return None


def _priority(doc: SourceGraph, line: int, heading: re.Match) -> URIRef:
    """A numbered priority of the plan; no theme (district plans have none)."""
    number = heading.group("number")
    iri = doc.node(
        mint("priority", doc.source.slug, number),
        HWB.Priority,
        line,
        clean_text(heading.group("name")),
        number,
    )
    doc.add(iri, HWB.plan, doc.source.plan)
    return iri


def _action(
    doc: SourceGraph, line: int, row: dict[str, str], priority: URIRef, seen: set[str]
) -> None:
    """One row: the action with its objective, deadline, deliverers, milestones, target."""
    notation = row["notation"]
    if not notation:
        local = f"l{line}"
    else:
        local = notation if notation not in seen else f"{notation}-l{line}"
        seen.add(notation)
    if notation and not _NOTATION.match(notation):
        doc.report.issue(line, f"unexpected action number {notation!r}", notation)
    action = doc.node(
        mint("action", doc.source.slug, local),
        HWB.Action,
        line,
        clean_text(row["label"]),
        notation or None,
    )
    doc.add(action, HWB.priority, priority)
    doc.add(action, HWB.plan, doc.source.plan)
    for role, prop in (("objective", HWB.objective), ("deadline", HWB.deadline)):
        if clean_text(row.get(role, "")):
            doc.add(action, prop, clean_text(row[role]))
    for milestone in _CELL_BREAK.split(row.get("milestones", "")):
        if clean_text(milestone):
            doc.add(action, HWB.milestone, clean_text(milestone))
    if "deliverers" in row:
        doc.partners(action, clean_text(row["deliverers"]), line, "lead")
    if "target" in row:
        doc.measure(action, "target", row["target"], line)
    cut = [
        clean_text(c)
        for c in (row.get("objective", ""), row["label"])
        if _DANGLING.search(clean_text(c))
    ]
    if cut:
        doc.report.issue(line, "row truncated in source", "; ".join(cut))
