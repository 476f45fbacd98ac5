"""The post-render check catches broken links, missing anchors and figures that disagree."""
from __future__ import annotations

from sitegen.pipeline import Build
from sitegen.verify import resolve_link, verify_output


def test_the_real_outputs_agree(small_build: Build, real_build: Build) -> None:
    assert verify_output(small_build.files) == []
    assert verify_output(real_build.files) == []


def test_resolve_link() -> None:
    assert resolve_link("a/index.html", "../b/") == ("b/index.html", "")
    assert resolve_link("a/index.html", "../") == ("index.html", "")
    assert resolve_link("index.html", "./") == ("index.html", "")
    assert resolve_link("index.html", "#main") == ("index.html", "main")
    assert resolve_link("index.html", "https://x.org/") is None
    assert resolve_link("index.html", "mailto:a@b.c") is None


def test_a_missing_page_and_a_missing_anchor_are_reported(small_build: Build) -> None:
    files = dict(small_build.files)
    del files["chesterfield/index.html"]
    files["index.html"] = files["index.html"].replace('href="#main"', 'href="#nowhere"')
    problems = [e.format() for e in verify_output(files)]
    assert "dist/index.html: link 'chesterfield/' points to a missing file" in problems
    assert "dist/index.html: link '#nowhere': no element has id 'nowhere'" in problems


def test_a_figure_that_disagrees_is_reported(small_build: Build) -> None:
    files = dict(small_build.files)
    files["amber-valley/index.html"] = files["amber-valley/index.html"].replace(
        '<td class="num">15,746</td>', '<td class="num">15,747</td>')
    files["index.html"] = files["index.html"].replace("59.6%", "59.7%")
    files["results.csv"] = files["results.csv"].replace(",10725,", ",10726,")
    problems = [e.format() for e in verify_output(files)]
    assert [p.split(":")[0] for p in problems] == ["dist/amber-valley/index.html", "dist/index.html",
                                                   "dist/results.csv"]
    assert "'15,747'" in problems[0] and "'15,746'" in problems[0]


def test_a_changed_seat_missing_from_the_data_is_reported(small_build: Build) -> None:
    from sitegen.verify import check_figures, scan_pages
    files = dict(small_build.files)
    files["results.json"] = files["results.json"].replace('{"slug":"chesterfield",', '{"slug":"elsewhere",')
    problems = [e.format() for e in check_figures(files, scan_pages(files), {"chesterfield"})]
    assert problems == ["dist/results.json: has no record for 'chesterfield'"]
