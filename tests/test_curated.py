"""Curated data: the SSSOM mapping files parse into the rows verified against the sources,
and a malformed file stops the build with one line naming the file and line."""

import datetime as dt
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import DCTERMS, OWL, RDF, RDFS, Literal
from rdflib.namespace import SKOS

from graph import curated
from graph.curated import CuratedDataError, read_sssom
from graph.validate import union
from vocab.ids import mint
from vocab.namespace import HWB

DATA = Path(__file__).parent / "data" / "sssom"
LIFE_COURSE = "mappings/leicestershire-life-course-to-ics"
PROPOSALS = "mappings/leicester-2021-proposals-to-2022-27"
THEMES = "mappings/leicester-themes-across-plans"
LEICESTERSHIRE = "leicestershire-jhws-2022-32"
ICS = "llr-ics-priorities"
P2021 = "leicester-jhws-refresh-proposed-priorities-2021"
P2022 = "leicester-health-care-wellbeing-strategy-2022-27"
A2018 = "leicester-jhwb-action-plan-2018-23"


@pytest.fixture(scope="module")
def loaded(config, registry):
    issues: list[str] = []
    graphs = curated.load(config["CURATED_DIR"], registry, issues)
    return graphs, issues


def mappings(graph) -> set[tuple[str, str, str]]:
    """(source IRI tail, SKOS property name, target IRI tail) of every mapping record."""

    def tail(iri):
        return str(iri).split("/id/", 1)[1]

    return {
        (
            tail(graph.value(r, OWL.annotatedSource)),
            graph.value(r, OWL.annotatedProperty).fragment,
            tail(graph.value(r, OWL.annotatedTarget)),
        )
        for r in graph.subjects(RDF.type, HWB.Mapping)
    }


def test_every_curated_file_is_a_graph_and_nothing_is_reported(loaded):
    graphs, issues = loaded
    assert set(graphs) == {ICS, LIFE_COURSE, PROPOSALS, THEMES}
    assert issues == []


def test_leicestershire_life_course_to_ics(loaded):
    stage = f"theme/{LEICESTERSHIRE}"
    assert mappings(loaded[0][LIFE_COURSE]) == {
        (f"{stage}/best-start-for-life", "exactMatch", f"theme/{ICS}/best-start-in-life"),
        (
            f"{stage}/staying-healthy-safe-and-well",
            "closeMatch",
            f"theme/{ICS}/staying-healthy-and-well",
        ),
        (
            f"{stage}/living-and-supported-well",
            "exactMatch",
            f"theme/{ICS}/living-and-supported-well",
        ),
        (f"{stage}/dying-well", "exactMatch", f"theme/{ICS}/dying-well"),
    }


def test_a_row_becomes_a_skos_triple_and_a_full_record(loaded):
    graph = loaded[0][LIFE_COURSE]
    start = mint("theme", LEICESTERSHIRE, "best-start-for-life")
    ics_start = mint("theme", ICS, "best-start-in-life")
    assert (start, SKOS.exactMatch, ics_start) in graph
    record = mint("mapping", "leicestershire-life-course-to-ics", "1")
    assert set(graph.predicate_objects(record)) == {
        (RDF.type, HWB.Mapping),
        (OWL.annotatedSource, start),
        (OWL.annotatedProperty, SKOS.exactMatch),
        (OWL.annotatedTarget, ics_start),
        (HWB.mappingJustification, Literal("semapv:ManualMappingCuration")),
        (HWB.confidence, Literal(Decimal("0.95"))),
        (DCTERMS.creator, mint("agent", "hwbkg-curation")),
        (DCTERMS.date, Literal(dt.date(2026, 11, 25))),
        (
            RDFS.comment,
            Literal(
                "Same first stage of the same life course; the names differ only in 'for' and 'in'."
            ),
        ),
        (DCTERMS.source, Literal("leicestershire-life-course-to-ics.sssom.tsv")),
    }


