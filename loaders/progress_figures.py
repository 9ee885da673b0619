"""Numbers printed in a progress statement, read as data: value, unit and text as printed.

A progress report's quantities are counts ("125 registered organisations"), percentages
("18.9%"), money ("£1,150,253", "Circa £10 million", "£75m") and rates ("14.6/1,000").
Many other digits in the same sentences are not quantities and are left out: years and
dates ("2025", "24/25", "Feb 25", "29 May", "01st April"), names and item labels ("Covid-19",
"HUG2", "C2", "Local Transport Plan 4", "phase 1", "Wave 3", "Q1-3", "1-2-1"), ages
("aged 14+", "aged 15 to 24", "14–19-year-olds", "over 25s"), durations and frequencies
("10 year contracts", "12 months", "4 times per year"), item numbers ("11."), phone
numbers ("0808 800 3302") and anything inside a URL.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

# A qualifier printed before a number says it is approximate or a bound; it stays in the text.
_QUALIFIER = r"in excess of|just over|more than|approximately|circa|around|over"
_CANDIDATE = re.compile(
    rf"(?P<qualifier>\b(?:{_QUALIFIER})\s+)?(?P<gbp>£)?"
    r"(?P<number>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"(?:\s(?P<word>million|billion)\b|(?P<suffix>bn|m|k)\b|(?P<percent>%)"
    r"|/(?P<per1000>1,000|1000)\b)?(?P<plus>\+)?",
    re.IGNORECASE,
)
_MULTIPLIERS = {"million": 10**6, "m": 10**6, "billion": 10**9, "bn": 10**9, "k": 10**3}
# Spans whose digits are never figures; they are blanked (same length) before the scan.
_MASKS = re.compile(
    r"https?://\S+"  # URLs
    r"|\b0\d{3,4}\s\d{3}\s\d{3,4}\b"  # UK phone numbers: 0808 800 3302
    r"|\baged\s+\d+(?:\s*(?:to|-|–)\s*\d+)?\+?",  # ages: aged 14+, aged 15 to 24
    re.IGNORECASE,
)
_GLUE = set("-–/.,£") | {"'", "’"}  # a number touching these is part of a code or date
_LABEL_WORDS = {
    "phase",
    "wave",
    "plan",
    "level",
    "tier",
    "stage",
    "step",
    "version",
    "priority",
    "paragraph",
    "section",
    "appendix",
}
_MONTHS = {
    "jan",
    "january",
    "feb",
    "february",
    "mar",
    "march",
    "apr",
    "april",
    "may",
    "jun",
    "june",
    "jul",
    "july",
    "aug",
    "august",
    "sep",
    "sept",
    "september",
    "oct",
    "october",
    "nov",
    "november",
    "dec",
    "december",
}
_TIME_UNITS = {"day", "days", "week", "weeks", "month", "months", "year", "years"}


@dataclass(frozen=True)
class Figure:
    """A quantity printed in a text."""

    text: str  # as printed, with its qualifier: "Circa £10 million", "over 80%"
    value: Decimal
    unit: str  # count | percent | GBP | per1000
    start: int  # offset in the text


def extract_figures(text: str) -> list[Figure]:
    """The quantities printed in ``text``, in reading order."""
    masked = _MASKS.sub(lambda m: " " * len(m.group(0)), text)
    figures = []
    for match in _CANDIDATE.finditer(masked):
        if _touches_code(masked, match) or (_is_bare(match) and _not_a_count(masked, match)):
            continue
        figures.append(
            Figure(text[match.start() : match.end()], _value(match), _unit(match), match.start())
        )
    return figures


def _is_bare(match: re.Match) -> bool:
    """A plain number with no currency, percent, rate or magnitude to say what it is."""
    return not any(match.group(g) for g in ("gbp", "word", "suffix", "percent", "per1000"))


def _touches_code(text: str, match: re.Match) -> bool:
    """True if the number is glued to letters, hyphens or slashes: Covid-19, HUG2, 24/25, 01st."""
    before = text[match.start() - 1] if match.start() > 0 else " "
    after = text[match.end()] if match.end() < len(text) else " "
    return before.isalnum() or before in _GLUE or after.isalnum() or after in "-–/"


def _not_a_count(text: str, match: re.Match) -> bool:
    """A bare number that is a year, a date, an item label, a duration or an item number."""
    number = match.group("number")
    if re.fullmatch(r"(19|20)\d\d", number):
        return True
    before = text[: match.start()].split()
    previous = before[-1].lower().strip(".,;:(") if before else ""
    if previous in _MONTHS or previous in _LABEL_WORDS:
        return True
    after = [w.strip(".,;:()") for w in text[match.end() :].split()[:3]]
    if after and after[0][:1].isupper() and after[0].lower() in _MONTHS:  # 29 MAY 2025
        return True
    if _TIME_UNITS.intersection(w.lower() for w in after):
        return True
    return not before and text[match.end() : match.end() + 1] == "."


def _value(match: re.Match) -> Decimal:
    value = Decimal(match.group("number").replace(",", ""))
    magnitude = (match.group("word") or match.group("suffix") or "").lower()
    return value * _MULTIPLIERS[magnitude] if magnitude else value


def _unit(match: re.Match) -> str:
    if match.group("percent"):
        return "percent"
    if match.group("per1000"):
        return "per1000"
    return "GBP" if match.group("gbp") else "count"
