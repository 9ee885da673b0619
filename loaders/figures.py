"""Numbers printed in a text, read as data: the text as printed, its value, unit and place.

The strategy, proposed-priorities, progress-report and 2018-23 action-plan loaders read
their figures here (``find_figures``) and write them with one ``FigureWriter``, so a phrase
means the same in every document and a figure looks the same in the graph. A figure is:

- a percentage ("14%", "60.0%") or a share in words ("One in five" is 20%, "two in five",
  "Half of", "two thirds of"); a share glossed by a percentage ("One in five (19%)") is
  read once, as the percentage;
- an amount in pounds ("£1,150,253", "£345k", "£2.5m", "£1bn", "£10 million");
- a rate per 1,000 ("14.6/1,000");
- a count: "125", "30,965", "1000+", "around 60k", "9.5m park users" (a decimal before "m"
  is millions; a whole number is metres: "400m radius").

A qualifier printed before ("over 80%", "Circa £10 million", "just under 3000") stays in
the printed text: the value is then a bound or an estimate, and the text says which.

Not figures: years and year ranges (2018, 2021-24, 2016/17, 24/25), dates (29 May, Feb 25,
September 21, 27 th Jan), ages (aged 14+, aged 15 to 24, age of 14, 65+, under 75),
durations and frequencies (10 year contracts, 4 week waits, 150 minutes, 4 times per year),
labels (Year 6, Key stage 4, Type 2, tier 3, phase 1, Plan 4, Wave 3, cycle 2), numbers
glued to letters or dashes (Covid-19, S106, HUG2, A5, 3rd, 90s, 24hr, 1-2-1, Q1-3, 0-19),
speeds (20 mph), item numbers ("11. The table"), footnote markers (superscripts are not
digits here), phone numbers, web addresses and quoted names ('First 1001 Critical days').

A range of amounts ("34,000-38,000", "70%-80%", "between 34,000 and 38,000") gives one
figure per end, with a note saying which end. A number whose digits do not group
("72,3000", "38,0000") comes back with value None: the caller reports it, nothing is guessed.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from rdflib import RDFS, XSD, Literal, URIRef

from loaders.base import SourceGraph
from vocab.ids import mint
from vocab.namespace import HWB

# Printed before a number, these make it a bound or an estimate; they stay in the text.
_QUALIFIER = (
    r"(?:in excess of|just over|just under|more than|less than|fewer than|up to|at least"
    r"|approximately|circa|around|about|almost|nearly|over)\s+"
)
# Grouped digits are tried first so "38,0000" is read whole (and found malformed).
_NUMBER = r"[0-9]{1,3}(?:,[0-9]{3,})+(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]+)?"
_CANDIDATE = re.compile(
    rf"(?P<qualifier>\b{_QUALIFIER})?(?P<gbp>£)?(?P<number>{_NUMBER})"
    r"(?:\s?(?P<percent>%)|(?:/|\s+per\s+)(?P<per1000>1,?000)\b"
    r"|(?P<suffix>k|m|bn)\b|\s+(?P<word>million|billion)\b)?(?P<plus>\+)?",
    re.IGNORECASE,
)
_WELL_FORMED = re.compile(r"[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]+)?")
_MAGNITUDES = {"k": 10**3, "m": 10**6, "million": 10**6, "bn": 10**9, "billion": 10**9}

# Spans whose digits are never figures; overwritten (same length, so offsets hold) before
# reading. Not with spaces: "1920 people aged between 18 and 64 years" must not read as
# "1920 people ... years", a duration.
_MASK = "#"
_MASKS = re.compile(
    r"https?://\S+"
    r"|\b0[0-9]{3,4}\s[0-9]{3}\s[0-9]{3,4}\b"  # phone numbers: 0808 800 3302
    r"|\bage(?:d|\s+of)\s+(?:between\s+|over\s+|under\s+)?[0-9]+"  # aged 14+, age of 14,
    r"(?:\s*(?:to|and|-|–)\s*[0-9]+)?\+?"  # aged 15 to 24, aged between 18 and 64, aged 5-16
    r"|(?<!\w)['‘][^'‘’\n]*['’](?!\w)",  # quoted names: 'First 1001 Critical days'
    re.IGNORECASE,
)

_COUNTING = {
    "a": 1,
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
_FRACTIONS = {"half": 2, "third": 3, "quarter": 4, "fifth": 5, "tenth": 10}
_WORD = "|".join(w for w in _COUNTING if w != "a")
_SHARE = re.compile(
    rf"(?P<qualifier>\b{_QUALIFIER})?\b(?:(?P<n>{_WORD})\s+in\s+(?P<d>{_WORD})\b"
    rf"|(?:(?P<fn>a|{_WORD})[\s-])?(?P<fd>half|(?:third|quarter|fifth|tenth)s?)(?=\s+of\b))",
    re.IGNORECASE,
)
_GLOSS = re.compile(r"\s+(?:\w+\s+)?\(\s*[0-9.]+\s?%\s*\)")  # One in five (19%)

_GLUE = set("-–/.,'’")  # a number right after these is part of a code, date or range
_DASHES = set("-–/")  # ... and right before these
_RANGE_GAP = re.compile(r"\s*[-–]\s*")
_BETWEEN = re.compile(r"\bbetween\s+$", re.IGNORECASE)
_YEAR = re.compile(r"(?:19[5-9]|20[0-9])[0-9]")  # 1950-2099: "1920 people" stays a count
OLDEST_AGE = 120  # "65+", "under 75" are ages; "1000+ homes" is a count
_LABEL_WORDS = {
    "year",
    "stage",
    "type",
    "tier",
    "phase",
    "wave",
    "plan",
    "cycle",
    "level",
    "step",
    "grade",
    "version",
    "priority",
    "paragraph",
    "section",
    "appendix",
}
_MONTHS = (
    "jan|january|feb|february|mar|march|apr|april|may|jun|june|jul|july|aug|august"
    "|sep|sept|september|oct|october|nov|november|dec|december"
)
_AFTER_NO_COUNT = re.compile(
    # durations, with one word between at most: 10 year contracts, first 1001 critical days
    r"(?i:\s+(?:or\s+(?:more|over|less|under)\s+)?(?:[a-z]+\s+)?"
    r"(?:years?|months?|weeks?|days?|hours?|minutes?)\b"
    r"|\s+times\b"  # frequencies: 4 times per year
    r"|\s+mph\b"  # speeds: 20 mph zones
    r"|\s+(?:st|nd|rd|th)\b)"  # ordinals printed apart: 27 th Jan
    rf"|\s+(?:{_MONTHS.title()}|{_MONTHS.upper()})\b"  # dates: 29 May, 29 MAY 2025
)
# The word right before a number; "November 2024, 1298 checks" has none (a number between).
_PREVIOUS_WORD = re.compile(r"([A-Za-z]+)[^A-Za-z0-9]*$")


@dataclass(frozen=True)
class Figure:
    """A number printed in a text, as data."""

    printed: str  # as printed, qualifier included: "over 80%", "One in five", "£345k"
    value: Decimal | None  # canonical (9500000, not 9500000.0); None if malformed ("72,3000")
    unit: str  # count | percent | GBP | per1000
    start: int  # offsets of the printed text in the text searched
    end: int
    note: str = ""  # which end of a printed range it is


def find_figures(text: str) -> list[Figure]:
    """The figures printed in ``text``, in reading order (see the module docstring)."""
    masked = _MASKS.sub(lambda m: _MASK * len(m[0]), text)
    return sorted(_shares(text, masked) + _numbers(text, masked), key=lambda f: f.start)


def canonical(value: Decimal) -> Decimal:
    """One spelling per value: 9500000 (not 9500000.0 or 9.5E+6), 60 (for "60.0%"), 14.6."""
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()


def _shares(text: str, masked: str) -> list[Figure]:
    """Shares in words as percentages; one glossed by a printed percentage is left to it."""
    found = []
    for match in _SHARE.finditer(masked):
        if _GLOSS.match(masked, match.end()):
            continue
        if match["n"]:
            share = Decimal(100 * _COUNTING[match["n"].lower()]) / _COUNTING[match["d"].lower()]
        else:
            whole = _FRACTIONS[match["fd"].lower().rstrip("s")]
            share = Decimal(100 * _COUNTING[(match["fn"] or "a").lower()]) / whole
        if share != share.to_integral_value():
            share = share.quantize(Decimal("0.01"))  # one in three: 33.33
        printed = text[match.start() : match.end()]
        found.append(Figure(printed, canonical(share), "percent", match.start(), match.end()))
    return found


def _numbers(text: str, masked: str) -> list[Figure]:
    """Numbers with what they measure, less those their context shows are no quantity."""
    candidates = [(m, _reading(m)) for m in _CANDIDATE.finditer(masked)]
    candidates = [(m, reading) for m, reading in candidates if reading is not None]
    ends = _range_ends(text, masked, candidates)
    found = []
    for index, (match, (value, unit)) in enumerate(candidates):
        side, note = ends.get(index, ("", ""))
        if _glued(masked, match, side) or (_is_bare(match) and _not_a_count(masked, match)):
            continue
        printed = text[match.start() : match.end()]
        found.append(Figure(printed, value, unit, match.start(), match.end(), note))
    return found


def _reading(match: re.Match) -> tuple[Decimal | None, str] | None:
    """(value, unit) of a number as printed; None for a length ("400m radius")."""
    digits, suffix = match["number"], (match["suffix"] or match["word"] or "").lower()
    if suffix == "m" and not match["gbp"] and "." not in digits:
        return None
    value = Decimal(digits.replace(",", "")) if _WELL_FORMED.fullmatch(digits) else None
    if value is not None:
        value = canonical(value * _MAGNITUDES.get(suffix, 1))
    if match["percent"]:
        return value, "percent"
    if match["per1000"]:
        return value, "per1000"
    return value, "GBP" if match["gbp"] else "count"


def _range_ends(
    text: str, masked: str, candidates: list[tuple[re.Match, tuple]]
) -> dict[int, tuple[str, str]]:
    """Candidates that are the ends of a printed range of amounts: index -> (side, note).

    Only amounts (a percentage, money, a rate or grouped digits) make a range: bare numbers
    joined by a dash are years, ages or codes (2017-2021, 0-25, 1-2-1).
    """
    ends = {}
    for index in range(len(candidates) - 1):
        (low, (_, unit)), (high, (_, other)) = candidates[index], candidates[index + 1]
        gap = masked[low.end() : high.start()]
        joined = _RANGE_GAP.fullmatch(gap) or (
            gap.strip().lower() == "and" and _BETWEEN.search(masked, 0, low.start())
        )
        if joined and unit == other and _is_amount(low) and _is_amount(high):
            printed = " ".join(text[low.start() : high.end()].split())
            ends[index] = ("lower", f"lower end of the range printed {printed!r}")
            ends[index + 1] = ("upper", f"upper end of the range printed {printed!r}")
    return ends


def _is_bare(match: re.Match) -> bool:
    """A plain number: nothing printed with it says what it measures."""
    return not any(match[g] for g in ("gbp", "percent", "per1000", "suffix", "word"))


def _is_amount(match: re.Match) -> bool:
    return not _is_bare(match) or "," in match["number"]


def _glued(text: str, match: re.Match, side: str) -> bool:
    """True if letters, dashes or slashes touch the number: Covid-19, HUG2, 24/25, 3rd, 1-2-1.

    The inner side of a range ("70%-80%") is joined on purpose.
    """
    before = text[match.start() - 1] if match.start() else " "
    after = text[match.end()] if match.end() < len(text) else " "
    glued_before = side != "upper" and (before.isalnum() or before in _GLUE)
    return glued_before or (side != "lower" and (after.isalnum() or after in _DASHES))


def _not_a_count(text: str, match: re.Match) -> bool:
    """A plain number that is a year, an age, a label, a date, a duration or an item number."""
    digits = match["number"]
    small = _WELL_FORMED.fullmatch(digits) and Decimal(digits.replace(",", "")) <= OLDEST_AGE
    if match["plus"]:
        return bool(small)
    before = text[: match.start()]
    previous = _PREVIOUS_WORD.search(before)
    previous = previous[1].lower() if previous else ""
    return bool(
        _YEAR.fullmatch(digits)
        or previous in _LABEL_WORDS
        or re.fullmatch(_MONTHS, previous)
        or (previous == "under" and small)
        or (not before.strip() and text[match.end() : match.end() + 1] in (".", ")"))
        or _AFTER_NO_COUNT.match(text, match.end())
    )


class FigureWriter:
    """Writes the figures printed in a document's texts as hwb:Figure nodes of their owner.

    One writer per document: figures are numbered per line across every text read on it
    (``mint("figure", slug, "l<line>-<k>")``), so two texts printed on one line never
    mint the same IRI. A malformed number is reported on its line, never guessed.
    """

    def __init__(self, doc: SourceGraph) -> None:
        self.doc = doc
        self.on_line: dict[int, int] = {}  # line -> figures minted there so far

    def add(
        self,
        owner: URIRef,
        text: str,
        line: int,
        lines_between: Callable[[int, int], list[int]] | None = None,
    ) -> None:
        """The figures of ``text`` (printed from ``line``) as hwb:figure of ``owner``.

        ``lines_between(start, end)`` gives the lines a figure's characters sit on, for a
        text joined from several lines (a figure wrapped over two lines uses both).
        """
        for figure in find_figures(text):
            lines = lines_between(figure.start, figure.end) if lines_between else [line]
            if figure.value is None:
                reason = f"malformed number {figure.printed!r}: no figure read"
                self.doc.report.issue(lines[0], reason, figure.printed)
                continue
            k = self.on_line[lines[0]] = self.on_line.get(lines[0], 0) + 1
            iri = mint("figure", self.doc.source.slug, f"l{lines[0]}-{k}")
            self.doc.node(iri, HWB.Figure, lines[0], figure.printed, continued=lines[1:])
            self.doc.add(iri, HWB.value, Literal(figure.value, datatype=XSD.decimal))
            self.doc.add(iri, HWB.unit, figure.unit)
            if figure.note:
                self.doc.add(iri, RDFS.comment, figure.note)
            self.doc.add(owner, HWB.figure, iri)
