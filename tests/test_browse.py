"""Plan and organisation pages, their .json/.csv twins and their 404s.

Values checked by hand against data/sources/:
- leicester-jhwb-action-plan-2018-23.txt line 5 "Joint Health and Wellbeing" (title),
  line 11 "Healthy Place", line 43 "A) Influence the environment to accommodate healthy
  living" (themes PLACE, START, LIVES), line 45 "1.2. Support initiatives to increase
  healthy options in fast food outlets ... LCC ... Local Plan ... TBA".
  Lines 43-137 hold 18 objective rows (A to q) and 76 action rows, every non-blank line
  but two continuation lines (74, 94); line 43 tags objective A with PLACE, START, LIVES.
- harborough-hw-action-plan-2022-23.txt line 5 "Priority 1 - Housing for all", line 6
  "1.a ... Review policy as part of Local Plan refresh ... Planning Policy ... Achieve
  high design standards for new homes".
"""

from __future__ import annotations

import csv
import io

from vocab.ids import mint
from vocab.namespace import HWB

LEICESTER = "leicester-jhwb-action-plan-2018-23"
HARBOROUGH = "harborough-hw-action-plan-2022-23"


def _plan(client, slug):
    return client.get(f"/plans/{slug}.json").get_json()


def test_plan_json_header(client):
    plan = _plan(client, LEICESTER)["plan"]
    assert plan["label"] == "Joint Health and Wellbeing Action Plan 2018-23"
    assert (plan["kind"], plan["period"], plan["status"]) == ("Action plan", "2018-23", "draft")
    assert plan["source_line"] == 5
    assert [p["label"] for p in plan["publishers"]] == [
        "Leicester City Council",
        "Leicester Health and Wellbeing Board",
    ]


def test_plan_tree_is_themes_then_priorities_then_actions(client):
    tree = _plan(client, LEICESTER)["tree"]
    place = tree[0]
    assert (place["kind"], place["label"], place["line"]) == ("Theme", "Healthy Place", 11)
    objective = place["children"][0]
    assert (objective["kind"], objective["notation"], objective["line"]) == ("Objective", "A)", 43)
    assert objective["label"] == "Influence the environment to accommodate healthy living"
    action = next(a for a in objective["children"] if a["notation"] == "1.2.")
    assert action["label"] == "Support initiatives to increase healthy options in fast food outlets"
    assert action["line"] == 45
    assert [o["label"] for o in action["lead"]] == ["Leicester City Council"]
    assert action["measures"] == []
    assert [p["label"] for p in action["placeholders"]] == ["TBA"]
    assert [p["label"] for p in action["related"]] == ["Local Plan"]


def test_priority_with_several_themes_is_listed_once_and_referenced_elsewhere(client):
    tree = _plan(client, LEICESTER)["tree"]
    start = next(t for t in tree if t.get("label") == "Healthy Start")
    objective_a = str(mint("priority", LEICESTER, "a"))
    assert {"see": objective_a} in start["children"]


def test_plan_without_themes_starts_with_priorities(client):
    tree = _plan(client, HARBOROUGH)["tree"]
    priority = tree[0]
    assert (priority["kind"], priority["notation"], priority["label"]) == (
        "Priority",
        "1",
        "Housing for all",
    )
    action = priority["children"][0]
    assert (action["notation"], action["line"]) == ("1.a", 6)
    assert action["label"] == "Review policy as part of Local Plan refresh"
    assert [o["label"] for o in action["lead"]] == ["Harborough District Council Planning Policy"]
    assert [m["label"] for m in action["measures"]] == [
        "Achieve high design standards for new homes"
    ]


def test_progress_report_shows_the_strategy_commitments_it_reports_on(client):
    tree = _plan(client, "leicestershire-hwb-staying-healthy-progress-2025-05")["tree"]
    labels = []

    def walk(items):
        for item in items:
            labels.append((item.get("kind"), item.get("label")))
            walk(item.get("children", []))

    walk(tree)
    assert ("Initiative", "Healthy Workplaces Programme") in labels
    assert ("Commitment", "Sexual Health") in labels


def test_plan_page_html_flags_placeholders_and_links_partners(client):
    response = client.get(f"/plans/{LEICESTER}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert response.headers["Link"] == (
        f'</plans/{LEICESTER}.json>; rel="alternate"; type="application/json", '
        f'</plans/{LEICESTER}.csv>; rel="alternate"; type="text/csv"'
    )
    assert (
        '<span class="placeholder" title="Placeholder: names no measure">Placeholder “TBA”</span>'
        in html
    )
    assert 'href="/organisations/leicester-city-council">Leicester City Council</a>' in html
    assert f'href="/sources/{LEICESTER}#L45"' in html
    assert '<ul class="tree">' in html


