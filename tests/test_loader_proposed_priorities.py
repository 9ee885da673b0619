"""Leicester's 2021 proposed priorities: values checked by reading the source's lines."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

import pytest
from rdflib import OWL, RDF, RDFS, Literal, URIRef
from rdflib.namespace import DCTERMS, SKOS

from vocab.ids import mint
from vocab.namespace import HWB

SLUG = "leicester-jhws-refresh-proposed-priorities-2021"
ICS_PLAN = mint("plan", "llr-ics-priorities")


@pytest.fixture(scope="module")
def doc(load_doc):
    return load_doc(SLUG)


@pytest.fixture(scope="module")
def g(doc):
    return doc.graph


def theme(name: str) -> URIRef:
    return mint("theme", SLUG, name)


def priority(number: int) -> URIRef:
    return mint("priority", SLUG, str(number))


def statement(line: int) -> URIRef:
    return mint("statement", SLUG, f"l{line}")


def org(org_id: str) -> URIRef:
    return mint("org", org_id)


def label(g, node) -> str:
    return str(g.value(node, SKOS.prefLabel))


def ics(name: str) -> URIRef:
    return mint("theme", "llr-ics-priorities", name)


# Strands -----------------------------------------------------------------------------


def test_five_strands_with_their_ambitions_in_the_plan_scheme(g):
    themes = set(g.subjects(RDF.type, HWB.Theme))
    assert themes == {
        theme(n)
        for n in (
            "Healthy Places",
            "Healthy Start",
            "Healthy Lives",
            "Healthy Minds",
            "Healthy Ageing",
        )
    }
    scheme = mint("scheme", SLUG)
    for node in themes:
        assert (node, SKOS.inScheme, scheme) in g
        assert (node, SKOS.topConceptOf, scheme) in g
        assert (node, HWB.plan, mint("plan", SLUG)) in g
    assert str(g.value(theme("Healthy Start"), HWB.ambition)) == (
        "Giving Leicester's children the best start in life."
    )
    assert str(g.value(theme("Healthy Ageing"), HWB.ambition)) == (
        "Enabling Leicester's residents to age comfortably and confidently"
    )
    assert g.value(theme("Healthy Places"), HWB.sourceLine).toPython() == 27


def test_the_summary_table_repeats_strands_without_new_nodes(doc):
    used = {e.line for e in doc.report.entries if e.node == theme("Healthy Ageing")}
    assert {31, 107, 119} <= used


# Priorities --------------------------------------------------------------------------


def test_seventeen_priorities_with_notation_and_summary_title(g):
    priorities = set(g.subjects(RDF.type, HWB.Priority))
    assert priorities == {priority(n) for n in range(1, 18)}
    assert str(g.value(priority(1), SKOS.notation)) == "1"
    assert label(g, priority(1)) == (
        "Improving the built environment to support long term health and wellbeing"
    )
    assert label(g, priority(5)) == "'First 1001 Critical days'"
    assert g.value(priority(17), HWB.sourceLine).toPython() == 109


def test_slide_title_is_an_alt_label_only_when_worded_differently(g):
    alt = {
        n: str(g.value(priority(n), SKOS.altLabel))
        for n in range(1, 18)
        if g.value(priority(n), SKOS.altLabel) is not None
    }
    assert alt == {
        1: "Improving the built environment to support health and wellbeing",
        3: "Supporting the move towards a carbon neutral city.",
        12: "Improving access for CYP to MH & emotional wellbeing services",
        13: "Improving access to primary & neighbourhood mental health services for adults",
        16: "Promoting independence in frail older people",
    }  # 2 (& / case), 6 (full stop), 11 (Carers/carers), 14 (& / and) are the same words


def test_priorities_per_strand(g):
    by_theme = Counter(label(g, g.value(priority(n), HWB.theme)) for n in range(1, 18))
    assert by_theme == {
        "Healthy Places": 4,
        "Healthy Start": 3,
        "Healthy Lives": 4,
        "Healthy Minds": 3,
        "Healthy Ageing": 3,
    }
    assert g.value(priority(12), HWB.theme) == theme("Healthy Minds")
    for n in range(1, 18):
        assert len(list(g.objects(priority(n), HWB.theme))) == 1


def test_levels_as_printed(g):
    levels = {n: str(g.value(priority(n), HWB.level)) for n in (1, 4, 5, 6, 13, 14, 17)}
    assert levels == {
        1: "City wide",
        4: "City wide & through neighbourhood level initiatives",
        5: "Citywide",
        6: "Citywide but in particular in central, South & NW neighbourhoods",
        13: "Delivered through Integrated Neighbourhood working",
        14: "citywide",
        17: "City wide & through Integrated neighbourhood MDT working",
    }


# Key partners ------------------------------------------------------------------------


def partners(g, number: int) -> set[str]:
    return {str(o).rsplit("/", 1)[-1] for o in g.objects(priority(number), HWB.partner)}


def test_priority_1_partners(g):
    assert partners(g, 1) == {
        "leicester-city-council-planning",
        "leicester-city-council-adult-social-care",
        "leicestershire-partnership-nhs-trust",
        "leicester-city-council-public-health",
        "llr-ccgs",
        "local-businesses",
        "landlords",
        "local-people",
    }


def test_local_authority_is_leicester_city_council(g):
    assert (priority(3), HWB.partner, org("leicester-city-council")) in g
    assert (priority(8), HWB.partner, org("leicester-city-council")) in g


def test_partners_printed_on_the_line_after_the_heading(g):
    mention = mint("mention", SLUG, "l344-1")  # "Key Partners :" on 342, names on 344
    assert str(g.value(mention, HWB.mentionText)) == "Public Health"
    assert g.value(mention, HWB.sourceLine).toPython() == 344
    assert partners(g, 8) == {
        "leicester-city-council-public-health",
        "primary-care",
        "primary-care-networks",
        "leicester-city-council",
        "community-and-secondary-care-health-services",
        "voluntary-and-community-sector",
        "community-organisations",
    }


def test_partner_cell_continued_on_the_next_line(g):
    mention = mint("mention", SLUG, "l289-1")
    assert str(g.value(mention, HWB.mentionText)) == "Private businesses"
    assert g.value(mention, HWB.refersTo) == org("local-businesses")
    assert partners(g, 6) == {
        "leicester-city-council",
        "health-commissioners-and-providers",
        "schools",
        "voluntary-and-community-sector",
        "community-organisations",
        "local-businesses",
    }


def test_doubled_colon_heading_and_bracketed_qualifiers(g):
    assert partners(g, 17) == {
        "primary-care",
        "primary-care-networks",
        "leicester-city-council-adult-social-care",
        "leicestershire-partnership-nhs-trust",
        "university-hospitals-of-leicester",
        "leicester-city-council-housing",
        "voluntary-and-community-sector",
    }
    assert str(g.value(mint("mention", SLUG, "l258-1"), HWB.mentionText)) == "UHL"


# Rationale and improvement plans -------------------------------------------------------

RATIONALES = {
    1: 5,
    2: 4,
    3: 4,
    4: 6,
    5: 4,
    6: 3,
    7: 3,
    8: 7,
    9: 7,
    10: 4,
    11: 5,
    12: 3,
    13: 4,
    14: 7,
    15: 3,
    16: 3,
    17: 4,
}
IMPROVEMENTS = {
    1: 7,
    2: 6,
    3: 11,
    4: 7,
    5: 6,
    6: 2,
    7: 4,
    8: 3,
    9: 6,
    10: 6,
    11: 13,
    12: 9,
    13: 5,
    14: 4,
    15: 6,
    16: 5,
    17: 8,
}


def test_rationale_statements_per_priority(g):
    counts = {n: len(list(g.objects(priority(n), HWB.rationale))) for n in range(1, 18)}
    assert counts == RATIONALES
    assert len(set(g.subjects(RDF.type, HWB.Rationale))) == 76
    first = statement(129)
    assert (priority(1), HWB.rationale, first) in g
    assert label(g, first) == (
        "Built environment is a wider determinant of peoples long term Health and Wellbeing."
    )


def test_rationale_sub_bullets_detail_their_bullet(g):
    assert (priority(14), HWB.rationale, statement(549)) in g
    assert g.value(statement(549), DCTERMS.isPartOf) == statement(548)
    assert g.value(statement(225), DCTERMS.isPartOf) == statement(224)


def test_improvement_plans_per_priority(g):
    counts = {n: len(list(g.objects(priority(n), HWB.improvementPlan))) for n in range(1, 18)}
    assert counts == IMPROVEMENTS
    assert len(set(g.subjects(RDF.type, HWB.ImprovementPlan))) == 108


def test_improvement_plan_nesting(g):
    for line in (142, 143, 144, 145):  # " - " items of the £345k grant
        assert g.value(statement(line), DCTERMS.isPartOf) == statement(141)
        assert (priority(1), HWB.improvementPlan, statement(line)) in g
    intro = statement(448)
    assert label(g, intro) == "The current LLR wide Strategy 2018-21 identifies need for:"
    assert g.value(statement(450), DCTERMS.isPartOf) == intro
    assert g.value(statement(462), DCTERMS.isPartOf) == statement(460)
    assert g.value(statement(465), DCTERMS.isPartOf) is None
    assert g.value(statement(651), DCTERMS.isPartOf) == statement(650)
    assert g.value(statement(650), DCTERMS.isPartOf) == statement(647)


def test_bullet_split_at_a_hyphen_is_joined(doc, g):
    assert label(g, statement(457)) == (
        "Supporting young carers through awareness-raising and early identification"
    )
    assert (statement(458), None, None) not in g
    assert any(e.line == 458 and e.node == statement(457) for e in doc.report.entries)


def test_partners_working_together_on_an_improvement_plan(g):
    assert set(g.objects(statement(490), HWB.partner)) == {
        org("llr-ccgs"),
        org("leicestershire-partnership-nhs-trust"),
        org("leicester-city-council"),
    }


def test_asterisk_on_a_statement_is_a_flag(g):
    assert str(g.value(statement(349), HWB.flag)) == "Asterisked"
    assert label(g, statement(349)).startswith("Health Inequalities Grant allocation")


# Measures ----------------------------------------------------------------------------

MEASURES = {
    1: 2,
    2: 0,
    3: 2,
    4: 0,
    5: 4,
    6: 2,
    7: 1,
    8: 4,
    9: 4,
    10: 4,
    11: 2,
    12: 1,
    13: 5,
    14: 3,
    15: 2,
    16: 3,
    17: 2,
}


def test_measures_per_priority(g):
    counts = {n: len(list(g.objects(priority(n), HWB.measure))) for n in range(1, 18)}
    assert counts == MEASURES
    assert len(set(g.subjects(RDF.type, HWB.Measure))) == 41


def test_tbc_is_a_placeholder_for_priorities_2_and_4_only(g):
    placeholders = {s: o for s, o in g.subject_objects(HWB.measurePlaceholder)}
    assert set(placeholders) == {priority(2), priority(4)}
    assert label(g, placeholders[priority(2)]) == "tbc"
    assert g.value(placeholders[priority(4)], HWB.sourceLine).toPython() == 243


def test_asterisked_measures(g):
    flagged = {
        str(s).rsplit("/", 1)[-1]
        for s in g.subjects(HWB.flag, Literal("Asterisked"))
        if (s, RDF.type, HWB.Measure) in g
    }
    assert flagged == {"1-1", "1-2", "8-3"}
    assert label(g, mint("measure", SLUG, "8-3")) == (
        "Reduction in prevalence of obesity including Year 6 levels"
    )


def test_measures_printed_as_a_paragraph(g):
    assert label(g, mint("measure", SLUG, "7-1")) == (
        "Reduction in 'inappropriate' admissions to Children ED from Leicester city families."
    )
    measure = mint("measure", SLUG, "12-1")
    assert g.value(measure, HWB.sourceLine).toPython() == 503
    printed = {str(g.value(f, SKOS.prefLabel)) for f in g.objects(measure, HWB.figure)}
    assert printed == {"35%", "3,087"}


# Figures -----------------------------------------------------------------------------


def figure_of(g, line: int, k: int) -> tuple[str, Decimal, str]:
    node = mint("figure", SLUG, f"l{line}-{k}")
    return (
        str(g.value(node, SKOS.prefLabel)),
        g.value(node, HWB.value).toPython(),
        str(g.value(node, HWB.unit)),
    )


def test_grant_amount_on_line_141(g):
    assert figure_of(g, 141, 1) == ("£345k", Decimal(345000), "GBP")
    assert (statement(141), HWB.figure, mint("figure", SLUG, "l141-1")) in g
    assert len(list(g.objects(statement(141), HWB.figure))) == 1  # not 2021-24


def test_figures_of_named_lines(g):
    assert [figure_of(g, 132, k) for k in (1, 2, 3)] == [
        ("14%", Decimal(14), "percent"),
        ("9%", Decimal(9), "percent"),
        ("11%", Decimal(11), "percent"),
    ]
    assert [figure_of(g, 436, k)[:2] for k in (1, 2, 3, 4)] == [
        ("9%", 9),
        ("30,965", 30965),
        ("43%", 43),
        ("46,000", 46000),
    ]
    assert [figure_of(g, 405, k)[1] for k in (1, 2, 3)] == [1920, 2268, 4188]
    assert figure_of(g, 533, 1) == ("60.0%", Decimal("60.0"), "percent")
    assert figure_of(g, 265, 1) == ("£150k", Decimal(150000), "GBP")


def test_years_and_labels_are_not_figures(g):
    for line in (133, 285, 338, 190, 372, 581, 267):
        printed = [str(g.value(f, SKOS.prefLabel)) for f in g.objects(statement(line), HWB.figure)]
        assert printed == (["20%"] if line == 133 else []), line


def test_shares_in_words_and_qualifiers_are_read(g):
    # 403: "Nationally around one in four people ... This rises to two thirds of people aged 65"
    assert [figure_of(g, 403, k) for k in (1, 2)] == [
        ("around one in four", Decimal(25), "percent"),
        ("two thirds", Decimal("66.67"), "percent"),
    ]
    assert figure_of(g, 367, 1) == ("over a third", Decimal("33.33"), "percent")
    assert figure_of(g, 223, 1) == ("just under 3000", Decimal(3000), "count")
    # 222: "between 34,000 and 38,000 people": one figure per end, each saying which
    assert str(g.value(mint("figure", SLUG, "l222-2"), RDFS.comment)) == (
        "upper end of the range printed '34,000 and 38,000'"
    )


def test_figure_totals(g):
    units = Counter(str(g.value(f, HWB.unit)) for f in g.subjects(RDF.type, HWB.Figure))
    # percent 27 -> 33 with the shares in words (lines 163, 334, 367, 403 twice, 480)
    assert units == {"percent": 33, "count": 22, "GBP": 9}


# ICS mapping -------------------------------------------------------------------------


def test_strands_with_no_ics_equivalent(g):
    for name, line in (("Healthy Places", 115), ("Healthy Minds", 116)):
        assert (theme(name), HWB.noEquivalentIn, ICS_PLAN) in g
        assert not list(g.objects(theme(name), SKOS.closeMatch))
        record = mint("mapping", SLUG, f"l{line}-1")
        assert (record, RDF.type, HWB.Mapping) in g
        assert g.value(record, OWL.annotatedSource) == theme(name)
        assert g.value(record, OWL.annotatedProperty) == HWB.noEquivalentIn
        assert g.value(record, OWL.annotatedTarget) == ICS_PLAN


def test_stated_close_matches(g):
    matches = {
        label(g, s): set(g.objects(s, SKOS.closeMatch))
        for s in g.subjects(RDF.type, HWB.Theme)
        if (s, SKOS.closeMatch, None) in g
    }
    assert matches == {
        "Healthy Start": {ics("best-start-in-life")},
        "Healthy Lives": {ics("staying-healthy-and-well")},
        "Healthy Ageing": {ics("living-and-supported-well"), ics("dying-well")},
    }


def test_mapping_records(g):
    records = set(g.subjects(RDF.type, HWB.Mapping))
    assert len(records) == 6
    second = mint("mapping", SLUG, "l119-2")
    assert g.value(second, OWL.annotatedSource) == theme("Healthy Ageing")
    assert g.value(second, OWL.annotatedProperty) == SKOS.closeMatch
    assert g.value(second, OWL.annotatedTarget) == ics("dying-well")
    assert str(g.value(second, HWB.mappingJustification)) == "stated in source"
    assert g.value(second, HWB.sourceLine).toPython() == 119


def test_healthy_living_is_healthy_lives_and_reported(doc, g):
    assert (theme("Healthy Lives"), SKOS.altLabel, Literal("Healthy Living")) in g
    assert (theme("Healthy Living"), None, None) not in g
    assert [(e.line, "Healthy Living" in e.reason) for e in doc.report.issues()] == [(118, True)]


# Other slides ------------------------------------------------------------------------


def test_next_steps_with_deadlines(g):
    steps = {
        label(g, s): str(g.value(s, HWB.deadline))
        for s in g.subjects(DCTERMS.isPartOf, statement(664))
    }
    assert steps == {
        "Engagement on draft priorities": "Nov. 2021 – early Jan. 2022",
        "Agreement on final priorities by HWB": "27 th Jan 2022",
        "Development of first year Action Plan and monitoring dashboard.": "Feb.- early March 2022",
        "Agreement on 1 st year Action Plan by HWB": "Late March 2022",
        "Implementation & monitoring of Action Plan": "April 2022 onwards",
    }
    board = org("leicester-health-and-wellbeing-board")
    assert set(g.subjects(HWB.leadPartner, board)) == {statement(668), statement(670)}


def test_guiding_principles(g):
    identifying = statement(33)
    assert label(g, identifying) == "Guiding principles – identifying priorities"
    assert set(g.subjects(DCTERMS.isPartOf, identifying)) == {
        statement(35),
        statement(43),
        statement(45),
    }
    assert set(g.subjects(DCTERMS.isPartOf, statement(35))) == {
        statement(n) for n in (37, 38, 39, 40)
    }
    assert label(g, statement(37)) == "Reducing health inequalities."
    assert len(set(g.subjects(DCTERMS.isPartOf, statement(48)))) == 5
    assert (statement(50), HWB.plan, mint("plan", SLUG)) in g


def test_communication_insights(g):
    insight = statement(68)
    assert label(g, insight) == "THE WAY WE COMMUNICATE"
    assert str(g.value(insight, SKOS.notation)) == "1"
    assert set(g.subjects(DCTERMS.isPartOf, insight)) == {statement(70), statement(72)}
    assert str(g.value(statement(84), SKOS.notation)) == "3"


def test_refresh_notes(g):
    assert g.value(statement(18), DCTERMS.isPartOf) == statement(17)
    assert label(g, statement(17)).endswith("duration of 2022-2027")


def test_every_line_is_accounted_and_only_one_issue(doc):
    content = {n for n, _ in doc.content_lines()}
    assert content == doc.report.accounted_lines()
    assert max(content) == 671  # the next-steps table ends without a newline
    title = {e.line for e in doc.report.entries if e.node == doc.source.plan}
    assert {3, 4, 5, 6} <= title
    assert len(doc.report.issues()) == 1
