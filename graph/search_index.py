"""The full-text search index of a build: SQLite FTS5 in the build's folder.

Reading every searchable text into each web process and scanning it per query grew with
the whole graph (23 s for the first search at 50 documents, and a copy per process), so
`hwbkg build` writes ``<build>/search.sqlite`` once and the search page asks it per query
(webapp/search.py). FTS5 matches whole words, stemmed by the Porter stemmer ("air" does
not find "unfair"; "priorities" finds "priority") and ranks by BM25.

Tables: ``node`` (one row per searchable node: IRI, label, printed number and the
casefolded forms the ranking compares), ``text`` (the FTS5 table, rowid = node id: the
label and printed number in one column, every other searchable literal in the other),
``node_type`` (the most specific types, full IRIs), ``node_plan`` and ``plan`` (every plan a
node belongs to, with the plan's label), so that filters and facets are lookups.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from graph import sparql

INDEX_FILE = "search.sqlite"
TEXT_PROPERTIES = (
    "skos:prefLabel", "skos:altLabel", "skos:notation", "rdfs:label", "dcterms:title",
    "rdfs:comment", "skos:definition", "skos:scopeNote", "hwb:mentionText", "hwb:ambition",
    "hwb:objective", "hwb:deadline", "hwb:milestone", "hwb:level", "hwb:flag", "hwb:reason",
    "hwb:gssCode", "hwb:odsCode",
)  # fmt: skip
"""Properties whose literals are searched: names, printed numbers, texts as printed."""
LABELS = ("skos:prefLabel", "rdfs:label", "dcterms:title", "hwb:mentionText")
"""Where a result's label comes from, most preferred first (as webapp/terms.py)."""
LAST_TYPES = ("hwb:PartnerMention", "hwb:LoadIssue", "hwb:Figure", "hwb:Mapping")
"""Record-like nodes, ranked after the things they record when they match as well."""
TOKENIZER = "porter unicode61 remove_diacritics 2"

TEXTS = f"""
SELECT ?s ?p ?text WHERE {{
  VALUES ?p {{ {" ".join(TEXT_PROPERTIES)} }}
  ?s ?p ?text . FILTER(isIRI(?s) && STRSTARTS(STR(?s), STR(id:)))
}}
"""
TYPES = "SELECT ?s ?type WHERE { ?s a ?type . FILTER(STRSTARTS(STR(?s), STR(id:))) }"
SUBCLASSES = "SELECT ?sub ?super WHERE { ?sub rdfs:subClassOf+ ?super . FILTER(?sub != ?super) }"
# A node's plans: its own hwb:plan, or that of the action, priority or statement it hangs from.
PLANS = """
SELECT DISTINCT ?s ?plan WHERE {
  { ?s hwb:plan ?plan }
  UNION { ?owner hwb:plan ?plan ; ?link ?s .
          VALUES ?link { hwb:measure hwb:measurePlaceholder hwb:rationale hwb:improvementPlan
                         hwb:progress hwb:mention hwb:figure } }
  UNION { ?owner hwb:plan ?plan ; hwb:progress|hwb:rationale|hwb:improvementPlan ?statement .
          ?statement hwb:figure|hwb:mention ?s }
}
"""
SCHEMA = f"""
CREATE TABLE node (id INTEGER PRIMARY KEY, iri TEXT NOT NULL, label TEXT NOT NULL,
                   notation TEXT NOT NULL, label_key TEXT NOT NULL, notation_key TEXT NOT NULL,
                   text_key TEXT NOT NULL, last INTEGER NOT NULL);
CREATE VIRTUAL TABLE text USING fts5(label, body, tokenize='{TOKENIZER}');
CREATE TABLE node_type (node INTEGER NOT NULL, type TEXT NOT NULL);
CREATE TABLE plan (iri TEXT PRIMARY KEY, label TEXT NOT NULL, notation TEXT NOT NULL);
CREATE TABLE node_plan (node INTEGER NOT NULL, plan TEXT NOT NULL);
CREATE INDEX node_type_by_type ON node_type (type, node);
CREATE INDEX node_type_by_node ON node_type (node);
CREATE INDEX node_plan_by_plan ON node_plan (plan, node);
CREATE INDEX node_plan_by_node ON node_plan (node);
"""
COLUMNS = {
    "node": ("id", "iri", "label", "notation", "label_key", "notation_key", "text_key", "last"),
    "text": ("rowid", "label", "body"),
    "node_type": ("node", "type"),
    "node_plan": ("node", "plan"),
    "plan": ("iri", "label", "notation"),
}


