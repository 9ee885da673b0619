"""Many documents shaped like the real ones, for measuring the whole pipeline.

Each variant is made from one real source (data/sources/), line by line, so every layout
feature a loader relies on (numbering, tab-separated rows that wrap, headings, the title
line, placeholder measures) is kept; only what a new council's plan would change varies:

- years shift by a few, in the text and in the manifest's period and issued date alike
  (the strategy loader matches its period line against the manifest);
- other figures (counts, percentages) move by up to a third, keeping their format;
- partner names in cells made only of names are redrawn from the registry's names for the
  source's area, with a skew (a few organisations carry much of the work), and kept only
  if the registry reads the new cell as it read the old one: as many names, none unknown.

The output folder gets the five originals, their variants and a sources.toml naming them
all with a sha256 of each written file, so `hwbkg build --manifest DIR/sources.toml` runs
the real loaders over it. The same scale and seed always write the same bytes.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
from dataclasses import replace
from pathlib import Path

from loaders.base import Source
from vocab.organisations import Organisation, Registry

MANIFEST_FILE = "sources.toml"
YEAR_SHIFTS = (-3, -2, -1, 1, 2, 3)
FIGURE_SPREAD = 0.33
SKEW = 1.3  # Zipf exponent of the partner draw: the top few take most of the mentions
YEAR = re.compile(r"(?<![\w.,/#&£$-])((?:19|20)\d\d)(?:([/-])(\d{4}|\d\d))?(?![\w/])")
FIGURE = re.compile(r"(?<![\w.,/:#&£$-])([1-9]\d{0,2}(?:,\d{3})+|[1-9]\d+)(?!\w|[.,/:]\d)")
LINE_END = re.compile(r"(.*?)(\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]?)", re.DOTALL)
NAMED = re.compile(r"\b[A-Z][A-Za-z]*\s$")  # "Priority 12", "Appendix 10": a number, not a figure
PERIOD_CELL = re.compile(r"[\d/\s-]+")
LABEL = re.compile(r"^([^:\t]{1,30}:\s*)(.*)$")


def synthesise(sources: list[Source], registry: Registry, scale: int, seed: int, out: Path) -> int:
    """Write the originals, ``scale`` variants of each and the manifest into ``out``;
    return how many sources the manifest names."""
    out.mkdir(parents=True, exist_ok=True)
    entries = []
    for source in sources:
        data = source.path.read_bytes()
        entries.append(_entry(source, _write(out / source.file_name, data)))
        for number in range(1, scale + 1):
            rng = random.Random(f"{seed}:{source.slug}:{number}")
            variant = Variant(source, number, rng.choice(YEAR_SHIFTS), rng, registry, seed)
            made = variant.source()
            text = variant.text(data.decode("utf-8"))
            entries.append(_entry(made, _write(out / made.file_name, text.encode("utf-8"))))
    (out / MANIFEST_FILE).write_text(_manifest(entries), encoding="utf-8")
    return len(entries)


class Variant:
    """One synthetic document made from ``source``: its manifest record and its text."""

    def __init__(
        self, source: Source, number: int, shift: int, rng: random.Random, registry: Registry,
        seed: int,
    ) -> None:  # fmt: skip
        self.original, self.number, self.shift, self.rng = source, number, shift, rng
        self.registry = registry
        self.pool = partner_pool(registry, source.area, seed)

    def source(self) -> Source:
        """The variant's manifest record: a new slug and file, its number in the title,
        its years shifted like the text's."""
        slug = f"{self.original.slug}-synth-{self.number}"
        issued = self.original.issued
        return replace(
            self.original,
            slug=slug,
            path=Path(f"{slug}.txt"),
            title=f"{self.years(self.original.title)} (synthetic {self.number})",
            period=self.years(self.original.period),
            issued=_shift_date(issued, self.shift) if issued else None,
        )

    def text(self, text: str) -> str:
        """The original's text with this variant's changes, line by line (line ends kept)."""
        title = self.original.title_line - 1
        out = []
        for index, line in enumerate(text.splitlines(keepends=True)):
            body, end = LINE_END.fullmatch(line).groups()
            out.append((self.years(body) if index == title else self.line(body)) + end)
        return "".join(out)

    def line(self, line: str) -> str:
        """One body line: years, figures and partner cells changed; tabs and the first cell
        (a row's number or heading) kept as they are. In a table row only a cell that is a
        period ("By when": 2022/23) has its years moved: a year in prose there is part of a
        real plan's name ("Sports Strategy 2016-21"), which the loader looks up as printed."""
        cells = line.split("\t")
        if len(cells) > 1:
            return "\t".join([cells[0], *(self.cell(c) for c in cells[1:])])
        return self.cell(line, whole_line=True)

    def cell(self, cell: str, whole_line: bool = False) -> str:
        """A cell's years and figures changed; its partners redrawn if it lists only names."""
        head = re.match(r"^\s*(?:[-•*]\s+|\d+\.\s+)?", cell).group(0)  # list numbering kept
        body = cell[len(head) :]
        if whole_line or PERIOD_CELL.fullmatch(body):
            body = self.years(body)
        if not body.strip().isdigit():  # a cell of one number numbers a row: kept
            body = self.figures(body)
        label = LABEL.match(body) if whole_line else None
        prefix, names = (label.group(1), label.group(2)) if label else ("", body)
        return head + prefix + self.partners(names, least=2 if whole_line else 1)

    def years(self, text: str) -> str:
        """Every year (and year range: 2018-23, 2022/23, 2022-2027) moved by the shift."""
        return YEAR.sub(self._shift_year, text)

    def _shift_year(self, match: re.Match) -> str:
        start, sep, end = match.groups()
        moved = str(int(start) + self.shift)
        if sep is None:
            return moved
        if len(end) == 4:
            return f"{moved}{sep}{int(end) + self.shift}"
        if int(end) < int(start[2:]):
            return f"{moved}{sep}{end}"  # 2025-05: a month, not a range
        return f"{moved}{sep}{(int(end) + self.shift) % 100:02d}"

    def figures(self, text: str) -> str:
        """Counts and percentages moved by up to FIGURE_SPREAD; years left to :meth:`years`,
        and numbers that follow a capitalised word (the number of a priority) kept."""
        return FIGURE.sub(self._move_figure, text)

    def _move_figure(self, match: re.Match) -> str:
        printed = match.group(1)
        value = int(printed.replace(",", ""))
        year = 1900 <= value < 2100 and "," not in printed
        if year or NAMED.search(match.string, 0, match.start()):
            return printed
        moved = max(10, round(value * self.rng.uniform(1 - FIGURE_SPREAD, 1 + FIGURE_SPREAD)))
        if text_after_is_percent(match):
            moved = min(moved, 100)
        return f"{moved:,}" if "," in printed else str(moved)

    def partners(self, cell: str, least: int) -> str:
        """``cell`` with its partner names redrawn, if it lists at least ``least`` names and
        nothing else the registry does not know; otherwise ``cell`` unchanged."""
        area = self.original.area
        before = self.registry.split(cell, area)
        if len(before) < least or any(m.organisation is None for m in before):
            return cell
        for _ in range(5):  # a drawn name may run into its neighbour: draw again
            drawn = self._redraw(cell, before)
            after = self.registry.split(drawn, area)
            if len(after) == len(before) and all(m.organisation for m in after):
                return drawn
        return cell

    def _redraw(self, cell: str, matches: list) -> str:
        """``cell`` with each named organisation that is not a generic group replaced."""
        out, at, used = [], 0, set()
        for match in matches:
            where = cell.find(match.text, at)
            org = self.registry.organisations[match.organisation.rsplit("/", 1)[-1]]
            if where < 0 or org.kind == "generic":
                continue
            org_id, name = self._draw(used)
            used.add(org_id)
            out.append(cell[at:where] + name)
            at = where + len(match.text)
        return "".join(out) + cell[at:]

    def _draw(self, used: set[str]) -> tuple[str, str]:
        """(organisation id, a name of it) from the area's pool, skewed to its first
        organisations; none already in ``used`` (a cell names a body once)."""
        pool = [entry for entry in self.pool if entry[0] not in used] or self.pool
        org, aliases, _ = self.rng.choices(pool, weights=[w for _, _, w in pool])[0]
        return org, self.rng.choice(aliases)


