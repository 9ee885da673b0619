"""Leicestershire HWB progress update on Staying Healthy, Safe & Well (May 2025).

Expected values were read off
data/sources/leicestershire-hwb-staying-healthy-progress-2025-05.txt by hand.
"""

from decimal import Decimal

import pytest
from rdflib import DCTERMS, RDF, XSD, Literal, URIRef
from rdflib.namespace import RDFS, SKOS

from vocab.ids import mint
from vocab.namespace import HWB

SLUG = "leicestershire-hwb-staying-healthy-progress-2025-05"
REPORT = mint("plan", SLUG)
JHWS = "leicestershire-jhws-2022-32"
STRATEGY = mint("plan", JHWS)
SCHEME = mint("scheme", JHWS)
STAYING_HEALTHY = mint("theme", JHWS, "Staying Healthy, Safe and Well")
FOUNDATIONS = mint("priority", JHWS, "Building Strong Foundations")
CHOICES = mint("priority", JHWS, "Enabling Healthy Choices and Environments")
INEQUALITIES = mint("priority", JHWS, "Reducing health inequalities")


@pytest.fixture(scope="module")
def doc(load_doc):
    return load_doc(SLUG)


@pytest.fixture(scope="module")
def graph(doc):
    return doc.graph


def text(graph, node, prop=SKOS.prefLabel) -> set[str]:
    return {str(o) for o in graph.objects(node, prop)}


def line_of(graph, node) -> int:
    return int(graph.value(node, HWB.sourceLine))


def read_from(graph, line: int, rdf_type: URIRef) -> URIRef:
    """The one node of ``rdf_type`` read from ``line``."""
    nodes = [
        n
        for n in graph.subjects(HWB.sourceLine, Literal(line, datatype=XSD.positiveInteger))
        if (n, RDF.type, rdf_type) in graph
    ]
    assert len(nodes) == 1, (line, nodes)
    return nodes[0]


def statement(line: int) -> URIRef:
    return mint("statement", SLUG, f"l{line}")


def test_counts_of_what_is_read(graph):
    counts = {
        t: len(set(graph.subjects(RDF.type, t)))
        for t in (
            HWB.Strategy,
            HWB.Theme,
            HWB.PriorityArea,
            HWB.Priority,
            HWB.Commitment,
            HWB.Initiative,
            HWB.ProgressStatement,
            HWB.Statement,
            HWB.Figure,
            HWB.PartnerMention,
            HWB.ProgressReport,
        )
    }
    assert counts == {
        HWB.Strategy: 1,
        HWB.Theme: 4,
        HWB.PriorityArea: 2,
        HWB.Priority: 3,
        HWB.Commitment: 14,
        HWB.Initiative: 26,
        HWB.ProgressStatement: 108,
        HWB.Statement: 8,
        HWB.Figure: 51,
        HWB.PartnerMention: 41,
        HWB.ProgressReport: 2,
    }


def test_the_strategy_is_a_referenced_plan(graph):
    assert (STRATEGY, RDF.type, HWB.Strategy) in graph
    assert text(graph, STRATEGY) == {"Joint Health and Wellbeing Strategy 2022-32"}
    assert text(graph, STRATEGY, SKOS.altLabel) == {
        "JHWS",
        "Joint Health and Wellbeing Strategy 2022-2032",
    }
    assert text(graph, STRATEGY, HWB.period) == {"2022-32"}
    assert set(graph.objects(STRATEGY, DCTERMS.publisher)) == {
        mint("org", "leicestershire-county-council")
    }
    assert line_of(graph, STRATEGY) == 10
    assert graph.value(STRATEGY, DCTERMS.dateAccepted) == Literal(
        "2022-02", datatype=XSD.gYearMonth
    )
    assert (STRATEGY, HWB.themeScheme, SCHEME) in graph
    assert (SCHEME, RDF.type, SKOS.ConceptScheme) in graph
    assert (REPORT, HWB.relatedPlan, STRATEGY) in graph
    assert (
        STRATEGY,
        RDFS.seeAlso,
        URIRef(
            "https://www.leicestershire.gov.uk/health-and-wellbeing/leicestershire-health-and-"
            "wellbeing-board/joint-health-and-wellbeing-strategy"
        ),
    ) in graph