def write(store: ox.Store, folder: Path) -> Path:
    """Write the index of ``store`` into ``folder`` (a build being staged); return its path."""
    path = folder / INDEX_FILE
    fill(sqlite3.connect(path), store).close()
    return path


def fill(connection: sqlite3.Connection, store: ox.Store) -> sqlite3.Connection:
    """Create the tables in ``connection`` and index every searchable node of ``store``."""
    texts: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for row in sparql.run(store, TEXTS).results:
        texts[row["s"].value][row["p"].value].append(row["text"].value)
    types = _most_specific(store, texts)
    plans: dict[str, set[str]] = defaultdict(set)
    for row in sparql.run(store, PLANS).results:
        if row["s"].value in texts:
            plans[row["s"].value].add(row["plan"].value)
    rows: dict[str, list[tuple]] = defaultdict(list)
    for number, (iri, found) in enumerate(sorted(texts.items()), start=1):
        _rows(rows, number, iri, found, types.get(iri, set()), plans.get(iri, ()))
    rows["plan"] = [(iri, *_label(texts.get(iri, {}))) for iri in set().union(*plans.values())]
    with connection:
        connection.executescript(SCHEMA)
        for table, columns in COLUMNS.items():
            marks = ", ".join("?" * len(columns))
            connection.executemany(
                f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows[table]
            )
        connection.execute("INSERT INTO text(text) VALUES ('optimize')")
    return connection


def _rows(rows: dict[str, list[tuple]], number: int, iri: str, found, types, plans) -> None:
    """Add one node's rows to ``rows`` (by table); ``found`` holds its texts by property."""
    label, notation = _label(found)
    shown = f"{notation} {label}" if notation else label
    last = bool(types & {expand(t) for t in LAST_TYPES})
    rows["node"].append((number, iri, label, notation, key(label), key(notation), key(shown), last))
    named = [expand(p) for p in ("skos:notation", *LABELS)]
    labels = [t for p in named for t in found.get(p, ())]
    body = [t for p, values in found.items() if p not in named for t in values]
    rows["text"].append((number, "\n".join(labels), "\n".join(body)))
    rows["node_type"] += ((number, t) for t in types)
    rows["node_plan"] += ((number, p) for p in plans)


def _label(found: dict[str, list[str]]) -> tuple[str, str]:
    """The node's label (the first of LABELS it has) and printed number; "" when none."""
    label = next((min(found[expand(p)]) for p in LABELS if found.get(expand(p))), "")
    notation = min(found.get(expand("skos:notation"), [""]))
    return label, notation


def _most_specific(store: ox.Store, nodes) -> dict[str, set[str]]:
    """Each node's types less those a subclass of which it also has (hwb:Action, not
    hwb:Statement), computed here: a FILTER NOT EXISTS per node took seconds at scale."""
    supers: dict[str, set[str]] = defaultdict(set)
    for row in sparql.run(store, SUBCLASSES).results:
        supers[row["sub"].value].add(row["super"].value)
    types: dict[str, set[str]] = defaultdict(set)
    for row in sparql.run(store, TYPES).results:
        if row["s"].value in nodes:
            types[row["s"].value].add(row["type"].value)
    return {
        iri: {t for t in found if not any(t in supers[other] for other in found)}
        for iri, found in types.items()
    }


def key(text: str) -> str:
    """The form the ranking compares: casefolded, runs of white space as one space."""
    return " ".join(text.casefold().split())


def expand(name: str) -> str:
    """The IRI of a prefixed name (``hwb:Action``), by the prefixes every query knows."""
    prefix, _, local = name.partition(":")
    return sparql.PREFIXES[prefix] + local


def match_expression(text: str) -> str:
    """The FTS5 query for what a user typed: every word must match, a word of several
    tokens ("12.6") as a phrase. The words are quoted, so no FTS5 syntax passes through;
    "" when nothing searchable was typed (only punctuation, say)."""
    phrases = [" ".join(TOKEN.findall(word)) for word in text.split()]
    return " AND ".join(f'"{p}"' for p in phrases if p)


