"""Plan alignment over the real graph: facts checked by reading the sources.

The 2021 document's "Mapping to ICS priorities" table (leicester-jhws-refresh-proposed-
priorities-2021.txt lines 114-119) reads: Healthy Places / No ICS equivalent (115), Healthy
Minds / No ICS equivalent (116), Healthy Start / Best Start in Life (117), Healthy Living /
Staying Healthy and Well (118), Healthy Ageing / Living and Supported Well Dying Well (119).
The 2022-27 strategy prints 19 priorities (lines 268-288); its 6 (Play and Learn, line 273)
and 16 (no deaths from suicide, line 285) are not among the 17 proposals of 2021 (lines 93-109).
"""

from __future__ import annotations

import csv
import io
import json

import pytest

from graph import alignment, alignment_queries, alignment_reports, curated, digests
from graph.alignment import compose
from vocab.ids import mint

PROPOSALS = "leicester-jhws-refresh-proposed-priorities-2021"
STRATEGY = "leicester-health-care-wellbeing-strategy-2022-27"
ICS = "llr-ics-priorities"
ACTION_PLAN = "leicester-jhwb-action-plan-2018-23"


@pytest.fixture(scope="module")
def data(oxigraph):
    return alignment_queries.load(oxigraph)


def _by_label(found):
    """{row label: (status, {column label: kind}, stated lines)} of a matrix."""
    return {
        row.item.label: (
            row.status,
            {c.label: found.cell(row, c).kind for c in found.columns if c.iri in row.cells},
            sorted(s.record.line for cell in [*row.cells.values(), row.absent] if cell
                   for s in cell.chain if s.record.stated),
        )
        for row in found.rows
    }  # fmt: skip


@pytest.mark.parametrize(
    ("chain", "kind"),
    [
        ((), "exact"),
        (("exact", "close"), "close"),
        (("close", "close"), "close"),
        (("close", "broad"), "broad"),
        (("narrow", "exact", "narrow"), "narrow"),
        (("broad", "narrow"), "related"),
        (("exact", "related", "exact"), "related"),
    ],
)
def test_compose_kinds_of_a_chain(chain, kind):
    assert compose(chain) == kind


def test_the_2021_ics_table_as_stated(data):
    found = alignment.matrix(data, data.plan(PROPOSALS), data.plan(ICS), "theme")
    assert _by_label(found) == {
        "Healthy Places": ("no equivalent", {}, [115]),
        "Healthy Minds": ("no equivalent", {}, [116]),
        "Healthy Start": ("mapped", {"Best Start in Life": "close"}, [117]),
        # printed "Healthy Living": the strand the document's own table calls Healthy Lives
        "Healthy Lives": ("mapped", {"Staying Healthy and Well": "close"}, [118]),
        # one row, two ICS priorities: Healthy Ageing splits in two
        "Healthy Ageing": (
            "mapped",
            {"Living and Supported Well": "close", "Dying Well": "close"},
            [119, 119],
        ),
    }
    assert all(not c.derived for r in found.rows for c in r.cells.values())


def test_a_mapping_counts_in_both_directions(data):
    """ICS to 2021: the same stated records, read backwards."""
    found = alignment.matrix(data, data.plan(ICS), data.plan(PROPOSALS), "theme")
    rows = _by_label(found)
    assert rows["Dying Well"][1] == {"Healthy Ageing": "close"}
    assert rows["Best Start in Life"][1] == {"Healthy Start": "close"}
    assert all(s.inverted for r in found.rows for c in r.cells.values() for s in c.chain)


def test_narrow_read_backwards_is_broad(data):
    """Curated: 2022-27 Healthy Ageing narrowMatch the county's Dying Well (strategy line 241)."""
    county = data.plan("leicestershire-jhws-2022-32")
    forwards = _by_label(alignment.matrix(data, data.plan(STRATEGY), county, "theme"))
    backwards = _by_label(alignment.matrix(data, county, data.plan(STRATEGY), "theme"))
    assert forwards["Healthy Ageing"][1]["Dying Well"] == "narrow"
    assert backwards["Dying Well"][1] == {"Healthy Ageing": "broad"}


def test_2022_27_reaches_the_ics_through_chains(data):
    found = alignment.matrix(data, data.plan(STRATEGY), data.plan(ICS), "theme")
    rows = _by_label(found)
    assert rows["Healthy Places"] == ("no equivalent", {}, [115])
    assert rows["Healthy Minds"] == ("no equivalent", {}, [116])
    assert rows["Healthy Start"][1] == {"Best Start in Life": "close"}
    assert rows["Healthy Ageing"][1] == {
        "Living and Supported Well": "close",
        "Dying Well": "close",
    }
    assert all(c.derived for r in found.rows for c in [*r.cells.values(), r.absent] if c)