def test_life_course_stages_are_the_strategys_themes(graph, doc):
    expected = {
        "a.": ("Best Start for Life", 22),
        "b.": ("Staying Healthy, Safe and Well", 23),
        "c.": ("Living and Supported Well", 24),
        "d.": ("Dying Well", 25),
    }
    for notation, (name, line) in expected.items():
        theme = mint("theme", JHWS, name)
        assert text(graph, theme) == {name}
        assert text(graph, theme, SKOS.notation) == {notation}
        assert line_of(graph, theme) == line
        assert (theme, HWB.plan, STRATEGY) in graph
        assert (theme, SKOS.inScheme, SCHEME) in graph
        assert (theme, SKOS.topConceptOf, SCHEME) in graph
    assert {e.node for e in doc.report.entries if e.line == 21} >= {STRATEGY, STAYING_HEALTHY}


def test_priority_areas_numbered_by_their_headings(graph, doc):
    for area, label, number, line, heading in (
        (FOUNDATIONS, "Building Strong Foundations", "1", 32, 42),
        (CHOICES, "Enabling Healthy Choices & Environments", "2", 33, 173),
    ):
        assert (area, RDF.type, HWB.PriorityArea) in graph
        assert text(graph, area) == {label}
        assert text(graph, area, SKOS.notation) == {number}
        assert line_of(graph, area) == line
        assert (area, HWB.theme, STAYING_HEALTHY) in graph
        assert (area, HWB.plan, STRATEGY) in graph
        assert {31, heading} <= {e.line for e in doc.report.entries if e.node == area}
    assert text(graph, CHOICES, SKOS.altLabel) == {"Enabling healthy choices and environments"}
    assert text(graph, FOUNDATIONS, SKOS.altLabel) == set()


def test_strategy_acronym_printed_two_ways_is_reported(doc):
    assert [(e.line, e.reason) for e in doc.report.issues() if "acronym" in e.reason] == [
        (42, "strategy acronym printed 'JLHSW' here but 'JLHWS' on lines 173, 251, 302")
    ]


def test_cross_cutting_priority_is_the_strategys_with_no_single_theme(graph, doc):
    assert (INEQUALITIES, RDF.type, HWB.Priority) in graph
    assert text(graph, INEQUALITIES) == {"Reducing health inequalities"}
    assert line_of(graph, INEQUALITIES) == 30
    assert (INEQUALITIES, HWB.plan, STRATEGY) in graph
    assert graph.value(INEQUALITIES, HWB.theme) is None
    assert {30, 251, 253} <= {e.line for e in doc.report.entries if e.node == INEQUALITIES}


def test_spotlight_priorities_are_the_reports_own_on_its_stage(graph, doc):
    spotlights = {
        "Health and the Strategic Planning System": (287, "build on and enhance the existing"),
        "Healthy Weight": (288, "to come together and champion a whole systems approach"),
    }
    for name, (line, scope) in spotlights.items():
        priority = mint("priority", SLUG, name)
        assert (priority, RDF.type, HWB.Priority) in graph
        assert text(graph, priority) == {name}
        assert line_of(graph, priority) == line
        assert (priority, HWB.plan, REPORT) in graph
        assert (priority, HWB.theme, STAYING_HEALTHY) in graph
        assert str(graph.value(priority, SKOS.definition)).startswith(scope)
        assert {283, 285} <= {e.line for e in doc.report.entries if e.node == priority}


# Every heading of the progress table, checked by hand: line -> (kind, label, parent line).
# A commitment's parent is its priority area (32, 33); an initiative's is its commitment,
# or the cross-cutting priority (30).
COM, INI = HWB.Commitment, HWB.Initiative
HEADINGS = {
    44: (COM, "Health in all Policies", 32),  # after the area heading: reported on directly
    54: (COM, "Healthy work, workplaces and gaining meaningful employment", 32),
    56: (INI, "Healthy Workplaces Programme", 54),
    69: (INI, "Work Well Programme", 54),
    75: (INI, "Active Together – Healthy Workplaces", 54),
    81: (COM, "Healthy Housing and homeless prevention", 32),
    83: (INI, "Health Impact Assessments", 81),
    89: (INI, "Statutory Homeless Duties", 81),
    96: (INI, "Social Housing Regulation Act", 81),
    100: (COM, "Resilient, independent and supported older people", 32),
    102: (INI, "Public Health", 100),
    106: (INI, "Local Transport Plan", 100),
    110: (INI, "Transport Improvements", 100),
    116: (COM, "Supporting community cohesion", 32),
    118: (INI, "Sports and Violence Reduction", 116),
    122: (COM, "Air Quality and Health", 32),
    124: (INI, "Air Quality Needs Assessments", 122),
    128: (
        COM,
        "Explore a new approach to the design of our residential, employment and town "
        "centre environments",
        32,
    ),  # sentence case: a commitment reported on directly
    133: (COM, "Reducing fuel and food poverty (cost of living crisis)", 32),
    135: (INI, "Food Insecurity", 133),
    141: (INI, "Housing and Respiratory Illness Project", 133),
    150: (INI, "Warm Homes: Social Housing & Social Housing Fund", 133),
    166: (
        COM,
        "Review impacts of climate change (including embedding national sustainable "
        "food places framework)",
        32,
    ),
    168: (INI, "Sustainable Food Places", 166),
    175: (COM, "Making Every Contact Count", 33),
    177: (INI, "MECC", 175),
    185: (COM, "Enabling Healthy Choices (Comms & Awareness)", 33),
    187: (INI, "District and Partners Communication & Engagement", 185),
    199: (INI, "HWB Partners Comms & Engagement", 185),
    209: (INI, "Active Together & Partners Comms & Engagement", 185),
    222: (COM, "Healthy Weight Strategy", 33),
    224: (INI, "Whole Systems Approach to Healthy Weight, Food & Nutrition", 222),
    229: (INI, "Physical Activity Elements of Weight Management", 222),
    233: (COM, "Sexual Health", 33),
    235: (INI, "Local Sexual Health Services", 233),
    243: (COM, "Building healthy environments, fast food outlets alcohol premise density", 33),
    245: (INI, "Fast Food Outlets", 243),
    255: (INI, "Learning Disability Health Checks", 30),  # cross-cutting: no commitment column
    266: (INI, "Temporary Accommodation Welcome Packs", 30),
    272: (INI, "Women's Health", 30),
}


