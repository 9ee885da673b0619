"""What a query sent by a user may do, decided before it runs.

The endpoint is read-only and must not reach out: updates (LOAD included), ``SERVICE``
and ``FROM``/``FROM NAMED`` graphs the store does not hold are refused. The decision is
taken on rdflib's parse tree, not on the text, so a keyword inside a comment or a string
neither trips nor hides a rule. Parsing costs tens of milliseconds in pyparsing, so the
verdict on each text is cached: library queries are parsed once per process.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from pyparsing import ParseException, ParseResults
from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
from rdflib.plugins.sparql.parserutils import CompValue

from graph.sparql import PREFIXES, QueryError

FORMS = {
    "SelectQuery": "select",
    "AskQuery": "ask",
    "ConstructQuery": "construct",
    "DescribeQuery": "describe",
}
UPDATE_NAMES = {
    "Load": "LOAD",
    "Clear": "CLEAR",
    "Drop": "DROP",
    "Create": "CREATE",
    "Add": "ADD",
    "Move": "MOVE",
    "Copy": "COPY",
    "InsertData": "INSERT DATA",
    "DeleteData": "DELETE DATA",
    "DeleteWhere": "DELETE WHERE",
    "Modify": "DELETE/INSERT",
}


MAX_QUERY_CHARACTERS = 100_000
"""Longer texts are refused unparsed: the library's longest query is under 1,000."""


class Refused(ValueError):
    """A well-formed request this endpoint will not run; the message says why."""


@dataclass(frozen=True)
class Verdict:
    """An allowed query: its form ("select", "ask", "construct", "describe") and whether
    it names its own dataset (FROM, FROM NAMED), which then replaces the union default."""

    form: str
    own_dataset: bool


def police(text: str, graphs: frozenset[str]) -> Verdict:
    """The verdict on an allowed query.

    ``graphs`` are the IRIs of the store's named graphs, the only ones FROM may name.
    Raises Refused (an update, SERVICE, FROM an unknown graph, a text too long or nested
    too deeply for the parser) or QueryError (malformed: the parser's message with line and
    column).
    """
    if len(text) > MAX_QUERY_CHARACTERS:
        raise Refused(f"the query is {len(text):,} characters long; the limit is "
                      f"{MAX_QUERY_CHARACTERS:,}")  # fmt: skip
    try:
        return _verdict(text, graphs)
    except RecursionError:
        # pyparsing recurses once per level of brackets: hundreds of levels exhaust Python's
        # stack long before any real query would.
        raise Refused("the query is nested too deeply to be parsed") from None


@lru_cache(maxsize=512)
def _verdict(text: str, graphs: frozenset[str]) -> Verdict:
    """:func:`police`, cached by text (exceptions are not cached, so bad texts re-parse)."""
    try:
        parsed = parseQuery(text)
    except ParseException as error:
        _refuse_update(text)
        raise QueryError(f"{error.msg} at line {error.lineno}, column {error.col}") from None
    prologue, query = parsed[0], parsed[1]
    if _contains(query, "ServiceGraphPattern"):
        raise Refused("SERVICE is refused: queries here cannot call other endpoints")
    declared = {d.prefix or "": str(d.iri) for d in prologue if d.name == "PrefixDecl"}
    namespaces = {**PREFIXES, **declared}
    clauses = query.datasetClause or []
    for clause in clauses:
        keyword, node = (
            ("FROM NAMED", clause.named) if "named" in clause else ("FROM", clause.default)
        )
        iri = _iri(node, namespaces)
        if iri not in graphs:
            raise Refused(f"{keyword} <{iri}> is refused: that graph is not in this store")
    return Verdict(FORMS[query.name], bool(clauses))


def _refuse_update(text: str) -> None:
    """Raise Refused naming the operation if ``text`` parses as SPARQL Update."""
    try:
        update = parseUpdate(text)
    except ParseException:
        return
    names = [UPDATE_NAMES.get(r.name, r.name) for r in update.request] or ["update"]
    raise Refused(f"{', '.join(names)} is refused: this endpoint is read-only")


def _contains(node, name: str) -> bool:
    """Whether a parse-tree node named ``name`` occurs anywhere under ``node``."""
    if isinstance(node, CompValue):
        return node.name == name or any(_contains(v, name) for v in node.values())
    if isinstance(node, (list, tuple, ParseResults)):
        return any(_contains(v, name) for v in node)
    return False


def _iri(node, namespaces: dict[str, str]) -> str:
    """The IRI a dataset clause names: an IRI as written or a prefixed name expanded."""
    if isinstance(node, CompValue) and node.name == "pname":
        prefix = node.prefix or ""
        if prefix not in namespaces:
            raise QueryError(f"the prefix {prefix}: is not declared")
        return namespaces[prefix] + (node.localname or "")
    return str(node)
