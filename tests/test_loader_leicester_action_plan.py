"""Leicester's Joint Health and Wellbeing Action Plan 2018-23: values checked against the source.

Every number here was counted by reading data/sources/leicester-jhwb-action-plan-2018-23.txt.
"""

from collections import Counter
from decimal import Decimal

import pytest
from rdflib import RDF, RDFS, Literal
from rdflib.namespace import SKOS

from loaders.leicester_action_plan_cells import resolve_tag, split_plans
from vocab.ids import mint
from vocab.namespace import HWB

SLUG = "leicester-jhwb-action-plan-2018-23"
TAGS = ["PLACE", "START", "AGEING", "LIVES", "MINDS"]


@pytest.fixture(scope="module")
def doc(load_doc):
    return load_doc(SLUG)


@pytest.fixture(scope="module")
def g(doc):
    return doc.graph


def action(notation):
    return mint("action", SLUG, notation)


def objective(letter):
    return mint("priority", SLUG, letter)


def theme(name):
    return mint("theme", SLUG, f"Healthy {name}")


def label(g, node):
    return str(g.value(node, SKOS.prefLabel))


def line_of(g, node):
    return int(g.value(node, HWB.sourceLine))


def related(g, node):
    return {label(g, plan) for plan in g.objects(node, HWB.relatedPlan)}


def themes_of(g, node):
    return {str(t).rsplit("/", 1)[-1] for t in g.objects(node, HWB.theme)}


def issues_on(doc, line):
    return [e.reason for e in doc.report.issues() if e.line == line]


def lines_of_node(doc, node):
    return sorted({e.line for e in doc.report.entries if e.node == node})


def test_five_themes_with_their_ambitions(doc, g):
    expected = {
        "Place": (11, 14, "Make Leicester a healthy environment to live and work in."),
        "Start": (16, 17, "Give Leicesters children the best start in life."),
        "Ageing": (19, 20, "Enable Leicester residents to age comfortably and confidently"),
        "Lives": (
            22,
            23,
            "Encourage Leicester residents to adopt health behaviours sustainable "
            "throughout life for increased healthy life years",
        ),
        "Minds": (
            25,
            26,
            "Ensure mental health is considered in all aspects of place and the life course.",
        ),
    }
    assert len(set(g.subjects(RDF.type, HWB.Theme))) == 5
    scheme = mint("scheme", SLUG)
    for name, (line, _, ambition) in expected.items():
        iri = theme(name)
        assert label(g, iri) == f"Healthy {name}"
        assert line_of(g, iri) == line
        assert str(g.value(iri, HWB.ambition)) == ambition
        assert str(g.value(iri, SKOS.altLabel)) == name.upper()
        assert (iri, SKOS.topConceptOf, scheme) in g
        assert (iri, SKOS.inScheme, scheme) in g
        assert (iri, HWB.plan, mint("plan", SLUG)) in g
    assert lines_of_node(doc, theme("Lives")) == [22, 23]  # heading and ambition


def test_key_principles_are_concepts_of_their_own_scheme(doc, g):
    scheme = mint("scheme", SLUG, "principles")
    assert label(g, scheme) == "Key principles of the JHWBS"
    assert line_of(g, scheme) == 30
    principles = {label(g, p): line_of(g, p) for p in g.subjects(SKOS.inScheme, scheme)}
    assert principles == {
        "Equity": 32,
        "Equality": 33,
        "Sustainability": 34,
        "Collaboration": 35,
        "Empowerment": 36,
    }
    assert str(g.value(scheme, SKOS.scopeNote)).startswith("These will be the guiding")
    assert 38 in lines_of_node(doc, scheme)


OBJECTIVE_LINES = {
    "a": ("A)", 43),
    "b": ("B)", 46),
    "c": ("c)", 56),
    "d": ("d)", 64),
    "e": ("e)", 66),
    "f": ("F)", 75),
    "g": ("G)", 80),
    "h": ("H)", 89),
    "i": ("I)", 91),
    "j": ("j)", 98),
    "k": ("k)", 100),
    "l": ("L)", 108),
    "m": ("M)", 117),
    "n": ("N)", 122),
    "o": ("o)", 129),
    "p": ("p)", 132),
    "q": ("q)", 136),
    "r": ("R)", 142),
}


