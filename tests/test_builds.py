"""Builds in folders of their own behind one pointer (graph/builds.py): publishing, the
pointer, pruning, and a failed build that leaves the served one alone."""

import datetime as dt
import hashlib
import os
from concurrent.futures import ThreadPoolExecutor

import pytest

from graph import builds
from graph.store import StoreMissing

IDS = [f"2026010{n}T000000Z-000000000{n}" for n in range(1, 6)]


def marker(text: str):
    """A build writer that leaves one file saying ``text``."""

    def write(folder):
        (folder / "marker").write_text(text)

    return write


def listing(root) -> list[str]:
    return sorted(p.name for p in (root / "builds").iterdir())


def test_nothing_built_says_run_build(tmp_path):
    with pytest.raises(StoreMissing) as missing:
        builds.current(tmp_path)
    assert str(missing.value) == f"no graph built in {tmp_path}: run `hwbkg build` first"


def test_a_dangling_pointer_is_nothing_built(tmp_path):
    (tmp_path / "current").symlink_to("builds/gone")
    with pytest.raises(StoreMissing):
        builds.current(tmp_path)


def test_the_pointer_is_a_relative_link_so_the_root_can_move(tmp_path):
    root = tmp_path / "build"
    published = builds.publish(root, IDS[0], marker("a"))
    assert published == builds.current(root)
    assert published.path == (root / "builds" / IDS[0]).resolve()
    assert os.readlink(root / "current") == f"builds/{IDS[0]}"
    root.rename(tmp_path / "moved")
    assert (builds.current(tmp_path / "moved").path / "marker").read_text() == "a"


def test_a_reader_keeps_the_build_it_resolved(tmp_path):
    first = builds.publish(tmp_path, IDS[0], marker("first"))
    builds.publish(tmp_path, IDS[1], marker("second"))
    assert (first.path / "marker").read_text() == "first"
    assert (builds.current(tmp_path).path / "marker").read_text() == "second"


def test_a_failed_build_removes_its_staging_folder_and_leaves_current(tmp_path):
    builds.publish(tmp_path, IDS[0], marker("good"))

    def fails_half_way(folder):
        (folder / "hwbkg.nq").write_text("half")
        raise OSError("No space left on device")

    with pytest.raises(OSError):
        builds.publish(tmp_path, IDS[1], fails_half_way)
    assert builds.current(tmp_path).id == IDS[0]
    assert listing(tmp_path) == [IDS[0]]
    assert sorted(p.name for p in tmp_path.iterdir()) == [".lock", "builds", "current"]


def test_a_staging_folder_left_by_a_killed_build_is_removed(tmp_path):
    (tmp_path / "builds" / (IDS[0] + builds.PARTIAL)).mkdir(parents=True)
    builds.publish(tmp_path, IDS[1], marker("b"))
    assert listing(tmp_path) == [IDS[1]]


def test_only_the_newest_three_builds_stay(tmp_path):
    for build_id in IDS:
        builds.publish(tmp_path, build_id, marker(build_id))
    assert listing(tmp_path) == IDS[-3:]
    assert builds.current(tmp_path).id == IDS[-1]


def test_the_current_build_is_never_pruned_even_when_it_sorts_first(tmp_path):
    """A build made with the clock set back sorts before the others; it is served, so kept."""
    for build_id in IDS[1:]:
        builds.publish(tmp_path, build_id, marker(build_id))
    builds.publish(tmp_path, IDS[0], marker("clock set back"))
    assert builds.current(tmp_path).id == IDS[0]
    assert listing(tmp_path) == [IDS[0], *IDS[-3:]]


def test_builds_published_at_once_are_published_one_at_a_time(tmp_path):
    """Eight builders at once: every publish succeeds, and the pointer names a whole build."""

    def builder(n):
        return builds.publish(tmp_path, f"20260102T0000{n:02d}Z-{n:010d}", marker(str(n)))

    with ThreadPoolExecutor(8) as running:
        published = list(running.map(builder, range(8)))  # re-raises a builder's error
    assert len(published) == 8
    served = builds.current(tmp_path)
    assert (served.path / "marker").read_text() == str(int(served.id[-10:]))
    assert not list((tmp_path / "builds").glob("*" + builds.PARTIAL))
    assert len(listing(tmp_path)) in (3, 4) and served.id in listing(tmp_path)


def test_the_id_sorts_by_time_and_names_the_content():
    data = b"<https://example.org/a> <https://example.org/b> <https://example.org/c> .\n"
    when = dt.datetime(2026, 12, 3, 12, 41, tzinfo=dt.UTC)
    digest = hashlib.sha256(data).hexdigest()
    assert builds.new_id(digest, when) == f"20261203T124100Z-{digest[:10]}"
