"""The organisation registry: alias resolution by area, cell splitting, bad files."""

import pytest

from vocab.ids import mint
from vocab.organisations import Registry, RegistryError


def org(name):
    return mint("org", name)


def test_lcc_means_the_city_council_in_leicester_documents(registry):
    assert registry.resolve("LCC", "leicester") == org("leicester-city-council")


def test_lcc_means_the_county_council_in_leicestershire_documents(registry):
    assert registry.resolve("LCC", "leicestershire") == org("leicestershire-county-council")


def test_an_alias_of_another_area_is_not_guessed(registry):
    assert registry.resolve("LCC", "harborough") is None


@pytest.mark.parametrize(
    "cell, expected",
    [
        (
            "LCC LPT Schools",
            ["leicester-city-council", "leicestershire-partnership-nhs-trust", "schools"],
        ),
        (
            "LCC/ Partners/ Canal River Trust",
            ["leicester-city-council", "partners", "canal-and-river-trust"],
        ),
        ("CCG and UHL", ["leicester-city-ccg", "university-hospitals-of-leicester"]),
        (
            "UHL (Maternity Transformation), LA Children's services",
            ["university-hospitals-of-leicester", "leicester-city-council-childrens-services"],
        ),
    ],
)
def test_cells_with_several_partners_split(registry, cell, expected):
    assert [m.organisation for m in registry.split(cell, "leicester")] == [org(e) for e in expected]


def test_team_names_without_separators_split_in_harborough(registry):
    found = registry.split("Everyone Active Health & Wellbeing Team", "harborough")
    assert [m.organisation for m in found] == [
        org("everyone-active"),
        org("harborough-health-and-wellbeing"),
    ]


def test_an_unknown_name_is_returned_unresolved(registry):
    found = registry.split("CCG/UHL/LT/ LCC", "leicester")
    assert [(m.text, m.organisation) for m in found if m.organisation is None] == [("LT", None)]


def test_generic_partners_are_kept_apart(registry):
    graph = registry.to_graph()
    from rdflib import RDF

    from vocab.namespace import HWB

    generic = set(graph.subjects(RDF.type, HWB.GenericPartner))
    assert org("partners") in generic and org("leicester-city-council") not in generic


def test_a_clashing_alias_is_an_error(tmp_path):
    path = tmp_path / "orgs.toml"
    path.write_text(
        '[[organisation]]\nid="a"\nname="A"\nkind="council"\naliases=["X"]\n'
        '[[organisation]]\nid="b"\nname="B"\nkind="council"\naliases=["X"]\n'
    )
    with pytest.raises(RegistryError, match="'X' is claimed by a and b"):
        Registry.from_toml(path)


def test_a_missing_field_is_an_error(tmp_path):
    path = tmp_path / "orgs.toml"
    path.write_text('[[organisation]]\nid="a"\nname="A"\n')
    with pytest.raises(RegistryError, match="organisation #1 has no 'kind'"):
        Registry.from_toml(path)
