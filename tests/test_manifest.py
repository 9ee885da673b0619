"""The source manifest: the real one reads, and every malformation is a one-line error."""

import hashlib
from pathlib import Path

import pytest

from graph.manifest import ManifestError, load_manifest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "sources"


def test_the_manifest_lists_the_five_sources(config):
    sources = load_manifest(config["MANIFEST"])
    assert [s.kind for s in sources] == [
        "action plan",
        "proposed priorities",
        "progress report",
        "action plan",
        "strategy",
    ]
    assert {s.area for s in sources} == {"leicester", "leicestershire", "harborough"}
    assert next(s for s in sources if s.area == "leicestershire").issued == "2025-05-29"


@pytest.mark.skipif(not SHARED.is_dir(), reason="shared sources folder not present")
def test_the_project_keeps_the_sources_byte_for_byte(config):
    for source in load_manifest(config["MANIFEST"]):
        original = SHARED / source.file_name
        assert (
            hashlib.sha256(original.read_bytes()).digest()
            == hashlib.sha256(source.path.read_bytes()).digest()
        ), source.file_name


def write(tmp_path, body):
    (tmp_path / "a.txt").write_text("x\n")
    path = tmp_path / "sources.toml"
    path.write_text(body)
    return path


ENTRY = (
    '[[source]]\nslug="a"\nfile="a.txt"\ntitle="A"\npublishers=["x"]\narea="leicester"\n'
    'kind="strategy"\nperiod="2020"\nstatus="final"\nloader="leicester-strategy"\ntitle_line=1\n'
)


@pytest.mark.parametrize(
    "body, message",
    [
        ("[[source]\n", "not valid TOML"),
        ("", "no \\[\\[source\\]\\] entries"),
        (ENTRY.replace('kind="strategy"', 'kind="poem"'), "kind 'poem' is not one of"),
        (ENTRY.replace('file="a.txt"', 'file="missing.txt"'), "file not found"),
        (ENTRY.replace('title="A"\n', ""), "missing title"),
        (ENTRY + ENTRY, "slug 'a' appears twice"),
    ],
)
def test_a_bad_manifest_is_a_clear_error(tmp_path, body, message):
    with pytest.raises(ManifestError, match=message):
        load_manifest(write(tmp_path, body))


def test_a_missing_manifest_is_a_clear_error(tmp_path):
    with pytest.raises(ManifestError, match="manifest not found"):
        load_manifest(tmp_path / "nope.toml")
