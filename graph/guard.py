"""What a query sent by a user may do, decided before it reaches a worker.

The endpoint is read-only and must not reach out. Oxigraph's ``query()`` never runs an
update, but it does call ``SERVICE`` endpoints over HTTP, so SERVICE is refused here, along
with ``FROM``/``FROM NAMED`` graphs the store does not hold (they would silently match
nothing) and texts too long or too deeply nested to be an analyst's question.

On a SPARQL server (graph.remote) the text reaches an engine with extensions of its own:
Virtuoso's ``define`` pragmas (``define get:soft`` fetches remote data into the store) and
its ``bif:``/``sql:`` functions (the database's SQL procedures) are refused too, whatever
the store, so that a query means the same everywhere.

The check is a lexer, not a parser: one pass of a regular expression with no backtracking
over SPARQL's terminals (strings, IRIs, comments, variables, names), so it takes linear time,
keeps no state and is safe in any number of threads at once (rdflib's pyparsing grammar was
none of these: tens of seconds on a 99 kB query, and shared caches that broke under
concurrent first queries). Syntax is left to Oxigraph, in the worker, under the time limit.

Oxigraph's grammar matches keywords without word boundaries (``trueSERVICE<x>{}`` calls
``<x>``), so any name outside strings, IRIs, comments and variables that *contains*
"service" is refused, not only the bare keyword.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from graph.sparql import PREFIXES, QueryError

MAX_LENGTH = 100_000
"""Characters; the library's longest query is under 1,000."""
MAX_NESTING = 64
"""Levels of ( { [; the library's deepest query has 6 and hand-written ones rarely pass 20."""

UPDATE_OPERATIONS = {
    "INSERT": "INSERT",
    "DELETE": "DELETE",
    "WITH": "DELETE/INSERT",
    "LOAD": "LOAD",
    "CLEAR": "CLEAR",
    "DROP": "DROP",
    "CREATE": "CREATE",
    "ADD": "ADD",
    "MOVE": "MOVE",
    "COPY": "COPY",
}
"""An update's first keyword and how a refusal names the operation (INSERT/DELETE are
completed from the next keyword: DATA, WHERE, or a template)."""