# 2021 proposed priority -> 2022-27 priority, as read from the two lists (2021 lines 93-109,
# 2022-27 lines 268-288): closeMatch where the wording changed the scope.
PROPOSAL_ROWS = {
    (1, "exactMatch", 1),
    (2, "exactMatch", 2),
    (3, "closeMatch", 3),
    (4, "exactMatch", 4),
    (5, "exactMatch", 5),
    (6, "exactMatch", 7),
    (7, "exactMatch", 8),
    (8, "exactMatch", 9),
    (9, "closeMatch", 10),
    (10, "exactMatch", 11),
    (11, "exactMatch", 12),
    (12, "exactMatch", 13),
    (13, "exactMatch", 14),
    (14, "exactMatch", 15),
    (15, "closeMatch", 17),
    (16, "closeMatch", 18),
    (17, "exactMatch", 19),
}


def test_2021_proposals_to_2022_27_priorities(loaded):
    assert mappings(loaded[0][PROPOSALS]) == {
        (f"priority/{P2021}/{a}", predicate, f"priority/{P2022}/{b}")
        for a, predicate, b in PROPOSAL_ROWS
    }


def test_every_2021_proposal_is_mapped_once_and_the_new_2022_priorities_not_at_all(config):
    rows = read_sssom(config["CURATED_DIR"] / f"{PROPOSALS}.sssom.tsv").rows
    assert sorted(int(r.subject.rsplit("/", 1)[1]) for r in rows) == list(range(1, 18))
    targets = {int(r.object.rsplit("/", 1)[1]) for r in rows}
    assert set(range(1, 20)) - targets == {6, 16}  # Play and Learn; suicide


def test_cardiovascular_proposal_was_reworded_into_heart_and_lung_diseases(loaded):
    graph = loaded[0][PROPOSALS]
    record = mint("mapping", "leicester-2021-proposals-to-2022-27", "9")
    assert graph.value(record, OWL.annotatedSource) == mint("priority", P2021, "9")
    assert graph.value(record, OWL.annotatedTarget) == mint("priority", P2022, "10")
    assert graph.value(record, HWB.confidence) == Literal(Decimal("0.85"))
    assert str(graph.value(record, RDFS.comment)).startswith("reworded and broadened")


def test_leicester_themes_across_plans(loaded):
    strands = ("healthy-start", "healthy-lives", "healthy-ageing")
    assert mappings(loaded[0][THEMES]) == {
        (f"theme/{A2018}/healthy-place", "exactMatch", f"theme/{P2021}/healthy-places"),
        *((f"theme/{A2018}/{s}", "exactMatch", f"theme/{P2021}/{s}") for s in strands),
        (f"theme/{A2018}/healthy-minds", "closeMatch", f"theme/{P2021}/healthy-minds"),
        *(
            (f"theme/{P2021}/{s}", "exactMatch", f"theme/{P2022}/{s}")
            for s in (*strands, "healthy-places", "healthy-minds")
        ),
        (
            f"theme/{P2022}/healthy-start",
            "closeMatch",
            f"theme/{LEICESTERSHIRE}/best-start-for-life",
        ),
        (
            f"theme/{P2022}/healthy-lives",
            "closeMatch",
            f"theme/{LEICESTERSHIRE}/staying-healthy-safe-and-well",
        ),
        (
            f"theme/{P2022}/healthy-ageing",
            "relatedMatch",
            f"theme/{LEICESTERSHIRE}/living-and-supported-well",
        ),
        (f"theme/{P2022}/healthy-ageing", "narrowMatch", f"theme/{LEICESTERSHIRE}/dying-well"),
    }


