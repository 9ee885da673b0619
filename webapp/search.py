"""Full-text search over the labels and texts of every node under ``id/``.

The texts are read from the graph by one SPARQL query on first use and kept on the app
(the store is read-only, so they cannot go stale); each search then filters them in
Python. The words a user types never reach a query's text.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, field

from flask import Blueprint, render_template, request, url_for

from graph import sparql
from webapp import graphstore, terms
from webapp.graphstore import get_store
from webapp.pages import error, respond, twin_url

bp = Blueprint("search", __name__)

PER_PAGE = 20
MAX_QUERY = 200
"""Longer than any label worth typing; a longer query is refused with a 400."""
TEXT_PROPERTIES = (
    "skos:prefLabel", "skos:altLabel", "skos:notation", "rdfs:label", "dcterms:title",
    "rdfs:comment", "skos:definition", "skos:scopeNote", "hwb:mentionText", "hwb:ambition",
    "hwb:objective", "hwb:deadline", "hwb:milestone", "hwb:level", "hwb:flag", "hwb:reason",
    "hwb:gssCode", "hwb:odsCode",
)  # fmt: skip
"""Properties whose literals are searched: names, printed numbers, texts as printed."""
LAST_TYPES = ("hwb:PartnerMention", "hwb:LoadIssue", "hwb:Figure", "hwb:Mapping")
"""Record-like nodes, ranked after the things they record when they match as well."""

TEXTS = f"""
SELECT ?s ?text WHERE {{
  VALUES ?p {{ {" ".join(TEXT_PROPERTIES)} }}
  ?s ?p ?text . FILTER(isIRI(?s) && STRSTARTS(STR(?s), STR(id:)))
}}
"""
NODES = f"""
SELECT ?s ?type ?plan ?plan_label ?plan_notation ?s_label ?s_notation WHERE {{
  {{ SELECT DISTINCT ?s WHERE {{
       VALUES ?p {{ {" ".join(TEXT_PROPERTIES)} }}
       ?s ?p [] . FILTER(isIRI(?s) && STRSTARTS(STR(?s), STR(id:))) }} }}
  OPTIONAL {{ ?s a ?type . FILTER NOT EXISTS {{ ?s a ?sub . ?sub rdfs:subClassOf+ ?type }} }}
  OPTIONAL {{
    {{ ?s hwb:plan ?plan }}
    UNION {{ ?owner hwb:plan ?plan ; ?link ?s .
             FILTER(?link IN (hwb:measure, hwb:measurePlaceholder, hwb:rationale,
                              hwb:improvementPlan, hwb:progress, hwb:mention, hwb:figure)) }}
    UNION {{ ?owner hwb:plan ?plan ; (hwb:progress|hwb:rationale|hwb:improvementPlan) ?statement .
             ?statement (hwb:figure|hwb:mention) ?s }}
    {terms.label_pattern("plan")}
  }}
  {terms.label_pattern("s")}
}}
"""
"""Each searchable node with its most specific types and every plan it belongs to: its
own hwb:plan, or that of the action, priority or statement it hangs from."""


@dataclass
class Entry:
    """One searchable node: how to show it, what to filter it by, what to match."""

    node: terms.Term
    types: set[str] = field(default_factory=set)
    plans: dict[str, terms.Term] = field(default_factory=dict)
    texts: list[str] = field(default_factory=list)
    """Casefolded once, when the index is read: searches ignore case."""

    def as_json(self) -> dict:
        """The result for the .json twin."""
        return {
            **self.node.as_json(),
            "types": sorted(self.types),
            "plans": [p.as_json() for p in self.plans.values()],
        }


class BadSearch(ValueError):
    """A query, filter or page the search cannot take; the message says which."""


@graphstore.warmup
def index_entries() -> dict[str, Entry]:
    """Every searchable node by IRI, read from the graph once per build."""
    return graphstore.derived("search", _read_entries)


def _read_entries() -> dict[str, Entry]:
    store = get_store()
    entries: dict[str, Entry] = {}
    for row in sparql.run(store, NODES).results:
        entry = entries.setdefault(row["s"].value, Entry(terms.labelled(row, "s")))
        if row["type"] is not None:
            entry.types.add(terms.short(row["type"].value))
        if row["plan"] is not None:
            entry.plans[row["plan"].value] = terms.labelled(row, "plan")
    for row in sparql.run(store, TEXTS).results:
        entries[row["s"].value].texts.append(row["text"].value.casefold())
    return entries


def plan_slug(plan_iri: str) -> str:
    """The plan filter's value for a plan IRI: its slug, as in /plans/<slug>."""
    return terms.local_path(plan_iri).split("/", 1)[-1]


def facets(entries: dict[str, Entry]) -> tuple[dict[str, terms.Term], list[str]]:
    """The values the filters accept: plans by slug (sorted by label) and type names."""
    plans = {plan_slug(iri): t for e in entries.values() for iri, t in e.plans.items()}
    ordered = dict(sorted(plans.items(), key=lambda item: item[1].label.lower()))
    return ordered, sorted({t for e in entries.values() for t in e.types})