TOKEN = re.compile(r"[^\W_]+")
"""A token as FTS5's unicode61 tokenizer reads one: letters and digits."""
RESULTS = """
SELECT n.iri, n.label, n.notation,
  (SELECT json_group_array(type) FROM node_type WHERE node = n.id) AS types,
  (SELECT json_group_array(json_array(p.iri, p.label, p.notation))
     FROM node_plan np JOIN plan p ON p.iri = np.plan WHERE np.node = n.id) AS plans
FROM text JOIN node n ON n.id = text.rowid
WHERE text MATCH :match {filters}
ORDER BY
  CASE WHEN :phrase IN (n.label_key, n.notation_key, rtrim(n.notation_key, '.)'), n.text_key)
         THEN 0
       WHEN substr(n.label_key, 1, length(:phrase)) = :phrase THEN 1
       WHEN n.id IN (SELECT rowid FROM text WHERE text MATCH 'label : (' || :match || ')')
         THEN 2
       ELSE 3 END,
  n.last, bm25(text, 10.0, 1.0), length(n.label), n.label
LIMIT :limit OFFSET :offset
"""
"""One page of results, best first: an exact label or printed number, then a label
starting with the words, then every word in the label, then elsewhere; within each, the
things before the records of them (LAST_TYPES), then by BM25 (label words weigh more)."""
COUNT = """
SELECT count(*) FROM text JOIN node n ON n.id = text.rowid WHERE text MATCH :match {filters}
"""
FILTERS = {
    "plan": "AND n.id IN (SELECT node FROM node_plan WHERE plan = :plan)",
    "type": "AND n.id IN (SELECT node FROM node_type WHERE type = :type)",
}


@dataclass(frozen=True)
class Hit:
    """One result: the node's IRI, label and printed number, its types (IRIs) and its plans
    as (IRI, label, printed number)."""

    iri: str
    label: str
    notation: str
    types: tuple[str, ...]
    plans: tuple[tuple[str, str, str], ...]


def search(
    connection: sqlite3.Connection, text: str, plan: str = "", kind: str = "",
    offset: int = 0, limit: int | None = None,
) -> tuple[int, list[Hit]]:  # fmt: skip
    """How many nodes match every word of ``text`` (in plan ``plan`` and of type ``kind``,
    both IRIs, when given), and those from ``offset`` on (``limit`` of them, or all)."""
    match = match_expression(text)
    if not match:
        return 0, []
    bound = {"match": match, "phrase": key(text), "plan": plan, "type": kind}
    filters = " ".join(sql for name, sql in FILTERS.items() if bound[name])
    total = connection.execute(COUNT.format(filters=filters), bound).fetchone()[0]
    bound.update(offset=offset, limit=-1 if limit is None else limit)
    rows = connection.execute(RESULTS.format(filters=filters), bound)
    return total, [
        Hit(iri, label, notation, tuple(sorted(json.loads(types))),
            tuple(sorted(map(tuple, json.loads(plans)), key=lambda p: p[1].lower())))
        for iri, label, notation, types, plans in rows
    ]  # fmt: skip


def facets(connection: sqlite3.Connection) -> tuple[list[tuple[str, str, str]], list[str]]:
    """The filters' choices: the plans results belong to, as (IRI, label, printed number)
    by label, and the types results have (IRIs)."""
    plans = connection.execute("SELECT iri, label, notation FROM plan").fetchall()
    types = [t for (t,) in connection.execute("SELECT DISTINCT type FROM node_type ORDER BY 1")]
    return sorted(plans, key=lambda p: p[1].lower()), types


def labelled_like(connection: sqlite3.Connection, needle: str, limit: int) -> list[tuple[str, str]]:
    """(IRI, label) of the nodes whose label contains ``needle`` (any case), shortest label
    first: completion, where a part of a word must find the whole."""
    rows = connection.execute(
        "SELECT iri, label FROM node WHERE instr(label_key, ?) > 0"
        " ORDER BY length(label), label LIMIT ?",
        (key(needle), limit),
    )
    return rows.fetchall()