@pytest.mark.parametrize("line", sorted(HEADINGS))
def test_each_table_heading_is_a_commitment_or_an_initiative(graph, line):
    kind, label, parent_line = HEADINGS[line]
    node = read_from(graph, line, kind)
    assert text(graph, node) == {label}
    link = SKOS.broader if kind == COM else HWB.priority
    assert [line_of(graph, p) for p in graph.objects(node, link)] == [parent_line]
    assert (node, HWB.plan, STRATEGY if kind == COM else REPORT) in graph
    if kind == COM:
        assert (node, HWB.theme, STAYING_HEALTHY) in graph


def test_acronyms_of_headings_are_alt_labels(graph):
    assert text(graph, mint("priority", JHWS, "Health in all Policies"), SKOS.altLabel) == {"HiAP"}
    assert text(graph, mint("initiative", SLUG, "Health Impact Assessments"), SKOS.altLabel) == {
        "HIA"
    }


@pytest.mark.parametrize(
    "owner_line, kind, lines",
    [
        (44, COM, [46, 47, 48, 49, 50, 51, 52]),
        (56, INI, [58, 60, 62, 63, 64, 65, 67]),
        (128, COM, [130, 131]),
        (141, INI, [143, 145, 146, 147, 148]),
        (150, INI, [152, 153, 154, 155, 156, 157, 158, 159, 161, 162, 163, 164]),
        (255, INI, [257, 258, 259, 260, 261, 262, 263, 264]),
        (272, INI, [274, 276, 277, 278, 279]),
    ],
)
def test_progress_statements_hang_from_their_heading(graph, owner_line, kind, lines):
    owner = read_from(graph, owner_line, kind)
    assert sorted(line_of(graph, s) for s in graph.objects(owner, HWB.progress)) == lines


def test_every_progress_statement_has_exactly_one_owner(graph):
    for node in graph.subjects(RDF.type, HWB.ProgressStatement):
        assert len(list(graph.subjects(HWB.progress, node))) == 1, node
    assert all(
        (o, RDF.type, HWB.ProgressStatement) in graph for o in graph.objects(None, HWB.progress)
    )


def test_statement_labels_are_cleaned(graph):
    assert text(graph, statement(145)) == {
        "Stronger Healthcare-Housing Partnerships: The East Midlands Ambulance Service is now a "
        "key reporting partner, helping to identify and flag cases of damp and mould during "
        "emergency callouts."
    }
    assert text(graph, statement(201)) == {
        "The Health and Wellbeing Board microsite was developed: https://www.leicestershire.gov"
        ".uk/health-and-wellbeing/leicestershire-health-and-wellbeing-board"
    }
    assert (statement(154), DCTERMS.isPartOf, statement(153)) in graph
    assert (statement(153), DCTERMS.isPartOf, None) not in graph