def test_referenced_plan_lists_the_actions_naming_it(client):
    data = _plan(client, "local-plan")
    assert data["tree"] == []
    assert [a["notation"] for a in data["plan"]["related_by"]] == ["1.1.", "1.2.", "3.9."]
    assert "only named by other plans" in client.get("/plans/local-plan").get_data(as_text=True)


def test_unknown_plan_is_a_404(client):
    response = client.get("/plans/no-such-plan")
    assert response.status_code == 404 and "No plan of that name" in response.get_data(as_text=True)
    assert client.get("/plans/no-such-plan.json").mimetype == "text/plain"


def test_bad_plan_slug_or_suffix_is_a_404(client):
    assert client.get("/plans/Not_A_Slug").status_code == 404
    assert client.get(f"/plans/{LEICESTER}.ttl").status_code == 404
    assert client.get("/plans/leicester-city-council").status_code == 404  # an organisation


PLAN_COLUMNS = ["level", "notation", "label", "parent", "lead", "partners", "measures",
                "related_plans", "from_plan", "line", "iri"]  # fmt: skip


def _plan_csv(client, slug, **kwargs) -> list[dict[str, str]]:
    response = client.get(f"/plans/{slug}.csv", **kwargs)
    assert response.status_code == 200 and response.mimetype == "text/csv"
    reader = csv.DictReader(io.StringIO(response.get_data(as_text=True)))
    rows = list(reader)
    assert reader.fieldnames == PLAN_COLUMNS
    return rows


def test_plan_csv_is_the_tree_one_row_per_item(client):
    rows = _plan_csv(client, LEICESTER)
    levels = [r["level"] for r in rows]
    assert (levels.count("Theme"), levels.count("Objective"), levels.count("Action")) == (5, 18, 76)
    assert len(rows) == 99 and len({r["iri"] for r in rows}) == 99  # cross-references skipped
    assert [(r["level"], r["notation"], r["line"]) for r in rows[:4]] == [
        ("Theme", "", "11"), ("Objective", "A)", "43"), ("Action", "1.1.", "44"),
        ("Action", "1.2.", "45"),
    ]  # fmt: skip
    assert rows[0]["label"] == "Healthy Place"
    assert rows[1]["parent"] == "Healthy Place; Healthy Start; Healthy Lives"
    assert rows[3] == {
        "level": "Action",
        "notation": "1.2.",
        "label": "Support initiatives to increase healthy options in fast food outlets",
        "parent": "A)",
        "lead": "Leicester City Council",
        "partners": "",
        "measures": "TBA (placeholder)",
        "related_plans": "Local Plan",
        "from_plan": "",
        "line": "45",
        "iri": str(mint("action", LEICESTER, "1.2")),
    }


def test_plan_csv_keeps_a_measure_beside_its_placeholder(client):
    row = next(r for r in _plan_csv(client, LEICESTER) if r["notation"] == "2.11")
    assert (row["parent"], row["line"]) == ("B)", "52")
    assert row["measures"] == (
        "Number of formal actions taken against private and social landlords (Manifesto "
        "commitment). Number of rented properties licensed by the City Council (Manifesto "
        "commitment).; TBA (placeholder)"
    )


def test_plan_csv_of_a_plan_without_themes(client):
    rows = _plan_csv(client, HARBOROUGH)
    assert [(r["level"], r["notation"], r["label"], r["parent"], r["line"]) for r in rows[:2]] == [
        ("Priority", "1", "Housing for all", "", "5"),
        ("Action", "1.a", "Review policy as part of Local Plan refresh", "1", "6"),
    ]
    assert (rows[1]["lead"], rows[1]["measures"]) == (
        "Harborough District Council Planning Policy",
        "Achieve high design standards for new homes",
    )


def test_plan_csv_by_accept_header_and_linked_from_the_page(client):
    by_accept = client.get(f"/plans/{LEICESTER}", headers={"Accept": "text/csv"})
    assert by_accept.mimetype == "text/csv"
    assert by_accept.data == client.get(f"/plans/{LEICESTER}.csv").data
    html = client.get(f"/plans/{LEICESTER}").get_data(as_text=True)
    assert f'<a href="/plans/{LEICESTER}.csv">CSV</a>' in html
    assert f'href="/evidence/plan.zip?slug={LEICESTER}">Evidence pack (zip)</a>' in html
    assert 'Related plans: <a href="/plans/local-plan">Local Plan</a>' in html


