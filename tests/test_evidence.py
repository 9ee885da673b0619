"""Evidence packs: graph/evidence.py and the /evidence routes.

The quoted line was read by hand: line 45 of leicester-jhwb-action-plan-2018-23.txt is
action 1.2, whose measure cell is "TBA".
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import zipfile
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib.plugins.sparql import prepareQuery

from graph import evidence, network_queries
from vocab.ids import mint

SOURCES = Path(__file__).resolve().parent.parent / "data" / "sources"
LINE_45 = (
    "\t1.2.\tSupport initiatives to increase healthy options in fast food outlets "
    "(<i>Stretch</i>)\tLCC\tLocal Plan\tTBA\t"
)
ACTION_1_2 = "https://w3id.org/hwbkg/id/action/leicester-jhwb-action-plan-2018-23/1.2"
PREFIXES_USED = (
    "PREFIX hwb: <https://w3id.org/hwbkg/def#>\n"
    "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
)


def opened(response) -> zipfile.ZipFile:
    assert response.status_code == 200
    assert response.mimetype == "application/zip"
    return zipfile.ZipFile(io.BytesIO(response.data))


@pytest.fixture(scope="module")
def placeholder_pack(app):
    return opened(app.test_client().get("/evidence/queries/placeholder-measures.zip"))


def test_query_pack_holds_rows_sparql_build_and_appendix(placeholder_pack, client):
    assert placeholder_pack.namelist() == [
        "README.txt",
        "data.csv",
        "sparql/placeholder-measures.rq",
        "build.json",
        "appendix.md",
    ]
    rows = list(csv.DictReader(io.StringIO(placeholder_pack.read("data.csv").decode())))
    assert len(rows) == 33  # 30 in the 2018-23 plan, 1 in Harborough's, 2 proposed priorities
    assert rows[1]["item"] == ACTION_1_2 and rows[1]["placeholder"] == "TBA"
    rq = placeholder_pack.read("sparql/placeholder-measures.rq").decode()
    text = (Path("queries") / "placeholder-measures.rq").read_text(encoding="utf-8")
    assert rq == PREFIXES_USED + text  # the store supplied the prefixes; the file declares them
    parsed_queries(placeholder_pack)
    readme = placeholder_pack.read("README.txt").decode()
    assert readme.startswith("Actions and priorities whose measure is a placeholder\n")
    assert "Rows: 33." in readme
    assert "Where: http://localhost/queries/placeholder-measures\n" in readme
    response = client.get("/evidence/queries/placeholder-measures.zip")
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="placeholder-measures-evidence.zip"'
    )


def test_build_file_checksums_match_the_sources(placeholder_pack):
    build = json.loads(placeholder_pack.read("build.json"))
    assert build["build"] == "https://w3id.org/hwbkg/id/build/latest"
    assert build["endedAtTime"]
    on_disk = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in SOURCES.glob("*.txt")}
    assert {s["file"]: s["sha256"] for s in build["sources"]} == on_disk
    assert len(on_disk) == 5


def test_appendix_quotes_the_line_behind_a_row(placeholder_pack):
    appendix = placeholder_pack.read("appendix.md").decode()
    assert f"### line 45\n\n> {LINE_45}\n\nCited for: {ACTION_1_2}\n" in appendix
    assert (SOURCES / "leicester-jhwb-action-plan-2018-23.txt").read_text(
        encoding="utf-8"
    ).splitlines()[44] == LINE_45
    assert "has changed since the build" not in appendix


def test_audit_pack_follows_the_page_filters(client):
    pack = opened(client.get("/evidence/audit.zip?plan=harborough-hw-action-plan-2022-23"))
    assert pack.namelist() == [
        "README.txt",
        "data.csv",
        "sparql/warned-nodes.rq",
        "sparql/load-issues.rq",
        "sparql/line-owners.rq",
        "sparql/owners.rq",
        "sparql/document-plans.rq",
        "build.json",
        "appendix.md",
    ]
    rows = list(csv.DictReader(io.StringIO(pack.read("data.csv").decode())))
    assert [(r["kind"], r["line"]) for r in rows] == [
        ("no lead", "20"),
        ("unknown partner alias", "20"),
        ("load issue", "20"),
        ("placeholder measure", "28"),
    ]
    assert "VALUES (?node ?kind)" in parsed_queries(pack)["sparql/warned-nodes.rq"]
    appendix = pack.read("appendix.md").decode()
    assert (
        "### line 20\n\n> 3.c\tEnsure advice and support for vulnerable\t"
        "Commission free advice and support for\t2022/23\tCommunity\t"
        "Quarterly updates and annual Scrutiny\tNumber of clients supported\n"
    ) in appendix
    readme = pack.read("README.txt").decode()
    assert readme.startswith("Audit worklist: Health & Wellbeing Strategy Action Plan 2022/23\n")
    assert "Where: http://localhost/audit?plan=harborough-hw-action-plan-2022-23" in readme


@pytest.mark.parametrize(
    "url",
    [
        "/evidence/queries/no-such-query.zip",
        "/evidence/queries/BAD_name.zip",
        "/evidence/network-x.zip",
        "/evidence/alignment.zip",
    ],
)
def test_unknown_names_are_404_in_one_line(client, url):
    response = client.get(url)
    assert response.status_code == 404
    assert response.mimetype == "text/plain"
    assert response.get_data(as_text=True).count("\n") == 1


def test_registry_names_every_view_with_a_pack():
    from webapp.evidence import VIEWS

    assert set(VIEWS) == {
        "audit", "network-organisations", "network-pairs", "alignment-matrix", "organisation",
        "alignment-gaps", "alignment-coverage", "alignment-versions", "plan",
    }  # fmt: skip


def test_appendix_warns_when_a_source_changed_since_the_build(oxigraph, tmp_path):
    (tmp_path / "leicester-jhwb-action-plan-2018-23.txt").write_text("edited\n", encoding="utf-8")
    view = evidence.View("t", "T", ["action"], [[ACTION_1_2]], {})
    cited = evidence.citations(oxigraph, view.rows)
    assert cited.lines == {"leicester-jhwb-action-plan-2018-23.txt": {45: [ACTION_1_2]}}
    text = evidence.appendix(view, evidence.build_info(oxigraph), cited, tmp_path)
    assert "leicester-jhwb-action-plan-2018-23.txt has changed since the build" in text
    assert "> (line not available)" in text
    missing = evidence.appendix(view, evidence.build_info(oxigraph), cited, tmp_path / "gone")
    assert "cannot be read" in missing


def test_instance_iris_are_found_in_cells_in_order():
    rows = [["x", f"{ACTION_1_2} https://w3id.org/hwbkg/id/org/nhs"], [ACTION_1_2, "y"]]
    assert evidence.instance_iris(rows) == [ACTION_1_2, "https://w3id.org/hwbkg/id/org/nhs"]


# Packs of the network and alignment tables. Figures were counted by hand: see
# tests/test_network.py for the 2018-23 network (LCC leads 71 action rows, 44 alone, and
# shares 7 with LPT: 7.4, 9.2, 10.1, 13.1, 13.2, 13.3 and the unnumbered row at line 130);
# lines 114-119 of leicester-jhws-refresh-proposed-priorities-2021.txt are the ICS mapping
# table, whose line 115 reads "Healthy Places<TAB>No ICS equivalent".

PLAN_2018 = "leicester-jhwb-action-plan-2018-23"
PROPOSALS = "leicester-jhws-refresh-proposed-priorities-2021"
ICS_2021 = f"from={PROPOSALS}&to=llr-ics-priorities"
LCC = str(mint("org", "leicester-city-council"))
LPT = str(mint("org", "leicestershire-partnership-nhs-trust"))
HEALTHY_PLACES = str(mint("theme", PROPOSALS, "healthy-places"))
LINE_115_RECORD = str(mint("mapping", PROPOSALS, "l115-1"))


def table(pack: zipfile.ZipFile) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(pack.read("data.csv").decode())))


def parsed_queries(pack: zipfile.ZipFile) -> dict[str, str]:
    """Every .rq of the pack, each checked to be non-empty and to parse on its own."""
    found = {n: pack.read(n).decode() for n in pack.namelist() if n.endswith(".rq")}
    assert found
    for name, text in found.items():
        assert text.strip(), name
        # rdflib knows rdf:, rdfs:, owl: and xsd: unasked; Oxigraph knows no prefix at all.
        prepareQuery(text)
        ox.Store().query(text)
    return found


@pytest.fixture(scope="module")
def organisations_pack(app):
    url = f"/evidence/network-organisations.zip?plan={PLAN_2018}"
    return opened(app.test_client().get(url))


def test_network_organisations_pack_keeps_the_items_behind_each_row(organisations_pack):
    rows = table(organisations_pack)
    lcc = rows[0]
    assert (lcc["organisation"], lcc["label"], lcc["led"], lcc["sole"]) == (
        LCC, "Leicester City Council", "71", "44",
    )  # fmt: skip
    led = lcc["lead_items"].split()
    assert len(led) == 71 and ACTION_1_2 in led and lcc["partner_items"] == ""
    appendix = organisations_pack.read("appendix.md").decode()
    assert f"### line 45\n\n> {LINE_45}\n\nCited for: {ACTION_1_2}\n" in appendix
    readme = organisations_pack.read("README.txt").decode()
    assert readme.startswith(
        "Partner network, organisations: Joint Health and Wellbeing Action Plan 2018-23\n"
    )
    assert f"Where: http://localhost/network?plan={PLAN_2018}\n" in readme


def test_network_pack_sparql_is_what_ran_and_runs_on_its_own(organisations_pack, oxigraph):
    found = parsed_queries(organisations_pack)
    assert set(found) == {
        "sparql/links.rq", "sparql/themes.rq", "sparql/plans_by_organisation.rq",
    }  # fmt: skip
    links = found["sparql/links.rq"]
    plan = mint("plan", PLAN_2018)
    assert links.startswith("# Ran with ?plan substituted (SEP-0007).\nPREFIX hwb: ")
    assert links.endswith(f"VALUES (?plan) {{ (<{plan}>) }}\n")
    assert network_queries.LINKS.format(work=network_queries.WORK, themed="") in links
    # Run as a stranger would run it, with no prefixes or bindings handed over:
    led = {
        row["item"].value
        for row in oxigraph.query(links, use_default_graph_as_union=True)
        if row["org"].value == LCC and row["role"].value == "lead"
    }
    assert len(led) == 71


def test_network_pairs_pack_lists_the_shared_items(client):
    pack = opened(client.get(f"/evidence/network-pairs.zip?plan={PLAN_2018}&role=lead"))
    top = table(pack)[0]
    assert (top["source"], top["target"], top["weight"], top["joint_lead"]) == (LCC, LPT, "7", "7")
    shared = {i.rsplit("/", 1)[-1] for i in top["items"].split()}
    assert shared == {"7.4", "9.2", "10.1", "13.1", "13.2", "13.3", "l130"}
    parsed_queries(pack)
    readme = pack.read("README.txt").decode()
    assert f"Where: http://localhost/network?plan={PLAN_2018}&role=lead\n" in readme
    assert "keeping lead links only" in readme


@pytest.fixture(scope="module")
def matrix_pack(app):
    return opened(app.test_client().get(f"/evidence/alignment-matrix.zip?{ICS_2021}&level=theme"))


def test_alignment_pack_cites_the_no_equivalent_line(matrix_pack):
    rows = [r for r in table(matrix_pack) if r["from_iri"] == HEALTHY_PLACES]
    assert len(rows) == 4  # one per ICS priority
    assert {(r["kind"], r["records"], r["citations"]) for r in rows} == {
        ("no equivalent", LINE_115_RECORD, f"/sources/{PROPOSALS}#L115")
    }
    appendix = matrix_pack.read("appendix.md").decode()
    assert (
        f"### line 115\n\n> Healthy Places\tNo ICS equivalent\n\nCited for: {LINE_115_RECORD}\n"
    ) in appendix
    assert (SOURCES / f"{PROPOSALS}.txt").read_text(encoding="utf-8").splitlines()[114] == (
        "Healthy Places\tNo ICS equivalent"
    )
    assert set(parsed_queries(matrix_pack)) == {"sparql/items.rq", "sparql/records.rq"}
    readme = matrix_pack.read("README.txt").decode()
    assert f"Where: http://localhost/alignment?{ICS_2021}&level=theme\n" in readme


def test_gaps_pack_names_the_records(client):
    pack = opened(client.get(f"/evidence/alignment-gaps.zip?{ICS_2021}"))
    rows = table(pack)
    assert [(r["label"], r["status"]) for r in rows[:2]] == [
        ("Healthy Places", "no equivalent"), ("Healthy Minds", "no equivalent"),
    ]  # fmt: skip
    assert rows[0]["records"] == LINE_115_RECORD
    assert (
        "### line 116\n\n> Healthy Minds\tNo ICS equivalent\n" in pack.read("appendix.md").decode()
    )


@pytest.mark.parametrize(
    ("pack", "page"),
    [
        (f"network-organisations.zip?plan={PLAN_2018}", f"/network.csv?plan={PLAN_2018}"),
        (f"alignment-matrix.zip?{ICS_2021}", f"/alignment.csv?{ICS_2021}"),
        (f"alignment-gaps.zip?{ICS_2021}", f"/alignment/gaps.csv?{ICS_2021}"),
        ("alignment-coverage.zip", "/alignment/coverage.csv"),
        ("alignment-versions.zip", "/alignment/versions.csv"),
    ],
)
def test_pack_rows_are_the_rows_the_page_shows(client, pack, page):
    shown = list(csv.DictReader(io.StringIO(client.get(page).get_data(as_text=True))))
    packed = table(opened(client.get(f"/evidence/{pack}")))
    assert shown
    assert [{c: r[c] for c in shown[0]} for r in packed] == shown


def test_coverage_pack_quotes_the_lines_behind_each_count(client):
    """Proposals 5-7 (lines 97-99) serve Best Start in Life through their strand, mapped to
    it on line 117; 2018-23 action 1.2 (line 45) through its row's START tag (line 43)."""
    pack = opened(client.get("/evidence/alignment-coverage.zip"))
    start = next(
        r for r in table(pack) if (r["label"], r["plan"]) == ("Best Start in Life", PROPOSALS)
    )
    six = str(mint("priority", PROPOSALS, "6"))
    assert start["priority_iris"].split() == [str(mint("priority", PROPOSALS, n)) for n in "567"]
    assert start["records"] == str(mint("mapping", PROPOSALS, "l117-1"))
    appendix = pack.read("appendix.md").decode()
    assert (
        f"### line 98\n\n> \t6\tMitigating the impacts of poverty on children and young people."
        f"\n\nCited for: {six}\n" in appendix
    )
    assert "### line 117\n\n> Healthy Start\tBest Start in Life\n" in appendix
    assert f"### line 45\n\n> {LINE_45}\n\nCited for: {ACTION_1_2}\n" in appendix
    assert "## Curated: leicester-themes-across-plans.sssom.tsv" in appendix