def test_valid_fixture_rows_are_typed():
    rows = read_sssom(DATA / "valid.sssom.tsv").rows
    assert [(r.line, r.predicate, r.confidence, r.date) for r in rows] == [
        (9, SKOS.exactMatch, Decimal("0.9"), dt.date(2026, 11, 25)),
        (10, SKOS.relatedMatch, Decimal("0.6"), dt.date(2026, 11, 25)),
    ]


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("missing-column", "missing-column.sssom.tsv: missing column(s) confidence"),
        ("extra-column", "extra-column.sssom.tsv: unexpected column(s) predicate_modifier"),
        (
            "bad-confidence",
            "bad-confidence.sssom.tsv line 10: confidence 'high' is not a number from 0 to 1",
        ),
        (
            "confidence-above-one",
            "confidence-above-one.sssom.tsv line 9: confidence '1.2' is not a number from 0 to 1",
        ),
        (
            "unknown-prefix",
            "unknown-prefix.sssom.tsv line 9: unknown prefix 'ics' in "
            "'ics:best-start-in-life' (not in the curie_map)",
        ),
        (
            "wrong-expansion",
            "wrong-expansion.sssom.tsv: prefix 'hwbid' must expand to https://w3id.org/hwbkg/id/",
        ),
        (
            "not-a-skos-mapping",
            "not-a-skos-mapping.sssom.tsv line 10: predicate_id "
            "'owl:equivalentClass' is not a SKOS mapping property (exactMatch, closeMatch, "
            "broadMatch, narrowMatch, relatedMatch)",
        ),
        (
            "not-semapv",
            "not-semapv.sssom.tsv line 9: mapping_justification 'skos:exactMatch' "
            "is not a semapv term",
        ),
        ("bad-date", "bad-date.sssom.tsv line 9: mapping_date '25/11/2026' is not YYYY-MM-DD"),
        ("short-row", "short-row.sssom.tsv line 9: expected 10 tab-separated values"),
        ("no-curie-map", "no-curie-map.sssom.tsv: no curie_map in the '#' header"),
        (
            "not-a-curie",
            "not-a-curie.sssom.tsv line 9: "
            "'https://w3id.org/hwbkg/id/theme/plan-a/healthy-start' is not a CURIE (prefix:local)",
        ),
        ("no-rows", "no-rows.sssom.tsv: no mapping rows"),
    ],
)
def test_malformed_file_gives_one_line_error(name, message):
    with pytest.raises(CuratedDataError) as error:
        read_sssom(DATA / f"{name}.sssom.tsv")
    assert str(error.value) == message


def curated_dir(tmp_path: Path, config, *mapping_files: str) -> Path:
    """A curated folder holding the real ICS file and the given SSSOM fixtures."""
    shutil.copy(config["CURATED_DIR"] / f"{ICS}.ttl", tmp_path)
    (tmp_path / "mappings").mkdir()
    for index, name in enumerate(mapping_files):
        shutil.copy(DATA / f"{name}.sssom.tsv", tmp_path / "mappings" / f"{index}-{name}.sssom.tsv")
    return tmp_path


def test_load_refuses_a_mapping_stated_twice(tmp_path, config, registry):
    with pytest.raises(
        CuratedDataError,
        match=r"^0-repeated.sssom.tsv line 10: the same mapping "
        r"is already in 0-repeated.sssom.tsv line 9$",
    ):
        curated.load(curated_dir(tmp_path, config, "repeated"), registry, [])


def test_load_refuses_the_same_mapping_in_two_files(tmp_path, config, registry):
    with pytest.raises(
        CuratedDataError,
        match=r"^1-valid.sssom.tsv line 9: the same mapping is "
        r"already in 0-valid.sssom.tsv line 9$",
    ):
        curated.load(curated_dir(tmp_path, config, "valid", "valid"), registry, [])


def test_unknown_curated_concept_and_organisation_are_reported_not_fatal(
    tmp_path, config, registry
):
    folder = curated_dir(tmp_path, config, "valid")
    mapping = folder / "mappings" / "0-valid.sssom.tsv"
    mapping.write_text(mapping.read_text().replace("/dying-well", "/dying-wel"))
    ics = folder / f"{ICS}.ttl"
    ics.write_text(ics.read_text().replace("org/llr-icb", "org/llr-icbb"))
    issues: list[str] = []
    graphs = curated.load(folder, registry, issues)
    assert issues == [
        "0-valid.sssom.tsv line 10: https://w3id.org/hwbkg/id/theme/llr-ics-priorities/"
        "dying-wel is not defined in the curated data",
        f"{ICS}: organisation https://w3id.org/hwbkg/id/org/llr-icbb is not in organisations.toml",
    ]
    assert len(graphs["mappings/0-valid"]) == 2 * 11


def test_each_row_names_the_concept_its_curator_read(built, config):
    """The SSSOM labels are the prefLabels the loaders read: no row points at a renumbered
    or renamed concept (case and a final full stop aside)."""
    graph = union(built.dataset)

    def same(label, iri):
        found = graph.value(iri, SKOS.prefLabel)
        return found is not None and str(found).lower().rstrip(".") == label.lower().rstrip(".")

    for path in sorted((config["CURATED_DIR"] / "mappings").glob("*.sssom.tsv")):
        for row in read_sssom(path).rows:
            assert same(row.subject_label, row.subject), (path.name, row.line, row.subject)
            assert same(row.object_label, row.object), (path.name, row.line, row.object)
