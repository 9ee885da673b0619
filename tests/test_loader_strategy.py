"""The 2022-27 Leicester strategy loader, checked against values read from the source.

Line numbers are those of
data/sources/leicester-health-care-wellbeing-strategy-2022-27-draft-v4.txt.
"""

from decimal import Decimal

import pytest
from rdflib import DCTERMS, RDF, RDFS, Literal
from rdflib.namespace import SKOS

from loaders.strategy_tables import ThemeLabel, nearest_label, parse_approaches, parse_table
from vocab.ids import mint
from vocab.namespace import HWB

SLUG = "leicester-health-care-wellbeing-strategy-2022-27"
PLACES, MINDS, START, LIVES, AGEING = (
    mint("theme", SLUG, name)
    for name in (
        "Healthy Places",
        "Healthy Minds",
        "Healthy Start",
        "Healthy Lives",
        "Healthy Ageing",
    )
)


@pytest.fixture(scope="module")
def doc(load_doc):
    return load_doc(SLUG)


def value(doc, subject, predicate):
    found = doc.graph.value(subject, predicate)
    return found.toPython() if found is not None else None


def line(doc, subject):
    return value(doc, subject, HWB.sourceLine)


def issues(doc, text):
    """Lines of the issues whose reason contains ``text``."""
    return sorted(e.line for e in doc.report.issues() if text in e.reason)


def skipped(doc, number):
    return {e.reason for e in doc.report.entries if e.line == number and e.outcome == "skipped"}


# Themes ###############################################################

THEMES = {  # theme: (line, notation, letter label, ambition, table description)
    PLACES: (
        110,
        "1",
        "A. HEALTHY PLACES",
        "To make Leicester the healthiest possible environment in which to live and work",
        "Making Leicester the healthiest possible environment in which to live & work",
    ),
    MINDS: (
        128,
        "2",
        "D. HEALTHY MINDS",
        "To promote positive mental health within Leicester across the life course",
        "Promoting positive mental health within Leicester across the life course",
    ),
    START: (
        169,
        "3",
        "B. HEALTHY START",
        "To give Leicester's children the best start for life",
        "Giving Leicester's children the best start in life.",
    ),
    LIVES: (
        187,
        "4",
        "C. HEALTHY LIVES",
        "To encourage people to make sustainable and healthy lifestyle choices",
        "Encouraging people to make sustainable and healthy lifestyle choices",
    ),
    AGEING: (
        237,
        "5",
        "E. HEALTHY AGEING",
        "To enable the people of Leicester to age comfortably and confidently",
        "Enabling Leicester's residents to age comfortably & confidently",
    ),
}


def test_five_themes_with_numbers_letters_and_ambitions(doc):
    assert set(doc.graph.subjects(RDF.type, HWB.Theme)) == set(THEMES)
    scheme = mint("scheme", SLUG)
    for theme, (at, notation, letter, ambition, description) in THEMES.items():
        assert line(doc, theme) == at
        assert list(doc.graph.objects(theme, SKOS.notation)) == [Literal(notation)]
        assert value(doc, theme, SKOS.altLabel) == letter
        assert value(doc, theme, HWB.ambition) == ambition
        assert value(doc, theme, SKOS.definition) == description
        assert (theme, SKOS.topConceptOf, scheme) in doc.graph
        assert (theme, HWB.plan, doc.source.plan) in doc.graph
    assert value(doc, PLACES, SKOS.prefLabel) == "Healthy Places"


def test_a_theme_keeps_the_lines_of_its_ambition_and_table_label(doc):
    used = {e.line for e in doc.report.entries if e.node == LIVES}
    assert used == {187, 189, 276, 278, 279}


# Priorities ###########################################################

PRIORITY_THEMES = {
    **dict.fromkeys(range(1, 5), PLACES),
    **dict.fromkeys(range(5, 9), START),
    **dict.fromkeys(range(9, 13), LIVES),
    **dict.fromkeys(range(13, 17), MINDS),
    **dict.fromkeys(range(17, 20), AGEING),
}


def priority(number):
    return mint("priority", SLUG, str(number))


def test_nineteen_priorities_numbered_and_themed_as_in_the_2021_grouping(doc):
    # The 2021 proposals group 1-4 Places, then Start, Lives, Minds, Ageing; 2022 adds
    # priority 6 (Play and Learn) and 16 (suicide), giving 5-8, 9-12, 13-16, 17-19.
    assert set(doc.graph.subjects(RDF.type, HWB.Priority)) == {priority(n) for n in range(1, 20)}
    for number, theme in PRIORITY_THEMES.items():
        assert list(doc.graph.objects(priority(number), HWB.theme)) == [theme], number
        assert value(doc, priority(number), SKOS.notation) == str(number)
    assert [line(doc, priority(n)) for n in range(1, 20)] == [
        268,
        269,
        270,
        271,
        272,
        273,
        274,
        275,
        276,
        279,
        280,
        281,
        282,
        283,
        284,
        285,
        286,
        287,
        288,
    ]