def test_eighteen_objectives_with_notation_as_printed(g):
    assert len(set(g.subjects(RDF.type, HWB.Objective))) == 18
    for letter, (notation, line) in OBJECTIVE_LINES.items():
        iri = objective(letter)
        assert str(g.value(iri, SKOS.notation)) == notation
        assert line_of(g, iri) == line
        assert (iri, HWB.plan, mint("plan", SLUG)) in g
    assert label(g, objective("p")) == (
        "Support increase in better quality employment and better income"
    )
    assert label(g, objective("d")) == "Improve air quality in the City"


def test_objective_themes_from_the_tag_column(g):
    all_five = {
        "healthy-place",
        "healthy-minds",
        "healthy-start",
        "healthy-lives",
        "healthy-ageing",
    }
    expected = {
        "a": {"healthy-place", "healthy-start", "healthy-lives"},
        "b": all_five,
        "c": {"healthy-place", "healthy-start", "healthy-lives", "healthy-ageing"},
        "d": {"healthy-place", "healthy-lives"},  # "P L"
        "e": all_five,
        "f": {"healthy-place", "healthy-minds", "healthy-lives"},
        "g": {"healthy-minds", "healthy-start", "healthy-lives"},
        "h": {"healthy-place", "healthy-minds", "healthy-start"},  # "PLACE, MIN START,"
        "i": {"healthy-place", "healthy-minds", "healthy-start"},
        "j": {"healthy-start"},
        "k": {"healthy-minds", "healthy-start", "healthy-lives"},
        "l": set(),
        "m": {"healthy-start", "healthy-lives"},  # tag printed on row 13.1 (line 118)
        "n": {"healthy-minds", "healthy-start", "healthy-lives"},  # on row 14.1 (line 123)
        "o": set(),
        "p": set(),
        "q": set(),
        "r": set(),
    }
    assert {letter: themes_of(g, objective(letter)) for letter in expected} == expected


def test_truncated_tags_are_applied_and_reported(doc):
    assert issues_on(doc, 64) == [
        "truncated theme tag 'P' read as PLACE",
        "truncated theme tag 'L' read as LIVES",
    ]
    assert issues_on(doc, 89) == ["truncated theme tag 'MIN' read as MINDS"]
    assert issues_on(doc, 91) == ["truncated theme tag 'MIN' read as MINDS"]


def test_objectives_without_a_tag_get_no_theme_and_an_issue(doc):
    untagged = [e.line for e in doc.report.issues() if "no theme tag printed" in e.reason]
    assert untagged == [108, 129, 132, 136, 142]


def test_tag_on_row_13_1_belongs_to_objective_m(doc, g):
    assert 118 in lines_of_node(doc, objective("m"))
    assert issues_on(doc, 118) == [
        "theme tag 'START, LIVES' printed on an action row; read as the tag of objective M)"
    ]
    for notation in ("13.1.", "13.2.", "13.3.", "13.4"):
        assert themes_of(g, action(notation)) == {"healthy-start", "healthy-lives"}


def test_tag_scrap_on_the_9_1_continuation_is_reported_not_applied(doc, g):
    assert issues_on(doc, 94) == [
        "theme tag scrap 'S' on a continuation line: which theme it was cannot be read; not applied"
    ]
    assert themes_of(g, action("9.1.")) == themes_of(g, objective("i"))


def test_seventy_six_action_rows(g):
    actions = set(g.subjects(RDF.type, HWB.Action))
    assert len(actions) == 76
    per_objective = Counter(str(g.value(a, HWB.priority)).rsplit("/", 1)[-1] for a in actions)
    assert per_objective == {
        "a": 2,
        "b": 8,
        "c": 7,
        "d": 1,
        "e": 6,
        "f": 4,
        "g": 8,
        "h": 1,
        "i": 4,
        "j": 1,
        "k": 6,
        "l": 8,
        "m": 4,
        "n": 5,
        "o": 2,
        "p": 3,
        "q": 5,
        "r": 1,
    }
    for a in actions:
        assert (a, HWB.plan, mint("plan", SLUG)) in g


def test_notation_kept_as_printed(g):
    assert str(g.value(action("1.1."), SKOS.notation)) == "1.1."
    assert str(g.value(action("2.11"), SKOS.notation)) == "2.11"
    assert str(g.value(action("5.5"), SKOS.notation)) == "5.5"
    assert str(g.value(action("16.1."), SKOS.notation)) == "16.1."
    assert line_of(g, action("16.1.")) == 133  # the row that lost its leading tab


