"""Renaming a seat's files: the page it leaves behind is named in a warning, and an old slug
listed in the new file keeps the old address working."""
from __future__ import annotations

import io
from pathlib import Path

import pytest

from sitegen.cli import main
from tests.conftest import parse, small_project_at


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return small_project_at(tmp_path / "project")


def run(root: Path, *argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    return main(list(argv), root=root, out=out, err=err), out.getvalue(), err.getvalue()


def rename(root: Path, old: str, new: str) -> None:
    folder = root / "content" / "constituencies"
    for ext in (".yml", ".md"):
        if (folder / (old + ext)).exists():
            (folder / (old + ext)).rename(folder / (new + ext))


BLURB_WARNING = ("content/constituencies/chesterfield.yml: warning: has no blurb; add chesterfield.md "
                 "beside it to describe the result")


def test_a_page_a_rename_leaves_behind_is_named(project: Path) -> None:
    assert run(project)[0] == 0
    rename(project, "amber-valley", "amber-vale")
    code, _, err = run(project)
    assert code == 0
    assert err.splitlines() == [
        BLURB_WARNING,
        "dist/amber-valley/: warning: was published by the last build and is not in this one; if its seat's "
        "files were renamed, list the old name under old_slugs in the new .yml so that links already "
        "shared keep working",
    ]


def test_an_old_slug_keeps_the_old_address_working(project: Path) -> None:
    assert run(project)[0] == 0
    rename(project, "amber-valley", "amber-vale")
    seat = project / "content/constituencies/amber-vale.yml"
    seat.write_text(seat.read_text() + "old_slugs: [amber-valley]\n")
    code, _, err = run(project)
    assert (code, err.splitlines()) == (0, [BLURB_WARNING])  # nothing removed: the old page is still there
    page = parse((project / "dist/amber-valley/index.html").read_text())
    assert page.find("meta", attrs={"http-equiv": "refresh"})["content"] == "0; url=../amber-vale/"
    assert page.find("link", rel="canonical")["href"] == "https://example.org/test/amber-vale/"
    assert page.find("main").find("a")["href"] == "../amber-vale/"
    assert page.find("h1").get_text() == "Amber Valley has moved"
    assert (project / "dist/amber-vale/index.html").is_file()
    # an embed already placed in an article follows too
    embed = parse((project / "dist/amber-valley/embed/index.html").read_text())
    assert embed.find("meta", attrs={"http-equiv": "refresh"})["content"] == "0; url=../../amber-vale/embed/"
    assert (project / "dist/amber-vale/embed/index.html").is_file()
