"""Writing dist/: complete swaps only, stale temporaries removed, nothing written outside."""
from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from sitegen.output import MARKER, MARKER_TEXT, check_output_path, remove_stale_temporaries, write_site
from tests.conftest import read_tree

MARK = {MARKER: MARKER_TEXT.encode()}  # every output folder says the generator wrote it


def test_write_replaces_dist_exactly(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    write_site({"index.html": "one", "old/index.html": "stale"}, dist)
    write_site({"index.html": "two", "a/b.txt": b"\x00bytes"}, dist)
    assert read_tree(dist) == {**MARK, "index.html": b"two", "a/b.txt": b"\x00bytes"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dist"]


def test_failed_write_leaves_previous_dist_untouched(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    write_site({"index.html": "good"}, dist)

    class Exploding(dict):
        def __getitem__(self, key: str) -> str:
            if key == "z.html":
                raise RuntimeError("disk full")
            return super().__getitem__(key)

    with pytest.raises(RuntimeError):
        write_site(Exploding({"a.html": "new", "z.html": "new"}), dist)
    assert read_tree(dist) == {**MARK, "index.html": b"good"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dist"]


def ended_process() -> int:
    """Return the id of a process that has ended."""
    child = subprocess.Popen(["true"])
    child.wait()
    return child.pid


def test_stale_temporary_folders_are_removed(tmp_path: Path) -> None:
    gone = ended_process()
    (tmp_path / f".dist-dist-new-{gone}").mkdir()
    (tmp_path / f".dist-dist-new-{gone}" / "half.html").write_text("half")
    write_site({"index.html": "ok"}, tmp_path / "dist")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dist"]


def test_another_running_build_keeps_its_staging_folder(tmp_path: Path) -> None:
    with subprocess.Popen(["sleep", "30"]) as other:
        try:
            (tmp_path / f".dist-dist-new-{other.pid}").mkdir()
            (tmp_path / f".dist-dist-new-{other.pid}" / "half.html").write_text("being written")
            write_site({"index.html": "ok"}, tmp_path / "dist")
            assert read_tree(tmp_path / f".dist-dist-new-{other.pid}") == {"half.html": b"being written"}
        finally:
            other.kill()


def test_a_swap_interrupted_halfway_is_undone(tmp_path: Path) -> None:
    write_site({"index.html": "published"}, tmp_path / "dist")
    gone = ended_process()
    (tmp_path / "dist").rename(tmp_path / f".dist-dist-old-{gone}")  # killed between the two renames
    (tmp_path / f".dist-dist-new-{gone}").mkdir()
    remove_stale_temporaries(tmp_path / "dist")
    assert read_tree(tmp_path / "dist") == {**MARK, "index.html": b"published"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dist"]


@pytest.mark.parametrize("name", ["../escape.html", "/etc/passwd", "a/../../b", "a\\..\\b", ""])
def test_refuses_paths_outside_dist(name: str, tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        check_output_path(name)
    with pytest.raises(ValueError):
        write_site({name: "x"}, tmp_path / "dist")
    assert not (tmp_path / "escape.html").exists()


def test_unchanged_files_are_linked_not_rewritten(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    assert write_site({"a.html": "same", "b.html": "old"}, dist) == 2
    inode = (dist / "a.html").stat().st_ino
    assert write_site({"a.html": "same", "b.html": "new"}, dist) == 1
    assert (dist / "a.html").stat().st_ino == inode  # the same file, carried over
    assert read_tree(dist) == {**MARK, "a.html": b"same", "b.html": b"new"}