@pytest.mark.parametrize(
    ("number", "label", "theme"),
    [
        (
            1,
            "We will improve the built environment to support people's long-term health and "
            "wellbeing.",
            PLACES,
        ),
        (3, "We will move towards being a carbon neutral city.", PLACES),
        (
            5,
            "We will give every child the best start in life by focusing on the critical 1001 "
            "first days of life.",
            START,
        ),
        (
            11,
            "We will promoting independent living for people with long term health conditions.",
            LIVES,
        ),
        (16, "We will work towards having no deaths from suicide in the city.", MINDS),
        (19, "We will reduce the number of falls for people aged 65+ in Leicester.", AGEING),
    ],
)
def test_named_priorities(doc, number, label, theme):
    assert value(doc, priority(number), SKOS.prefLabel) == label
    assert (priority(number), HWB.theme, theme) in doc.graph
    assert (priority(number), HWB.plan, doc.source.plan) in doc.graph


def test_unprinted_numbers_are_inferred_and_reported(doc):
    assert issues(doc, "number not printed; inferred from position") == [268, 269, 271, 272, 276]


def test_rows_equally_near_two_theme_labels_are_reported(doc):
    assert issues(doc, "as near above as below") == [275, 281, 285]


def test_nearest_label_prefers_the_earlier_theme_on_a_tie():
    first, second = ThemeLabel("A", "ONE", [10, 11]), ThemeLabel("B", "TWO", [14])
    assert nearest_label(9, [first, second]) == (first, False)
    assert nearest_label(12, [first, second]) == (first, False)
    assert nearest_label(13, [first, second]) == (second, False)
    assert nearest_label(12, [first, ThemeLabel("B", "TWO", [13])]) == (first, True)


# Do / Sponsor / Watch #################################################


def approach(key):
    return mint("approach", SLUG, key)


def test_three_delivery_approaches_with_their_expectations(doc):
    scheme = mint("scheme", SLUG, "delivery-approaches")
    assert set(doc.graph.subjects(RDF.type, HWB.DeliveryApproach)) == {
        approach("do"),
        approach("sponsor"),
        approach("watch"),
    }
    assert value(doc, approach("sponsor"), SKOS.definition) == (
        "Plans & supporting metrics outlined within an Action Plan. Any risk to progress "
        "escalated through reporting to Place based groups."
    )
    assert value(doc, approach("do"), SKOS.definition).endswith(
        "Quarterly progress reporting to the Health and Wellbeing Board."
    )
    for key, label in [("do", "Do"), ("sponsor", "Sponsor"), ("watch", "Watch")]:
        assert value(doc, approach(key), SKOS.prefLabel) == label
        assert (approach(key), SKOS.inScheme, scheme) in doc.graph
        assert value(doc, approach(key), SKOS.scopeNote) == (
            "Number of priorities within each theme: 1-2"
        )
    assert value(doc, scheme, SKOS.prefLabel) == "Do, Sponsor, Watch"
    assert "does not say which priority" in value(doc, scheme, RDFS.comment)


def test_the_watch_row_wraps_around_its_label(doc):
    assert value(doc, approach("watch"), SKOS.definition) == (
        "Plans outlined within an Action Plan 22/24. Any risk to progress escalated through "
        "reporting to Place based groups."
    )
    assert line(doc, approach("watch")) == 322
    assert {e.line for e in doc.report.entries if e.node == approach("watch")} == {322, 323, 324}


def test_no_priority_is_given_an_approach(doc):
    assert not list(doc.graph.subject_objects(HWB.deliveryApproach))
    assert issues(doc, "no hwb:deliveryApproach links") == [316]


def test_parse_approaches_gives_an_unlabelled_line_after_a_gap_to_the_next_row():
    table = parse_approaches(
        [
            (1, "Approach\tSay\tCount"),
            (2, "DO\tfirst\t1"),
            (3, "\tstill do\t"),
            (5, "\tnext\t2"),
            (6, "WATCH\tmore\t"),
            (7, "\tend\t"),
        ]
    )
    assert table.header == 1
    assert [(r.label, r.lines, r.column(1)) for r in table.rows] == [
        ("DO", [2, 3], "first still do"),
        ("WATCH", [5, 6, 7], "next more end"),
    ]


