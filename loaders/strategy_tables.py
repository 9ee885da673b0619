"""The tables of Leicester's 2022-27 strategy, read from their tab-separated lines.

Key issues: each theme has a three-column table (Area / What we know about the City /
Examples of work we are doing) whose cells wrap over many lines of the text conversion.
A row starts where the Area column holds a capitalised word; lower-case Area text
continues the row's Area. Cells are kept with the line each piece came from, so a figure
knows where it is printed.

Priorities: a Theme / Proposed Priority table whose theme labels are printed beside the
middle of their priorities, and whose priority numbers are printed on some rows only.

Approaches: the Do / Sponsor / Watch table, whose last row wraps around its label.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from loaders.base import clean_text

_LETTERED = re.compile(r"^([A-Z])\. ([A-Z]+(?: [A-Z]+)*)(?![a-z])\s*(.*)$")  # "A. HEALTHY PLACES"
_NUMBERED = re.compile(r"^(\d+)\.\s+(.*)$")  # "3. We will move towards..."
COLUMNS = 3  # Area, What we know about the City, Examples of work we are doing
_STOPWORDS = {"and", "of", "the", "with", "by"}


@dataclass
class Cell:
    """One table cell: its pieces of text with the line each was printed on."""

    parts: list[tuple[int, str]] = field(default_factory=list)

    def add(self, line: int, text: str) -> None:
        text = clean_text(text)
        if text:
            self.parts.append((line, text))

    @property
    def text(self) -> str:
        return " ".join(piece for _, piece in self.parts)

    @property
    def lines(self) -> list[int]:
        return [line for line, _ in self.parts]

    def lines_between(self, start: int, end: int) -> list[int]:
        """The lines holding characters ``start``..``end`` of :attr:`text` (a wrapped figure)."""
        found, offset = [], 0
        for line, piece in self.parts:
            if offset < end and start < offset + len(piece):
                found.append(line)
            offset += len(piece) + 1
        return found


@dataclass
class Row:
    """One Area row of a key-issues table."""

    line: int
    area: Cell = field(default_factory=Cell)
    known: Cell = field(default_factory=Cell)
    work: Cell = field(default_factory=Cell)


@dataclass
class Table:
    """A parsed key-issues table and what could not be read cleanly, by line."""

    header: int | None = None
    columns: list[str] = field(default_factory=list)  # as printed on the header line
    rows: list[Row] = field(default_factory=list)
    residue: dict[int, str] = field(default_factory=dict)  # line -> text dropped
    slips: dict[int, str] = field(default_factory=dict)  # line -> Area text in column 2
    orphans: list[int] = field(default_factory=list)  # lines before any row


def _meaningful(cell: str) -> bool:
    """False for stray bullets and other marks the PDF conversion left in a cell ("·")."""
    return any(c.isalnum() for c in cell)


def parse_table(lines: list[tuple[int, str]]) -> Table:
    """Read a key-issues table from its tab-separated lines (header included).

    A line with more than three cells has slipped: the extra cells are the Area's words
    (line 162 prints "environment\\tof\\t..."), so all but the last two cells are the Area.
    An Area cell that starts with no letter ("7 611", a page number run into the table) is
    residue, kept out of the row.
    """
    table = Table()
    for number, text in lines:
        cells = _cells(text)
        if cells[0] == "Area" and table.header is None:
            table.header, table.columns = number, cells
            continue
        area_cells, known, work = cells[:-2], cells[-2], cells[-1]
        if len(area_cells) > 1 and any(area_cells[1:]):
            table.slips[number] = " ".join(c for c in area_cells[1:] if c)
        area = " ".join(c for c in area_cells if c)
        for cell in (known, work):
            if cell and not _meaningful(cell):
                table.residue[number] = cell
        if area and not area[0].isalpha():
            table.residue[number] = area
            area = ""
        if area[:1].isupper():
            table.rows.append(Row(number))
        if not table.rows:
            table.orphans.append(number)
            continue
        row = table.rows[-1]
        row.area.add(number, area)
        row.known.add(number, known if _meaningful(known) else "")
        row.work.add(number, work if _meaningful(work) else "")
    return table


def misplaced_work(rows: list[Row]) -> dict[int, str]:
    """Rows whose examples of work seem to belong to another row: {row line: other Area}.

    The conversion can shift a cell between rows (the Healthy Start table prints the
    communication work beside "Mental health" and the mental-health work beside
    "Communication"). A row is flagged when its examples use no word of its own Area but
    name another row's Area in full. Nothing is moved: the loader reports it.
    """
    flagged = {}
    for row in rows:
        work = row.work.text.lower()
        own = {w for w in row.area.text.lower().split() if w not in _STOPWORDS}
        if not work or any(word in work for word in own):
            continue
        others = [o.area.text for o in rows if o is not row and o.area.text.lower() in work]
        if others:
            flagged[row.line] = others[0]
    return flagged


def _cells(text: str, width: int = COLUMNS) -> list[str]:
    """A line's tab-separated cells, stripped and padded to ``width``."""
    cells = [c.strip() for c in text.split("\t")]
    return cells + [""] * (width - len(cells))


