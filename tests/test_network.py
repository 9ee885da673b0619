"""The partner network of the real graph, checked against the documents.

Figures for the Leicester Joint Health and Wellbeing Action Plan 2018-23 were counted by
hand in data/sources/leicester-jhwb-action-plan-2018-23.txt, "Lead Partner" column:
- 76 action rows (lines 44-143; "9.5." is printed twice, lines 58 and 59; two rows of
  objective o), lines 130 and 131, have no number);
- LCC is named on 71 of them: alone on 44, with others on 27. The five it is not named on
  are 2.12 and 12.9 (City of Leicester Dementia Action Alliance), 7.3 and 17.3 (CCG) and
  17.4 ("CCG and UHL");
- LCC shares rows with LPT 7 times (7.4, 9.2, 10.1, 13.1, 13.2, 13.3, line 130), UHL 5
  (10.1, 12.10, 13.1, 13.2, line 130), "NHS" 4 (12.7, 12.8, 13.4, 14.2), "Partners" 4
  (6.3, 6.4, 14.6, 17.5), Police, Schools, VCS and CCG 3 each. "LT" in 12.10 is not a
  known alias (a load issue), so it is not counted as LPT;
- the CCG is named on 6 rows (7.3, 7.5, 12.10, line 130, 17.3, 17.4), alone on 2;
- 48 rows name one organisation only: LCC's 44, plus 2.12, 7.3, 12.9 and 17.3.
"""

from __future__ import annotations

import json

import networkx as nx
import pytest

from cli.main import main
from graph import network, network_queries
from vocab.ids import mint

PLAN = "leicester-jhwb-action-plan-2018-23"


def org(key: str) -> str:
    return str(mint("org", key))


@pytest.fixture(scope="module")
def options(oxigraph):
    return network_queries.options(oxigraph)


@pytest.fixture(scope="module")
def plan(oxigraph, options) -> network.Analysis:
    scope = options.check(PLAN, None, None)
    return network.analyse(network_queries.fetch(oxigraph, scope))


@pytest.fixture(scope="module")
def rows(plan) -> dict[str, dict]:
    return {row["organisation"]: row for row in plan.organisations}


def test_action_rows_of_the_2018_23_plan(plan):
    assert plan.summary["items"] == 76
    assert {item["kind"] for item in plan.facts.items.values()} == {"action"}


def test_leicester_city_council_leads_71_rows_44_alone(rows):
    lcc = rows[org("leicester-city-council")]
    assert (lcc["led"], lcc["sole"], lcc["led"] - lcc["sole"], lcc["partnered"]) == (71, 44, 27, 0)
    assert lcc["lead_share"] == pytest.approx(71 / 76)


def test_ccg_leads_six_rows_two_alone(rows):
    ccg = rows[org("leicester-city-ccg")]
    assert (ccg["led"], ccg["sole"]) == (6, 2)


def test_most_frequent_co_delivery_partners_of_the_city_council(plan):
    lcc = org("leicester-city-council")
    shared = {
        (p["target"] if p["source"] == lcc else p["source"]): p["weight"]
        for p in plan.pairs
        if lcc in (p["source"], p["target"])
    }
    assert sorted(shared.items(), key=lambda kv: (-kv[1], kv[0]))[:8] == [
        (org("leicestershire-partnership-nhs-trust"), 7),
        (org("university-hospitals-of-leicester"), 5),
        (org("nhs"), 4),
        (org("partners"), 4),
        (org("leicester-city-ccg"), 3),
        (org("leicestershire-police"), 3),
        (org("schools"), 3),
        (org("voluntary-and-community-sector"), 3),
    ]


def test_every_shared_row_is_listed_on_the_edge(plan):
    pair = plan.codelivery.edges[org("leicester-city-council"), org("leicestershire-police")]
    notations = sorted(plan.facts.items[item]["notation"] for item in pair["actions"])
    assert notations == ["6.3", "6.4", "7.1."]
    assert pair["joint_lead"] == 3 and pair["lead_partner"] == 0


def test_rows_resting_on_one_organisation(plan):
    assert len(plan.summary["single_lead_no_partner"]) == 48


def test_the_city_council_holds_the_plan_together(plan):
    assert plan.summary["articulation_points"] == [org("leicester-city-council")]