def _cited(found) -> dict[tuple[str, str], list[str]]:
    """{(row item, column item or ""): the record IRIs its cell cites} of a matrix."""
    cited = {}
    for row in found.rows:
        for column, cell in row.cells.items():
            cited[row.item.iri, column] = [s.record.iri for s in cell.chain]
        if row.absent:
            cited[row.item.iri, ""] = [s.record.iri for s in row.absent.chain]
    return cited


def test_cited_records_do_not_depend_on_how_the_store_is_opened(data, published):
    """Equally good chains are chosen by record IRI, not by the store's answer order (the
    on-disk store and the workbench's in-memory copy answer in different orders)."""
    from graph.store import open_store

    in_memory = alignment_queries.load(open_store(published.path, in_memory=True))
    for source, target in ((STRATEGY, ICS), (ICS, STRATEGY)):
        on_disk = alignment.matrix(data, data.plan(source), data.plan(target))
        copied = alignment.matrix(in_memory, in_memory.plan(source), in_memory.plan(target))
        assert _cited(on_disk) == _cited(copied)


def test_gaps_of_2021_in_the_ics(data):
    """Strands Healthy Places (proposals 1-4) and Healthy Minds (12-14) have no ICS equivalent."""
    found = alignment_reports.gaps(data, data.plan(PROPOSALS), data.plan(ICS))
    assert [(g.item.level, g.item.notation or g.item.label) for g in found] == [
        ("theme", "Healthy Places"), ("theme", "Healthy Minds"),
        *[("priority", n) for n in ("1", "2", "3", "4", "12", "13", "14")],
    ]  # fmt: skip
    assert {g.status for g in found} == {"no equivalent"}
    assert {g.through.label for g in found if g.through} == {"Healthy Places", "Healthy Minds"}


def test_gaps_of_2022_27_in_the_ics(data):
    """Same strands in 2022-27: priorities 1-4 (Places) and 13-16 (Minds, 16 is suicide)."""
    found = alignment_reports.gaps(data, data.plan(STRATEGY), data.plan(ICS))
    notations = [g.item.notation for g in found if g.item.level == "priority"]
    assert notations == ["1", "2", "3", "4", "13", "14", "15", "16"]
    assert sum(g.item.level == "theme" for g in found) == 2


def test_harborough_has_no_mappings_at_all(data):
    found = alignment_reports.gaps(
        data, data.plan("harborough-hw-action-plan-2022-23"), data.plan(ICS)
    )
    assert len(found) == 6 and {g.status for g in found} == {"unmapped"}


def test_priorities_serving_each_ics_priority(data):
    """2021 strands: Start 5-7, Lives 8-11, Ageing 15-17 (lines 97-109); 2022-27: Start 5-8,
    Lives 9-12, Ageing 17-19 (lines 268-288). Ageing serves two ICS priorities."""
    counts = {
        (c.item.label, c.plan.slug): (c.actions, c.priorities)
        for c in alignment_reports.coverage(data, data.plan(ICS))
    }
    assert {k[0]: v for k, v in counts.items() if k[1] == PROPOSALS} == {
        "Best Start in Life": (0, 3), "Staying Healthy and Well": (0, 4),
        "Living and Supported Well": (0, 3), "Dying Well": (0, 3),
    }  # fmt: skip
    assert {k[0]: v for k, v in counts.items() if k[1] == STRATEGY} == {
        "Best Start in Life": (0, 4), "Staying Healthy and Well": (0, 4),
        "Living and Supported Well": (0, 3), "Dying Well": (0, 3),
    }  # fmt: skip
    # 2018-23 actions reach the ICS through their themes (tagged in the plan's theme grid)
    assert counts[("Living and Supported Well", ACTION_PLAN)][0] > 0


def test_coverage_keeps_what_it_counts(data):
    """2021 Best Start in Life is served by proposals 5 ('First 1001 Critical days', line
    97), 6 (poverty, line 98) and 7 (self-care, line 99) through their strand Healthy Start,
    which line 117 maps to Best Start in Life. 2018-23 action 1.2 (line 45) sits under row
    A) tagged PLACE, START, LIVES (line 43): Healthy Start, exactMatch the 2021 strand
    (curated row 2 of leicester-themes-across-plans.sssom.tsv), then line 117."""
    found = {
        (c.item.label, c.plan.slug): c for c in alignment_reports.coverage(data, data.plan(ICS))
    }
    start = found["Best Start in Life", PROPOSALS]
    assert start.priority_iris == tuple(str(mint("priority", PROPOSALS, n)) for n in "567")
    assert [data.items[iri].line for iri in start.priority_iris] == [97, 98, 99]
    assert start.action_iris == ()
    assert [(r.iri, r.line) for r in start.records] == [
        (str(mint("mapping", PROPOSALS, "l117-1")), 117)
    ]
    action_plan = found["Best Start in Life", ACTION_PLAN]
    assert str(mint("action", ACTION_PLAN, "1.2")) in action_plan.action_iris
    assert [r.iri for r in action_plan.records] == [
        str(mint("mapping", PROPOSALS, "l117-1")),
        str(mint("mapping", "leicester-themes-across-plans", "2")),
    ]
    for c in found.values():
        assert (c.actions, c.priorities) == (len(c.action_iris), len(c.priority_iris))
        assert len(set(c.action_iris)) == c.actions and len(set(c.priority_iris)) == c.priorities
        assert {data.items[i].plan for i in c.priority_iris} == (
            {c.plan.iri} if c.priorities else set()
        )


