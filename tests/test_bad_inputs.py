"""Bad input files: each is refused by `hwbkg build` in one line naming the file (and the
line), exit status 2, and the build being served stays the current one.

Each test builds into a root of its own that serves a copy of the session's build
(conftest ``own_root``); files that are not text are made here rather than committed.
"""

import hashlib
import shutil
from pathlib import Path

import pytest

from cli.main import main
from graph import builds, shrink
from graph.curated import MAPPINGS_DIR as MAPS
from graph.settings import ROOT
from graph.validate import load_shapes
from loaders import LOADERS
from vocab.inputs import InputError

BAD = ROOT / "tests" / "data" / "bad"
SOURCES = ROOT / "data" / "sources"
HARBOROUGH = SOURCES / "harborough-hw-action-plan-2022-23.txt"
ENTRY = """[[source]]
slug = "harborough-hw-action-plan-2022-23"
file = {file}
title = "Health & Wellbeing Strategy Action Plan 2022/23"
publishers = ["harborough-district-council"]
area = "harborough"
kind = "action plan"
period = "2022/23"
status = "final"
loader = "{loader}"
title_line = {title_line}
"""
WHERE = "sources.toml source #1 (harborough-hw-action-plan-2022-23)"
GUARD = (
    "hwbkg build: not published: the graph shrank against build {id} ({what}); "
    "if that is intended, build with --accept-shrink"
)


def manifest(
    tmp_path,
    data: bytes | None = None,
    file='"plan.txt"',
    title_line="3",
    loader="district-action-plan",
    extra="",
) -> Path:
    """A one-source manifest in ``tmp_path/sources``, its file holding ``data``."""
    folder = tmp_path / "sources"
    folder.mkdir(exist_ok=True)
    if data is not None:
        (folder / "plan.txt").write_bytes(data)
    path = folder / "sources.toml"
    path.write_text(ENTRY.format(file=file, title_line=title_line, loader=loader) + extra)
    return path


def refused(capsys, root: Path, *argv: str) -> str:
    """Run `hwbkg build` on ``root``; check it refused in one line and published nothing."""
    before = builds.current(root).id
    status = main(["--build-dir", str(root), "build", *argv])
    out, err = capsys.readouterr()
    assert status == 2 and out == ""
    assert len(err.splitlines()) == 1, err
    assert builds.current(root).id == before
    assert [p.name for p in (root / "builds").iterdir()] == [before]
    return err.rstrip("\n")


# Sources that are not text ---------------------------------------------------------


@pytest.mark.parametrize("data", [b"", b"\n  \n\t\n"], ids=["no-bytes", "blank-lines"])
def test_an_empty_source(tmp_path, own_root, capsys, data):
    path = manifest(tmp_path, data)
    assert refused(capsys, own_root, "--manifest", str(path)) == (
        "hwbkg build: plan.txt: empty (no text)"
    )


def test_a_binary_source_names_the_line_of_its_nul_byte(tmp_path, own_root, capsys):
    path = manifest(tmp_path, b"Harborough\nHealth\x00\x01\x02 plan\n")
    assert refused(capsys, own_root, "--manifest", str(path)) == (
        "hwbkg build: plan.txt line 2: NUL byte (a binary file, not text)"
    )


def test_a_utf16_source_is_binary_from_its_first_line(tmp_path, own_root, capsys):
    path = manifest(tmp_path, "Harborough\nplan\n".encode("utf-16-le"))
    assert refused(capsys, own_root, "--manifest", str(path)) == (
        "hwbkg build: plan.txt line 1: NUL byte (a binary file, not text)"
    )


def test_a_latin1_source_names_the_line_and_byte(tmp_path, own_root, capsys):
    path = manifest(tmp_path, "Harborough\n\nCafé society\n".encode("latin-1"))
    assert refused(capsys, own_root, "--manifest", str(path)) == (
        "hwbkg build: plan.txt line 3: not UTF-8 (byte 0xe9 at column 4); save the file as UTF-8"
    )


def test_a_truncated_source_fails_its_sha256(tmp_path, own_root, capsys):
    whole = HARBOROUGH.read_bytes()
    expected, actual = (hashlib.sha256(d).hexdigest() for d in (whole, whole[:5000]))
    path = manifest(tmp_path, whole[:5000], extra=f'sha256 = "{expected}"\n')
    assert refused(capsys, own_root, "--manifest", str(path)) == (
        f"hwbkg build: {WHERE}: plan.txt has sha256 {actual[:12]}..., the manifest expects "
        f"{expected[:12]}... (cut short or replaced?); if the document was replaced on "
        f'purpose, set sha256 = "{actual}" in sources.toml'
    )


