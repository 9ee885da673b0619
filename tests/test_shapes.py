"""The SHACL shapes: each fails where it should, with its severity and message, and only there.

Every shape with a target has two fixtures in tests/data/shapes/: ``<Shape>-ok.ttl``, which
must give no result, and ``<Shape>-bad.ttl``, which must give exactly the results below.
Each is validated with the ontology and tests/data/shapes/context.ttl (a plan, its source
document, a theme and a council), as the built graph is.
"""

from collections import Counter
from pathlib import Path

import pytest
from rdflib import RDF, Dataset, Graph, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDFS, SH

from graph.validate import load_shapes, records, union, validate
from vocab.ids import mint
from vocab.namespace import HWB

ROOT = Path(__file__).resolve().parent.parent
SHAPES_DIR = ROOT / "shapes"
ONTOLOGY = ROOT / "ontology" / "hwbkg.ttl"
FIXTURES = Path(__file__).parent / "data" / "shapes"
EX = "http://example.org/"
V, W = "Violation", "Warning"

LABEL = (
    "Needs exactly one skos:prefLabel: every node is shown by its label, and SKOS allows "
    "one per language."
)
SOURCE_DOCUMENT = (
    "Needs a hwb:sourceDocument that is a hwb:SourceDocument: a node read from a "
    "source must say which document it came from."
)
SOURCE_LINE = (
    "Needs a hwb:sourceLine (xsd:positiveInteger): a node read from a source must "
    "say on which line it starts."
)
PLACEHOLDER = "The source gives only a placeholder (TBA, TBC, ?, blank) where a measure should be."
PARTNER = "hwb:partner must be an org:Organization from the registry; this value is not one."