# Every figure, by line: (text as printed, value, unit).
FIGURES = {
    47: [("In excess of 150", "150", "count")],
    48: [("Just over 100", "100", "count")],
    62: [
        ("125", "125", "count"),
        ("73", "73", "count"),
        ("28", "28", "count"),
        ("24", "24", "count"),
    ],
    64: [("106", "106", "count")],
    65: [("42", "42", "count")],
    67: [("23", "23", "count")],
    71: [("around 60k", "60000", "count"), ("5", "5", "count")],
    72: [("15", "15", "count")],
    98: [("1000+", "1000", "count")],
    152: [("Circa £10 million", "10000000", "GBP")],
    154: [("£1,150,253", "1150253", "GBP")],
    155: [("£8,069,584", "8069584", "GBP")],
    156: [("£75m", "75000000", "GBP")],
    158: [("approximately 160", "160", "count"), ("120", "120", "count")],
    161: [("482", "482", "count"), ("over 80%", "80", "percent")],
    163: [
        ("12.5%", "12.5", "percent"),
        ("15.1%", "15.1", "percent"),
        ("13.1%", "13.1", "percent"),
        ("10.9%", "10.9", "percent"),
        ("11%", "11", "percent"),
    ],
    191: [("1298", "1298", "count"), ("over 1290", "1290", "count")],
    195: [("47,500", "47500", "count")],
    197: [
        ("1,235", "1235", "count"),
        ("over 16,000", "16000", "count"),
        ("1132", "1132", "count"),
        ("42", "42", "count"),
    ],
    211: [("3832", "3832", "count")],
    212: [("18.9%", "18.9", "percent"), ("22.6%", "22.6", "percent")],
    213: [("70.1%", "70.1", "percent"), ("67.1%", "67.1", "percent")],
    214: [("45.1%", "45.1", "percent"), ("47.8%", "47.8", "percent")],
    216: [("Over 75", "75", "count")],
    217: [("7", "7", "count")],
    238: [("20.9%", "20.9", "percent"), ("22.7%", "22.7", "percent"), ("20.4%", "20.4", "percent")],
    241: [
        ("14.6/1,000", "14.6", "per1000"),
        ("16.1/1,000", "16.1", "per1000"),
        ("17.9/1,000", "17.9", "per1000"),
    ],
    258: [("78.6%", "78.6", "percent"), ("75%", "75", "percent"), ("over 80%", "80", "percent")],
}


def test_every_figure_with_value_and_unit(graph):
    found = {}
    for figure in graph.subjects(RDF.type, HWB.Figure):
        line = line_of(graph, figure)
        index = int(str(figure).rsplit("-", 1)[1])
        value = graph.value(figure, HWB.value)
        assert value.datatype == XSD.decimal
        found.setdefault(line, {})[index] = (
            str(graph.value(figure, SKOS.prefLabel)),
            value.toPython(),
            str(graph.value(figure, HWB.unit)),
        )
        assert (statement(line), HWB.figure, figure) in graph
    assert {line: [found[line][k] for k in sorted(found[line])] for line in found} == {
        line: [(t, Decimal(v), u) for t, v, u in figs] for line, figs in FIGURES.items()
    }
    assert sum(map(len, FIGURES.values())) == 51


# Every organisation named in a statement: (line, text as printed, registry id).
MENTIONS = [
    (46, "County Council", "leicestershire-county-council"),
    (48, "LCC", "leicestershire-county-council"),
    (52, "Leicestershire County Council", "leicestershire-county-council"),
    (63, "NWLDC", "north-west-leicestershire-district-council"),
    (73, "LCC", "leicestershire-county-council"),
    (77, "Active Together", "active-together"),
    (79, "Active Together", "active-together"),
    (
        87,
        "Leicestershire County Council Public Health",
        "leicestershire-county-council-public-health",
    ),
    (98, "Melton Borough Council", "melton-borough-council"),
    (104, "Public Health", "leicestershire-county-council-public-health"),
    (120, "Active Together", "active-together"),
    (145, "The East Midlands Ambulance Service", "east-midlands-ambulance-service"),
    (152, "North West Leicestershire DC", "north-west-leicestershire-district-council"),
    (152, "Hinckley and Bosworth Borough Council", "hinckley-and-bosworth-borough-council"),
    (152, "Melton Borough Council", "melton-borough-council"),
    (154, "Hinckley & Bosworth Borough Council", "hinckley-and-bosworth-borough-council"),
    (
        155,
        "North West Leicestershire District Council",
        "north-west-leicestershire-district-council",
    ),
    (156, "Leicester City Council", "leicester-city-council"),
    (156, "Melton Borough Council", "melton-borough-council"),
    (164, "Melton Borough Council", "melton-borough-council"),
    (180, "UHL", "university-hospitals-of-leicester"),
    (183, "LCC", "leicestershire-county-council"),
    (183, "LCC", "leicestershire-county-council"),
    (189, "LCC", "leicestershire-county-council"),
    (189, "Active Together", "active-together"),
    (191, "Melton Borough Council", "melton-borough-council"),
    (192, "Melton BC", "melton-borough-council"),
    (193, "Charnwood", "charnwood-borough-council"),
    (195, "Hinckley & Bosworth", "hinckley-and-bosworth-borough-council"),
    (196, "NWLDC", "north-west-leicestershire-district-council"),
    (197, "Blaby", "blaby-district-council"),
    (201, "Health and Wellbeing Board", "leicestershire-health-and-wellbeing-board"),
    (204, "Leicestershire Health and Wellbeing Board", "leicestershire-health-and-wellbeing-board"),
    (205, "LCC", "leicestershire-county-council"),
    (227, "LCC", "leicestershire-county-council"),
    (231, "Active Together", "active-together"),
    (247, "Public Health", "leicestershire-county-council-public-health"),
    (247, "Public Health", "leicestershire-county-council-public-health"),
    (268, "HBBC", "hinckley-and-bosworth-borough-council"),
    (268, "MBC", "melton-borough-council"),
    (268, "CHOG", "chief-housing-officers-group"),
]


