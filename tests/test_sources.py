"""The source viewer: /sources, /sources.json, /sources/<slug> (+ .txt) and its 404s."""

from __future__ import annotations

from webapp import sources

SLUG = "leicester-jhwb-action-plan-2018-23"


def test_index_lists_every_source(client):
    response = client.get("/sources")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f'href="/sources/{SLUG}"' in html
    assert response.headers["Link"] == '</sources.json>; rel="alternate"; type="application/json"'


def test_index_as_json(client):
    sources = client.get("/sources.json").get_json()["sources"]
    by_slug = {s["slug"]: s for s in sources}
    assert len(sources) == 5
    assert by_slug[SLUG]["file"] == "leicester-jhwb-action-plan-2018-23.txt"
    assert by_slug[SLUG]["lines"] == 143  # 142 newlines, no newline after the last line
    assert by_slug["harborough-hw-action-plan-2022-23"]["lines"] == 38


def test_index_is_paged(client, monkeypatch):
    monkeypatch.setattr(sources, "PER_PAGE", 2)
    found = client.get("/sources.json", query_string={"page": 3}).get_json()
    assert [s["file"] for s in found["sources"]] == [
        "leicestershire-hwb-staying-healthy-progress-2025-05.txt"
    ]  # the last of the five in file-name order
    assert (found["page"], found["pages"], found["total"]) == (3, 3, 5)
    assert found["previous"] == "/sources.json?page=2" and found["next"] is None
    html = client.get("/sources", query_string={"page": 2}).get_data(as_text=True)
    assert "Documents 3 to 4 of 5." in html
    assert '<a href="/sources?page=3" rel="next">Next page</a>' in html
    refused = client.get("/sources.json", query_string={"page": 4})
    assert refused.status_code == 400
    assert refused.get_data(as_text=True) == "page must be a whole number from 1 to 3\n"


def test_source_page_numbers_and_anchors_every_line(client):
    response = client.get(f"/sources/{SLUG}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert html.count('class="line" id="L') == 143
    assert '<div class="line" id="L45"><a class="ln" href="#L45"' in html
    assert '<link rel="stylesheet" href="/static/sources/source.css">' in html
    with client.get("/static/sources/source.css") as style:
        assert ".line:target" in style.get_data(as_text=True)
    assert "differs from the version" not in html


def test_source_line_shows_its_text_and_the_nodes_read_from_it(client):
    html = client.get(f"/sources/{SLUG}").get_data(as_text=True)
    line = html[html.index('id="L45"') : html.index('id="L46"')]
    assert "Support initiatives to increase healthy options in fast food outlets" in line
    assert f'href="/id/action/{SLUG}/1.2"' in line


def test_source_page_links_its_plain_text(client):
    response = client.get(f"/sources/{SLUG}")
    assert response.headers["Link"] == f'</sources/{SLUG}.txt>; rel="alternate"; type="text/plain"'
    text = client.get(f"/sources/{SLUG}.txt")
    assert text.mimetype == "text/plain"
    assert text.get_data(as_text=True).splitlines()[44].startswith("\t1.2.\tSupport initiatives")


def test_unknown_source_is_a_404(client):
    response = client.get("/sources/no-such-document")
    assert response.status_code == 404
    assert "No source document of that name" in response.get_data(as_text=True)


def test_bad_slug_is_a_404_not_a_500(client):
    assert client.get("/sources/..%2Fsources.toml").status_code == 404
    assert client.get("/sources/Not_A_Slug").status_code == 404


def test_unknown_source_text_is_a_plain_404(client):
    response = client.get("/sources/no-such-document.txt")
    assert response.status_code == 404 and response.mimetype == "text/plain"


def test_sources_are_read_from_the_build_not_the_manifest_folder(make_app, config, tmp_path):
    """A web process on another host has no data/sources/: the build carries its copy."""
    elsewhere = make_app(MANIFEST=tmp_path / "nowhere" / "sources.toml").test_client()
    name = "harborough-hw-action-plan-2022-23"
    response = elsewhere.get(f"/sources/{name}.txt")
    assert response.status_code == 200
    original = (config["MANIFEST"].parent / f"{name}.txt").read_bytes()
    assert response.get_data() == original
