"""graph.guard, the lexer that polices users' queries before the engine sees them.

Oxigraph matches keywords without word boundaries and calls SERVICE endpoints over HTTP,
so each bypass found by hand is pinned here.
"""

import pytest

from graph import guard
from graph.sparql import QueryError

STORE_GRAPH = "https://w3id.org/hwbkg/graph/source/harborough-hw-action-plan-2022-23"
GRAPHS = frozenset({STORE_GRAPH})


def verdict(text: str, **limits) -> guard.Verdict:
    return guard.police(text, GRAPHS, **limits)


@pytest.mark.parametrize(
    "text",
    [
        "SELECT * { SERVICE <http://example.org/sparql> { ?s ?p ?o } }",
        "SELECT * { OPTIONAL { SERVICE SILENT <http://e/> {} } }",
        "SELECT * { ?s ?p ?o FILTER EXISTS { SERVICE ?endpoint {} } }",
        "SELECT * { { SELECT * { service <http://e/> {} } } }",
        # Oxigraph reads these as SERVICE calls: its keywords need no word boundary.
        "SELECT * { ?s ?p trueSERVICE<http://e/>{} }",
        "SELECT * { ?s ?p 1SERVICE<http://e/>{} }",
        "SELECT * { SERVICESILENT<http://e/>{} }",
        "PREFIX : <http://e/> SELECT * { SERVICE:x {} }",
        "SELECT * { OPTIONAL{}SERVICE<http://e/>{} }",
    ],
)
def test_service_is_refused_however_it_is_written(text):
    with pytest.raises(guard.Refused, match="SERVICE is refused"):
        verdict(text)


@pytest.mark.parametrize(
    "text",
    [
        'ASK { ?s ?p "SERVICE <http://x> {}" } # LOAD <http://y>',
        "ASK { ?s ?p '''it's a SERVICE''' }",
        "ASK { ?s <http://example.org/service> ?o }",
        "SELECT ?service WHERE { ?service a hwb:Action }",
        'ASK { ?s ?p "x"@en-GB }',
        "ASK { ?s ?p ?o FILTER(?s < ?o) }",
    ],
)
def test_words_in_strings_iris_comments_and_variables_are_data(text):
    assert verdict(text) == guard.Verdict(own_dataset=False)


@pytest.mark.parametrize(
    ("text", "operation"),
    [
        ("INSERT DATA { <a:b> <a:c> <a:d> }", "INSERT DATA"),
        ("DELETE DATA { <a:b> <a:c> <a:d> }", "DELETE DATA"),
        ("DELETE WHERE { ?s ?p ?o }", "DELETE WHERE"),
        ("PREFIX a: <x:> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", "DELETE/INSERT"),
        ("INSERT { ?s ?p ?o } WHERE { ?s ?p ?o }", "DELETE/INSERT"),
        ("WITH <g:1> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", "DELETE/INSERT"),
        ("LOAD SILENT <http://example.org/x.ttl>", "LOAD"),
        ("CLEAR ALL", "CLEAR"),
        ("DROP GRAPH <g:1>", "DROP"),
        ("CREATE GRAPH <g:1>", "CREATE"),
        ("ADD DEFAULT TO <g:1>", "ADD"),
        ("MOVE <g:1> TO <g:2>", "MOVE"),
        ("COPY <g:1> TO <g:2>", "COPY"),
        ("LOAD <http://e/x> ; CLEAR ALL ; LOAD <http://e/y>", "LOAD, CLEAR"),
    ],
)
def test_updates_are_refused_by_name(text, operation):
    with pytest.raises(guard.Refused) as refused:
        verdict(text)
    assert str(refused.value) == f"{operation} is refused: this endpoint is read-only"


def test_from_names_only_graphs_in_the_store():
    assert verdict(f"SELECT * FROM <{STORE_GRAPH}> {{ ?s ?p ?o }}").own_dataset
    with pytest.raises(guard.Refused) as refused:
        verdict("PREFIX ex: <http://example.org/> SELECT * FROM NAMED ex:y { ?s ?p ?o }")
    assert str(refused.value) == (
        "FROM NAMED <http://example.org/y> is refused: that graph is not in this store"
    )
    with pytest.raises(QueryError, match="the prefix nope: is not declared"):
        verdict("SELECT * FROM nope:g { ?s ?p ?o }")


def test_length_and_nesting_limits_name_the_figures():
    with pytest.raises(guard.Refused) as too_long:
        verdict("#" + "x" * 100_000 + "\nASK {}")
    assert str(too_long.value) == "the query is 100,008 characters long; the limit is 100,000"
    with pytest.raises(guard.Refused) as too_deep:
        verdict("ASK " + "{" * 65 + "}" * 65)
    assert str(too_deep.value) == "the query nests brackets 65 levels deep; the limit is 64"
    assert verdict("ASK " + "{" * 64 + "}" * 64).own_dataset is False
    assert verdict("ASK " + "{" * 9 + "}" * 9, max_nesting=9).own_dataset is False


def test_ordinary_long_queries_pass():
    """84 flat triple patterns and 35 OPTIONALs were once refused as "nested too deeply"."""
    triples = " ".join(f"?s{i} hwb:label ?l{i} ." for i in range(84))
    optionals = " ".join(f"OPTIONAL {{ ?s hwb:p{i} ?o{i} }}" for i in range(35))
    assert verdict(f"SELECT * {{ {triples} }}").own_dataset is False
    assert verdict(f"SELECT * {{ ?s a hwb:Action . {optionals} }}").own_dataset is False


@pytest.mark.parametrize(
    "text",
    ["'" * 99_999, '"""' + 'a"' * 40_000, "<" * 99_999, "\\" * 99_999, "\x00\xff" * 40_000],
    ids=["quotes", "unterminated long string", "angle brackets", "backslashes", "binary"],
)
def test_pathological_texts_are_lexed_not_crashed(text):
    assert verdict(text) == guard.Verdict(own_dataset=False)


@pytest.mark.parametrize(
    ("text", "refusal"),
    [
        ('define get:soft "soft" SELECT * { ?s ?p ?o }', "define pragmas are refused"),
        ("DEFINE input:default-graph-uri <http://e/> ASK {}", "define pragmas are refused"),
        ('SELECT (bif:file_to_string("/etc/passwd") AS ?x) {}', "bif: and sql: functions"),
        ("SELECT (<sql:procedure>() AS ?x) {}", "bif: and sql: functions"),
        ("PREFIX f: <BIF:> SELECT (f:sys_stat('x') AS ?x) {}", "bif: and sql: functions"),
    ],
)
def test_a_servers_pragmas_and_sql_functions_are_refused(text, refusal):
    with pytest.raises(guard.Refused, match=refusal):
        verdict(text)


def test_words_like_define_in_data_and_names_pass():
    verdict('SELECT ?define WHERE { ?define <http://e/bif:x> "define sql:x" ; hwb:define ?o }')
