"""The source manifest: the real one reads, and every malformation is a one-line error."""

import hashlib
from pathlib import Path

import pytest

from graph.manifest import ManifestError, load_manifest
from vocab.inputs import InputError

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


# SHA-256 of the councils' documents as first received (../shared/sources/ on 2026-11-29):
# the project's copies must stay byte for byte what the graph's line numbers refer to.
RECEIVED = {
    "harborough-hw-action-plan-2022-23.txt":
        "833c93bc5432a795db64ba15e0c1be52fa264658a00b88a52635b14086a3733b",
    "leicester-health-care-wellbeing-strategy-2022-27-draft-v4.txt":
        "1e3ea7def56710711be029dcee65afa045af926efecc3c87a6fb335b430c4eec",
    "leicester-jhwb-action-plan-2018-23.txt":
        "9e7f2e51533800099ffd8e244dac80134f5fdd8aafd4be29bf4aafee3eda5049",
    "leicester-jhws-refresh-proposed-priorities-2021.txt":
        "6e997b33e6a91bd473e736174ec578301017778f8e9a032e762321ae75f2007a",
    "leicestershire-hwb-staying-healthy-progress-2025-05.txt":
        "c5d8f39ee357f83e6f3c92aa45f3097cc44de59c68d5bb64390086ad491c9caf",
}  # fmt: skip


def test_the_sources_are_the_documents_as_received(config):
    found = {
        s.file_name: hashlib.sha256(s.path.read_bytes()).hexdigest()
        for s in load_manifest(config["MANIFEST"])
    }
    assert found == RECEIVED


@pytest.mark.skipif(not SHARED.is_dir(), reason="shared sources folder not present")
def test_the_project_keeps_the_shared_sources_byte_for_byte(config):
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
        ("# nothing yet\n", "no \\[\\[source\\]\\] entries"),
        (ENTRY.replace('kind="strategy"', 'kind="poem"'), "kind 'poem' is not one of"),
        (ENTRY.replace('file="a.txt"', 'file="missing.txt"'), "file not found"),
        (ENTRY.replace('title="A"\n', ""), "missing title"),
        (ENTRY + ENTRY, "slug 'a' appears twice"),
        ('source = "a.txt"\n', "'source' must be \\[\\[source\\]\\] tables"),
        (ENTRY.replace('slug="a"', "slug=5"), ": slug must be text"),
        (ENTRY.replace('file="a.txt"', 'file="a\\u0000.txt"'), "holds a NUL character"),
        (ENTRY + 'sha256 = "ABC"\n', "sha256 'ABC' is not 64 lower-case hex digits"),
    ],
)
def test_a_bad_manifest_is_a_clear_error(tmp_path, body, message):
    with pytest.raises(InputError, match=message):
        load_manifest(write(tmp_path, body))


def test_a_missing_manifest_is_a_clear_error(tmp_path):
    with pytest.raises(ManifestError, match="manifest not found"):
        load_manifest(tmp_path / "nope.toml")