def test_every_organisation_named_in_statements_resolves(graph):
    found = sorted(
        (
            line_of(graph, m),
            str(graph.value(m, HWB.mentionText)),
            str(graph.value(m, HWB.refersTo)).rsplit("/", 1)[1],
        )
        for m in graph.subjects(RDF.type, HWB.PartnerMention)
    )
    assert found == sorted(MENTIONS)
    for line, _, org_id in MENTIONS:
        assert (statement(line), HWB.partner, mint("org", org_id)) in graph


def test_lcc_is_leicestershire_county_council_here(graph):
    assert (statement(48), HWB.partner, mint("org", "leicestershire-county-council")) in graph
    assert (statement(48), HWB.partner, mint("org", "leicester-city-council")) not in graph


def test_recommendations_and_next_steps_are_statements(graph):
    parts = {
        14: ("2.", "The Board is requested to:", [15, 16]),
        298: (
            "13.",
            "The following section describes where further focus will be placed "
            "over the next 12 months:",
            [299, 300, 301, 302],
        ),
    }
    for line, (number, label, items) in parts.items():
        assert (statement(line), RDF.type, HWB.Statement) in graph
        assert text(graph, statement(line), SKOS.notation) == {number}
        assert text(graph, statement(line)) == {label}
        assert (
            sorted(line_of(graph, s) for s in graph.subjects(DCTERMS.isPartOf, statement(line)))
            == items
        )
    assert text(graph, statement(16)) == {
        "Note the progress being made in relation to delivering against the cross-cutting "
        "priorities."
    }
    assert text(graph, statement(302), SKOS.notation) == {"d."}


def test_earlier_report_is_a_related_plan(graph):
    earlier = mint("plan", "leicestershire-hwb-staying-healthy-progress-2024-05")
    assert (earlier, RDF.type, HWB.ProgressReport) in graph
    assert line_of(graph, earlier) == 35
    assert text(graph, earlier) == {"Report to Health and Wellbeing Board 23 May 2024"}
    assert graph.value(earlier, DCTERMS.issued) == Literal("2024-05-23", datatype=XSD.date)
    assert (REPORT, HWB.relatedPlan, earlier) in graph
    assert str(graph.value(earlier, RDFS.seeAlso)).startswith(
        "https://democracy.leics.gov.uk/documents/s182800/"
    )


def test_issues_are_exactly_the_unreadable_lines(doc):
    assert sorted((e.line, e.reason) for e in doc.report.issues()) == [
        (42, "strategy acronym printed 'JLHSW' here but 'JLHWS' on lines 173, 251, 302"),
        (153, "link address lost in conversion"),
        (191, "author's note left in the text; the figures may not be the latest"),
        (270, "stray text 'I' (conversion residue)"),
    ]


def test_skipped_lines_and_why(doc):
    skipped = {}
    for entry in doc.report.entries:
        if entry.outcome == "skipped":
            skipped.setdefault(entry.reason, set()).add(entry.line)
    assert skipped == {
        "section heading": {8, 12, 18, 38, 249, 281, 292, 296, 304, 314, 318, 328},
        "narrative": {20, 26, 28, 34, 36, 294, 330},
        "narrative: introduces the progress table": {40},
        "states there are no appendices": {316},
        "officer contact details (people are not modelled)": {320, 322, 324, 326},
    }


def test_title_block_feeds_the_report(doc):
    assert {e.line for e in doc.report.entries if e.node == REPORT} == {3, 4, 5, 6}