def test_versions_pack_quotes_both_documents(client):
    pack = opened(client.get("/evidence/alignment-versions.zip"))
    kept = table(pack)[0]
    assert (kept["status"], kept["older_notation"], kept["newer_notation"]) == ("kept", "1", "1")
    appendix = pack.read("appendix.md").decode()
    assert f"## {PROPOSALS}.txt" in appendix
    assert "## leicester-health-care-wellbeing-strategy-2022-27-draft-v4.txt" in appendix
    assert "Curated: " in appendix  # the curated records of the 2021-to-2022 mapping set
    parsed_queries(pack)


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("/evidence/network-organisations.zip?plan=nowhere", "unknown plan (known: "),
        ("/evidence/network-pairs.zip?role=boss", "unknown role (known: lead, partner)"),
        ("/evidence/alignment-matrix.zip?level=cell", "level must be one of all, theme, priority"),
        ("/evidence/alignment-gaps.zip?to=x", "to names no plan with themes or priorities"),
        ("/evidence/alignment-coverage.zip?to=x", "to names no plan with themes or priorities"),
        ("/evidence/alignment-versions.zip?from=x", "from names no plan with themes"),
    ],
)
def test_bad_filters_are_400_in_one_line(client, url, message):
    response = client.get(url)
    assert response.status_code == 400
    assert response.mimetype == "text/plain"
    text = response.get_data(as_text=True)
    assert message in text and text.count("\n") == 1


