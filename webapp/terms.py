"""How the pages name and link RDF terms: labels, local URLs and prefixed names.

Every IRI under ``id/`` dereferences on this server and every ontology term has a page
under ``/def``, so a page never shows a bare hwbkg IRI: it shows the label and links
locally. Other IRIs (SKOS, ORG, PROV terms) are shown as prefixed names.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox
from flask import url_for

from graph import facts, sparql
from graph.sparql import PREFIXES
from vocab.namespace import HWB, ID, ONTOLOGY_IRI

ONTOLOGY_NS = str(HWB._NS)
LABEL_PROPERTIES = ("skos:prefLabel", "rdfs:label", "dcterms:title", "hwb:mentionText")
"""Where a label comes from, most preferred first; hwb:mentionText names partner mentions."""
_LABEL_IRIS = [PREFIXES[p.split(":")[0]] + p.split(":")[1] for p in LABEL_PROPERTIES]
_NOTATION_IRI = PREFIXES["skos"] + "notation"
LABELS_OF = f"""SELECT DISTINCT ?x ?p ?v WHERE {{
  VALUES ?x {{ %s }} ?x ?p ?v . FILTER(?p IN ({", ".join(LABEL_PROPERTIES)}, skos:notation))
}}"""
PLAIN = {PREFIXES["xsd"] + "string", PREFIXES["rdf"] + "langString"}
"""Datatypes not worth showing: Oxigraph types every plain string xsd:string."""


def label_pattern(var: str) -> str:
    """SPARQL patterns binding ``?<var>_label`` and ``?<var>_notation`` when they exist.

    ``var`` is a variable name chosen by the code, never user input.
    """
    options = [f"OPTIONAL {{ ?{var} {p} ?{var}_l{i} }}" for i, p in enumerate(LABEL_PROPERTIES)]
    candidates = ", ".join(f"?{var}_l{i}" for i in range(len(LABEL_PROPERTIES)))
    return "\n".join(
        [
            *options,
            f"BIND(COALESCE({candidates}) AS ?{var}_label)",
            f"OPTIONAL {{ ?{var} skos:notation ?{var}_notation }}",
        ]
    )


def label_vars(*names: str) -> str:
    """The variables :func:`label_pattern` binds for ``names``, for a SELECT projection."""
    return " ".join(f"?{name}_label ?{name}_notation" for name in names)


@dataclass(frozen=True)
class Term:
    """An RDF term ready for a page: the text to show and, for IRIs, where to link."""

    value: str
    label: str
    href: str | None = None
    notation: str = ""
    is_iri: bool = False
    datatype: str = ""

    @property
    def text(self) -> str:
        """The label with the printed number first, as the documents print it."""
        return f"{self.notation} {self.label}" if self.notation else self.label

    def as_json(self) -> dict:
        """The term for a .json twin: the IRI (or literal) and its label."""
        if self.is_iri:
            found = {"iri": self.value, "label": self.label}
            return {**found, "notation": self.notation} if self.notation else found
        return {"value": self.value, **({"datatype": self.datatype} if self.datatype else {})}


def local_path(iri: str) -> str | None:
    """The path of an instance IRI under ``id/`` ("org/llr-icb"), or None for other IRIs."""
    return iri[len(str(ID)) :] if iri.startswith(str(ID)) else None


def href(iri: str) -> str | None:
    """This server's page for ``iri``: /id/<path>, /def/<Term> or /def; None elsewhere."""
    path = local_path(iri)
    if path:
        return url_for("entities.entity", path=path)
    if iri == str(ONTOLOGY_IRI):
        return url_for("entities.ontology")
    if iri.startswith(ONTOLOGY_NS):
        return url_for("entities.term", name=iri[len(ONTOLOGY_NS) :])
    return None


def short(iri: str) -> str:
    """A prefixed name (``skos:prefLabel``) where a known prefix fits, else the IRI."""
    best = max(
        (p for p, ns in PREFIXES.items() if iri.startswith(ns) and p != "id"),
        key=lambda p: len(PREFIXES[p]),
        default=None,
    )
    return f"{best}:{iri[len(PREFIXES[best]) :]}" if best else iri


def term(node, label=None, notation=None) -> Term:
    """A pyoxigraph term (with its label and notation terms, if bound) as a Term."""
    if isinstance(node, ox.Literal):
        datatype = node.datatype.value if node.datatype else ""
        shown = "" if datatype in PLAIN else short(datatype)
        return Term(node.value, node.value, datatype=shown)
    iri = node.value
    shown = label.value if label is not None else short(iri)
    return Term(
        iri,
        shown,
        href(iri),
        notation.value if notation is not None else "",
        is_iri=True,
    )


def named(iri: str, label: str = "", notation: str = "") -> Term:
    """The Term of an IRI whose label and printed number were read already (a digest, the
    search index); without a label it shows as a prefixed name, as :func:`term` does."""
    return Term(iri, label or short(iri), href(iri), notation, is_iri=True)


def labelled(solution, var: str) -> Term | None:
    """The Term bound to ``?var`` in a solution of a query using :func:`label_pattern`."""
    node = solution[var]
    if node is None:
        return None
    return term(node, solution[f"{var}_label"], solution[f"{var}_notation"])


def sort_key(value: Term) -> tuple:
    """Printed numbers in document order ("2.10" after "2.9", "A)" before "B)"), then labels."""
    parts = value.notation.rstrip(".)").split(".") if value.notation else []
    return ([(0, int(p), "") if p.isdigit() else (1, 0, p) for p in parts], value.label.lower())


def labels(store: ox.Store, iris: list[str]) -> dict[str, Term]:
    """Terms with labels for many IRIs in one query.

    The IRIs come from the graph (a validation report, say), never from a request, and
    pyoxigraph writes each one, so nothing unescaped reaches the query text. Each label
    property is one lookup per IRI, chosen from in code: as OPTIONALs, a node that several
    documents restate (a related strategy) multiplied the rows by its copies of each label.
    Of several values of one property the least is taken, the same on every engine.
    """
    if not iris:
        return {}
    wanted = sorted(set(iris))
    query = LABELS_OF % facts.values(wanted)
    found: dict[str, dict[str, ox.Literal]] = {iri: {} for iri in wanted}
    for row in sparql.run(store, query).results:
        known = found[row["x"].value]
        prop, value = row["p"].value, row["v"]
        if prop not in known or value.value < known[prop].value:
            known[prop] = value
    return {
        iri: term(
            ox.NamedNode(iri),
            next((props[p] for p in _LABEL_IRIS if p in props), None),
            props.get(_NOTATION_IRI),
        )
        for iri, props in found.items()
    }
