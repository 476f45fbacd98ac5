"""Incremental rebuilds: which outputs a change renders again (those whose context changed), and
output identical to a full build."""
from __future__ import annotations

from pathlib import Path

import pytest

from sitegen.config import Paths
from sitegen.engine import build
from sitegen.errors import ContentErrors
from sitegen.preview.rebuild import Rebuilder
from sitegen.preview.watcher import changed_files, source_snapshot
from tests.conftest import edit, plain_card_names, read_tree

SEAT = "content/constituencies/erewash.yml"
SEAT_PARTS = {"erewash/index.html", "erewash/embed/index.html", "erewash/share.png"}
DATA = {"results.json", "results.csv", "county.csv", "feed.xml"}
AREA = {"index.html", "embed/index.html"}  # the overview and the area's embed show every seat
MAPS = {f"maps/{view}/index.html" for view in ("winner", "previous", "majority", "turnout", "change-lab", "change-con",
                                                "change-reform", "change-green", "change-ld", "swing")}
UNTOUCHED_BY_PARTIES = {"404.html", "apple-touch-icon.png", "favicon.ico", "robots.txt", "sitemap.xml", "status.json",
                        "derbyshire.hexjson"}


@pytest.mark.parametrize("change, expected", [
    # the seat's page, embed and card quote the figures, and so do the data files, the feed and the
    # area's pages; status.json too (the result's revision, which tells open pages of a correction);
    # the area's card (its shares round the same) stays
    # (of the maps, only the majority's figures move)
    ((SEAT, "votes: 17224", "votes: 17225"), SEAT_PARTS | DATA | AREA | {"status.json", "maps/majority/index.html"}),
    # the winner changes, so the tile map, the states and the area's card do too (and the pages that
    # name the area's card, whose address is its content: the corrections page); the majority and
    # turnout fall to the area's lowest, which changes the rank three other pages name
    ([(SEAT, "votes: 17224", "votes: 1"), (SEAT, "elected: Adam Thompson", "elected: Maggie Throup")],
     SEAT_PARTS | DATA | AREA | {"derbyshire.hexjson", "status.json", "share.png", "corrections/index.html",
                                 "bolsover/index.html",
                                 "derby-north/index.html", "derby-south/index.html",
                                 # the search index and the list of seats say who won
                                 "find/index.html", "find/index.json"} | MAPS),
    ((SEAT, "name: Erewash", "updated: 2024-07-06\nname: Erewash"),
     SEAT_PARTS - {"erewash/share.png"} | DATA | AREA | {"sitemap.xml"}),
    (("content/constituencies/erewash.md", "Labour", "Labour's"), {"erewash/index.html"}),
    # renamed so it sorts first: its old and new neighbours name it, and so does the 404 page's list
    ((SEAT, "name: Erewash", "name: Aaa Erewash"),
     SEAT_PARTS | DATA | AREA | {"derbyshire-dales/index.html", "high-peak/index.html", "amber-valley/index.html",
                                 "sitemap.xml", "derbyshire.hexjson", "status.json", "share.png",
                                 "corrections/index.html", "404.html",
                                 # found by its new name: the list of seats, and the index of names by
                                 # their first letters (the seats are numbered by their slug, so no other)
                                 "find/index.html", "find/index.json", "find/n-a.json", "find/n-e.json"} | MAPS),
    (("content/overview.md", "Derbyshire", "Derbys"), {"index.html"}),
    # a party's colour shows on every page, card and data file, not in the states, the map's
    # file, the sitemap or the static files
    (("content/parties.yml", "#E4003B", "#E4003C"), ("all but", UNTOUCHED_BY_PARTIES)),
    (("content/site.yml", "Derbyshire results 2024", "Derbyshire 2024"),
     ("all but", UNTOUCHED_BY_PARTIES - {"404.html", "sitemap.xml"})),
])
def test_a_change_renders_the_outputs_whose_context_changed(project: Paths, change: tuple | list, expected) -> None:
    rebuilder = Rebuilder(project)
    first = rebuilder.rebuild()
    assert first.full and len(first.outputs) == 149  # 54, find/, maps/ and copy.js (tests/test_routes.py)
    for one in change if isinstance(change, list) else [change]:
        edit(project, *one)
    again = rebuilder.rebuild()
    if isinstance(expected, tuple):  # every output but these, the static files and the search index
        # (which names seats, wards and candidates and no party colour or site title)
        expected = {o for o in plain_card_names(first.outputs) if o not in expected[1] and not o.startswith("assets/")
                    and not (o.startswith("find/") and o.endswith(".json"))}
    assert plain_card_names(again.outputs) == expected
    assert not again.full