def test_pages_link_to_their_packs_with_the_same_filters(client):
    html = client.get(f"/network?plan={PLAN_2018}&role=lead").get_data(as_text=True)
    for name in ("network-organisations", "network-pairs"):
        assert (
            f'href="/evidence/{name}.zip?plan={PLAN_2018}&amp;role=lead">Evidence pack (zip)'
            in html
        )
    for page, name in [
        ("/alignment", "alignment-matrix"),
        ("/alignment/gaps", "alignment-gaps"),
        ("/alignment/coverage", "alignment-coverage"),
        ("/alignment/versions", "alignment-versions"),
    ]:
        html = client.get(f"{page}?{ICS_2021}").get_data(as_text=True)
        link = f'href="/evidence/{name}.zip?{ICS_2021.replace("&", "&amp;")}">Evidence pack (zip)'
        assert link in html, page


def test_query_file_declares_prefixes_and_binds_values():
    text = "SELECT ?plan ?x WHERE { ?x hwb:plan ?plan }"
    bound = {"plan": str(ox.NamedNode(str(mint("plan", PLAN_2018))))}
    out = evidence.query_file(text, bound)
    assert out.splitlines()[1:] == [
        "PREFIX hwb: <https://w3id.org/hwbkg/def#>",
        text,
        f"VALUES (?plan) {{ (<{mint('plan', PLAN_2018)}>) }}",
    ]
    ox.Store().query(out)
    assert evidence.query_file("SELECT * WHERE { ?s <http://x.org/skos:y> ?o }").startswith(
        "SELECT"
    )