def test_versions_2021_to_2022_27(data, config):
    changes = alignment_reports.versions(data, data.plan(PROPOSALS), data.plan(STRATEGY))
    by_status = {}
    for c in changes:
        by_status.setdefault(c.status, []).append(
            (c.older.notation if c.older else None, c.newer.notation if c.newer else None)
        )
    assert by_status["new"] == [(None, "6"), (None, "16")]
    assert by_status["reworded"] == [("3", "3"), ("9", "10"), ("15", "17"), ("16", "18")]
    assert len(by_status["kept"]) == 13 and ("6", "7") in by_status["kept"]
    assert "merged" not in by_status and "dropped" not in by_status
    # each classification agrees with the curator's comment in the SSSOM file
    rows = curated.read_sssom(
        config["CURATED_DIR"] / "mappings" / "leicester-2021-proposals-to-2022-27.sssom.tsv"
    ).rows
    comment = {str(r.subject): r.comment.split()[0].rstrip(":;,") for r in rows}
    for c in changes:
        if c.step:
            assert comment[c.older.iri] == c.status
            assert c.step.record.mapping_set == "leicester-2021-proposals-to-2022-27.sssom.tsv"
        else:
            assert c.mapping_sets == ("leicester-2021-proposals-to-2022-27.sssom.tsv",)


def test_sssom_tsv_parses_with_its_curie_map(data):
    found = alignment.matrix(data, data.plan(PROPOSALS), data.plan(ICS), "theme")
    text = alignment_reports.sssom_tsv(data, found)
    header = [line for line in text.splitlines() if line.startswith("#")]
    curie_map = curated._curie_map(header, "export")
    assert curie_map["sssom"] == "https://w3id.org/sssom/"
    table = [line for line in text.splitlines() if not line.startswith("#")]
    rows = list(csv.DictReader(io.StringIO("\n".join(table)), delimiter="\t"))
    assert len(rows) == 6  # 2 no equivalent, Start, Lives, Ageing twice
    none = [r for r in rows if r["object_id"] == "sssom:NoTermFound"]
    assert sorted(r["subject_label"] for r in none) == ["Healthy Minds", "Healthy Places"]
    assert {r["object_source"] for r in rows} == {"hwbid:plan/llr-ics-priorities"}
    for row in rows:
        for column in ("subject_id", "predicate_id", "object_id", "mapping_justification"):
            curated.expand(row[column], curie_map, "export")


def test_unknown_plan_names_the_choices(data):
    with pytest.raises(alignment.UnknownPlan, match="llr-ics-priorities"):
        data.plan("no-such-plan")


def test_chains_to_an_item_are_the_chains_from_every_item_to_it(data):
    """coverage follows chains backwards from the target's items: each must be the chain
    the matrix cites from the other end, ties included."""
    mapped = sorted(data.edges)
    forward = {start: alignment.chains_from(data, start) for start in mapped}
    backward = {end: alignment.chains_to(data, end) for end in mapped}
    pairs = {(start, end) for start, found in forward.items() for end in found}
    assert pairs == {(start, end) for end, found in backward.items() for start in found}
    assert len(pairs) > 100
    assert all(backward[end][start] == forward[start][end] for start, end in pairs)


def test_the_build_keeps_the_alignment_data_as_a_digest(data, published, oxigraph):
    """What pages read from the build's folder is what the queries read from the graph."""
    written = published.path / digests.DIGESTS_DIR / "alignment.json"
    kept = alignment_queries.from_digest(json.loads(written.read_text(encoding="utf-8")))
    assert kept.plans == data.plans and kept.items == data.items
    assert kept.records == data.records
    assert set(kept.serving) == {row for row in data.serving if row[3] in data.items}
    proposals, ics = kept.plan(PROPOSALS), kept.plan(ICS)
    assert _cited(alignment.matrix(kept, proposals, ics)) == _cited(
        alignment.matrix(data, data.plan(PROPOSALS), data.plan(ICS))
    )
    assert alignment_reports.coverage(kept, ics) == alignment_reports.coverage(data, data.plan(ICS))
