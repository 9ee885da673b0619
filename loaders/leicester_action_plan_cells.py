"""Readers for the cells of Leicester's 2018-23 action plan: related plans, tags and labels.

The "Related Strategy/ Plan" cells name several plans with no separator ("Air Quality Action
Plan Labour Manifesto Sustainable Leicester Action Plan"), so they can only be split against
the full names. The list is curated from that one column, spelt as most often printed;
matching ignores case and curly apostrophes ("Infant mortality strategy" is "Infant
Mortality Strategy", "Leicester’s" is "Leicester's").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from loaders.base import clean_text

RELATED_PLANS: tuple[str, ...] = (
    "0-19 Healthy Child Programme",
    "Access fund program",
    "Adult Skills and Learning Service Business Plan",
    "Adult Social Care Commissioning Strategy",
    "Air Quality Action Plan",
    "Allotment Strategy",
    "Arts and Museums Strategy",
    "Arts and Museums Vision and Strategy",
    "Dementia Action Alliance Action Plan",
    "Domestic and sexual violence strategy",
    "Draft Walking Strategy",
    "Food Plan",
    "Healthy Weight for Children, Young People and Families in Leicester City Strategy",
    "Homeless Strategy",
    "Housing Service Plan",
    "HRA Rent Setting Report 2018/19",
    "Infant feeding strategy",
    "Infant Mortality Strategy",
    "Labour Manifesto",
    "Leicester Great City: Economic Action Plan",
    "Leicester Sustainability Action Plan",
    "Leicester's Physical Activity and Sports Strategy 2016-21",
    "LLR Future in Mind Transformation Plan",
    "LLR Joint Carers Strategy",
    "LLR Suicide Prevention Strategy",
    "Local Plan",
    "Mental Health Strategy",
    "Playing Pitch Strategy",
    "POF",  # not expanded in the document; kept as printed
    "Safer Leicester Partnership Plan",
    "STP",
    "STP Falls Work stream",
    "Sustainable Leicester Action Plan",
    "Time to change",
    "Time to Change Leicester Campaign",
    "Waterways Engagement Strategy",
)

# Acronyms printed for a plan of the list (skos:altLabel): DSV is the document's own
# abbreviation of domestic and sexual violence (actions 7.7, 13.4).
PLAN_ALIASES: dict[str, str] = {
    "DSV strategy": "Domestic and sexual violence strategy",
}

# Text printed in the column that names no plan, with what it says instead.
NOT_PLANS: dict[str, str] = {
    "All strategies and action plans": "refers to every plan, not one",
    "Divisional PI": "a performance indicator",
    "Mandated service": "says the service is mandated",
    "Regulatory Services": "a council service",
    "Sexual Health commissioned service": "a commissioned service",
}


@dataclass(frozen=True)
class PlanName:
    """A name found in a related cell: as printed, where, and what it is."""

    printed: str
    start: int
    end: int
    name: str  # the plan's name as first printed (the label), or the text itself
    kind: str  # "plan", "unknown", or why the text is not a plan
    aliases: tuple[str, ...] = ()


def _fold(text: str) -> str:
    """Case and apostrophes folded; keeps the length so offsets still point into the cell."""
    return text.replace("’", "'").lower()


def _known() -> list[tuple[str, str, str]]:
    """(folded text, name, kind) for every known text, longest first (so STP is tried last)."""
    entries = [(_fold(n), n, "plan") for n in RELATED_PLANS]
    entries += [(_fold(alias), name, "plan") for alias, name in PLAN_ALIASES.items()]
    entries += [(_fold(text), text, why) for text, why in NOT_PLANS.items()]
    return sorted(entries, key=lambda entry: -len(entry[0]))


KNOWN = _known()
SEPARATOR = re.compile(r"[\s/]+")


def split_plans(cell: str) -> list[PlanName]:
    """Split a related cell into the names it prints, longest known name first.

    Words that start no known name are gathered into one "unknown" name each run, so a
    plan missing from the list shows up instead of vanishing.
    """
    folded, found, position, unknown_start = _fold(cell), [], 0, None
    while position < len(cell):
        position = _skip(SEPARATOR, cell, position)
        hit = next((k for k in KNOWN if _starts(folded, k[0], position)), None)
        if hit is None:
            unknown_start = position if unknown_start is None else unknown_start
            position = _skip(re.compile(r"[^\s/]+"), cell, position)
            continue
        if unknown_start is not None:
            found.append(_unknown(cell, unknown_start, position))
            unknown_start = None
        end = position + len(hit[0])
        found.append(
            PlanName(
                cell[position:end],
                position,
                end,
                hit[1],
                hit[2],
                _aliases(hit[1], cell[position:end]),
            )
        )
        position = end
    if unknown_start is not None:
        found.append(_unknown(cell, unknown_start, len(cell)))
    return found


def _skip(pattern: re.Pattern, text: str, position: int) -> int:
    match = pattern.match(text, position)
    return match.end() if match else position


def _starts(folded: str, name: str, position: int) -> bool:
    """True when ``name`` is printed at ``position`` as whole words."""
    end = position + len(name)
    return folded.startswith(name, position) and (end == len(folded) or folded[end] in " /\t")


def _unknown(cell: str, start: int, end: int) -> PlanName:
    text = cell[start:end].rstrip(" /")
    return PlanName(text, start, start + len(text), text, "unknown")


def _aliases(name: str, printed: str) -> tuple[str, ...]:
    """The acronym printed for ``name``, if this mention used one."""
    return (printed,) if _fold(printed) in {_fold(a) for a in PLAN_ALIASES} else ()


STRETCH = re.compile(r"\(\s*stretch\s*\)", re.IGNORECASE)


def resolve_tag(token: str, tags: list[str]) -> str | None:
    """The theme tag ``token`` stands for: itself, or the one tag it is a prefix of.

    Tags were cut off by the narrow first column ("MIN", "P L"); a prefix that fits exactly
    one theme is unambiguous, anything else is unreadable (None).
    """
    token = token.upper()
    if token in tags:
        return token
    candidates = [tag for tag in tags if tag.startswith(token)]
    return candidates[0] if len(candidates) == 1 else None


def tidy_label(text: str) -> tuple[str, list[str]]:
    """Clean an action cell and take out its markers: (label, flags)."""
    text = clean_text(text)
    flags = ["Stretch"] if STRETCH.search(text) else []
    text = STRETCH.sub(" ", text).strip()
    if text.startswith("*"):
        flags.append("Asterisked")
        text = text.lstrip("* ")
    return re.sub(r"\s+([,.;:])", r"\1", re.sub(r"\s+", " ", text)).strip(), flags