def test_organisation_pack_is_the_page_table_with_its_lines(client):
    pack = opened(client.get("/evidence/organisation.zip?slug=leicester-city-council"))
    shown = list(
        csv.DictReader(
            io.StringIO(
                client.get("/organisations/leicester-city-council.csv").get_data(as_text=True)
            )
        )
    )
    assert table(pack) == shown
    assert {"role": "lead", "item": ACTION_1_2, "line": "45"}.items() <= next(
        r for r in shown if r["item"] == ACTION_1_2
    ).items()
    assert (
        f"### line 45\n\n> {LINE_45}\n\nCited for: {ACTION_1_2}\n"
        in pack.read("appendix.md").decode()
    )
    found = parsed_queries(pack)
    assert set(found) == {f"sparql/{n}.rq" for n in ("role-links", "own-plans", "owners", "items")}
    assert found["sparql/role-links.rq"].endswith(f"VALUES (?org) {{ (<{LCC}>) }}\n")
    assert "VALUES" not in found["sparql/own-plans.rq"]  # every item's plan: joined in code
    assert f"<{ACTION_1_2}>" in found["sparql/items.rq"]
    readme = pack.read("README.txt").decode()
    assert "Where: http://localhost/organisations/leicester-city-council\n" in readme
    page = client.get("/organisations/leicester-city-council").get_data(as_text=True)
    assert (
        'href="/evidence/organisation.zip?slug=leicester-city-council">Evidence pack (zip)' in page
    )


