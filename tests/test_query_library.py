"""The query library: every query parses, answers on both engines, and the two agree."""

import re
from collections import Counter

import pytest

from graph import queries, settings, sparql
from graph.store import normalise_term

LIBRARY = queries.library(settings.load()["QUERIES_DIR"])


def test_the_library_has_at_least_fifteen_documented_queries():
    assert len(LIBRARY) >= 15
    for query in LIBRARY.values():
        assert query.title and query.description, query.name


_CONCAT = re.compile(r'GROUP_CONCAT\(.*?separator\s*=\s*"([^"]+)"\)\s+AS\s+\?(\w+)', re.I)


def comparable(text, columns, row):
    """Normalised values; GROUP_CONCAT parts sorted, since SPARQL leaves their order open."""
    separators = {name: sep for sep, name in _CONCAT.findall(text)}
    values = []
    for column, value in zip(columns, row, strict=True):
        value = normalise_term(value)
        if column in separators and value:
            value = separators[column].join(sorted(value.split(separators[column])))
        values.append(value)
    return tuple(values)


def oxigraph_rows(store, text):
    columns, found = sparql.rows(sparql.run(store, text))
    return columns, Counter(comparable(text, columns, row) for row in found)


def rdflib_rows(dataset, text):
    result = dataset.query(text, initNs=sparql.PREFIXES)
    columns = [str(v) for v in result.vars]
    return columns, Counter(comparable(text, columns, [row[c] for c in columns]) for row in result)


@pytest.mark.parametrize("name", sorted(LIBRARY))
def test_oxigraph_and_rdflib_agree(oxigraph, reference, name):
    text = LIBRARY[name].text
    ox_columns, ox_rows = oxigraph_rows(oxigraph, text)
    rdf_columns, rdf_rows = rdflib_rows(reference, text)
    assert ox_columns == rdf_columns
    assert ox_rows == rdf_rows
    assert ox_rows, f"{name} returns no rows on the real data"


def test_a_query_header_without_title_is_an_error(tmp_path):
    (tmp_path / "x.rq").write_text("# description: nothing\nASK {}\n")
    with pytest.raises(ValueError, match="x.rq: the header has no '# title:' line"):
        queries.library(tmp_path)


def test_unknown_and_hostile_names_are_refused(tmp_path):
    for name in ["nope", "../etc/passwd", ""]:
        with pytest.raises(queries.UnknownQuery):
            queries.get(tmp_path, name)
