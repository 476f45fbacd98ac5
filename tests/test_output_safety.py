"""The output folder: never the sources, never someone else's folder, one build at a time, a full
or read-only disk reported in one line, and a symlinked dist/ kept working."""
from __future__ import annotations

import errno
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from sitegen import output as write
from sitegen.cli import main
from sitegen.config import Paths
from sitegen.preview.rebuild import Rebuilder
from sitegen.output import MARKER, OutputLock
from tests.conftest import PROJECT, read_tree, small_project_at

ERROR = "python3 build.py: error: "
OWN_FOLDER = "build into a folder of its own (the default is dist/)"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project root holding the small fixture site, its templates and static files, and notes."""
    root = small_project_at(tmp_path / "project")
    (root / "notes.txt").write_text("not a folder\n")
    (root / "other").mkdir()
    (root / "other" / "keep.txt").write_text("someone else's\n")
    return root


def run(root: Path, *argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), root=root, out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def everything(root: Path) -> dict[str, bytes]:
    """Every file under the folder holding the project but the build cache, to show nothing
    else was touched."""
    return {name: data for name, data in read_tree(root.parent).items() if "/.cache/" not in name}


@pytest.mark.parametrize("output, message", [
    ("content", f"content/ is the content folder, which a build would replace; {OWN_FOLDER}"),
    ("templates", f"templates/ is the templates folder, which a build would replace; {OWN_FOLDER}"),
    ("static", f"static/ is the static files folder, which a build would replace; {OWN_FOLDER}"),
    (".", f"./ is the project folder, which a build would replace; {OWN_FOLDER}"),
    ("content/constituencies", f"content/constituencies/ is inside the content folder; {OWN_FOLDER}"),
    ("static/fonts", f"static/fonts/ is inside the static files folder; {OWN_FOLDER}"),
    ("notes.txt", "notes.txt is a file, not a folder; choose a folder for the site"),
    ("other", f"other/ holds files this generator did not write (it has no {MARKER} file); "
              "empty it, or build into another folder with --output"),
])
@pytest.mark.parametrize("command", ["build", "serve"])
def test_an_output_folder_that_is_not_the_sites_own_is_refused(project: Path, output: str, message: str,
                                                                command: str) -> None:
    before = everything(project)
    # relative --output is taken from the working folder, so the tests give whole paths
    assert run(project, command, "--output", str(project / output)) == (2, "", ERROR + message + "\n")
    assert everything(project) == before


def test_the_folder_holding_the_project_is_refused(project: Path) -> None:
    before = everything(project)
    shown = f"{project.parent.as_posix()}/"
    assert run(project, "--output", str(project.parent)) == (
        2, "", f"{ERROR}{shown} holds the project folder, which a build would replace; {OWN_FOLDER}\n")
    assert everything(project) == before


def test_an_empty_folder_and_the_generators_own_folder_are_written(project: Path) -> None:
    (project / "empty").mkdir()
    assert run(project, "--output", str(project / "empty"))[0] == 0
    assert (project / "empty" / MARKER).is_file() and (project / "empty" / "index.html").is_file()
    assert run(project, "--output", str(project / "empty"), "--jobs", "1")[0] == 0  # its own, replaced


def test_a_symlinked_dist_is_replaced_where_it_points_and_the_link_kept(project: Path, tmp_path: Path) -> None:
    web_root = tmp_path / "www"
    web_root.mkdir()
    (project / "dist").symlink_to(web_root)
    assert run(project)[0] == 0
    (web_root / "stale.html").write_text("left over")  # an edit the next build must not keep
    (project / "content" / "overview.md").write_text("A new overview.\n")
    assert run(project)[0] == 0
    assert (project / "dist").is_symlink() and os.readlink(project / "dist") == str(web_root)
    assert not (web_root / "stale.html").exists() and "A new overview." in (web_root / "index.html").read_text()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["project", "www"]  # nothing left beside it


def test_a_build_waits_for_the_one_writing_and_then_names_it(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(write, "LOCK_WAIT_SECONDS", 0.3)
    paths = Paths.from_root(project)
    with OutputLock(paths.dist, "dist/") as lock:
        holder = lock.path.read_text()
        assert holder.startswith(f"process {os.getpid()} (")
        assert run(project) == (1 + 1, "", f"{ERROR}dist/ is being written by {holder}; wait for it "
                                          "to finish, or build into another folder with --output\n")
    assert not lock.path.exists()  # released and removed
    assert run(project)[0] == 0


def test_overlapping_builds_of_a_large_site_publish_one_complete_site(tmp_path: Path) -> None:
    """Two builds of a 400-seat site started together: the second waits for the first, both exit
    0, and what is published is the whole site, which the next build finds up to date."""
    content = tmp_path / "content"
    subprocess.run([sys.executable, str(PROJECT / "bench" / "generate.py"), "400", "--out", str(content)],
                   check=True, capture_output=True)
    argv = [sys.executable, str(PROJECT / "build.py"), "--content", str(content), "--output",
            str(tmp_path / "dist"), "--cache", str(tmp_path / "cache")]
    first = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    second = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    outputs = [p.communicate(timeout=60) for p in (first, second)]
    assert [p.returncode for p in (first, second)] == [0, 0], outputs
    built = [out for out, _ in outputs if out.startswith("Built ")]
    assert len(built) >= 1 and all(out.startswith(("Built 815 pages", "Nothing changed")) for out, _ in outputs)
    files = [p for p in (tmp_path / "dist").rglob("*") if p.is_file()]
    assert len(files) == 815 + 446 + 1  # pages (embeds too), other files (share images, search index too), the marker
    again = subprocess.run(argv, capture_output=True, text=True, timeout=60)
    assert again.stdout.startswith("Nothing changed since the last build")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cache", "content", "dist"]


@pytest.mark.parametrize("where, cause, message", [
    ("write", errno.ENOSPC, "dist/: could not write the new site (no space left on the disk); the published site is unchanged"),
    ("write", errno.EACCES, "dist/: could not write the new site (permission denied); the published site is unchanged"),
    ("stage", errno.EROFS, "dist/: cannot write a new site beside it (the disk is read-only); the published site is unchanged"),
])
def test_a_disk_problem_is_one_line_and_the_site_stays(project: Path, monkeypatch: pytest.MonkeyPatch,
                                                      where: str, cause: int, message: str) -> None:
    assert run(project)[0] == 0
    (project / "content" / "overview.md").write_text("Changed.\n")
    before = everything(project)

    def fail(*args: object, **kwargs: object) -> None:
        raise OSError(cause, os.strerror(cause))
    if where == "write":
        monkeypatch.setattr(write.Staging, "_write_names", fail)
    else:
        monkeypatch.setattr(write.Staging, "__init__", fail)
    assert run(project) == (1, "", ERROR + message + "\n")
    assert everything(project) == before  # the old site, and no staging folder


def test_the_preview_never_writes_through_a_symlink_in_dist(project: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "index.html").write_text("not the preview's")
    dist = project / "dist"
    dist.mkdir()
    (dist / MARKER).write_text("")
    (dist / "amber-valley").symlink_to(elsewhere)
    Rebuilder(Paths.from_root(project)).rebuild()
    assert (elsewhere / "index.html").read_text() == "not the preview's"
    assert not (dist / "amber-valley").is_symlink() and "Amber Valley" in (dist / "amber-valley" / "index.html").read_text()


def test_a_swap_that_left_dist_incomplete_is_not_recorded_as_up_to_date(project: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    commit = write.Staging.commit

    def commit_then_lose_a_file(self: write.Staging) -> None:  # as another process might
        commit(self)
        (self.dist / "chesterfield" / "index.html").unlink()
    monkeypatch.setattr(write.Staging, "commit", commit_then_lose_a_file)
    assert run(project)[0] == 0
    monkeypatch.setattr(write.Staging, "commit", commit)
    code, out, _ = run(project)
    assert code == 0 and out.startswith("Built 19 pages and 38 other files into dist/: 1 written")  # not "Nothing changed"
    assert (project / "dist" / "chesterfield" / "index.html").is_file()
    assert run(project)[1].startswith("Nothing changed since the last build")
