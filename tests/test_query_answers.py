"""What each library query answers on the real documents.

The expected values were read off the sources in data/sources/ by hand (line numbers are
1-based lines of those files); comments give the lines that were counted.
"""

from __future__ import annotations

import pytest

from graph import queries, settings, sparql

LIBRARY = queries.library(settings.load()["QUERIES_DIR"])
ACTION_PLAN = "leicester-jhwb-action-plan-2018-23"
ACTION_PLAN_FILE = f"{ACTION_PLAN}.txt"
PROPOSALS_FILE = "leicester-jhws-refresh-proposed-priorities-2021.txt"


@pytest.fixture(scope="module")
def answer(oxigraph):
    """name -> rows of that library query as dicts of plain strings."""

    def run(name: str) -> list[dict[str, str]]:
        columns, found = sparql.rows(sparql.run(oxigraph, LIBRARY[name].text))
        return [
            {c: sparql.term_text(t) for c, t in zip(columns, row, strict=True)} for row in found
        ]

    return run


def test_every_library_query_has_a_test_here():
    untested = [name for name in LIBRARY if f"test_{name.replace('-', '_')}" not in globals()]
    assert not untested


def test_actions_per_lead_partner(answer):
    rows = {
        (r["name"], r["plan"].rsplit("/", 1)[1]): int(r["actions"])
        for r in answer("actions-per-lead-partner")
    }
    # 2018-23 plan: 71 of its 76 action rows name LCC in the lead cell (62 numbered
    # tab rows, lines 130-131, 133-135, 137-138, 141 and 143); 7 name LPT.
    assert rows["Leicester City Council", ACTION_PLAN] == 71
    assert rows["Leicestershire Partnership NHS Trust", ACTION_PLAN] == 7
    assert rows["University Hospitals of Leicester NHS Trust", ACTION_PLAN] == 6
    # Harborough: the Health & Wellbeing team delivers 11 of the district's actions.
    assert (
        rows[
            "Harborough District Council Health & Wellbeing Team",
            "harborough-hw-action-plan-2022-23",
        ]
        == 11
    )


def test_actions_without_lead(answer):
    # Harborough line 20: the "who will deliver" cell says only "Community" (row truncated).
    rows = answer("actions-without-lead")
    assert [(r["notation"], r["printed"], r["line"]) for r in rows] == [("3.c", "Community", "20")]


def test_co_delivery_pairs(answer):
    rows = {(r["nameA"], r["nameB"]): int(r["shared"]) for r in answer("co-delivery-pairs")}
    # Every 2018-23 lead cell naming LPT also names LCC (7 rows); UHL with LCC: 5 rows.
    assert rows["Leicester City Council", "Leicestershire Partnership NHS Trust"] == 7
    assert rows["Leicester City Council", "University Hospitals of Leicester NHS Trust"] == 5
    assert max(rows.values()) == 7


def test_district_actions(answer):
    rows = {r["notation"]: r for r in answer("district-actions")}
    assert len(rows) == 25
    # Harborough line 6: 1.a, deadline 2022/24, delivered by Planning Policy.
    assert rows["1.a"]["deadline"] == "2022/24"
    assert rows["1.a"]["deliverers"] == "Harborough District Council Planning Policy"
    assert rows["1.a"]["target"] == "Achieve high design standards for new homes"


def test_figures_reported(answer):
    rows = answer("figures-reported")
    found = {(r["file"], r["line"], r["printed"]): (r["value"], r["unit"]) for r in rows}
    strategy = "leicester-health-care-wellbeing-strategy-2022-27-draft-v4.txt"
    # Line 121: "Half of Leicester's residents are concerned about air quality".
    assert found[strategy, "121", "Half"] == ("50", "percent")
    # Line 126: "between 34,000-38,0000": the lower end is read, the malformed end is not.
    assert found[strategy, "126", "34,000"] == ("34000", "count")
    assert not any(key[1] == "126" and "0000" in key[2] for key in found)


def test_key_partners_per_priority(answer):
    rows = {r["notation"]: r["partners"].split(", ") for r in answer("key-partners-per-priority")}
    assert len(rows) == 17
    assert "University Hospitals of Leicester NHS Trust" in rows["5"]
    assert "Schools" in rows["6"]


def test_load_issues(answer):
    rows = answer("load-issues")
    strategy = "leicester-health-care-wellbeing-strategy-2022-27-draft-v4.txt"
    assert len(rows) == 53
    assert {
        "file": strategy,
        "line": "126",
        "reason": "malformed number '38,0000': no figure read",
    } in rows