# shape -> {(severity, shape that reports, focus node, message)} its -bad fixture gives.
FAILURES = {
    "Plan": {
        (V, "HasPrefLabel", "unlabelled", LABEL),
        (
            V,
            "Plan-publisher",
            "unknown-publisher",
            "dcterms:publisher must be an "
            "org:Organization: a publisher in sources.toml is missing from organisations.toml.",
        ),
        (V, "Plan-status", "odd-status", 'hwb:status is "draft" or "final", once.'),
    },
    "PlanProvenance": {
        (
            V,
            "PlanProvenance",
            "unsourced",
            "A plan must say where it was read "
            "(hwb:sourceDocument and hwb:sourceLine); only the curated ICS plan may not.",
        )
    },
    "Theme": {
        (
            V,
            "Theme-plan",
            "planless",
            "A theme needs exactly one hwb:plan, a hwb:Plan: the plan whose theme it is.",
        ),
        (
            V,
            "Theme-inScheme",
            "schemeless",
            "A theme must be skos:inScheme its plan's skos:ConceptScheme.",
        ),
        (
            V,
            "SingleSourceLine",
            "clash",
            "Has more than one hwb:sourceLine: two rows of a source were given the same IRI.",
        ),
        (
            V,
            "Theme-noEquivalentIn",
            "odd-equivalent",
            "hwb:noEquivalentIn must name a hwb:Plan; this value is not one.",
        ),
    },
    "ThemePriorityProvenance": {
        (
            V,
            "ThemePriorityProvenance",
            focus,
            "A theme or priority must say where it was read "
            "(hwb:sourceDocument and hwb:sourceLine); only those of the curated ICS plan may not.",
        )
        for focus in ("unsourced-theme", "unsourced-priority")
    },
    "Priority": {
        (
            V,
            "Priority-plan",
            "planless",
            "A priority needs exactly one hwb:plan, a hwb:Plan: the plan that sets it.",
        ),
        (V, "ThemeIsTheme", "miswired", "hwb:theme must be a hwb:Theme; this value is not one."),
        (
            V,
            "MeasureIsMeasure",
            "miswired",
            "hwb:measure must be a hwb:Measure; this value is not one.",
        ),
        (V, "PartnerIsOrganization", "miswired", PARTNER),
        (
            V,
            "MentionIsPartnerMention",
            "miswired",
            "hwb:mention must be a hwb:PartnerMention; this value is not one.",
        ),
        (
            V,
            "Priority-deliveryApproach",
            "miswired",
            "hwb:deliveryApproach must be a "
            "hwb:DeliveryApproach (Do, Sponsor, Watch); this value is not one.",
        ),
        (
            V,
            "Priority-rationale",
            "miswired",
            "hwb:rationale must be a hwb:Rationale; this value is not one.",
        ),
        (
            V,
            "Priority-improvementPlan",
            "miswired",
            "hwb:improvementPlan must be a hwb:ImprovementPlan; this value is not one.",
        ),
        (
            V,
            "Priority-progress",
            "miswired",
            "hwb:progress must be a hwb:ProgressStatement; this value is not one.",
        ),
        (W, "MeasureIsPlaceholder", "tbc", PLACEHOLDER),
    },
    "ProposedPriorityMeasured": {
        (
            W,
            "ProposedPriorityMeasured",
            "unmeasured",
            "The source gives this proposed priority "
            "no measure of progress, not even a placeholder.",
        )
    },
    "Objective": {
        (
            V,
            "Objective-plan",
            "misplaced",
            "An objective groups the actions of an action plan: "
            "its hwb:plan must be a hwb:ActionPlan.",
        )
    },
    "Commitment": {
        (
            V,
            "Commitment-broader",
            focus,
            "A commitment needs skos:broader linking it to its hwb:PriorityArea.",
        )
        for focus in ("orphan", "under-theme")
    },
    "DeliveryApproach": {
        (V, "HasSourceDocument", "watch", SOURCE_DOCUMENT),
        (V, "HasSourceLine", "watch", SOURCE_LINE),
    },
    "Action": {
        (
            V,
            "Action-plan",
            "planless",
            "An action needs exactly one hwb:plan, a hwb:Plan: the plan it is a row of.",
        ),
        (
            V,
            "Action-leadPartner",
            "odd-lead",
            "hwb:leadPartner must be an org:Organization from the registry; this value is not one.",
        ),
        (
            W,
            "Action-leadPartner-given",
            "leaderless",
            "The source names no lead partner the registry knows for this action.",
        ),
        (W, "MeasureIsPlaceholder", "tba", PLACEHOLDER),
        (V, "HasPrefLabel", "unlabelled", LABEL),
        (
            V,
            "Action-relatedPlan",
            "odd-related",
            "hwb:relatedPlan must be a hwb:Plan; this value is not one.",
        ),
    },
    "ActionMeasured": {
        (
            W,
            "ActionMeasured",
            "unmeasured",
            "The source gives this action no measure, not even a placeholder.",
        )
    },
    "Initiative": {
        (
            V,
            "Initiative-plan",
            "planless",
            "An initiative needs exactly one hwb:plan, a hwb:Plan: the plan that reports on it.",
        ),
        (
            V,
            "Initiative-progress",
            "odd-progress",
            "hwb:progress must be a hwb:ProgressStatement; this value is not one.",
        ),
    },
    "Measure": {
        (
            V,
            "Measure-owner",
            "orphan",
            "No action or priority has this measure (hwb:measure): it measures nothing.",
        ),
        (V, "HasPrefLabel", "unlabelled", LABEL),
    },
    "MeasurePlaceholder": {
        (
            V,
            "MeasurePlaceholder-owner",
            "stray",
            "No action or priority has this placeholder "
            "(hwb:measurePlaceholder): the gap belongs to nothing.",
        )
    },
    "Statement": {
        (V, "HasSourceDocument", "unsourced", SOURCE_DOCUMENT),
        (V, "HasSourceLine", "unsourced", SOURCE_LINE),
        (V, "PartnerIsOrganization", "odd-partner", PARTNER),
    },
    "Rationale": {
        (
            V,
            "Rationale-owner",
            "why",
            "No priority gives this reason (hwb:rationale): a "
            "rationale must say what it is a reason for.",
        )
    },
    "ImprovementPlan": {
        (
            V,
            "ImprovementPlan-owner",
            "work",
            "No priority has this improvement plan "
            "(hwb:improvementPlan): it must say what it works towards.",
        )
    },
    "ProgressStatement": {
        (
            V,
            "ProgressStatement-owner",
            "embedded",
            "No commitment or initiative has this "
            "progress (hwb:progress): it must say what it reports on.",
        )
    },
    "Figure": {
        *(
            (
                V,
                "Figure-value",
                focus,
                "A figure needs exactly one numeric hwb:value (xsd:decimal or xsd:integer).",
            )
            for focus in ("in-words", "valueless")
        ),
        (
            V,
            "Figure-unit",
            "odd-unit",
            "A figure needs one hwb:unit: count, percent, GBP, year or per1000.",
        ),
        (
            V,
            "Figure-owner",
            "orphan",
            "No statement, measure or action prints this figure (hwb:figure).",
        ),
    },
    "Organization": {
        (
            V,
            "Organization-kind",
            "kindless",
            "An organisation needs exactly one hwb:organisationKind, a skos:Concept.",
        ),
        (
            V,
            "Organization-gss",
            "short-gss",
            "hwb:gssCode is one ONS GSS code: E followed by 8 digits.",
        ),
        (
            V,
            "Organization-ods",
            "lower-ods",
            "hwb:odsCode is one NHS ODS code: 3 to 5 capital letters or digits.",
        ),
        (V, "HasPrefLabel", "nameless", LABEL),
    },
    "GenericPartner": {
        (
            V,
            "GenericPartner-kind",
            "partners",
            "A generic partner's hwb:organisationKind must be 'generic'.",
        ),
        (
            V,
            "GenericPartner-codes",
            "vcs",
            "A generic partner ('Partners', 'Schools') is not "
            "one body, so it has no GSS or ODS code.",
        ),
    },
    "PartnerMention": {
        (
            W,
            "PartnerMention-resolved",
            "lt",
            "The registry does not know this partner name (no "
            "hwb:refersTo): it resolves to no organisation.",
        ),
        (
            V,
            "PartnerMention-role",
            "odd-role",
            'A partner mention needs one hwb:mentionRole, "lead" or "partner".',
        ),
        (
            V,
            "PartnerMention-refersTo",
            "odd-reference",
            "hwb:refersTo must be one org:Organization from the registry.",
        ),
        (
            V,
            "PartnerMention-owner",
            "stray",
            "No action, priority or statement has this mention (hwb:mention).",
        ),
    },
    "SourceDocument": {
        (
            V,
            "SourceDocument-sha256",
            "sloppy",
            "A source document needs one hwb:sha256 (64 "
            "lower-case hex digits), so a citation names the exact version read.",
        ),
        (
            V,
            "SourceDocument-lineCount",
            "sloppy",
            "A source document needs one hwb:lineCount (xsd:integer).",
        ),
        (
            V,
            "SourceDocument-title",
            "untitled",
            "A source document needs exactly one dcterms:title, as printed.",
        ),
    },
    "LoadIssue": {
        (
            V,
            "LoadIssue-reason",
            "reasonless",
            "A load issue needs a hwb:reason: what could not be read.",
        ),
        (V, "HasSourceLine", "lineless", SOURCE_LINE),
    },
    "Mapping": {
        (
            V,
            "Mapping-target",
            "to-nowhere",
            "A mapping needs one owl:annotatedTarget that is a "
            "skos:Concept (a theme or priority) in the graph, or a hwb:Plan for "
            "hwb:noEquivalentIn.",
        ),
        (
            V,
            "Mapping-property",
            "same-as",
            "A mapping needs one owl:annotatedProperty, a SKOS "
            "mapping property or hwb:noEquivalentIn.",
        ),
        (
            V,
            "Mapping-confidence",
            "overconfident",
            "hwb:confidence is at most one xsd:decimal from 0 to 1.",
        ),
        (
            V,
            "Mapping-justification",
            "overconfident",
            "A mapping needs one "
            "hwb:mappingJustification (a semapv CURIE, or that a document states it).",
        ),
    },
    "MappingOrigin": {
        (
            V,
            "MappingOrigin",
            "unsourced",
            "A mapping must say where it comes from: the curated "
            "file (dcterms:source) or the source line that states it (hwb:sourceDocument and "
            "hwb:sourceLine).",
        )
    },
    "MappingAsserted": {
        (
            V,
            "MappingAsserted",
            "unasserted",
            "The mapping triple this record annotates is not in the graph.",
        )
    },
}

