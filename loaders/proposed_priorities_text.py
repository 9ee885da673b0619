"""Pure readers of the 2021 proposed-priorities slides: sections, bullets and labels.

Kept apart from the loader so each rule can be tested on plain strings; nothing here
touches the graph.
"""

from __future__ import annotations

import re

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