def test_leicester_themes_to_ics(answer):
    rows = {(r["label"], r["icsLabel"]) for r in answer("leicester-themes-to-ics")}
    # Proposals lines 114-120: the mapping table, Healthy Ageing split across two priorities.
    assert rows == {
        ("Healthy Places", "no ICS equivalent"),
        ("Healthy Minds", "no ICS equivalent"),
        ("Healthy Start", "Best Start in Life"),
        ("Healthy Lives", "Staying Healthy and Well"),
        ("Healthy Ageing", "Living and Supported Well"),
        ("Healthy Ageing", "Dying Well"),
    }


def test_partners_in_several_plans(answer):
    found = answer("partners-in-several-plans")
    rows = {r["name"]: int(r["plans"]) for r in found}
    assert rows["Leicestershire Partnership NHS Trust"] == 3
    assert rows["Leicester City Council"] == 2
    assert len(rows) == 6
    # One row per plan: as many rows as plans for each organisation, none twice.
    assert len(found) == sum(rows.values())
    assert len({(r["name"], r["plan"]) for r in found}) == len(found)


def test_placeholder_measures(answer):
    rows = {
        (r["notation"], r["placeholder"], r["line"])
        for r in answer("placeholder-measures")
        if r["file"] == ACTION_PLAN_FILE
    }
    # 2018-23 lines 63 ("?"), 139 (TBA) and 143 ("To be determined").
    assert ("3.9.", "?", "63") in rows
    assert ("17.3", "TBA", "139") in rows
    assert ("18.1", "To be determined", "143") in rows
    assert len(answer("placeholder-measures")) == 33


def test_priorities_new_in_2022_27(answer):
    rows = {(r["notation"], r["label"]) for r in answer("priorities-new-in-2022-27")}
    assert rows == {
        ("6", "We will make sure our children are able to Play and Learn."),
        ("16", "We will work towards having no deaths from suicide in the city."),
    }


def test_proposals_2021_to_2022_27(answer):
    rows = {r["proposalNumber"]: r for r in answer("proposals-2021-to-2022-27")}
    assert len(rows) == 17
    assert rows["6"]["priorityNumber"] == "7"
    assert rows["3"]["mapping"].endswith("closeMatch")


def test_related_strategies_most_cited(answer):
    rows = answer("related-strategies-most-cited")
    # 2018-23 lines 60, 61, 62, 63 and 65 name the Air Quality Action Plan.
    counts = {r["label"]: int(r["actions"]) for r in rows}
    assert counts["Air Quality Action Plan"] == 5
    assert max(counts.values()) == 5


def test_stretch_actions(answer):
    # 2018-23 lines 44, 45, 57, 58, 69, 92, 99 and 102 carry "(Stretch)".
    assert {r["notation"] for r in answer("stretch-actions")} == {
        "1.1.",
        "1.2.",
        "3.1.",
        "9.5.",
        "5.3.",
        "9.1.",
        "10.1.",
        "11.6.",
    }


def test_themes_and_priorities(answer):
    rows = {(r["planLabel"], r["themeLabel"]) for r in answer("themes-and-priorities")}
    # The 2018-23 plan's five themes (lines 11-26), "Healthy Place" as printed there.
    assert {t for p, t in rows if p == "Joint Health and Wellbeing Action Plan 2018-23"} == {
        "Healthy Place",
        "Healthy Start",
        "Healthy Ageing",
        "Healthy Lives",
        "Healthy Minds",
    }


def test_themes_without_ics_equivalent(answer):
    rows = [(r["label"], r["file"], r["line"]) for r in answer("themes-without-ics-equivalent")]
    assert sorted(rows) == [
        ("Healthy Minds", PROPOSALS_FILE, "116"),
        ("Healthy Places", PROPOSALS_FILE, "115"),
    ]


def test_unknown_partner_aliases(answer):
    # Harborough line 20 "Community"; 2018-23 line 116 "CCG/UHL/LT/ LCC".
    rows = {(r["printed"], r["file"], r["line"]) for r in answer("unknown-partner-aliases")}
    assert rows == {
        ("Community", "harborough-hw-action-plan-2022-23.txt", "20"),
        ("LT", ACTION_PLAN_FILE, "116"),
    }


def test_where_does_it_come_from(answer):
    rows = {(r["label"], r["file"], r["line"]) for r in answer("where-does-it-come-from")}
    assert (
        "Deliver the falls prevention recommendations/ pathway",
        ACTION_PLAN_FILE,
        "139",
    ) in rows
    assert (
        "Reducing the number of falls for people aged 65+ in Leicester City",
        PROPOSALS_FILE,
        "109",
    ) in rows