_BASE = (
    "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c-\u200d"
    "\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd\U00010000-\U000effff"
)
_CHARS = _BASE + r"_\-0-9\u00b7\u0300-\u036f\u203f-\u2040"
_PLX = r"%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%]"
TOKENS = re.compile(
    rf"""
    (?P<space>\s+)
  | (?P<comment>\#[^\n\r]*+)
  | (?P<iri><[^<>"{{}}|^`\\\x00-\x20]*+>)
  | (?P<string>'''(?:(?:'|'')?+(?:[^'\\]|\\.))*+'''
              |\"\"\"(?:(?:"|"")?+(?:[^"\\]|\\.))*+\"\"\"
              |'(?:[^'\\\n\r]|\\.)*+'
              |"(?:[^"\\\n\r]|\\.)*+")
  | (?P<variable>[?$][{_CHARS}]*+)
  | (?P<language>@[a-zA-Z]++(?:-[a-zA-Z0-9]++)*+)
  | (?P<name>(?:[{_BASE}](?:[{_CHARS}.]*[{_CHARS}])?)?:
              (?:(?:[{_CHARS}:]|{_PLX})(?:(?:[{_CHARS}.:]|{_PLX})*(?:[{_CHARS}:]|{_PLX}))?)?
             |[{_BASE}_][{_CHARS}]*+)
  | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)
"""SPARQL 1.1's terminals (section 19.8): ``name`` is a keyword or a prefixed name."""
OPENING, CLOSING = set("({["), set(")}]")


class Refused(ValueError):
    """A well-formed request this endpoint will not run; the message says why."""


@dataclass(frozen=True)
class Verdict:
    """An allowed query: whether it names its own dataset (FROM, FROM NAMED), which then
    replaces the union of the named graphs as its default graph."""

    own_dataset: bool


def police(
    text: str,
    graphs: frozenset[str],
    max_length: int = MAX_LENGTH,
    max_nesting: int = MAX_NESTING,
) -> Verdict:
    """The verdict on a query text, in time linear in its length.

    ``graphs`` are the IRIs of the store's named graphs, the only ones FROM may name.
    Raises Refused (an update, SERVICE, FROM an unknown graph, too long, nested too deeply)
    or QueryError (a FROM with an undeclared prefix). Anything else malformed is left for
    the engine to report with its line and column.
    """
    if len(text) > max_length:
        raise Refused(f"the query is {len(text):,} characters long; the limit is {max_length:,}")
    names = _code_tokens(text, max_nesting)
    words = [value.upper() for kind, value in names if kind == "name"]
    if any("SERVICE" in word for word in words):
        raise Refused("SERVICE is refused: queries here cannot call other endpoints")
    if "DEFINE" in words:
        raise Refused("define pragmas are refused: queries here are standard SPARQL 1.1")
    if any(_sql_function(kind, value) for kind, value in names):
        raise Refused("bif: and sql: functions are refused: they are a server's SQL procedures")
    operation = _update(names)
    if operation:
        raise Refused(f"{operation} is refused: this endpoint is read-only")
    return Verdict(own_dataset=_check_dataset(names, graphs))


def _code_tokens(text: str, max_nesting: int) -> list[tuple[str, str]]:
    """The tokens that are code, not data: names, IRIs and punctuation, in order.

    Raises Refused when brackets nest deeper than ``max_nesting``.
    """
    found, depth, deepest = [], 0, 0
    for match in TOKENS.finditer(text):
        kind, value = match.lastgroup, match.group()
        if kind in ("space", "comment", "string", "variable", "language"):
            continue
        depth += (value in OPENING) - (value in CLOSING)
        deepest = max(deepest, depth)
        found.append((kind, value))
    if deepest > max_nesting:
        raise Refused(f"the query nests brackets {deepest} levels deep; the limit is {max_nesting}")
    return found


def _sql_function(kind: str, value: str) -> bool:
    """Whether a token names Virtuoso's SQL functions: ``bif:x``, ``<sql:x>``, or a PREFIX
    bound to them (Virtuoso predeclares both prefixes)."""
    text = value[1:] if kind == "iri" else value if kind == "name" else ""
    return text.lower().startswith(("bif:", "sql:"))


def _prologue_end(tokens: list[tuple[str, str]]) -> int:
    """The index of the first token after the BASE and PREFIX declarations."""
    index = 0
    while index < len(tokens) and tokens[index][1].upper() in ("BASE", "PREFIX"):
        index += 3 if tokens[index][1].upper() == "PREFIX" else 2
    return index


def _update(tokens: list[tuple[str, str]]) -> str | None:
    """The operations an update request names ("INSERT DATA, DROP"), or None for a query.

    An update is a sequence of operations separated by ``;`` at the top level, each
    possibly with its own prologue.
    """
    operations, depth, start = [], 0, 0
    for index, (_, value) in enumerate([*tokens, ("other", ";")]):
        depth += (value in OPENING) - (value in CLOSING)
        if value != ";" or depth:
            continue
        statement = tokens[start:index]
        start = index + 1
        begin = _prologue_end(statement)
        if begin >= len(statement):
            continue
        keyword = statement[begin][1].upper()
        if keyword not in UPDATE_OPERATIONS:
            return None if not operations else ", ".join(operations)
        operations.append(_operation_name(keyword, statement[begin + 1 :]))
    return ", ".join(dict.fromkeys(operations)) or None


def _operation_name(keyword: str, rest: list[tuple[str, str]]) -> str:
    """INSERT DATA, DELETE DATA, DELETE WHERE, DELETE/INSERT, or the keyword itself."""
    if keyword not in ("INSERT", "DELETE"):
        return UPDATE_OPERATIONS[keyword]
    following = rest[0][1].upper() if rest else ""
    if following == "DATA" or (keyword == "DELETE" and following == "WHERE"):
        return f"{keyword} {following}"
    return "DELETE/INSERT"


def _check_dataset(tokens: list[tuple[str, str]], graphs: frozenset[str]) -> bool:
    """Whether the query has FROM or FROM NAMED clauses; raises Refused for a graph the
    store does not hold (no graph is ever fetched: the check says why nothing matched)."""
    namespaces = {**PREFIXES, **_declared_prefixes(tokens)}
    own = False
    for index, (kind, value) in enumerate(tokens):
        if kind != "name" or value.upper() != "FROM":
            continue
        own = True
        keyword, target = "FROM", tokens[index + 1 : index + 2]
        if target and target[0][1].upper() == "NAMED":
            keyword, target = "FROM NAMED", tokens[index + 2 : index + 3]
        if not target:
            continue  # the engine reports the missing IRI with its position
        iri = _iri(target[0], namespaces)
        if iri is not None and iri not in graphs:
            raise Refused(f"{keyword} <{iri}> is refused: that graph is not in this store")
    return own


def _declared_prefixes(tokens: list[tuple[str, str]]) -> dict[str, str]:
    """PREFIX declarations of the prologue: prefix (without colon) -> namespace IRI."""
    declared = {}
    for index, (_, value) in enumerate(tokens[: _prologue_end(tokens)]):
        if value.upper() == "PREFIX" and index + 2 < len(tokens):
            declared[tokens[index + 1][1].rstrip(":")] = tokens[index + 2][1][1:-1]
    return declared


def _iri(token: tuple[str, str], namespaces: dict[str, str]) -> str | None:
    """The IRI a FROM clause names, or None when the token is neither an IRI nor a name
    (the engine then reports the syntax error). Raises QueryError for an unknown prefix."""
    kind, value = token
    if kind == "iri":
        return value[1:-1]
    if kind == "name" and ":" in value:
        prefix, local = value.split(":", 1)
        if prefix not in namespaces:
            raise QueryError(f"the prefix {prefix}: is not declared")
        return namespaces[prefix] + local
    return None