def test_actions_carry_their_objective_and_its_themes(g):
    assert g.value(action("4.1."), HWB.priority) == objective("d")
    assert themes_of(g, action("4.1.")) == {"healthy-place", "healthy-lives"}
    assert themes_of(g, action("12.1.")) == set()


def test_actions_led_by_leicester_city_council(g):
    lcc = mint("org", "leicester-city-council")
    assert len(set(g.subjects(HWB.leadPartner, lcc))) == 71
    assert (action("12.9."), HWB.leadPartner, lcc) not in g
    leads = {str(o).rsplit("/", 1)[-1] for o in g.objects(action("9.1."), HWB.leadPartner)}
    assert leads == {
        "leicester-city-council",
        "voluntary-and-community-sector",
        "professional-sports-clubs",
    }
    assert len(set(g.subjects(RDF.type, HWB.PartnerMention))) == 118


def test_lt_on_line_116_stays_an_unknown_alias(doc, g):
    assert issues_on(doc, 116) == ["unknown partner alias 'LT'"]
    leads = {str(o).rsplit("/", 1)[-1] for o in g.objects(action("12.10"), HWB.leadPartner)}
    assert leads == {
        "leicester-city-ccg",
        "university-hospitals-of-leicester",
        "leicester-city-council",
    }


def test_9_5_printed_twice(doc, g):
    first, second = action("9.5."), mint("action", SLUG, "9.5.-l59")
    assert str(second).endswith("/9-5-l59")
    assert (line_of(g, first), line_of(g, second)) == (58, 59)
    assert str(g.value(second, SKOS.notation)) == "9.5."
    assert label(g, second) == (
        "Increase the number of people undertaking active travel to "
        "school, work and in everyday life."
    )
    assert related(g, second) == {"Leicester's Physical Activity and Sports Strategy 2016-21"}
    assert issues_on(doc, 59) == [
        "notation '9.5.' printed again (first on line 58); IRI suffix -l59"
    ]


def test_5_6_continues_over_the_page_break(doc, g):
    iri = action("5.6")
    assert label(g, iri).endswith("as a recreational resource within the city")
    assert lines_of_node(doc, iri) == [72, 74]
    assert related(g, iri) == {"Waterways Engagement Strategy", "Mental Health Strategy"}
    assert line_of(g, mint("plan", "Mental Health Strategy")) == 74
    leads = {str(o).rsplit("/", 1)[-1] for o in g.objects(iri, HWB.leadPartner)}
    assert leads == {"leicester-city-council", "canal-and-river-trust"}
    assert [label(g, p) for p in g.objects(iri, HWB.measurePlaceholder)] == ["TBC"]


def test_9_1_continues_over_the_page_break(doc, g):
    iri = action("9.1.")
    assert related(g, iri) == {"Leicester's Physical Activity and Sports Strategy 2016-21"}
    measure = g.value(iri, HWB.measure)
    assert label(g, measure) == (
        "20,000 residents more active by 2021. 7,000 sedentary people "
        "to start being active 13,000 people to move more"
    )
    assert lines_of_node(doc, measure) == [92, 94]
    figures = {
        label(g, f): (line_of(g, f), g.value(f, HWB.value).toPython())
        for f in g.objects(measure, HWB.figure)
    }
    assert figures == {
        "20,000": (92, Decimal(20000)),
        "7,000": (92, Decimal(7000)),
        "13,000": (94, Decimal(13000)),
    }


def test_7_6_swapped_columns_are_put_back(doc, g):
    iri = action("7.6")
    assert related(g, iri) == {"Arts and Museums Vision and Strategy"}
    assert g.value(iri, HWB.measure) is None
    assert [label(g, p) for p in g.objects(iri, HWB.measurePlaceholder)] == ["TBC"]
    assert issues_on(doc, 86) == [
        "related strategy and measure columns swapped: read 'Arts "
        "and Museums Vision and Strategy' as the related plan and "
        "'TBC' as the measure"
    ]


def test_7_7_reads_as_printed(doc, g):
    """Its measure cell names no plan, so nothing proves a swap: TBC stays a related placeholder."""
    iri = action("7.7")
    assert label(g, g.value(iri, HWB.measure)) == "Monitoring work through the VAWG fund"
    assert related(g, iri) == set()
    assert issues_on(doc, 87) == [
        "related strategy/plan is the placeholder 'TBC'; no plan recorded"
    ]