# Statements ###########################################################


def statement(key):
    return mint("statement", SLUG, key)


def members(doc, intro_line):
    """The statements that are part of the list introduced on ``intro_line``."""
    return set(doc.graph.subjects(DCTERMS.isPartOf, statement(f"l{intro_line}")))


def test_purpose_is_a_statement_and_the_plan_ambition(doc):
    purpose = (
        "Working together to enable everyone in Leicester to have an equal opportunity "
        "for good health and wellbeing"
    )
    assert value(doc, statement("l45"), SKOS.prefLabel) == purpose
    assert value(doc, doc.source.plan, HWB.ambition) == purpose


def test_ics_offer_bullets_are_a_list(doc):
    assert members(doc, 49) == {statement(f"l{n}") for n in range(51, 57)}
    assert value(doc, statement("l51"), SKOS.prefLabel) == "access clear advice on staying well."
    assert value(doc, statement("l56"), SKOS.prefLabel).endswith(
        "environmental sustainability."
    )  # the footnote marker is gone
    assert (statement("l51"), HWB.plan, doc.source.plan) in doc.graph


def test_resident_statements_join_wrapped_lines(doc):
    starts = [294, 296, 298, 299, 302, 303, 305, 307, 308, 309, 311]
    assert members(doc, 292) == {statement(f"l{n}") for n in starts}
    assert value(doc, statement("l309"), SKOS.prefLabel) == (
        "If I am older person, I will get information advice and support to age comfortably "
        "and confidently as possible."
    )
    assert {e.line for e in doc.report.entries if e.node == statement("l299")} == {299, 300}


def test_guiding_principles_are_a_list(doc):
    assert value(doc, statement("l328"), SKOS.prefLabel) == (
        "We also expect work on all priorities to be progressed using the guiding principles:"
    )
    assert members(doc, 328) == {statement(f"l{n}") for n in range(330, 335)}
    assert value(doc, statement("l334"), SKOS.prefLabel) == (
        "Are supported by clear measures of progress."
    )


# Key issues ###########################################################

KNOWN_ROWS = {
    PLACES: [121, 122, 123, 126],
    MINDS: [143, 149, 158],
    START: [180, 181, 183, 184, 185],
    LIVES: [204, 217, 230],
    AGEING: [252, 255, 258],
}


def column(doc, name):
    return set(doc.graph.subjects(RDFS.comment, Literal(name)))


def test_key_issue_rows_per_theme(doc):
    known, work = (
        column(doc, "What we know about the City"),
        column(doc, "Examples of work we are doing"),
    )
    for theme, rows in KNOWN_ROWS.items():
        statements = set(doc.graph.subjects(HWB.theme, theme))
        assert statements & known == {statement(f"l{n}") for n in rows}, theme
        # Lifestyle choices (217) and Mental and physical health (230) print no examples
        assert statements & work == {
            statement(f"l{n}-work") for n in rows if n not in (217, 230)
        }, theme
    assert len(known) == 18 and len(work) == 16
    assert all((s, RDF.type, HWB.Statement) in doc.graph for s in known | work)
    assert not list(doc.graph.subjects(RDF.type, HWB.ImprovementPlan))


def test_wrapped_row_is_read_whole(doc):
    assert value(doc, statement("l123"), SKOS.prefLabel) == (
        "Housing and the built environment: One in five households in Leicester are "
        "overcrowded, rising to two in five if they have children. With people spending more "
        "time working from home, it is even more important that housing is of good quality. "
        "Further, the fuel poverty rate in Leicester is among the highest in England."
    )
    assert value(doc, statement("l123-work"), SKOS.prefLabel).startswith(
        "Housing and the built environment: We are ensuring all local authority housing meets "
        "decent home standards."
    )


def test_column_slip_row_is_repaired_and_reported(doc):
    assert value(doc, statement("l158"), SKOS.prefLabel) == (
        "Engagement with the local environment of residents: People experiencing poor mental "
        "health are less satisfied with their local area and the green space in the city. "
        "This impacts on social isolation and happiness."
    )
    assert value(doc, statement("l158-work"), SKOS.prefLabel).endswith(
        "speak out about their experiences of mental health problems."
    )
    assert issues(doc, "column slip") == [162]
    assert issues(doc, "page residue '7 611'") == [152]
    assert "7 611" not in value(doc, statement("l149"), SKOS.prefLabel)