def test_the_city_council_leads_most_of_every_theme(plan):
    dominant = plan.summary["dominant_themes"]
    assert {row["organisation"] for row in dominant} == {org("leicester-city-council")}
    themes = {row["theme"].rsplit("/", 1)[1] for row in dominant}
    assert themes == {"healthy-ageing", "healthy-lives", "healthy-minds", "healthy-place",
                      "healthy-start"}  # fmt: skip


def test_generic_leads_stay_generic(rows):
    for key in ("partners", "nhs", "schools", "voluntary-and-community-sector"):
        assert rows[org(key)]["generic"] is True
    assert rows[org("leicester-city-council")]["generic"] is False


def test_theme_scope_matches_the_plan_scope(oxigraph, options, plan):
    theme = f"{PLAN}/healthy-start"
    scope = options.check(None, theme, None)
    scoped = network.analyse(network_queries.fetch(oxigraph, scope))
    counted = next(r for r in plan.summary["dominant_themes"] if r["theme"].endswith(theme))
    assert scoped.summary["items"] == counted["items"]


def test_organisations_are_one_node_across_plans(oxigraph):
    everything = network.analyse(network_queries.fetch(oxigraph, network_queries.Scope()))
    lpt = next(
        r for r in everything.organisations if r["slug"] == "leicestershire-partnership-nhs-trust"
    )
    assert len(lpt["plans"]) == 3


@pytest.mark.parametrize(
    ("plan_key", "theme", "role", "message"),
    [
        ("nope", None, None, r"^unknown plan \(known: "),
        (None, "nope/x", None, r"^unknown theme \(known: "),
        (None, None, "boss", r"^unknown role \(known: lead, partner\)$"),
        (
            "harborough-hw-action-plan-2022-23",
            f"{PLAN}/healthy-start",
            None,
            "^the theme is not a theme of the plan chosen$",
        ),
    ],
)
def test_unknown_scopes_are_refused(options, plan_key, theme, role, message):
    with pytest.raises(network_queries.ScopeError, match=message):
        options.check(plan_key, theme, role)


def test_cli_partners_json(build_dir, capsys):
    assert (
        main(["--build-dir", str(build_dir), "partners", "--plan", PLAN, "--format", "json"]) == 0
    )
    first = json.loads(capsys.readouterr().out)[0]
    assert (first["label"], first["led"], first["sole"]) == ("Leicester City Council", 71, 44)


def test_cli_partners_table_and_csv(build_dir, capsys):
    assert main(["--build-dir", str(build_dir), "partners", "--plan", PLAN]) == 0
    table = capsys.readouterr().out
    assert table.splitlines()[2].startswith("Leicester City Council")
    assert table.rstrip().endswith("(16 organisations)")
    assert main(["--build-dir", str(build_dir), "partners", "--plan", PLAN, "--format", "csv"]) == 0
    assert (
        capsys.readouterr()
        .out.splitlines()[1]
        .startswith("Leicester City Council,council,71,44,0,")
    )


def test_cli_bad_scope_exits_2(build_dir, capsys):
    assert main(["--build-dir", str(build_dir), "partners", "--plan", "nope"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("hwbkg partners: unknown plan (known: ") and err.count("\n") == 1


@pytest.mark.parametrize("fmt", ["graphml", "gexf", "json"])
def test_cli_network_export(build_dir, tmp_path, fmt):
    out = tmp_path / f"net.{fmt}"
    args = [
        "--build-dir",
        str(build_dir),
        "network",
        "--plan",
        PLAN,
        "--format",
        fmt,
        "--output",
        str(out),
    ]
    assert main(args) == 0
    if fmt == "json":
        graph = nx.node_link_graph(json.loads(out.read_text()), edges="edges")
    else:
        graph = (nx.read_graphml if fmt == "graphml" else nx.read_gexf)(out)
    assert graph.number_of_nodes() == 16
    assert (
        graph.edges[org("leicester-city-council"), org("leicestershire-partnership-nhs-trust")][
            "weight"
        ]
        == 7
    )


def test_leadership_concentration_of_the_2018_23_plan(plan):
    """The HHI docs/analysts.md quotes. On paper: LCC's credit is 44 sole rows plus about 11
    from its 27 joint rows (1/k each), a share near 55/76 = 0.73, and 0.73^2 = 0.53; the
    other leads' small shares add less than 0.01."""
    assert round(plan.summary["hhi"], 2) == 0.54