def test_rows_with_no_number(doc, g):
    first, second = mint("action", SLUG, "l130"), mint("action", SLUG, "l131")
    assert g.value(first, SKOS.notation) is None and g.value(second, SKOS.notation) is None
    assert label(g, first).startswith("Ensure all public sector employees implement plans")
    assert label(g, second).startswith("Encourage sustainable transport")
    assert g.value(first, HWB.priority) == g.value(second, HWB.priority) == objective("o")
    assert len(set(g.objects(first, HWB.leadPartner))) == 4
    assert related(g, second) == {"Access fund program"}
    assert "action row has no number; IRI suffix l<line>" in issues_on(doc, 130)
    assert issues_on(doc, 131) == [
        "action row has no number; IRI suffix l<line>",
        "malformed number '72,3000': no figure read",
    ]


def test_flags(g):
    def flagged(flag):
        return {
            str(g.value(a, SKOS.notation)) + f"@{line_of(g, a)}"
            for a in g.subjects(HWB.flag, Literal(flag))
        }

    assert flagged("Stretch") == {
        "1.1.@44",
        "1.2.@45",
        "3.1.@57",
        "9.5.@58",
        "5.3.@69",
        "9.1.@92",
        "10.1.@99",
        "11.6.@102",
    }
    assert flagged("Asterisked") == {"2.13@54", "12.7.@113", "12.8.@114", "17.4@140"}
    assert label(g, action("5.3.")) == "To reach the target of 9.5m park users by 2020."
    assert label(g, action("12.7.")) == "Adopt the National Learning disability Health Charter"
    assert not any(
        "Stretch" in label(g, a) or "<" in label(g, a) for a in g.subjects(RDF.type, HWB.Action)
    )


def test_html_is_cleaned_from_labels(g):
    assert label(g, action("12.6.")).startswith(
        "As a member of Cities Changing Diabetes, undertake"
    )
    assert label(g, action("14.1.")).endswith(
        "Supports longer, healthier living and combats loneliness"
    )


def test_level_column_is_empty_everywhere(doc, g):
    header = doc.text(42).split("\t")
    assert header[-1] == "Level"
    assert not list(g.subject_objects(HWB.level))


def test_related_plans(doc, g):
    plans = set(g.subjects(RDF.type, HWB.Plan)) - {mint("plan", SLUG)}
    assert len(plans) == 36
    assert related(g, action("3.7.")) == {
        "Air Quality Action Plan",
        "Labour Manifesto",
        "Sustainable Leicester Action Plan",
    }
    assert related(g, action("2.6.")) == {
        "Infant Mortality Strategy",
        "0-19 Healthy Child Programme",
    }
    assert related(g, action("13.2.")) == {"Infant Mortality Strategy"}  # printed lower-case
    dsv = mint("plan", "Domestic and sexual violence strategy")
    assert str(g.value(dsv, SKOS.altLabel)) == "DSV strategy"
    assert line_of(g, dsv) == 88
    assert {str(g.value(a, SKOS.notation)) for a in g.subjects(HWB.relatedPlan, dsv)} == {
        "7.8",
        "11.8",
        "11.9",
        "13.4",
    }


def test_related_placeholders_and_non_plans_are_reported(doc):
    tbc = [
        e.line
        for e in doc.report.issues()
        if "related strategy/plan is the placeholder" in e.reason
    ]
    assert tbc == [87, 106, 124, 125, 127, 130, 141]
    not_plans = [
        (e.line, e.text)
        for e in doc.report.issues()
        if e.reason.startswith("related cell names no plan")
    ]
    assert not_plans == [
        (76, "Regulatory Services"),
        (77, "Regulatory Services"),
        (79, "All strategies and action plans"),
        (101, "Divisional PI"),
        (105, "Sexual Health commissioned service"),
        (109, "Mandated service"),
        (120, "Mandated service"),
    ]


def test_measures_and_placeholders(g):
    placeholders = set(g.subjects(RDF.type, HWB.MeasurePlaceholder))
    assert Counter(label(g, p) for p in placeholders) == {
        "(blank in source)": 16,
        "TBC": 6,
        "TBA": 4,
        "?": 2,
        "To be determined": 2,
    }
    assert len(set(g.subjects(RDF.type, HWB.Measure))) == 47


