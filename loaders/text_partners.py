"""Organisations named in running text, found only by asking the registry.

A partner cell is a list of names; a sentence is not, so :meth:`Registry.split` (which
reports every unknown run of words) does not fit it. Here word n-grams of each clause are
looked up, longest first, and only names the registry knows are kept; other words are
just words, never reported as unknown aliases. Three kinds of known name are still not
taken as an organisation named in the sentence:

- a lower-case phrase ("partners", "public health"): running text uses it as a common noun;
- a generic group ("PCNs", "Primary Care" in "Primary Care Liaison Nurses"): the text
  names no body;
- a council's bare place name ("Melton", "Rutland", "Blaby"): in running text it names
  the area ("rural areas of Melton Mowbray", "across Melton and Rutland"), not the
  council. Only when a statement opens with it as its subject ("Blaby: received 1,235
  referrals") does it name the council.
"""

from __future__ import annotations

import re
from functools import lru_cache

from rdflib import URIRef

from vocab.organisations import Organisation, Registry, normalise

# Clause breaks: a name never spans punctuation, an en dash or a spaced hyphen or slash.
_BREAK = re.compile(r"[,;:()\[\]\"“”‘’!?–]|\.(?=\s|$)|\s[-/]\s")
_SUBJECT = re.compile(r"^([^:]{1,60}):\s")


def named_organisations(text: str, registry: Registry, area: str) -> list[str]:
    """The organisation names printed in ``text`` that the registry knows, in order."""
    by_iri, longest = _index(registry)
    subject = _SUBJECT.match(text)
    found = []
    for clause in _BREAK.split(text):
        words = clause.split()
        start = 0
        while start < len(words):
            end, iri = _longest_known(words, start, longest, registry, area)
            if iri is None:
                start += 1
                continue
            name = " ".join(words[start:end])
            if _names_the_body(name, by_iri[iri], subject and subject.group(1).strip()):
                found.append(name)
            start = end
    return found


@lru_cache(maxsize=4)
def _index(registry: Registry) -> tuple[dict[URIRef, Organisation], int]:
    """The registry's organisations by IRI, and its longest name in words: the same for
    every sentence, so worked out once per registry (per sentence, they were a quarter of
    loading a progress report, cProfile)."""
    by_iri = {org.iri: org for org in registry.organisations.values()}
    return by_iri, max(len(name.split()) for org in by_iri.values() for name in _names(org))


def _names(org: Organisation) -> list[str]:
    return [org.name, *org.aliases, *(a for names in org.area_aliases.values() for a in names)]


def _longest_known(words: list[str], start: int, longest: int, registry: Registry, area: str):
    """(end, organisation) of the longest known name starting at ``start``, or (start, None)."""
    for end in range(min(len(words), start + longest), start, -1):
        iri = registry.resolve(" ".join(words[start:end]), area)
        if iri is not None:
            return end, iri
    return start, None


def _names_the_body(name: str, org: Organisation, subject: str | None) -> bool:
    """True if ``name``, known to the registry, names ``org`` here (see the module doc)."""
    words = name.split()
    if not (words[0][:1].isupper() and words[-1][:1].isupper()) or org.kind == "generic":
        return False
    place = org.kind == "council" and normalise(org.name).startswith(normalise(name) + " ")
    return not place or name == subject