@pytest.mark.parametrize("change", [
    ("templates/constituency.html", "Vote share</h2>", "Share of the vote</h2>"),
    ("static/style.css", "--radius: 10px;", "--radius: 6px;"),
])
def test_a_template_or_static_file_change_renders_everything(project: Paths, change: tuple) -> None:
    rebuilder = Rebuilder(project)
    rebuilder.rebuild()
    assert rebuilder.rebuild().outputs == frozenset()  # nothing changed, nothing rendered
    edit(project, *change)
    assert rebuilder.rebuild().full


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
    before = plain_card_names(read_tree(project.dist))
    report = rebuilder.rebuild()
    after = plain_card_names(read_tree(project.dist))
    # 10 outputs show the seat's votes, its majority or the area's sums; the area's embed shows only
    # the winners, so its bytes stay (no seat's rank in the area moves, so no other page); status.json
    # carries the result's new revision
    assert (report.full, report.rendered, report.written) == (False, 11, 10)
    assert sorted(n for n in after if after[n] != before[n]) == [
        "county.csv", "erewash/embed/index.html", "erewash/index.html", "erewash/share.png", "feed.xml", "index.html",
        "maps/majority/index.html", "results.csv", "results.json", "status.json"]


def test_a_seat_with_a_mistake_stays_as_it_last_built_and_the_next_save_recovers(project: Paths) -> None:
    rebuilder = Rebuilder(project)
    rebuilder.rebuild()
    before = read_tree(project.dist)
    edit(project, SEAT, "votes: 17224", "votes: lots")
    report = rebuilder.rebuild()  # the preview's way: the broken seat stands as it last built
    assert [e.format() for e in report.held] == [
        "content/constituencies/erewash.yml:17:64: candidates[0].votes: expected a whole number, got 'lots'"]
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


def test_changed_files_leave_out_editor_swap_files(project: Paths) -> None:
    before = source_snapshot(project)
    edit(project, SEAT, "votes: 17224", "votes: 17225")
    (project.content / "constituencies" / ".erewash.yml.swp").write_text("ignored")
    assert changed_files(before, source_snapshot(project)) == {project.root / SEAT}


def test_a_rebuild_told_what_changed_matches_a_full_build(project: Paths, tmp_path: Path) -> None:
    rebuilder = Rebuilder(project)
    rebuilder.rebuild()
    edit(project, SEAT, "votes: 17224", "votes: 17999")
    assert not rebuilder.rebuild({project.root / SEAT}).full
    fresh = Paths(project.root, project.content, project.templates, project.static, tmp_path / "fresh")
    build(fresh)
    assert read_tree(project.dist) == read_tree(fresh.dist)


def test_a_one_seat_change_checks_and_computes_only_that_seat(project: Paths, monkeypatch: pytest.MonkeyPatch) -> None:
    """The preview's memory keeps every other seat's checked facts and figures (two memos once
    shared a key, so every save checked and computed all 650 seats of a national site again)."""
    from sitegen import results
    from sitegen.content import checks
    rebuilder = Rebuilder(project)
    rebuilder.rebuild()
    seen: dict[str, list[str]] = {"checked": [], "computed": []}
    check_file, compute_seat = checks._check_constituency_file, results.compute_seat
    monkeypatch.setattr(checks, "_check_constituency_file",
                        lambda slug, *rest: seen["checked"].append(slug) or check_file(slug, *rest))
    monkeypatch.setattr(results, "compute_seat",
                        lambda seat, parties: seen["computed"].append(seat.slug) or compute_seat(seat, parties))
    edit(project, SEAT, "votes: 17224", "votes: 17225")
    rebuilder.rebuild({project.root / SEAT})
    assert seen == {"checked": ["erewash"], "computed": ["erewash"]}