def test_a_document_in_another_layout(tmp_path, own_root, capsys):
    """The district plan given to the 2018-23 action plan's loader."""
    path = manifest(tmp_path, HARBOROUGH.read_bytes(), loader="leicester-action-plan")
    assert refused(capsys, own_root, "--manifest", str(path)) == (
        "hwbkg build: plan.txt: no action table (a 'No.<tab>Action' header line) "
        "(is it the document the manifest names, whole?)"
    )


def test_an_unknown_loader(tmp_path, own_root, capsys):
    path = manifest(tmp_path, HARBOROUGH.read_bytes(), loader="no-such-layout")
    assert refused(capsys, own_root, "--manifest", str(path)) == (
        f"hwbkg build: no loader named 'no-such-layout'; known: {', '.join(LOADERS)}"
    )


# Manifest entries --------------------------------------------------------------------


def outside(tmp_path) -> str:
    return f"is outside the manifest's folder ({tmp_path / 'sources'})"


def test_a_manifest_path_up_and_out_of_its_folder(tmp_path, own_root, capsys):
    path = manifest(tmp_path, file='"../../README.md"')
    (tmp_path.parent / "README.md").write_text("not a source\n")
    assert refused(capsys, own_root, "--manifest", str(path)) == (
        f"hwbkg build: {WHERE}: file '../../README.md' {outside(tmp_path)}"
    )


def test_an_absolute_manifest_path(tmp_path, own_root, capsys):
    path = manifest(tmp_path, file=f'"{HARBOROUGH}"')
    assert refused(capsys, own_root, "--manifest", str(path)) == (
        f"hwbkg build: {WHERE}: file '{HARBOROUGH}' {outside(tmp_path)}"
    )


def test_a_symlink_pointing_out_of_the_manifest_folder(tmp_path, own_root, capsys):
    path = manifest(tmp_path, file='"plan.txt"')
    (tmp_path / "sources" / "plan.txt").symlink_to(HARBOROUGH)
    assert refused(capsys, own_root, "--manifest", str(path)) == (
        f"hwbkg build: {WHERE}: file 'plan.txt' {outside(tmp_path)}"
    )


@pytest.mark.parametrize(
    "title_line, reason",
    [
        ('"3"', "title_line '3' is not a line number (1 or more)"),
        ("3.0", "title_line 3.0 is not a line number (1 or more)"),
        ("0", "title_line 0 is not a line number (1 or more)"),
        ("999", "title_line 999 is past the end of plan.txt (38 lines)"),
        ("2", "title_line 2 is a blank line of plan.txt"),
    ],
    ids=["not-an-integer", "a-float", "zero", "past-the-end", "a-blank-line"],
)
def test_a_bad_title_line(tmp_path, own_root, capsys, title_line, reason):
    path = manifest(tmp_path, HARBOROUGH.read_bytes(), title_line=title_line)
    assert refused(capsys, own_root, "--manifest", str(path)) == f"hwbkg build: {WHERE}: {reason}"


# Curated files and the ontology --------------------------------------------------------


@pytest.fixture()
def curated(tmp_path, config) -> Path:
    """A copy of the curated folder, to break one file of."""
    return Path(shutil.copytree(config["CURATED_DIR"], tmp_path / "curated"))


def test_a_malformed_sssom_file(curated, own_root, capsys):
    shutil.copy(ROOT / "tests" / "data" / "sssom" / "bad-confidence.sssom.tsv", curated / MAPS)
    assert refused(capsys, own_root, "--curated-dir", str(curated)) == (
        "hwbkg build: bad-confidence.sssom.tsv line 10: "
        "confidence 'high' is not a number from 0 to 1"
    )


def test_an_sssom_file_in_latin1(curated, own_root, capsys):
    mapping = curated / MAPS / "leicester-themes-across-plans.sssom.tsv"
    lines = mapping.read_bytes().splitlines(keepends=True)
    mapping.write_bytes(b"".join(lines) + "# note: café\n".encode("latin-1"))
    assert refused(capsys, own_root, "--curated-dir", str(curated)) == (
        f"hwbkg build: {mapping.name} line {len(lines) + 1}: not UTF-8 "
        "(byte 0xe9 at column 12); save the file as UTF-8"
    )


def test_organisations_toml_that_is_not_toml(curated, own_root, capsys):
    shutil.copy(BAD / "organisations-unclosed-table.toml", curated / "organisations.toml")
    assert refused(capsys, own_root, "--curated-dir", str(curated)) == (
        "hwbkg build: organisations.toml line 2: not valid TOML "
        "(Expected ']]' at the end of an array declaration, column 15)"
    )


def test_organisations_toml_with_a_mistyped_field(curated, own_root, capsys):
    shutil.copy(BAD / "organisations-aliases-not-a-list.toml", curated / "organisations.toml")
    assert refused(capsys, own_root, "--curated-dir", str(curated)) == (
        "hwbkg build: organisations.toml: organisation #1 (leicester-city-council): "
        "aliases of the wrong type"
    )