########################################################################
# Priorities


@dataclass
class ThemeLabel:
    """A theme as the priorities table prints it: "A. HEALTHY PLACES" and a description."""

    letter: str
    name: str  # "HEALTHY PLACES"
    lines: list[int]
    description: list[str] = field(default_factory=list)

    @property
    def printed(self) -> str:
        return f"{self.letter}. {self.name}"


@dataclass(frozen=True)
class PriorityRow:
    line: int
    printed: str | None  # the number as printed, None where the row prints none
    text: str


@dataclass
class PriorityTable:
    header: int | None = None
    labels: list[ThemeLabel] = field(default_factory=list)
    rows: list[PriorityRow] = field(default_factory=list)
    stray: list[int] = field(default_factory=list)  # theme text before any label


def parse_priorities(lines: list[tuple[int, str]]) -> PriorityTable:
    """Read the Theme / Proposed Priority table from its tab-separated lines.

    The Theme column holds a lettered label and its description wrapped over the next
    lines; the Proposed Priority column holds one priority per line.
    """
    table = PriorityTable()
    for number, text in lines:
        theme, priority = _cells(text, 2)[:2]
        if (theme, priority) == ("Theme", "Proposed Priority"):
            table.header = number
            continue
        lettered = _LETTERED.match(theme)
        if lettered:
            letter, name, rest = lettered.groups()
            table.labels.append(ThemeLabel(letter, name, [number], [rest] if rest else []))
        elif theme and table.labels:
            table.labels[-1].lines.append(number)
            table.labels[-1].description.append(theme)
        elif theme:
            table.stray.append(number)
        if priority:
            numbered = _NUMBERED.match(priority)
            table.rows.append(
                PriorityRow(number, *numbered.groups())
                if numbered
                else PriorityRow(number, None, priority)
            )
    return table


def nearest_label(line: int, labels: list[ThemeLabel]) -> tuple[ThemeLabel | None, bool]:
    """The label printed nearest ``line`` (the earlier on a tie), and whether it was a tie.

    A label counts from its first line to the last line of its description: the PDF
    centres a theme's cell on its rows, so each priority is nearest its own theme, except
    where blank or description-only lines push two labels equally far away.
    """
    distances = [max(label.lines[0] - line, line - label.lines[-1], 0) for label in labels]
    if not distances:
        return None, False
    best = min(distances)
    return labels[distances.index(best)], distances.count(best) > 1


########################################################################
# Approaches


@dataclass
class ApproachRow:
    label: str  # as printed: "DO"
    lines: list[int]
    cells: list[list[str]] = field(default_factory=list)

    def column(self, index: int) -> str:
        return clean_text(" ".join(c[index] for c in self.cells if c[index]))


@dataclass
class ApproachTable:
    header: int | None = None
    columns: list[str] = field(default_factory=list)
    rows: list[ApproachRow] = field(default_factory=list)
    leftover: list[int] = field(default_factory=list)


def parse_approaches(lines: list[tuple[int, str]]) -> ApproachTable:
    """Read the Approach / Supporting expectations / Number of priorities table.

    A line with no label right after a row continues it; after a blank line it starts the
    next labelled row, whose label the PDF printed on the row's middle line (WATCH).
    """
    table, pending, previous = ApproachTable(), [], None
    for number, text in lines:
        cells = _cells(text)
        after_gap = previous is not None and number - previous > 1
        previous = number
        if table.header is None and cells[0] == "Approach":
            table.header, table.columns = number, cells
        elif cells[0]:
            table.rows.append(
                ApproachRow(
                    cells[0], [n for n, _ in pending] + [number], [c for _, c in pending] + [cells]
                )
            )
            pending = []
        elif after_gap or pending or not table.rows:
            pending.append((number, cells))
        else:
            table.rows[-1].lines.append(number)
            table.rows[-1].cells.append(cells)
    table.leftover = [n for n, _ in pending]
    return table