# A placeholder is always a gap: even its conforming fixture warns about its owner.
OK_RESULTS = {"MeasurePlaceholder": {(W, "MeasureIsPlaceholder", "action", PLACEHOLDER)}}


def fixture_data(*names: str) -> Graph:
    """The ontology, the shared context and the named fixtures, as one data graph."""
    data = Graph().parse(ONTOLOGY).parse(FIXTURES / "context.ttl")
    for name in names:
        data.parse(FIXTURES / f"{name}.ttl")
    return data


def summary(data: Graph) -> set[tuple[str, str, str, str]]:
    """(severity, shape, focus, message) of each result, IRIs shortened to local names."""
    return {
        (r.severity, r.shape.rsplit("#", 1)[1], r.focus.removeprefix(EX), r.message)
        for r in records(validate(data, SHAPES_DIR).report_graph)
    }


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return load_shapes(SHAPES_DIR)


def test_context_alone_conforms_without_warnings():
    assert summary(fixture_data()) == set()


@pytest.mark.parametrize("shape", sorted(FAILURES))
def test_conforming_fixture(shape):
    assert summary(fixture_data(f"{shape}-ok")) == OK_RESULTS.get(shape, set())


@pytest.mark.parametrize("shape", sorted(FAILURES))
def test_failing_fixture(shape):
    assert summary(fixture_data(f"{shape}-bad")) == FAILURES[shape]


