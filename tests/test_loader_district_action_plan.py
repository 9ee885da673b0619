"""Harborough's Health & Wellbeing Strategy Action Plan 2022/23, read by the district loader.

Expected values were read off data/sources/harborough-hw-action-plan-2022-23.txt by hand.
"""

from pathlib import Path

import pytest
from rdflib import RDF, URIRef
from rdflib.namespace import SKOS

from loaders.base import Source, SourceGraph
from loaders.district_action_plan import DistrictActionPlanLoader
from vocab.ids import mint
from vocab.namespace import HWB

SLUG = "harborough-hw-action-plan-2022-23"
PLAN = mint("plan", SLUG)


@pytest.fixture(scope="module")
def doc(load_doc):
    return load_doc(SLUG)


def action(notation: str) -> URIRef:
    return mint("action", SLUG, notation)


def org(org_id: str) -> URIRef:
    return mint("org", org_id)


def labels(graph, node, prop=SKOS.prefLabel) -> set[str]:
    return {str(o) for o in graph.objects(node, prop)}


def test_six_priorities_numbered_as_printed_without_theme(doc):
    priorities = set(doc.graph.subjects(RDF.type, HWB.Priority))
    assert priorities == {mint("priority", SLUG, str(n)) for n in range(1, 7)}
    expected = {
        "1": "Housing for all",
        "2": "Community Infrastructure",
        "3": "Skills, Jobs & Income",
        "4": "Stronger Communities",
        "5": "Mental Health",
        "6": "Physical Activity",
    }
    for number, label in expected.items():
        priority = mint("priority", SLUG, number)
        assert labels(doc.graph, priority) == {label}
        assert labels(doc.graph, priority, SKOS.notation) == {number}
        assert (priority, HWB.plan, PLAN) in doc.graph
        assert doc.graph.value(priority, HWB.theme) is None
    assert int(doc.graph.value(mint("priority", SLUG, "3"), HWB.sourceLine)) == 17


def test_twenty_five_actions_under_their_priorities(doc):
    actions = set(doc.graph.subjects(RDF.type, HWB.Action))
    per_priority = {"1": "abcde", "2": "abcd", "3": "abc", "4": "abc", "5": "abcd", "6": "abcdef"}
    expected = {
        action(f"{n}.{letter}") for n, letters in per_priority.items() for letter in letters
    }
    assert actions == expected and len(actions) == 25
    for node in actions:
        number = str(doc.graph.value(node, SKOS.notation)).split(".")[0]
        assert (node, HWB.priority, mint("priority", SLUG, number)) in doc.graph
        assert (node, HWB.plan, PLAN) in doc.graph


def test_row_1a_reads_every_column(doc):
    node = action("1.a")
    graph = doc.graph
    assert labels(graph, node) == {"Review policy as part of Local Plan refresh"}
    assert labels(graph, node, SKOS.notation) == {"1.a"}
    assert labels(graph, node, HWB.objective) == {"Promote high design standards for new housing"}
    assert labels(graph, node, HWB.deadline) == {"2022/24"}
    assert set(graph.objects(node, HWB.leadPartner)) == {org("harborough-planning-policy")}
    assert labels(graph, node, HWB.milestone) == {"Commence refresh of local plan"}
    measure = graph.value(node, HWB.measure)
    assert labels(graph, measure) == {"Achieve high design standards for new homes"}
    assert int(graph.value(node, HWB.sourceLine)) == 6


# Who will deliver this?, per row: several council teams and bodies with no separator.
DELIVERERS = {
    "1.a": {"harborough-planning-policy"},
    "1.b": {"harborough-regulatory-services"},
    "1.c": {"harborough-regulatory-services"},
    "1.d": {"harborough-regulatory-services"},
    "1.e": {"harborough-housing", "chief-housing-officers-group"},
    "2.a": {"harborough-planning-policy", "harborough-health-and-wellbeing"},
    "2.b": {"harborough-planning-policy", "harborough-health-and-wellbeing"},
    "2.c": {
        "harborough-health-and-wellbeing",
        "harborough-environmental-services",
        "parish-councils",
    },
    "2.d": {"harborough-health-and-wellbeing", "canal-and-river-trust"},
    "3.a": {"harborough-health-and-wellbeing", "harborough-economic-development"},
    "3.b": {"harborough-economic-development"},
    "3.c": set(),  # "Community": ambiguous, left unresolved
    "4.a": {"harborough-community-partnerships"},
    "4.b": {"harborough-community-partnerships"},
    "4.c": {"harborough-community-partnerships"},
    "5.a": {"harborough-human-resources"},
    "5.b": {"harborough-health-and-wellbeing", "leicestershire-county-council-early-help"},
    "5.c": {
        "harborough-communications",
        "harborough-community-partnerships",
        "leicestershire-partnership-nhs-trust",
    },
    "5.d": {"harborough-community-partnerships", "leicestershire-partnership-nhs-trust"},
    "6.a": {"harborough-health-and-wellbeing", "sspan"},
    "6.b": {"harborough-health-and-wellbeing"},
    "6.c": {"harborough-health-and-wellbeing"},
    "6.d": {"everyone-active", "harborough-health-and-wellbeing"},
    "6.e": {"harborough-health-and-wellbeing", "harborough-economic-development"},
    "6.f": {"harborough-regulatory-services"},
}