def text_after_is_percent(match: re.Match) -> bool:
    """True when the figure ``match`` found is printed as a percentage."""
    return match.string[match.end() : match.end() + 1] == "%"


def partner_pool(registry: Registry, area: str, seed: int) -> list[tuple[str, list[str], float]]:
    """(organisation id, the names it is read by in ``area``, weight) for every body that is
    not a generic group, in an order drawn from ``seed`` (bodies with names of their own in
    ``area`` first), weighted 1/rank**SKEW."""
    local, shared = [], []
    for org in registry.organisations.values():
        aliases = _names_in(registry, org, area)
        if org.kind != "generic" and aliases:
            (local if area in org.area_aliases else shared).append((org.id, aliases))
    rng = random.Random(f"{seed}:partners:{area}")
    rng.shuffle(local)
    rng.shuffle(shared)
    found = local + shared  # the area's own services first: they do most of its work
    return [(org, aliases, 1 / rank**SKEW) for rank, (org, aliases) in enumerate(found, 1)]


def _names_in(registry: Registry, org: Organisation, area: str) -> list[str]:
    """The names of ``org`` that the registry reads, alone in a cell, as ``org`` in ``area``."""
    names = [org.name, *org.aliases, *org.area_aliases.get(area, ())]
    return [
        name
        for name in names
        if [(m.text, m.organisation) for m in registry.split(name, area)] == [(name, org.iri)]
    ]


def _shift_date(issued: str, shift: int) -> str:
    """An ISO date or year-month with its year moved by ``shift``."""
    return f"{int(issued[:4]) + shift}{issued[4:]}"


def _write(path: Path, data: bytes) -> str:
    """Write ``data`` to ``path``; return its SHA-256 for the manifest."""
    path.write_bytes(data)
    return hashlib.sha256(data).hexdigest()


def _entry(source: Source, sha256: str) -> dict:
    """The manifest fields of ``source`` (graph/manifest.py reads them back)."""
    entry = {
        "slug": source.slug,
        "file": source.file_name,
        "title": source.title,
        "publishers": list(source.publishers),
        "area": source.area,
        "kind": source.kind,
        "period": source.period,
        "issued": source.issued,
        "status": source.status,
        "loader": source.loader,
        "title_line": source.title_line,
        "sha256": sha256,
    }
    return {key: value for key, value in entry.items() if value is not None}


def _manifest(entries: list[dict]) -> str:
    """sources.toml for ``entries``: strings and lists as JSON, which TOML reads alike."""
    head = "# Written by `hwbkg synth`: the real sources and variants made from them.\n"
    tables = [
        "[[source]]\n"
        + "".join(f"{k} = {json.dumps(v, ensure_ascii=False)}\n" for k, v in entry.items())
        for entry in entries
    ]
    return head + "\n" + "\n".join(tables)