def test_curated_turtle_that_does_not_parse(curated, own_root, capsys):
    shutil.copy(BAD / "not-turtle.ttl", curated / "llr-ics-priorities.ttl")
    assert refused(capsys, own_root, "--curated-dir", str(curated)) == (
        "hwbkg build: llr-ics-priorities.ttl line 3: not valid Turtle (Unexpected end of file)"
    )


def test_an_ontology_that_does_not_parse(own_root, capsys):
    assert refused(capsys, own_root, "--ontology", str(BAD / "not-turtle.ttl")) == (
        "hwbkg build: not-turtle.ttl line 3: not valid Turtle (Unexpected end of file)"
    )


def test_a_shapes_file_that_does_not_parse(tmp_path):
    shutil.copy(BAD / "not-turtle.ttl", tmp_path / "shapes.ttl")
    with pytest.raises(InputError) as refusal:
        load_shapes(tmp_path)
    assert str(refusal.value) == "shapes.ttl line 3: not valid Turtle (Unexpected end of file)"


# The shrink guard --------------------------------------------------------------------------


@pytest.fixture()
def sources(tmp_path) -> Path:
    """A copy of the real sources and manifest, to take from."""
    return Path(shutil.copytree(SOURCES, tmp_path / "sources"))


def without_harborough(sources: Path) -> Path:
    """The manifest with the Harborough plan's entry removed."""
    path = sources / "sources.toml"
    entries = path.read_text().split("\n[[source]]")
    path.write_text("\n[[source]]".join(e for e in entries if 'slug = "harborough' not in e))
    return path


def test_a_source_dropped_from_the_manifest_is_refused(sources, own_root, capsys):
    served = builds.current(own_root).id
    what = "source harborough-hw-action-plan-2022-23: 738 quads -> gone"
    assert refused(capsys, own_root, "--manifest", str(without_harborough(sources))) == (
        GUARD.format(id=served, what=what)
    )


def test_a_source_cut_short_without_its_sha256_is_refused(sources, own_root, capsys):
    path = sources / "sources.toml"
    lines = path.read_text().splitlines(keepends=True)
    path.write_text("".join(line for line in lines if not line.startswith("sha256")))
    plan = sources / HARBOROUGH.name
    plan.write_text("".join(plan.read_text().splitlines(keepends=True)[:20]))
    what = "source harborough-hw-action-plan-2022-23: 738 -> 365 quads (-51%)"
    assert refused(capsys, own_root, "--manifest", str(path)) == (
        GUARD.format(id=builds.current(own_root).id, what=what)
    )


def test_accept_shrink_publishes_the_smaller_build(tmp_path, own_root, capsys):
    """Harborough's plan alone (a small build, to keep the test quick) replaces all five."""
    served = builds.current(own_root).id
    path = manifest(tmp_path, HARBOROUGH.read_bytes())
    argv = ["--build-dir", str(own_root), "build", "--accept-shrink", "--manifest", str(path)]
    assert main(argv) == 0
    gone = [
        "source leicester-jhwb-action-plan-2018-23: 2,689 quads -> gone",
        "source leicester-jhws-refresh-proposed-priorities-2021: 3,140 quads -> gone",
        "source leicestershire-hwb-staying-healthy-progress-2025-05: 1,645 quads -> gone",
        "source leicester-health-care-wellbeing-strategy-2022-27: 1,039 quads -> gone",
        "total: 10,563 -> 1,842 quads (-83%)",
    ]
    assert capsys.readouterr().out.splitlines()[0] == (
        f"accepted: the graph shrank against build {served} ({'; '.join(gone)})"
    )
    new = builds.current(own_root)
    assert new.id != served and list(new.summary()["sources"]) == [
        "harborough-hw-action-plan-2022-23"
    ]
    assert sorted(p.name for p in (own_root / "builds").iterdir()) == sorted([served, new.id])


def summary(quads: int, **sources: int) -> dict:
    return {
        "quads": quads,
        "graphs": {f"g/{slug}": n for slug, n in sources.items()},
        "sources": {slug: {"graph": f"g/{slug}"} for slug in sources},
    }


def test_the_total_dropping_by_more_than_a_tenth_is_shrinkage():
    """Two sources each losing a fifth (under the source threshold) lose 11% of the total."""
    before, after = summary(1000, a=300, b=250), summary(890, a=240, b=200)
    assert shrink.shrinkage(before, after) == ["total: 1,000 -> 890 quads (-11%)"]


def test_thresholds_are_exceeded_not_reached():
    before = summary(1000, a=400)
    assert shrink.shrinkage(before, summary(900, a=300)) == []  # exactly 25% and 10%


def test_growth_is_never_shrinkage():
    assert shrink.shrinkage(summary(10, a=5), summary(2000, a=1000, b=990)) == []