@pytest.mark.parametrize("notation", sorted(DELIVERERS))
def test_deliverers_resolve_to_registry_ids(doc, notation):
    found = set(doc.graph.objects(action(notation), HWB.leadPartner))
    assert found == {org(o) for o in DELIVERERS[notation]}


def test_run_together_names_keep_their_printed_text(doc):
    mentions = {
        str(doc.graph.value(m, HWB.mentionText)): doc.graph.value(m, HWB.refersTo)
        for m in doc.graph.objects(action("2.d"), HWB.mention)
    }
    assert mentions == {
        "Health & Wellbeing": org("harborough-health-and-wellbeing"),
        "Canals & Rivers Trust": org("canal-and-river-trust"),
    }
    assert len(set(doc.graph.subjects(RDF.type, HWB.PartnerMention))) == 39


def test_truncated_row_3c_is_loaded_as_printed_and_reported(doc):
    node = action("3.c")
    graph = doc.graph
    assert labels(graph, node) == {"Commission free advice and support for"}
    assert labels(graph, node, HWB.objective) == {"Ensure advice and support for vulnerable"}
    assert labels(graph, node, HWB.deadline) == {"2022/23"}
    assert labels(graph, node, HWB.milestone) == {"Quarterly updates and annual Scrutiny"}
    assert labels(graph, graph.value(node, HWB.measure)) == {"Number of clients supported"}
    mention = graph.value(node, HWB.mention)
    assert str(graph.value(mention, HWB.mentionText)) == "Community"
    assert graph.value(mention, HWB.refersTo) is None
    assert graph.value(node, HWB.leadPartner) is None


def test_issues_are_the_truncated_row_and_its_unknown_deliverer(doc):
    issues = sorted((e.line, e.reason) for e in doc.report.issues())
    assert issues == [(20, "row truncated in source"), (20, "unknown partner alias 'Community'")]


def test_empty_target_of_5b_is_a_placeholder(doc):
    node = action("5.b")
    placeholder = doc.graph.value(node, HWB.measurePlaceholder)
    assert (placeholder, RDF.type, HWB.MeasurePlaceholder) in doc.graph
    assert labels(doc.graph, placeholder) == {"(blank in source)"}
    assert doc.graph.value(node, HWB.measure) is None
    assert len(set(doc.graph.subjects(RDF.type, HWB.Measure))) == 24
    assert len(set(doc.graph.subjects(RDF.type, HWB.MeasurePlaceholder))) == 1


def test_milestones_split_only_where_the_cell_breaks(doc):
    assert labels(doc.graph, action("1.b"), HWB.milestone) == {
        "Monitor the implementation of the HMO inspection programme.",
        "Cross service working on problematic empty properties",
    }
    assert labels(doc.graph, action("6.d"), HWB.milestone) == {
        "Quarterly contract monitoring Completion of Leisure Procurement Strategy October 2022"
    }


def test_phone_number_stays_text_not_a_figure(doc):
    assert "0808 800 3302" in str(doc.graph.value(action("5.c"), SKOS.prefLabel))
    assert not set(doc.graph.subjects(RDF.type, HWB.Figure))


def test_only_the_column_header_is_skipped(doc):
    skipped = [(e.line, e.reason) for e in doc.report.entries if e.outcome == "skipped"]
    assert skipped == [(4, "column header")]


def test_another_district_with_columns_in_another_order(tmp_path, registry):
    """Columns are found by name; a repeated number and an unnumbered row get line IRIs."""
    text = "\n".join(
        [
            "Some District Action Plan",
            "What we will do\tNo.\tWho will deliver this?\tTarget/Outcome\tBy when",
            "<b>Priority 1 - Active lives</b>\t\t\t\t",
            "Run walks\t1.a\tHealth & Wellbeing\tTBC\t2023",
            "Run more walks\t1.a\tSSPAN\tMore walkers\t2024",
            "Open a park\t\tParish Councils\tA park\t2025",
        ]
    )
    path = tmp_path / "other-district.txt"
    path.write_text(text, encoding="utf-8")
    source = Source(
        slug="other-district",
        path=Path(path),
        title="Some District Action Plan",
        publishers=(),
        area="harborough",
        kind="action plan",
        period="2023",
        status="final",
        loader="district-action-plan",
        title_line=1,
    )
    other = SourceGraph(source, registry)
    DistrictActionPlanLoader().load(other)
    first, repeat, unnumbered = (
        mint("action", "other-district", n) for n in ("1.a", "1.a-l5", "l6")
    )
    assert labels(other.graph, first) == {"Run walks"}
    assert labels(other.graph, first, HWB.deadline) == {"2023"}
    assert (first, HWB.leadPartner, org("harborough-health-and-wellbeing")) in other.graph
    assert other.graph.value(first, HWB.measurePlaceholder) is not None
    assert labels(other.graph, repeat) == {"Run more walks"}
    assert (repeat, HWB.leadPartner, org("sspan")) in other.graph
    assert labels(other.graph, unnumbered) == {"Open a park"}
    assert other.graph.value(unnumbered, SKOS.notation) is None
    assert other.report.accounted_lines() == {2, 3, 4, 5, 6}
    assert not other.report.issues()
