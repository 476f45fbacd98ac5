"""Incremental rebuilds: the dependency map, and output identical to a full build."""
from __future__ import annotations

from pathlib import Path

import pytest

from sitegen.compute import compute_results
from sitegen.config import Paths
from sitegen.depends import affected_outputs, neighbours
from sitegen.errors import ContentErrors
from sitegen.load import load_content
from sitegen.pipeline import build
from sitegen.rebuild import Rebuilder, describe_changes, source_snapshot
from sitegen.validate import validate
from tests.conftest import edit, read_tree

SEAT = "content/constituencies/erewash.yml"


def results_of(paths: Paths):
    return compute_results(validate(load_content(paths)))


def test_neighbours_are_the_seats_listed_either_side(project: Paths) -> None:
    results = results_of(project)
    assert neighbours(results, "erewash") == {"derbyshire-dales", "high-peak"}
    assert neighbours(results, "amber-valley") == {"bolsover"}
    assert neighbours(results, "south-derbyshire") == {"north-east-derbyshire"}


@pytest.mark.parametrize("change, expected", [
    ((SEAT, "votes: 17224", "votes: 17225"), {"erewash/index.html", "index.html", "results.json", "results.csv", "county.csv"}),
    # the winner changes, so the tile map does too; the majority and turnout fall to the county's
    # lowest, which moves the rank six other pages show
    ((SEAT, "votes: 17224", "votes: 1"),
     {"erewash/index.html", "index.html", "results.json", "results.csv", "county.csv", "derbyshire.hexjson",
      "amber-valley/index.html", "bolsover/index.html", "chesterfield/index.html", "derby-north/index.html",
      "derby-south/index.html", "south-derbyshire/index.html"}),
    ((SEAT, "name: Erewash", "updated: 2024-07-06\nname: Erewash"),
     {"erewash/index.html", "index.html", "results.json", "results.csv", "county.csv", "sitemap.xml"}),
    (("content/constituencies/erewash.md", "Labour", "Labour's"), {"erewash/index.html"}),
    # renamed so it sorts first: its old and new neighbours all link to it
    ((SEAT, "name: Erewash", "name: Aaa Erewash"),
     {"erewash/index.html", "derbyshire-dales/index.html", "high-peak/index.html", "amber-valley/index.html",
      "index.html", "results.json", "results.csv", "county.csv", "sitemap.xml", "derbyshire.hexjson"}),
    (("content/overview.md", "Derbyshire", "Derbys"), {"index.html"}),
    (("content/parties.yml", "#E4003B", "#E4003C"), None),
    (("content/site.yml", "Derbyshire results 2024", "Derbyshire 2024"), None),
])
def test_affected_outputs(project: Paths, change: tuple, expected) -> None:
    before = results_of(project)
    edit(project, *change)
    assert affected_outputs(before, results_of(project), code_changed=False) == expected


def test_code_changes_touch_everything(project: Paths) -> None:
    results = results_of(project)
    assert affected_outputs(results, results, code_changed=True) is None
    assert affected_outputs(results, results, code_changed=False) == set()


@pytest.mark.parametrize("changes", [
    [(SEAT, "votes: 17224", "votes: 27224")],
    [(SEAT, "name: Erewash", "name: Aaa Erewash")],
    [("content/constituencies/high-peak.md", "Jon Pearce", "Jon Pearce MP")],
    [("content/overview.md", "every Derbyshire constituency", "all eleven Derbyshire constituencies")],
    [("content/parties.yml", "short: Lab", "short: Labour")],
    [("templates/constituency.html", "Vote share</h2>", "Share of the vote</h2>")],
    [("static/style.css", "--radius: 10px;", "--radius: 6px;")],
    [(SEAT, "votes: 17224", "votes: 1"), (SEAT, "votes: 1}", "votes: 17224}")],  # and back
    [(SEAT, "name: Erewash", "updated: 2024-07-06\nname: Erewash")],
    [(SEAT, "hex: {q: 2, r: 1}", "hex: {q: 9, r: 9}")],
])
def test_incremental_output_is_byte_identical_to_a_full_build(project: Paths, tmp_path: Path, changes) -> None:
    rebuilder = Rebuilder(project)
    assert rebuilder.rebuild().full
    for change in changes:
        edit(project, *change)
        rebuilder.rebuild()
    fresh = Paths(project.root, project.content, project.templates, project.static, tmp_path / "fresh")
    build(fresh)
    assert read_tree(project.dist) == read_tree(fresh.dist)


def test_a_one_seat_change_renders_only_what_it_touches(project: Paths) -> None:
    rebuilder = Rebuilder(project)
    rebuilder.rebuild()
    edit(project, SEAT, "votes: 17224", "votes: 17225")
    before = read_tree(project.dist)
    report = rebuilder.rebuild()
    after = read_tree(project.dist)
    # 5 outputs show the seat's votes or the county's sums, and all of them change (no seat's
    # rank in the county moves, so no other page)
    assert (report.full, report.rendered, report.written) == (False, 5, 5)
    assert sorted(n for n in after if after[n] != before[n]) == [
        "county.csv", "erewash/index.html", "index.html", "results.csv", "results.json"]


def test_a_failed_rebuild_keeps_dist_and_the_next_one_recovers(project: Paths) -> None:
    rebuilder = Rebuilder(project)
    rebuilder.rebuild()
    before = read_tree(project.dist)
    edit(project, SEAT, "votes: 17224", "votes: lots")
    with pytest.raises(ContentErrors):
        rebuilder.rebuild()
    assert read_tree(project.dist) == before
    edit(project, SEAT, "votes: lots", "votes: 17000")
    edit(project, SEAT, "valid_votes: 43006", "valid_votes: 42782")  # the declared total, corrected too
    assert not rebuilder.rebuild().full
    assert "17,000" in (project.dist / "erewash" / "index.html").read_text()


def test_a_template_fixed_after_a_failure_is_applied_everywhere(project: Paths, tmp_path: Path) -> None:
    rebuilder = Rebuilder(project)
    rebuilder.rebuild()
    edit(project, "templates/base.html", "Skip to main content", "{{ nope.nope }}")
    with pytest.raises(ContentErrors):
        rebuilder.rebuild()
    edit(project, "templates/base.html", "{{ nope.nope }}", "Skip to the results")
    assert rebuilder.rebuild().full
    assert all("Skip to the results" in (project.dist / n).read_text() for n in ("index.html", "erewash/index.html"))


def test_stale_files_are_removed_on_a_full_rebuild(project: Paths) -> None:
    rebuilder = Rebuilder(project)
    rebuilder.rebuild()
    (project.root / SEAT).unlink()
    (project.root / SEAT.replace(".yml", ".md")).unlink()
    rebuilder.rebuild()
    assert not (project.dist / "erewash").exists()


def test_describe_changes(project: Paths) -> None:
    before = source_snapshot(project)
    edit(project, SEAT, "votes: 17224", "votes: 17225")
    (project.content / "constituencies" / ".erewash.yml.swp").write_text("ignored")
    assert describe_changes(before, source_snapshot(project), project) == [SEAT]


def test_a_rebuild_told_what_changed_matches_a_full_build(project: Paths, tmp_path: Path) -> None:
    rebuilder = Rebuilder(project)
    rebuilder.rebuild()
    edit(project, SEAT, "votes: 17224", "votes: 17999")
    assert not rebuilder.rebuild({project.root / SEAT}).full
    fresh = Paths(project.root, project.content, project.templates, project.static, tmp_path / "fresh")
    build(fresh)
    assert read_tree(project.dist) == read_tree(fresh.dist)