def test_tba_with_a_measure_gives_both(g):
    iri = action("2.11")
    assert [label(g, p) for p in g.objects(iri, HWB.measurePlaceholder)] == ["TBA"]
    assert label(g, g.value(iri, HWB.measure)).startswith("Number of formal actions taken")


def figures_of(g, owner):
    """(printed, value, unit, note) of each figure of ``owner``, by IRI (numbered per line)."""
    return [
        (
            label(g, f),
            g.value(f, HWB.value).toPython(),
            str(g.value(f, HWB.unit)),
            str(g.value(f, RDFS.comment) or ""),
        )
        for f in sorted(g.objects(owner, HWB.figure))
    ]


def test_figures(g):
    figures = set(g.subjects(RDF.type, HWB.Figure))
    assert len(figures) == 23
    park = next(g.objects(action("5.3."), HWB.figure))
    assert (label(g, park), g.value(park, HWB.value).toPython(), str(g.value(park, HWB.unit))) == (
        "9.5m",
        Decimal(9_500_000),
        "count",
    )
    # Line 47: "comfort75" is two bullets run together by the conversion; the 75 is glued
    # to the word and not read, "by 1 EPC band" is.
    measure = g.value(action("2.1."), HWB.measure)
    assert [f[0] for f in figures_of(g, measure)] == ["65%", "10%", "80%", "1"]


def test_figures_of_plain_counts(g):
    """Counts printed with no unit: 400 properties (line 54), 31 gyms (71), 10 businesses (131)."""
    assert figures_of(g, action("2.13")) == [("400", Decimal(400), "count", "")]
    assert figures_of(g, action("5.5")) == [("31", Decimal(31), "count", "")]
    measure = g.value(mint("action", SLUG, "l131"), HWB.measure)
    assert figures_of(g, measure) == [("10", Decimal(10), "count", "")]
    # Line 44: "400m radius" is a length, "(A5)" a use class: no figure.
    assert figures_of(g, action("1.1.")) == []
    assert figures_of(g, g.value(action("1.1."), HWB.measure)) == []


def test_figures_of_a_range(g):
    """Line 114: "Currently at 70%-80%" gives both ends, each saying which it is."""
    assert figures_of(g, g.value(action("12.8."), HWB.measure)) == [
        ("70%", Decimal(70), "percent", "lower end of the range printed '70%-80%'"),
        ("80%", Decimal(80), "percent", "upper end of the range printed '70%-80%'"),
    ]


def test_split_plans_without_separators():
    names = split_plans("Housing Service Plan HRA Rent Setting Report 2018/19")
    assert [(n.name, n.kind) for n in names] == [
        ("Housing Service Plan", "plan"),
        ("HRA Rent Setting Report 2018/19", "plan"),
    ]
    names = split_plans(
        "Leicester’s Physical Activity and Sports Strategy 2016-21/ Playing Pitch Strategy"
    )
    assert [n.name for n in names] == [
        "Leicester's Physical Activity and Sports Strategy 2016-21",
        "Playing Pitch Strategy",
    ]
    assert [n.name for n in split_plans("STP Falls Work stream")] == ["STP Falls Work stream"]


def test_split_plans_keeps_unknown_text():
    names = split_plans("Food Plan Parks Master Plan Local Plan")
    assert [(n.printed, n.kind) for n in names] == [
        ("Food Plan", "plan"),
        ("Parks Master Plan", "unknown"),
        ("Local Plan", "plan"),
    ]


def test_resolve_tag():
    assert resolve_tag("MIN", TAGS) == "MINDS"
    assert resolve_tag("lives", TAGS) == "LIVES"
    assert resolve_tag("S", TAGS) == "START"
    assert resolve_tag("X", TAGS) is None


def test_every_line_has_a_fate(doc):
    content = {n for n, _ in doc.content_lines()}
    assert content <= doc.report.accounted_lines()
    assert [e.line for e in doc.report.entries if e.outcome == "skipped"] == [42]
    assert [e.line for e in doc.report.issues()] == [
        59,
        64,
        64,
        76,
        77,
        79,
        86,
        87,
        89,
        91,
        94,
        101,
        105,
        106,
        108,
        109,
        116,
        118,
        120,
        123,
        124,
        125,
        127,
        129,
        130,
        130,
        131,
        131,
        132,
        136,
        141,
        142,
    ]
