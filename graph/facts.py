"""What many nodes say of themselves, from one (subject, property, value) SELECT.

The digests read the whole graph (graph/digests.py). Over every plan at once, Oxigraph plans
a query that joins a node's facts with OPTIONALs so that its rows multiply: a triple is
repeated once per named graph that states it (a related plan, or a shared theme, is restated
in every document that cites it), and the OPTIONALs multiply those repeats. So the digests
ask for each node's facts as rows of one pattern, ``?node ?property ?value`` with the
properties filtered, and join them here, where a repeated triple is kept once. (A build's
store now also holds the merged default graph, graph/store.py, where no triple repeats;
the one-pattern reads stay the cheaper plan, and keep a build from before it right.)
"""

from __future__ import annotations

from collections import defaultdict

import pyoxigraph as ox

from graph import sparql

BySubject = dict[str, dict[str, list[str]]]
"""Subject IRI -> property IRI -> values (IRIs or lexical forms), each once."""


def read(store: ox.Store, query: str) -> BySubject:
    """What a SELECT of (subject, property, value) rows says, by subject and property; each
    value once, in the order the store first gives it (a missing property reads as [])."""
    found: BySubject = defaultdict(lambda: defaultdict(list))
    for subject, prop, value in sparql.run(store, query).results:
        values = found[subject.value][prop.value]
        if value.value not in values:
            values.append(value.value)
    return found


def steps(store: ox.Store, query: str) -> dict[str, set[str]]:
    """The second column of a two-column SELECT by the first (a property's steps, each once)."""
    found: dict[str, set[str]] = defaultdict(set)
    for first, second in sparql.run(store, query).results:
        found[first.value].add(second.value)
    return found


def values(iris) -> str:
    """IRIs as the body of a VALUES block (each written by pyoxigraph, so nothing unescaped
    reaches the query text)."""
    return " ".join(str(ox.NamedNode(iri)) for iri in sorted(iris))


def reachable(node: str, step: dict[str, set[str]]) -> set[str]:
    """``node`` and every node reached from it by ``step`` (a property path's ``*``, walked
    here over the steps one query read, :func:`steps`)."""
    seen, todo = {node}, [node]
    while todo:
        for further in step.get(todo.pop(), ()):
            if further not in seen:
                seen.add(further)
                todo.append(further)
    return seen