def test_examples_swapped_between_rows_are_reported_not_moved(doc):
    assert issues(doc, "seem to belong to") == [181, 184]
    assert value(doc, statement("l181-work"), SKOS.prefLabel).startswith(
        "Mental health: Supporting families to improve early communication"
    )


FIGURES = {  # figure key: (label, value, unit, statement)
    "l121-1": ("Half", 50, "percent", "l121"),
    "l123-1": ("One in five", 20, "percent", "l123"),
    "l124-1": ("two in five", 40, "percent", "l123"),
    "l126-1": ("34,000", 34000, "count", "l126"),
    "l143-1": ("Around 30", 30, "count", "l143"),  # "Around 30 people die by suicide"
    "l149-1": ("One in ten", 10, "percent", "l149"),
    "l181-1": ("One in ten", 10, "percent", "l181"),
    "l181-2": ("One in four", 25, "percent", "l181"),
    "l206-1": ("31,000", 31000, "count", "l204"),
    "l217-1": ("Half", 50, "percent", "l217"),
    "l218-1": ("One in ten", 10, "percent", "l217"),
    "l221-1": ("One in five", 20, "percent", "l217"),
    "l223-1": ("two in five", 40, "percent", "l217"),
    # prose paragraphs
    "l80-1": ("5", 5, "count", "l80"),  # "5 focus clinical areas"
    "l80-2": ("20%", 20, "percent", "l80"),  # "the 20% most deprived areas"
    "l80-3": ("5", 5, "count", "l80"),  # "5 includes specific targets within" five areas
    "l96-1": ("Around 48,500", 48500, "count", "l96"),
    "l96-2": ("25%", 25, "percent", "l96"),
    "l96-3": ("35%", 35, "percent", "l96"),
    "l98-1": ("34,000", 34000, "count", "l98"),
    "l98-2": ("38,000", 38000, "count", "l98"),
    "l98-3": ("around 3,400", 3400, "count", "l98"),
    "l100-1": ("Approximately 30,000", 30000, "count", "l100"),
    "l195-1": ("around 40%", 40, "percent", "l195"),
    "l245-1": ("About 40%", 40, "percent", "l245"),  # "aged over 65" is an age, not a figure
}


def test_figures_in_key_issue_rows_and_prose(doc):
    figures = set(doc.graph.subjects(RDF.type, HWB.Figure))
    assert figures == {mint("figure", SLUG, key) for key in FIGURES}
    for key, (label, number, unit, owner) in FIGURES.items():
        figure = mint("figure", SLUG, key)
        assert value(doc, figure, SKOS.prefLabel) == label
        assert value(doc, figure, HWB.value) == Decimal(number)
        assert value(doc, figure, HWB.unit) == unit
        assert (statement(owner), HWB.figure, figure) in doc.graph
    assert line(doc, mint("figure", SLUG, "l206-1")) == 206  # "31,000" / "adults" on 207
    assert value(doc, mint("figure", SLUG, "l126-1"), RDFS.comment) == (
        "lower end of the range printed '34,000-38,0000'"
    )
    assert value(doc, mint("figure", SLUG, "l98-2"), RDFS.comment) == (
        "upper end of the range printed '34,000 and 38,000'"
    )
    assert issues(doc, "malformed number '38,0000'") == [126]


# Prose paragraphs #####################################################

KEY_HEALTH_ISSUES = [88, 90, 92, 94, 96, 98, 100, 102]  # section 3, "Why do we need a strategy?"
THEME_PROSE = {
    PLACES: [114, 116],
    MINDS: [132, 134, 136, 138],
    START: [173, 175],
    LIVES: [191, 193, 195, 197, 199],
    AGEING: [241, 243, 245, 247],
}


def test_key_health_issues_are_statements_of_the_plan(doc):
    issues_ = column(doc, "Why do we need a strategy?")
    assert issues_ == {statement(f"l{n}") for n in KEY_HEALTH_ISSUES}
    for s in issues_:
        assert (s, RDF.type, HWB.Statement) in doc.graph
        assert (s, HWB.plan, doc.source.plan) in doc.graph
        assert (s, HWB.sourceDocument, doc.source.document) in doc.graph
        assert doc.graph.value(s, HWB.theme) is None
    assert line(doc, statement("l96")) == 96
    assert value(doc, statement("l90"), SKOS.prefLabel).startswith(
        "There is a seven-year difference in life expectancy between men living in the most "
        "and least deprived areas of the city."
    )
    assert value(doc, statement("l100"), SKOS.prefLabel).startswith(
        "Approximately 30,000 people are socially isolated in the city."
    )
    assert value(doc, statement("l102"), SKOS.prefLabel) == (
        "These key issues affecting the health of people in Leicester are the core themes "
        "of this strategy."
    )