def test_unknown_plan_csv_is_a_one_line_404(client):
    response = client.get("/plans/no-such-plan.csv")
    assert response.status_code == 404 and response.mimetype == "text/plain"
    assert response.get_data(as_text=True) == "No plan of that name\n"


def test_organisation_json(client):
    data = client.get("/organisations/leicester-city-council.json").get_json()
    org = data["organisation"]
    assert org["label"] == "Leicester City Council"
    assert org["gss"] == "E06000016" and org["ods"] is None
    assert org["kind"]["iri"] == str(mint("org-kind", "council"))
    assert "LCC" in org["aliases"]
    assert "Leicester City Council Public Health" in [u["label"] for u in org["units"]["Units"]]
    group = next(
        g
        for g in data["plans"]
        if g["plan"]["label"] == "Joint Health and Wellbeing Action Plan 2018-23"
    )
    assert group["items"][0]["role"] == "publisher"
    action = next(i for i in group["items"] if i.get("notation") == "1.2.")
    assert (action["role"], action["line"], action["kind"]) == ("lead", 45, "Action")


def test_nhs_organisation_has_its_ods_code(client):
    org = client.get("/organisations/llr-icb.json").get_json()["organisation"]
    assert org["ods"] == "QK1"


def test_team_is_part_of_its_council_and_leads_harborough_actions(client):
    data = client.get("/organisations/harborough-planning-policy.json").get_json()
    assert [u["label"] for u in data["organisation"]["units"]["Part of"]] == [
        "Harborough District Council"
    ]
    [group] = data["plans"]
    assert group["plan"]["iri"] == str(mint("plan", HARBOROUGH))
    assert [(i["notation"], i["line"]) for i in group["items"]] == [
        ("1.a", 6),
        ("2.a", 12),
        ("2.b", 13),
    ]


def test_organisation_csv(client):
    response = client.get("/organisations/harborough-planning-policy.csv")
    assert response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0] == ["plan", "plan_label", "role", "kind", "item", "notation", "label", "line"]
    assert rows[1][2:] == [
        "lead",
        "Action",
        str(mint("action", HARBOROUGH, "1.a")),
        "1.a",
        "Review policy as part of Local Plan refresh",
        "6",
    ]


def test_organisation_page_html(client):
    response = client.get("/organisations/leicester-city-council")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<dd><code>E06000016</code></dd>" in html
    assert "text/csv" in response.headers["Link"] and "application/json" in response.headers["Link"]
    assert f'href="/plans/{LEICESTER}"' in html


def test_unknown_organisation_is_a_404(client):
    response = client.get("/organisations/no-such-org")
    assert response.status_code == 404
    assert client.get("/organisations/no-such-org.csv").mimetype == "text/plain"
    assert client.get(f"/organisations/{LEICESTER}").status_code == 404  # a plan


def test_page_for_links_plans_and_organisations_only(app):
    from webapp import browse
    from webapp.plans import ORGANIZATION, page_for

    assert browse.page_for is page_for  # entities.py links through browse.page_for

    with app.test_request_context():
        assert (
            page_for(str(mint("plan", LEICESTER)), [str(HWB.ActionPlan)]) == f"/plans/{LEICESTER}"
        )
        assert page_for(str(mint("org", "llr-icb")), [ORGANIZATION]) == "/organisations/llr-icb"
        assert page_for(str(mint("action", LEICESTER, "1.2")), [str(HWB.Action)]) is None
        assert page_for(str(mint("plan", LEICESTER)), [str(HWB.Action)]) is None


def test_organisation_roles_are_paged_by_plan(client, monkeypatch):
    monkeypatch.setattr("webapp.browse.PLANS_PER_PAGE", 2)
    url = "/organisations/leicester-city-council"
    every = len(list(csv.DictReader(io.StringIO(client.get(url + ".csv").text))))
    first = client.get(url + ".json").get_json()
    assert len(first["plans"]) == 2 and first["total_plans"] > 2
    assert first["next"] == url + ".json?page=2"
    pages = [client.get(f"{url}.json?page={n}").get_json() for n in range(1, first["pages"] + 1)]
    assert sum(len(g["items"]) for p in pages for g in p["plans"]) == every
    assert 'rel="next"' in client.get(url).get_data(as_text=True)
    assert client.get(f"{url}.json?page={first['pages'] + 1}").status_code == 400