def test_every_targeted_shape_has_fixtures(shapes):
    targeted = {str(s).rsplit("#", 1)[1] for s in shapes.subjects(SH.targetClass, None)}
    assert targeted == set(FAILURES)


def test_every_ontology_class_is_a_target_or_under_one(shapes):
    """Subclasses (Strategy, Rationale...) may be covered by their superclass's shape."""
    ontology = Graph().parse(ONTOLOGY)
    targets = set(shapes.objects(None, SH.targetClass))
    for cls in ontology.subjects(RDF.type, OWL.Class):
        assert targets & set(ontology.transitive_objects(cls, RDFS.subClassOf)), cls
    assert URIRef("http://www.w3.org/ns/org#Organization") in targets


def test_every_named_shape_and_sparql_constraint_has_one_message(shapes):
    named = {
        s for kind in (SH.NodeShape, SH.PropertyShape) for s in shapes.subjects(RDF.type, kind)
    }
    named |= set(shapes.objects(None, SH.property)) | set(shapes.objects(None, SH.sparql))
    for shape in named:
        assert len(list(shapes.objects(shape, SH.message))) == 1, shape


def test_unnamed_shapes_only_appear_inside_sh_or(shapes):
    """A blank shape's failure is reported by the named shape whose sh:or holds it."""
    in_or = {
        member
        for members in shapes.objects(None, SH["or"])
        for member in Collection(shapes, members)
    }
    for shape in shapes.subjects(SH.path, None):
        assert isinstance(shape, URIRef) or shape in in_or


def test_records_are_sorted_violations_first():
    found = records(validate(fixture_data("Action-bad"), SHAPES_DIR).report_graph)
    assert [r.severity for r in found] == [V, V, V, V, W, W]
    assert found == sorted(found, key=lambda r: ({V: 0, W: 1}[r.severity], r.shape, r.focus))


