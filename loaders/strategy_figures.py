"""Figures printed in the statements of Leicester's 2022-27 strategy, read as data.

The key-issues tables state counts ("an estimated 31,000 adults") and shares ("One in
ten children", "Half of adults"); each becomes an hwb:Figure with a value and a unit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

_WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
}
_WORD = "|".join(_WORDS)
_PROPORTION = re.compile(rf"\b({_WORD})\s+in\s+({_WORD})\b", re.IGNORECASE)
_HALF = re.compile(r"\b(half)\s+of\b", re.IGNORECASE)
_PERCENT = re.compile(r"(?<![\w.,])([0-9]+(?:\.[0-9]+)?)\s?%")
_NUMBER = r"[0-9](?:[0-9,]*[0-9])?"
_COUNT = re.compile(
    rf"(?<![\w.,])(?P<low>{_NUMBER})(?:\s*(?:-|–|to)\s*(?P<high>{_NUMBER}))?"
    r"\s+(?P<noun>people|adults|children|households|residents)\b",
    re.IGNORECASE,
)
_WELL_FORMED = re.compile(r"[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+")
_YEAR = re.compile(r"(19|20)[0-9]{2}")


@dataclass(frozen=True)
class Figure:
    """A number printed in a statement, as data."""

    printed: str  # as printed: "31,000", "One in ten", "Half", "25%"
    value: Decimal | None  # None when the number is not well formed ("38,0000")
    unit: str  # "count" or "percent"
    start: int  # offsets in the text searched
    end: int
    note: str = ""  # what a figure cut out of a range is


def find_figures(text: str) -> list[Figure]:
    """The counts and proportions printed in ``text``, in reading order.

    Counts are numbers of people, adults, children, households or residents ("31,000"
    of "31,000 adults"); proportions are "one in ten", "half of" and "25%". Years, ages ("65+",
    "0-25"), durations, footnote markers and vague words ("many") are not figures. A range
    ("34,000-38,0000 people") gives one figure per end; an end that is not a well-formed
    number gets value None so the caller can report it.
    """
    found = [_proportion(m) for m in _PROPORTION.finditer(text)]
    found += [
        Figure(m.group(1), Decimal(50), "percent", m.start(1), m.end(1))
        for m in _HALF.finditer(text)
    ]
    found += [
        Figure(m.group(0), Decimal(m.group(1)), "percent", m.start(), m.end())
        for m in _PERCENT.finditer(text)
    ]
    for match in _COUNT.finditer(text):
        found += _counts(match)
    return sorted(found, key=lambda f: f.start)


def _proportion(match: re.Match) -> Figure:
    """A share: "One in five" is 20 percent; an inexact one keeps two decimals."""
    share = Decimal(100 * _WORDS[match.group(1).lower()]) / _WORDS[match.group(2).lower()]
    if share != share.to_integral_value():
        share = share.quantize(Decimal("0.01"))
    return Figure(match.group(0), share, "percent", match.start(), match.end())


def _counts(match: re.Match) -> list[Figure]:
    """One figure for a single count, two for a range; a year is never a count."""
    low, high = match.group("low"), match.group("high")
    if _YEAR.fullmatch(low):
        return []
    if high is None:
        return [Figure(low, _number(low), "count", match.start("low"), match.end("low"))]
    note = f"the range printed {match.group(0)!r}"
    return [
        Figure(
            low, _number(low), "count", match.start("low"), match.end("low"), f"lower end of {note}"
        ),
        Figure(
            high,
            _number(high),
            "count",
            match.start("high"),
            match.end("high"),
            f"upper end of {note}",
        ),
    ]


def _number(printed: str) -> Decimal | None:
    """The value of "31,000"; None for a malformed grouping such as "38,0000"."""
    if not _WELL_FORMED.fullmatch(printed):
        return None
    return Decimal(printed.replace(",", ""))