def rank(entry: Entry, phrase: str, words: list[str]) -> int | None:
    """None unless every word occurs in the node's texts; else 0 for an exact label or
    printed number, 1 for a label starting with the phrase, 2 for every word in the
    label, 3 for a match elsewhere in its texts. Comparisons ignore case."""
    if not all(any(w in t for t in entry.texts) for w in words):
        return None
    label = entry.node.label.casefold()
    printed = entry.node.notation.casefold()
    if phrase in (label, printed, printed.rstrip(".)"), entry.node.text.casefold()):
        return 0
    if label.startswith(phrase):
        return 1
    return 2 if all(w in label for w in words) else 3


def search(text: str, plan: str = "", kind: str = "") -> list[Entry]:
    """Entries matching every word of ``text``, filtered by plan slug and type, best first.

    Raises BadSearch for an overlong query or a plan or type the graph does not have.
    """
    reason = unsearchable(text)
    if reason:
        raise BadSearch(reason)
    entries = index_entries()
    plans, kinds = facets(entries)
    if plan and plan not in plans:
        raise BadSearch("unknown plan: choose one from the list")
    if kind and kind not in kinds:
        raise BadSearch("unknown type: choose one from the list")
    phrase = " ".join(text.casefold().split())
    if not phrase:
        return []
    words = phrase.split()
    found = []
    for entry in entries.values():
        if plan and plans[plan].value not in entry.plans:
            continue
        if kind and kind not in entry.types:
            continue
        score = rank(entry, phrase, words)
        if score is not None:
            last = any(t in LAST_TYPES for t in entry.types)
            found.append(((score, last, len(entry.node.label), entry.node.label), entry))
    return [entry for _, entry in sorted(found, key=lambda pair: pair[0])]


def unsearchable(text: str) -> str | None:
    """Why ``text`` cannot be searched for, or None: it is too long, or holds a control
    character (a NUL, say), which no label has."""
    if len(text) > MAX_QUERY:
        return f"the query is {len(text)} characters long; the limit is {MAX_QUERY}"
    if any(unicodedata.category(c) == "Cc" and not c.isspace() for c in text):
        return "the query contains a control character"
    return None


def page_number(value: str | None) -> int:
    """The ``page`` parameter as a number from 1. Raises BadSearch otherwise."""
    if value is None:
        return 1
    # ASCII digits only, and few: int() accepts other scripts' digits and refuses 4,300 digits.
    if not re.fullmatch(r"[0-9]{1,9}", value) or int(value) < 1:
        raise BadSearch("page must be a whole number from 1")
    return int(value)


def _page_url(number: int) -> str:
    """This search's URL at page ``number`` (format and filters kept)."""
    args = {**request.args.to_dict(), **(request.view_args or {}), "page": number}
    return url_for(request.endpoint, **args)


@bp.get("/search", defaults={"fmt": "html"})
@bp.get("/search.<any(json, csv):fmt>")
def index(fmt: str):
    """Results for ``q`` (every word must match), ``plan`` and ``type`` filters, ``page``.

    The HTML and JSON are paged; the CSV holds every result. Bad input is a 400.
    """
    text = request.args.get("q", "")
    plan, kind = request.args.get("plan", ""), request.args.get("type", "")
    try:
        number = page_number(request.args.get("page"))
        results = search(text, plan, kind)
        pages = max(1, math.ceil(len(results) / PER_PAGE))
        if number > pages:
            raise BadSearch(f"the page asked for is past the last page ({pages})")
    except BadSearch as bad:
        if fmt != "html":
            return error(400, f"Bad search: {bad}", html=False)
        return _refused(str(bad), "" if unsearchable(text) else text, plan, kind), 400
    shown = results[(number - 1) * PER_PAGE : number * PER_PAGE]
    data = {
        "query": text,
        "plan": plan,
        "type": kind,
        "page": number,
        "pages": pages,
        "total": len(results),
        "next": _page_url(number + 1) if number < pages else None,
        "results": [e.as_json() for e in shown],
    }
    return respond(
        fmt,
        "search/index.html",
        data,
        table=lambda: (["iri", "label", "notation", "types", "plans"], _csv_rows(results)),
        entries=shown,
        first=(number - 1) * PER_PAGE + 1,
        twins={f: twin_url(f) for f in ("json", "csv")},
        previous=_page_url(number - 1) if number > 1 else None,
        **_choices(),
    )


def _csv_rows(results: list[Entry]):
    """One row per result; several types or plans are joined with " | "."""
    for e in results:
        plans = " | ".join(p.label for p in e.plans.values())
        yield [e.node.value, e.node.label, e.node.notation, " | ".join(sorted(e.types)), plans]


def _choices() -> dict:
    """The filter options of the form."""
    plans, kinds = facets(index_entries())
    return {"plan_choices": plans, "type_choices": kinds}


def _refused(message: str, text: str, plan: str, kind: str) -> str:
    """The search form with the message instead of results, the input kept to correct
    (the caller leaves out words that were themselves refused: they would only be echoed)."""
    return render_template(
        "search/index.html",
        message=message,
        query=text,
        plan=plan,
        type=kind,
        entries=[],
        total=0,
        **_choices(),
    )