def test_records_give_paths_in_sparql_syntax_and_values():
    measure = records(validate(fixture_data("Measure-bad"), SHAPES_DIR).report_graph)
    assert [r.path for r in measure if r.focus == EX + "orphan"] == [
        "^https://w3id.org/hwbkg/def#measure"
    ]
    generic = records(validate(fixture_data("GenericPartner-bad"), SHAPES_DIR).report_graph)
    assert [r.path for r in generic if r.focus == EX + "vcs"] == [
        "https://w3id.org/hwbkg/def#gssCode|https://w3id.org/hwbkg/def#odsCode"
    ]
    figure = records(validate(fixture_data("Figure-bad"), SHAPES_DIR).report_graph)
    assert {r.focus.removeprefix(EX): r.value for r in figure} == {
        "in-words": "fourteen",
        "valueless": "",
        "odd-unit": "people",
        "orphan": "",
    }


def test_counts_and_warnings_alone_conform():
    result = validate(fixture_data("Action-bad"), SHAPES_DIR)
    assert (result.conforms, result.counts) == (False, {V: 4, W: 2, "Info": 0})
    result = validate(fixture_data("ActionMeasured-bad"), SHAPES_DIR)
    assert (result.conforms, result.counts) == (True, {V: 0, W: 1, "Info": 0})
    assert "Validation Report" in result.text


def test_a_dataset_is_validated_as_the_union_of_its_graphs():
    """The theme is in one named graph, its plan in another: as in the built dataset."""
    dataset = Dataset()
    dataset.graph(URIRef(EX + "graph/ontology")).parse(ONTOLOGY)
    dataset.graph(URIRef(EX + "graph/context")).parse(FIXTURES / "context.ttl")
    dataset.graph(URIRef(EX + "graph/theme")).parse(FIXTURES / "Theme-ok.ttl")
    assert validate(dataset, SHAPES_DIR).counts == {V: 0, W: 0, "Info": 0}


def test_no_shapes_is_an_error_not_a_pass(tmp_path):
    with pytest.raises(FileNotFoundError, match="no SHACL shapes"):
        validate(Graph(), tmp_path)


@pytest.fixture(scope="module")
def built_records(built, config):
    result = validate(built.dataset, config["SHAPES_DIR"])
    found = records(result.report_graph)
    assert result.conforms == (not any(r.severity == V for r in found))
    return found


def test_built_graph_has_no_violations(built_records):
    """Warnings are the sources' own gaps: printed (pytest -s) for the record, not failed on."""
    warnings = Counter(r.shape.rsplit("#", 1)[1] for r in built_records if r.severity == W)
    print(f"\n{warnings.total()} warnings in the built graph:", dict(sorted(warnings.items())))
    assert [r for r in built_records if r.severity == V] == []


def test_built_graph_warns_of_gaps_read_in_the_sources(built, built_records):
    proposals = "leicester-jhws-refresh-proposed-priorities-2021"
    harborough = "harborough-hw-action-plan-2022-23"
    gaps = {(r.shape.rsplit("#", 1)[1], r.focus) for r in built_records if r.severity == W}
    assert {
        # "tbc" under Measuring progress (2021 lines 178 and 243); a blank cell (Harborough 28)
        ("MeasureIsPlaceholder", str(mint("priority", proposals, "2"))),
        ("MeasureIsPlaceholder", str(mint("priority", proposals, "4"))),
        ("MeasureIsPlaceholder", str(mint("action", harborough, "5.b"))),
        # Harborough 3.c's lead cell is only "Community" (line 20)
        ("Action-leadPartner-given", str(mint("action", harborough, "3.c"))),
    } <= gaps
    graph = union(built.dataset)
    unresolved = {
        (
            str(graph.value(URIRef(r.focus), HWB.mentionText)),
            graph.value(URIRef(r.focus), HWB.sourceLine).toPython(),
        )
        for r in built_records
        if r.shape.endswith("#PartnerMention-resolved")
    }
    # "Community" (Harborough line 20) and "LT" (2018-23 line 116, action 12.10): never guessed
    assert {("Community", 20), ("LT", 116)} <= unresolved
