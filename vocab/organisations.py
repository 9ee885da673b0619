"""The organisation registry (data/curated/organisations.toml) and partner-name resolution.

Names resolve by the publisher's area: LCC is Leicester City Council in Leicester's
documents and Leicestershire County Council in Leicestershire's. A name the registry does
not know is returned unresolved, for the build to report; nothing is guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import ORG, SKOS

from vocab.ids import mint
from vocab.inputs import InputError, read_toml
from vocab.namespace import HWB

# Cell separators: a name never spans one of these.
_BOUNDARY = re.compile(r"\s*(?:[/,;:()\[\]*]|\.\s|\.$|\s-\s)\s*")
# "UHL (Maternity Transformation)": the bracket says which part of UHL, not another partner.
_QUALIFIER = re.compile(r"\([^)]*\)")
_CONNECTORS = {"and", "with", "the", "&", "all", "other", "e.g"}


class RegistryError(InputError):
    """The registry file is malformed (the message names the file and the entry)."""


def normalise(name: str) -> str:
    """Fold a name for matching: case, '&' vs 'and', apostrophes, spacing."""
    name = name.lower().replace("’", "'").replace("'s", "s").replace("'", "")
    name = name.replace("&", " and ")
    return re.sub(r"\s+", " ", name).strip(" .")


@dataclass(frozen=True)
class Organisation:
    id: str
    name: str
    kind: str
    aliases: tuple[str, ...] = ()
    area_aliases: dict[str, tuple[str, ...]] = field(default_factory=dict, hash=False)
    gss: str | None = None
    ods: str | None = None
    unit_of: str | None = None
    note: str | None = None

    @property
    def iri(self) -> URIRef:
        return mint("org", self.id)


@dataclass(frozen=True)
class Match:
    """A name found in a partner cell: its text as printed, and the organisation if known."""

    text: str
    organisation: URIRef | None


REQUIRED = ("id", "name", "kind")
OPTIONAL = ("gss", "ods", "unit_of", "note")


def _organisation(entry, where: str) -> Organisation:
    """One [[organisation]] table. Raises RegistryError for a missing or mistyped field
    (TOML gives no line numbers for tables: ``where`` names the entry by its position)."""
    if not isinstance(entry, dict):
        raise RegistryError(f"{where} is not a table")
    for key in REQUIRED:
        if key not in entry:
            raise RegistryError(f"{where} has no {key!r}")
    wrong = [k for k in (*REQUIRED, *OPTIONAL) if k in entry and not isinstance(entry[k], str)]
    area_aliases = entry.get("area_aliases", {})
    if not _texts(entry.get("aliases", [])):
        wrong.append("aliases")
    if not isinstance(area_aliases, dict) or not all(map(_texts, area_aliases.values())):
        wrong.append("area_aliases")
    if wrong:
        raise RegistryError(f"{where} ({entry['id']}): {', '.join(wrong)} of the wrong type")
    return Organisation(
        id=entry["id"],
        name=entry["name"],
        kind=entry["kind"],
        aliases=tuple(entry.get("aliases", [])),
        area_aliases={area: tuple(names) for area, names in area_aliases.items()},
        **{key: entry.get(key) for key in OPTIONAL},
    )


def _texts(value) -> bool:
    """True for a list of strings (TOML's array of aliases)."""
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


class Registry:
    """Organisations with their aliases, and the lookup that splits partner cells."""

    def __init__(self, organisations: list[Organisation]) -> None:
        self.organisations = {o.id: o for o in organisations}
        self._global: dict[str, str] = {}
        self._by_area: dict[str, dict[str, str]] = {}
        for org in organisations:
            for alias in (org.name, *org.aliases):
                self._claim(self._global, alias, org.id)
            for area, aliases in org.area_aliases.items():
                for alias in aliases:
                    self._claim(self._by_area.setdefault(area, {}), alias, org.id)
        self._longest = max(
            (len(k.split()) for table in [self._global, *self._by_area.values()] for k in table),
            default=1,
        )

    @staticmethod
    def _claim(table: dict[str, str], alias: str, org_id: str) -> None:
        key = normalise(alias)
        if table.get(key, org_id) != org_id:
            raise RegistryError(f"alias {alias!r} is claimed by {table[key]} and {org_id}")
        table[key] = org_id

    @classmethod
    def from_toml(cls, path: Path) -> Registry:
        """Read the registry. Raises InputError for a file that is not TOML text, and
        RegistryError naming the entry with a missing or mistyped field, a repeated id or a
        clashing alias (TOML gives no line numbers for tables)."""
        data = read_toml(path)
        entries = data.get("organisation", [])
        if not isinstance(entries, list):
            raise RegistryError(f"{path.name}: 'organisation' must be [[organisation]] tables")
        organisations = [
            _organisation(entry, f"{path.name}: organisation #{index}")
            for index, entry in enumerate(entries, start=1)
        ]
        seen: set[str] = set()
        for org in organisations:
            if org.id in seen:
                raise RegistryError(f"{path.name}: id {org.id!r} appears twice")
            seen.add(org.id)
        try:
            registry = cls(organisations)
        except RegistryError as error:
            raise RegistryError(f"{path.name}: {error}") from None
        for org in organisations:
            if org.unit_of and org.unit_of not in registry.organisations:
                raise RegistryError(f"{path.name}: {org.id} is a unit of unknown {org.unit_of}")
        return registry

    def resolve(self, name: str, area: str) -> URIRef | None:
        """The organisation ``name`` means in a document of ``area``, or None."""
        key = normalise(name)
        org_id = self._by_area.get(area, {}).get(key) or self._global.get(key)
        return self.organisations[org_id].iri if org_id else None

    def split(self, cell: str, area: str) -> list[Match]:
        """Find every partner named in a cell, even with no separator between names.

        Within each separator-free chunk the longest known name wins ("LCC LPT Schools"
        is three names); runs of unknown words become one unresolved match each.
        """
        matches: list[Match] = []
        cell = _QUALIFIER.sub(" ", cell)
        for chunk in _BOUNDARY.split(cell):
            words = chunk.split()
            start, unknown = 0, []
            while start < len(words):
                found = self._longest_match(words, start, area)
                if found is None:
                    unknown.append(words[start])
                    start += 1
                    continue
                self._flush_unknown(unknown, matches)
                end, iri = found
                matches.append(Match(" ".join(words[start:end]), iri))
                start = end
            self._flush_unknown(unknown, matches)
        return matches

    def _longest_match(self, words: list[str], start: int, area: str):
        for end in range(min(len(words), start + self._longest), start, -1):
            iri = self.resolve(" ".join(words[start:end]), area)
            if iri is not None:
                return end, iri
        return None

    @staticmethod
    def _flush_unknown(unknown: list[str], matches: list[Match]) -> None:
        text = " ".join(unknown).strip(" .-")
        if text and normalise(text) not in _CONNECTORS:
            matches.append(Match(text, None))
        unknown.clear()

    def to_graph(self) -> Graph:
        """The registry as W3C ORG: organisations, units, kinds and identifiers."""
        graph = Graph()
        for org in self.organisations.values():
            iri = org.iri
            graph.add((iri, RDF.type, ORG.Organization))
            if org.kind == "generic":
                graph.add((iri, RDF.type, HWB.GenericPartner))
            if org.unit_of:
                graph.add((iri, RDF.type, ORG.OrganizationalUnit))
                graph.add((iri, ORG.unitOf, self.organisations[org.unit_of].iri))
            graph.add((iri, SKOS.prefLabel, Literal(org.name)))
            graph.add((iri, HWB.organisationKind, mint("org-kind", org.kind)))
            for alias in org.aliases:
                graph.add((iri, SKOS.altLabel, Literal(alias)))
            for aliases in org.area_aliases.values():
                for alias in aliases:
                    graph.add((iri, SKOS.altLabel, Literal(alias)))
            if org.gss:
                graph.add((iri, HWB.gssCode, Literal(org.gss)))
            if org.ods:
                graph.add((iri, HWB.odsCode, Literal(org.ods)))
            if org.note:
                graph.add((iri, RDFS.comment, Literal(org.note)))
        for kind in {o.kind for o in self.organisations.values()}:
            concept = mint("org-kind", kind)
            graph.add((concept, RDF.type, SKOS.Concept))
            graph.add((concept, SKOS.prefLabel, Literal(kind)))
            graph.add((concept, SKOS.inScheme, mint("scheme", "organisation-kinds")))
        graph.add((mint("scheme", "organisation-kinds"), RDF.type, SKOS.ConceptScheme))
        graph.add(
            (mint("scheme", "organisation-kinds"), SKOS.prefLabel, Literal("Kinds of organisation"))
        )
        return graph
