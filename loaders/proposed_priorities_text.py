"""Pure readers of the 2021 proposed-priorities slides: sections, bullets, labels, figures.

Kept apart from the loader so each rule can be tested on plain strings; nothing here
touches the graph.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from decimal import Decimal

from rdflib import URIRef

Line = tuple[int, str]
Section = tuple[str, Line | None, list[Line]]

SECTIONS = (  # (kind, the slide heading that opens it)
    ("refresh", re.compile(r"JHWS refresh\b")),
    ("strands", re.compile(r"Delivery Plan- Framework approach")),
    ("principles", re.compile(r"Guiding principles")),
    ("insights", re.compile(r"What people told us|Leicester's needs in terms|What can we do")),
    ("summary", re.compile(r"Summary of proposed priorities")),
    ("mapping", re.compile(r"Mapping to$")),
    ("priority", re.compile(r"Proposed Priority \d+")),
    ("next-steps", re.compile(r"Planned next steps")),
)
SLIDE_PARTS = (  # (part, its heading on a priority slide)
    ("rationale", re.compile(r"Why a Priority\?$")),
    ("partners", re.compile(r"Key Partners\s*(?::\s*)*(?P<rest>.*)$")),
    ("improvement", re.compile(r"(Current )?improvement plans( include)?\s*:?$", re.I)),
    ("measures", re.compile(r"Measuring progress:?$")),
)
BULLET = re.compile(r"(?P<indent>\s*)-\s+(?P<text>.*)$")


def split_sections(lines: list[Line]) -> list[Section]:
    """(kind, heading, body) per slide section; lines before the first heading are "title"."""
    return _split(lines, SECTIONS, "title")


def split_parts(body: list[Line]) -> list[Section]:
    """(part, heading, lines) of a priority slide; "head" holds its strand and level."""
    return _split(body, SLIDE_PARTS, "head")


def _split(lines: list[Line], headings: tuple, first: str) -> list[Section]:
    sections: list[Section] = [(first, None, [])]
    for line, text in lines:
        kind = next((k for k, heading in headings if heading.match(text.strip())), None)
        if kind:
            sections.append((kind, (line, text.strip()), []))
        else:
            sections[-1][2].append((line, text))
    return sections


def partners_after_heading(heading: str) -> str:
    """The partner names printed on the "Key Partners:" line itself, if any."""
    return SLIDE_PARTS[1][1].match(heading)["rest"].strip()


def bullet(text: str) -> tuple[int, str]:
    """(depth, text): 0 for a line that is no bullet, 1 for "- ", 2 for " - "."""
    match = BULLET.match(text)
    if not match:
        return 0, text.strip()
    return (2 if match["indent"] else 1), match["text"].strip()


def join_split_bullets(lines: list[Line]) -> list[tuple[int, int, str, list[int]]]:
    """(line, depth, text, continuation lines) of a list of bullets.

    A bullet starting in lower case continues the one before: the conversion split
    "awareness-raising" at its hyphen into "- ...awareness" and "- raising and ...".
    """
    items: list[tuple[int, int, str, list[int]]] = []
    for line, text in lines:
        depth, content = bullet(text)
        if depth == 1 and content[:1].islower() and items and items[-1][1] == 1:
            first, _, before, continued = items[-1]
            items[-1] = (first, 1, f"{before}-{content}", [*continued, line])
        else:
            items.append((line, depth, content, []))
    return items


def same_wording(first: str, second: str) -> bool:
    """True when two printings differ only in case, '&' for 'and' or a final full stop."""

    def fold(text: str) -> str:
        return re.sub(r"\s+", " ", text.casefold().replace("&", "and")).strip(" .")

    return fold(first) == fold(second)


def split_labels(cell: str, labels: dict[str, URIRef]) -> tuple[list[URIRef], str]:
    """The labelled things a cell names one after another with no separator.

    ``labels`` keys are case folded; the longest label that starts the rest of the cell
    wins. Returns the IRIs in order and the text left unread ("" when all was read).
    """
    rest, found = cell.strip(), []
    while rest:
        label = next(
            (k for k in sorted(labels, key=len, reverse=True) if rest.casefold().startswith(k)),
            None,
        )
        if label is None:
            break
        found.append(labels[label])
        rest = rest[len(label) :].strip()
    return found, rest


# Figures -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    """A number printed in a text: as printed, its value and unit."""

    printed: str
    value: Decimal
    unit: str  # "GBP" | "percent" | "count"


NUMBER = re.compile(
    r"(?P<pound>£)?(?P<digits>[0-9]+(?:,[0-9]{3})*(?:\.[0-9]+)?)"
    r"(?P<tail>[^\W\d_]*)(?P<percent>%)?(?P<plus>\+)?"
)
MULTIPLIERS = {"": 1, "k": 1_000, "m": 1_000_000, "bn": 1_000_000_000}
QUOTED = re.compile(r"(?<!\w)['‘][^'‘’]*['’](?!\w)")  # 'First 1001 Critical days'
JOINED = "-–/"  # 2021-24, 202-1-24, 2016/17, 0-19, 2-2½: years, ranges and names
DURATION = re.compile(
    r"\s*(?:or (?:more|over|less|under)\s+)?"
    r"(?:years?|months?|weeks?|days?|hours?)\b",
    re.I,
)
LABEL_WORDS = {"year", "stage", "type", "tier", "phase", "level", "priority", "step", "grade"}
MONTHS = {name.lower() for name in calendar.month_name[1:]}
AGE_CUES = {"under", "over", "aged"}
OLDEST_AGE = 120


def find_figures(text: str) -> list[Figure]:
    """Amounts (£345k), percentages (14%) and counts (30,965; 3000) printed in ``text``.

    The slides mix these with numbers that are no amount and must stay out: years and
    year ranges (2018, 2021-24, 2016/17), codes and ordinals (S106, CORE20PLUS5, 3rd, 90s),
    labels (Year 6, Key stage 4, Type 2, tier 3), quoted names ('First 1001 Critical days'),
    dates (September 21), durations and ages (15 years, 4 week, 65+, under 75, aged 5-16).
    A year is a bare 1950-2099, so "1920 people" stays a count.
    """
    masked = QUOTED.sub(lambda m: " " * len(m[0]), text)
    figures = (_figure(masked, match) for match in NUMBER.finditer(masked))
    return [figure for figure in figures if figure is not None]


def _figure(text: str, match: re.Match) -> Figure | None:
    """The figure ``match`` prints, or None when its context says it is no amount."""
    start, end = match.span()
    before, after = text[:start], text[end:]
    if (
        before[-1:].isalnum()
        or before[-1:] in JOINED
        and before[-2:-1].isdigit()
        or after[:1] in JOINED
        and after[1:2].isdigit()
        or match["plus"]
    ):
        return None
    value = Decimal(match["digits"].replace(",", ""))
    if match["pound"]:
        multiplier = MULTIPLIERS.get(match["tail"].lower())
        return Figure(match[0], value * multiplier, "GBP") if multiplier else None
    if match["tail"]:
        return None
    if match["percent"]:
        return Figure(match[0], value, "percent")
    return (
        None
        if _not_a_count(match["digits"], value, before, after)
        else Figure(match[0], value, "count")
    )


def _not_a_count(digits: str, value: Decimal, before: str, after: str) -> bool:
    """True for a bare number that is a year, a label, a date, an age or a duration."""
    words = re.findall(r"[a-z]+", before.lower())[-2:]
    last = words[-1] if words else ""
    year = re.fullmatch(r"[0-9]{4}", digits) is not None and 1950 <= value <= 2099
    age = value <= OLDEST_AGE and (
        last in AGE_CUES or words in (["age", "of"], ["aged", "between"])
    )
    return year or age or last in LABEL_WORDS or last in MONTHS or bool(DURATION.match(after))