def test_line_96_prints_around_48500_people_with_long_term_conditions(doc):
    figure = mint("figure", SLUG, "l96-1")
    assert (statement("l96"), HWB.figure, figure) in doc.graph
    assert value(doc, figure, SKOS.prefLabel) == "Around 48,500"
    assert value(doc, figure, HWB.value) == Decimal(48500)
    assert value(doc, figure, HWB.unit) == "count"
    assert "more than one long term physical or mental health condition" in value(
        doc, statement("l96"), SKOS.prefLabel
    )


def test_theme_prose_paragraphs_are_statements_of_their_theme(doc):
    prose = column(doc, "Themes for action")
    for theme, lines in THEME_PROSE.items():
        expected = {statement(f"l{n}") for n in lines}
        assert set(doc.graph.subjects(HWB.theme, theme)) & prose == expected, theme
    assert len(prose) == 17
    assert value(doc, statement("l138"), SKOS.prefLabel).startswith(
        "Suicide is sometimes linked to poor mental health."
    )
    assert value(doc, mint("figure", SLUG, "l245-1"), HWB.value) == Decimal(40)
    assert value(doc, mint("figure", SLUG, "l245-1"), HWB.unit) == "percent"


def test_purpose_background_and_approach_prose_are_plan_statements(doc):
    assert column(doc, "What is the purpose of this strategy?") == {
        statement("l41"),
        statement("l47"),
    }
    assert column(doc, "Background") == {statement(f"l{n}") for n in (60, 65, 67, 69, 76, 78, 80)}
    assert column(doc, "How will work on these priorities be progressed?") == {statement("l326")}
    assert value(doc, statement("l80"), SKOS.prefLabel).startswith(
        "NHS England also have a national framework for addressing health inequalities. "
        "This is called CORE20PLUS5."
    )


def test_parse_table_starts_rows_on_capitals_and_drops_residue():
    table = parse_table(
        [
            (1, "Area\tWhat we know\tExamples"),
            (2, "Housing and\tOne\tWe"),
            (3, "the built\ttwo\tare"),
            (4, "7 611\t\tdone."),
            (5, "\t·\t"),
            (6, "Oral health\tBad\tBrushing"),
        ]
    )
    assert table.header == 1
    assert [(r.line, r.area.text, r.known.text, r.work.text) for r in table.rows] == [
        (2, "Housing and the built", "One two", "We are done."),
        (6, "Oral health", "Bad", "Brushing"),
    ]
    assert table.residue == {4: "7 611", 5: "·"}


# Line accounting ######################################################


def test_every_line_has_a_fate_and_the_counts_are_known(doc):
    content = {n for n, _ in doc.content_lines()}
    assert content <= doc.report.accounted_lines()
    assert len(content) == 227  # 229 non-empty lines, less 62 and 73 (a lone space)
    assert doc.report.counts() == {"graph": 184, "issue": 14, "skipped": 43}
    assert not [e.line for e in doc.report.entries if e.reason == "narrative"]


@pytest.mark.parametrize(
    ("number", "reason"),
    [
        (17, "foreword"),
        (35, "foreword"),  # the signature
        (39, "heading"),
        (63, "footnote"),
        (71, "figure caption"),
        (82, "figure caption"),
        (118, "table caption"),
        (203, "column header"),
        (257, "page-break residue"),
        (267, "column header"),
        (318, "column header"),
        (106, "introduces the themes diagram (an image)"),
        (265, "introduces the priorities table"),
        (338, "engagement process: who was consulted on the strategy and how"),
        (340, "engagement process: who was consulted on the strategy and how"),
        (344, "next steps: the action plans to come, not part of this document"),
        (350, "acknowledgements"),
    ],
)
def test_skip_reasons(doc, number, reason):
    assert skipped(doc, number) == {reason}


def test_statement_count(doc):
    # 1 purpose; 3 list introductions with 6 ICS offer bullets, 11 resident sentences and
    # 5 guiding principles; 18 key-issue rows and 16 examples-of-work cells; 35 prose
    # paragraphs (2 purpose, 7 background, 8 key health issues, 17 theme, 1 approach)
    assert len(set(doc.graph.subjects(RDF.type, HWB.Statement))) == 95


def test_cover_lines_feed_the_plan(doc):
    used = {e.line for e in doc.report.entries if e.node == doc.source.plan}
    assert used == {7, 9, 11, 13}