@pytest.mark.parametrize("query", ["", "?slug=nobody", "?slug=../x"])
def test_organisation_pack_of_no_organisation_is_404_in_one_line(client, query):
    response = client.get(f"/evidence/organisation.zip{query}")
    assert response.status_code == 404 and response.mimetype == "text/plain"
    assert response.get_data(as_text=True).count("\n") == 1


def test_plan_pack_is_the_page_table_with_its_lines(client):
    pack = opened(client.get(f"/evidence/plan.zip?slug={PLAN_2018}"))
    shown = list(
        csv.DictReader(io.StringIO(client.get(f"/plans/{PLAN_2018}.csv").get_data(as_text=True)))
    )
    assert len(shown) == 99 and table(pack) == shown
    assert {"measures": "TBA (placeholder)", "line": "45", "iri": ACTION_1_2}.items() <= next(
        r for r in shown if r["iri"] == ACTION_1_2
    ).items()
    assert (
        f"### line 45\n\n> {LINE_45}\n\nCited for: {ACTION_1_2}\n"
        in pack.read("appendix.md").decode()
    )
    found = parsed_queries(pack)
    assert set(found) == {"sparql/nodes.rq", "sparql/links.rq", "sparql/details.rq"}
    plan = mint("plan", PLAN_2018)
    assert found["sparql/nodes.rq"].endswith(f"VALUES (?plan) {{ (<{plan}>) }}\n")
    for name in ("links", "details"):  # asked of the 99 items NODES found, by name
        text = found[f"sparql/{name}.rq"]
        assert "?plan" not in text and text.count("<https://w3id.org/hwbkg/id/") == 99
        assert f"<{ACTION_1_2}>" in text
    readme = pack.read("README.txt").decode()
    assert readme.startswith(
        "Themes, priorities and actions: Joint Health and Wellbeing Action Plan 2018-23\n"
    )
    assert f"Where: http://localhost/plans/{PLAN_2018}\n" in readme and "Rows: 99." in readme


@pytest.mark.parametrize("query", ["", "?slug=nowhere", "?slug=../x"])
def test_plan_pack_of_no_plan_is_404_in_one_line(client, query):
    response = client.get(f"/evidence/plan.zip{query}")
    assert response.status_code == 404 and response.mimetype == "text/plain"
    assert response.get_data(as_text=True).count("\n") == 1
