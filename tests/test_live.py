"""Election night, live: result states on every output, status.json, the Atom feed, "last
updated" from the content, and the rehearsal that replays the night."""
from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
import shutil
import tempfile
from pathlib import Path

import feedparser
import pytest

from sitegen.engine import Site, gather
from sitegen.preview.rehearse import Rehearsal
from tests.conftest import without_result, PROJECT, parse, project_paths

DECLARED = {"erewash", "high-peak", "derbyshire-dales"}  # the three with a reported time in the content
RECOUNT = "bolsover"
RECOUNT_NOTE = "A candidate asked for a recount"


def text(node) -> str:
    return " ".join(node.get_text(" ").split())


def awaited(text_: str) -> str:
    """A seat file's text with its result taken out: no votes, no declared total, no time."""
    return without_result(text_)


def night_at(target: Path, declared: set[str], recount: str | None = None) -> Path:
    """Copy content/ with only `declared` seats declared and `recount` in a recount."""
    shutil.copytree(PROJECT / "content", target)
    for path in (target / "constituencies").glob("*.yml"):
        if path.stem not in declared:
            body = awaited(path.read_text())
            if path.stem == recount:
                body += f"status: recount\nrecount_note: {RECOUNT_NOTE}\n"
            path.write_text(body)
    return target


@pytest.fixture(scope="module")
def night(tmp_path_factory: pytest.TempPathFactory) -> Site:
    root = tmp_path_factory.mktemp("live")
    content = night_at(root / "content", DECLARED, RECOUNT)
    (content / "constituencies" / "amber-valley.awaited.md").write_text(
        "Amber Valley was a Conservative seat in the 2019 notional result.\n")
    return gather(project_paths(content, root / "dist"))


# --- the three states on each page --------------------------------------------------------------

def test_a_recount_seat_page_says_so_and_shows_no_figures(night: Site) -> None:
    page = parse(night.files["bolsover/index.html"])
    assert text(page.find("title")) == "Bolsover: recount under way – Derbyshire results 2024"
    assert text(page.find("span", class_="badge")) == "Recount under way"
    assert "badge-recount" in page.find("span", class_="badge")["class"]
    assert text(page.find("p", class_="recount-note")) == RECOUNT_NOTE
    assert text(page.find("p", class_="lead")) == (
        "The votes in Bolsover are being counted again; the result has not been declared yet. "
        "5 candidates are standing.")  # 5 Bolsover rows in candidates.csv
    assert page.find("table", class_="result") is None
    assert text(page.find("ul", class_="candidates").find_next("p")) == (
        "Candidates are listed in ballot-paper order, by surname. The votes will be published here "
        "once the recount is declared.")
    # the story of the finished result waits for the declaration
    assert page.find(id="about-heading") is None


def test_an_awaited_seat_shows_its_awaited_blurb_never_the_finished_story(night: Site) -> None:
    page = parse(night.files["amber-valley/index.html"])
    assert text(page.find("span", class_="badge")) == "Result awaited"
    assert text(page.find(id="about-heading")) == "Before the result"
    assert text(page.find(id="about-heading").parent.find("p")) == (
        "Amber Valley was a Conservative seat in the 2019 notional result.")
    assert "Farnsworth" not in text(page.find("main").find("section", class_="prose"))
    # a seat with neither shows no blurb at all while it waits
    assert parse(night.files["chesterfield/index.html"]).find(id="about-heading") is None


def test_a_declared_seat_shows_its_story_and_when_it_was_declared(night: Site) -> None:
    page = parse(night.files["derbyshire-dales/index.html"])
    assert text(page.find("span", class_="badge")) == "Labour GAIN from Conservative"
    assert text(page.find(id="about-heading")) == "About the result"
    declared = page.find("span", class_="declared")
    assert text(declared) == "Declared just before 07:00 BST, 5 July"
    assert declared.find("time")["datetime"] == "2024-07-05"  # 'just before 07:00': only the day is exact


def test_the_map_shows_each_state(night: Site) -> None:
    page = parse(night.files["index.html"])
    tiles = {a["href"]: a for a in page.find("figure", class_="hex-map").find_all("a")}
    assert tiles["bolsover/"]["aria-label"] == "Bolsover Recount: recount under way"
    assert tiles["bolsover/"].find("use")["fill"] == "url(#recount-hatch)"
    assert text(tiles["bolsover/"].find("tspan", class_="tile-party")) == "Recount"
    assert tiles["chesterfield/"]["aria-label"] == "Chesterfield Awaited: result awaited"
    assert tiles["chesterfield/"].find("use")["fill"] == "url(#awaited-hatch)"
    assert text(tiles["chesterfield/"].find("tspan", class_="tile-party")) == "Awaited"
    assert tiles["erewash/"]["aria-label"] == "Erewash Lab: Labour gain from Conservative"
    assert text(tiles["erewash/"].find("tspan", class_="tile-party")) == "Lab"
    legend = [text(li) for li in page.find("ul", class_="legend").find_all("li")]
    assert legend == ["Labour 3", "gain: changed hands 3", "Recount 1", "Awaited 7"]


def test_the_tally_the_table_and_the_lists_show_each_state(night: Site) -> None:
    page = parse(night.files["index.html"])
    assert text(page.find("p", class_="progress")) == "3 of 11 declared · 1 recount"
    assert text(page.find("tr", class_="tally-waiting")) == "Not yet declared 8 seats, 1 of them in a recount"
    rows = {text(r.find("th").find("a")): [text(td) for td in r.find_all("td")]
            for r in page.find("table", class_="seats").find("tbody").find_all("tr")}
    assert rows["Bolsover"][0] == "Recount under way"
    assert rows["Chesterfield"][0] == "Result awaited"
    assert rows["Erewash"][0].startswith("Lab")
    still = [text(li) for li in page.find("ul", class_="awaited-list").find_all("li")]
    assert "Bolsover recount" in still and "Chesterfield" in still and len(still) == 8


def test_the_exports_carry_each_state(night: Site) -> None:
    seats = {s["slug"]: s for s in json.loads(night.files["results.json"])["constituencies"]}
    assert (seats["bolsover"]["status"], seats["bolsover"]["recount_note"], seats["bolsover"]["result"]) == (
        "recount", RECOUNT_NOTE, None)
    assert seats["chesterfield"]["status"] == "awaited"
    assert (seats["erewash"]["status"], seats["erewash"]["declared_at"], seats["erewash"]["declared_at_approx"]) == (
        "declared", "2024-07-05T02:30:00+01:00", "just after")
    rows = list(csv.DictReader(io.StringIO(night.files["results.csv"])))
    assert {r["constituency_slug"]: r["status"] for r in rows} == {
        slug: "declared" if slug in DECLARED else "recount" if slug == RECOUNT else "awaited" for slug in seats}
    hexes = json.loads(night.files["derbyshire.hexjson"])["hexes"]
    assert (hexes["bolsover"]["status"], hexes["chesterfield"]["status"], hexes["erewash"]["status"]) == (
        "recount", "awaited", "declared")


def test_status_json_lists_every_seat_state_and_a_version_of_them(night: Site) -> None:
    status = json.loads(night.files["status.json"])
    assert (status["seats_total"], status["declared"], status["recounts"]) == (11, 3, 1)
    bolsover = next(s for s in status["seats"] if s["slug"] == "bolsover")
    assert bolsover == {"slug": "bolsover", "name": "Bolsover", "url": "bolsover/", "status": "recount",
                        "result": None, "declared_at": None, "declared_at_approx": None, "revision": None,
                        "provisional": None, "corrected": None}
    erewash = next(s for s in status["seats"] if s["slug"] == "erewash")
    assert (erewash["result"], erewash["declared_at"]) == ("Labour GAIN from Conservative", "2024-07-05T02:30:00+01:00")
    assert re.fullmatch("[0-9a-f]{8}", erewash["revision"])
    # the version is a hash of the seats' states: it changes exactly when one does
    seats = json.dumps(status["seats"], ensure_ascii=False, separators=(",", ":"))
    assert status["version"] == hashlib.sha256(seats.encode()).hexdigest()[:16]
    assert len(night.files["status.json"]) < 3200  # polled by every open page: small


def test_pages_carry_the_states_they_show_for_the_update_check(night: Site) -> None:
    overview = parse(night.files["index.html"]).find("script", src=re.compile(r"assets/live\."))
    assert overview["data-status"] == "status.json" and overview.has_attr("defer")
    states = {item.split(":")[0]: item.split(":")[1:] for item in overview["data-states"].split()}
    revisions = {s["slug"]: s["revision"] for s in json.loads(night.files["status.json"])["seats"]}
    assert (states["bolsover"], states["chesterfield"], states["erewash"], len(states)) == (
        ["r"], ["a"], ["d", revisions["erewash"]], 11)
    seat = parse(night.files["bolsover/index.html"]).find("script", src=re.compile(r"assets/live\."))
    assert (seat["data-status"], seat["data-home"], seat["data-states"]) == ("../status.json", "../", "bolsover:r")
    assert not overview.has_attr("data-every") and not seat.has_attr("data-every")  # every minute, the default


def test_once_every_seat_has_declared_pages_check_every_ten_minutes(real_build: Site) -> None:
    for name in ("index.html", "amber-valley/index.html"):
        script = parse(real_build.files[name]).find("script", src=re.compile(r"assets/live\."))
        assert script["data-every"] == "600", name


def test_every_page_links_the_feed(night: Site) -> None:
    for name, body in night.files.items():
        if name.endswith("index.html") and "embed/" not in name:  # an embed is a card, not a page of the site
            link = parse(body).find("link", rel="alternate", type="application/atom+xml")
            assert link is not None and link["href"] in ("feed.xml", "../feed.xml", "../../feed.xml"), name


# --- time from the content -----------------------------------------------------------------------

def test_the_overview_names_the_latest_time_the_results_record(real_build: Site, night: Site) -> None:
    """It said 'Last updated just before 07:00 … with the declaration in Derbyshire Dales', which the
    data cannot show to be the latest (eight seats have no declaration time); an approximate time
    had an exact datetime."""
    for site in (real_build, night):
        updated = parse(site.files["index.html"]).find("p", class_="updated")
        assert " ".join(updated.get_text().split()) == ("Latest time in these results: just before 07:00 BST, 5 July, the declaration in "
                                 "Derbyshire Dales")
        assert updated.find("time")["datetime"] == "2024-07-05"  # only the day is known exactly


def test_before_any_result_no_time_is_claimed(tmp_path: Path) -> None:
    """'Last updated 5 July 2024' (site.yml's `updated`) showed on the evening of 4 July."""
    content = night_at(tmp_path / "content", set())
    site = gather(project_paths(content, tmp_path / "dist"))
    assert parse(site.files["index.html"]).find("p", class_="updated") is None


def test_a_correction_or_the_librarys_record_can_be_the_latest_time(tmp_path: Path) -> None:
    content = night_at(tmp_path / "content", {"erewash", "bolsover"})
    site = gather(project_paths(content, tmp_path / "dist"))
    updated = parse(site.files["index.html"]).find("p", class_="updated")
    # Bolsover has no declaration time; the Library recorded it at 03:10, after Erewash's 02:30
    assert " ".join(updated.get_text().split()) == (
        "Latest time in these results: 03:10 BST, 5 July, the Commons Library’s record of Bolsover")
    assert updated.find("time")["datetime"] == "2024-07-05T03:10:00+01:00"


def test_sitemap_dates_each_seat_by_its_declaration(tmp_path: Path) -> None:
    content = night_at(tmp_path / "content", {"erewash", "high-peak"})
    seat = content / "constituencies" / "high-peak.yml"
    seat.write_text(seat.read_text().replace("2024-07-05T04:00:00+01:00", "2024-07-06T00:30:00+01:00"))
    site = gather(project_paths(content, tmp_path / "dist"))
    sitemap = site.files["sitemap.xml"]
    lastmod = dict(re.findall(r"<loc>https://example.org/derbyshire-2024/([a-z-]*)/?</loc><lastmod>([\d-]+)</lastmod>",
                              sitemap))
    assert (lastmod["high-peak"], lastmod["erewash"], lastmod["bolsover"], lastmod[""]) == (
        "2024-07-06", "2024-07-05", "2024-07-05", "2024-07-06")


# --- the Atom feed ---------------------------------------------------------------------------------

BASE = "https://example.org/derbyshire-2024/"


@pytest.mark.parametrize("declared", [set(), {"erewash", "high-peak", "derbyshire-dales"}, None])
def test_the_feed_parses_with_an_entry_per_declaration_newest_first(tmp_path: Path, declared) -> None:
    content = (night_at(tmp_path / "content", declared) if declared is not None
               else shutil.copytree(PROJECT / "content", tmp_path / "content"))
    site = gather(project_paths(content, tmp_path / "dist"))
    feed = feedparser.parse(site.files["feed.xml"])
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    assert feed.feed.title == "Declarations – Derbyshire results 2024"
    expected = 11 if declared is None else len(declared)
    assert len(feed.entries) == expected
    for entry in feed.entries:  # every entry links to a page the same build published
        assert entry.link.startswith(BASE)
        assert f"{entry.link[len(BASE):]}index.html" in site.files
    stamps = [datetime.fromisoformat(e.updated) for e in feed.entries]
    assert stamps == sorted(stamps, reverse=True)  # newest first
    if declared is None or declared:
        # Derbyshire Dales: "just before 07:00", so dated by the Library's record (06:55), not 07:00
        assert feed.entries[0].title == "Derbyshire Dales: Labour GAIN from Conservative"
        assert feed.entries[0].updated == "2024-07-05T06:55:00+01:00"
        erewash = next(e for e in feed.entries if e.title.startswith("Erewash:"))
        assert erewash.summary == (
            "Adam Thompson won Erewash for Labour, a gain from the Conservatives, with a majority of 5,859 "
            "(13.6%) on a turnout of 60.4%. Declared just after 02:30 BST, 5 July.")
        assert feed.feed.updated == "2024-07-05T06:55:00+01:00"
    else:
        assert feed.feed.updated == "2024-07-05T00:00:00Z"
    if declared is None:  # each dated by the Library's record where no exact declaration time is known
        assert [e.title.split(":")[0] for e in feed.entries] == [
            "Derbyshire Dales", "Mid Derbyshire", "North East Derbyshire", "Chesterfield", "Derby South",
            "South Derbyshire", "Derby North", "Amber Valley", "High Peak", "Bolsover", "Erewash"]


# --- the rehearsal ----------------------------------------------------------------------------------

def tree_digest(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_a_rehearsal_replays_the_night_and_every_step_passes_the_check(tmp_path: Path) -> None:
    paths = project_paths(PROJECT / "content", tmp_path / "unused")
    before = tree_digest(PROJECT / "content")
    rehearsal = Rehearsal(paths, tmp_path / "scratch", recount="amber-valley")
    try:
        # in time order: the reported declaration time (Erewash 02:30, High Peak 04:00, Derbyshire
        # Dales 07:00), else the Commons Library's recorded time (Bolsover 03:10, Amber Valley 03:53, ...)
        assert rehearsal.order == ["erewash", "bolsover", "amber-valley", "high-peak", "derby-north",
                                   "south-derbyshire", "derby-south", "chesterfield", "north-east-derbyshire",
                                   "mid-derbyshire", "derbyshire-dales"]
        seen = []
        while True:
            site = gather(rehearsal.paths)  # gather ends with the post-render check: it raises on a fault
            status = json.loads(site.files["status.json"])
            seen.append((status["declared"], status["recounts"]))
            feed = feedparser.parse(site.files["feed.xml"])
            assert len(feed.entries) == status["declared"] and not feed.bozo
            assert ("story-heading" in site.files["index.html"]) == rehearsal.done
            if rehearsal.step() is None:
                break
        assert seen == [(n, 0) for n in range(3)] + [(2, 1)] + [(n, 0) for n in range(3, 12)]  # Amber Valley: 3rd
        # the end of the replay is the editor's own content, byte for byte
        final = gather(project_paths(PROJECT / "content", tmp_path / "real"))
        assert site.files == final.files
    finally:
        rehearsal.close()
    assert not (tmp_path / "scratch").exists()
    assert tree_digest(PROJECT / "content") == before  # nothing of the editor's was touched


def test_rehearse_refuses_content_that_does_not_build_and_an_unknown_recount(tmp_path: Path) -> None:
    import io

    from sitegen.cli import main
    root = tmp_path / "project"
    for name in ("content", "templates", "static"):
        shutil.copytree(PROJECT / name, root / name)
    scratch = set(Path(tempfile.gettempdir()).glob("sitegen-rehearsal-*"))
    out, err = io.StringIO(), io.StringIO()
    assert main(["rehearse", "--recount", "nowhere", "--port", "8790"], root, out, err) == 2
    assert err.getvalue() == "python3 build.py: error: --recount 'nowhere' is not a constituency's slug\n"
    assert set(Path(tempfile.gettempdir()).glob("sitegen-rehearsal-*")) == scratch  # no scratch copy left
    seat = root / "content" / "constituencies" / "erewash.yml"
    seat.write_text(seat.read_text().replace("votes: 17224", "votes: 17,224"))
    out, err = io.StringIO(), io.StringIO()
    assert main(["rehearse", "--port", "8790"], root, out, err) == 1
    assert err.getvalue().splitlines()[-1] == "rehearse: 1 error in 1 file; fix them first."
    assert err.getvalue().startswith("content/constituencies/erewash.yml:17:")
    assert out.getvalue() == ""


def test_a_rehearsal_reads_the_content_as_the_build_does(tmp_path: Path) -> None:
    """An Emacs lock file used to stop the rehearsal with a traceback, a hidden draft with broken
    YAML too, and a hidden finished draft was counted: '12 of 12 declared' on an 11-seat site."""
    import os
    content = Path(shutil.copytree(PROJECT / "content", tmp_path / "content"))
    seats = content / "constituencies"
    os.symlink("editor@host.1234:1700000000", seats / ".#erewash.yml")  # Emacs: a link to nowhere
    (seats / ".draft.yml").write_text("name: [unclosed\n")
    shutil.copy(seats / "erewash.yml", seats / ".erewash-copy.yml")
    (seats / "erewash.yml~").write_text("a backup\n")
    rehearsal = Rehearsal(project_paths(content, tmp_path / "unused"), tmp_path / "scratch")
    try:
        assert len(rehearsal.order) == 11 and "erewash-copy" not in rehearsal.order
        copied = sorted(p.name for p in (tmp_path / "scratch/content/constituencies").iterdir())
        assert copied == sorted(p.name for p in seats.iterdir() if not p.name.startswith(".") and
                                not p.name.endswith("~"))
    finally:
        rehearsal.close()


def test_a_rehearsal_stopped_while_copying_leaves_nothing_behind(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Ctrl-C during the copy used to leave thousands of files of unpublished results in /tmp."""
    from sitegen.cli import main
    from sitegen.preview import rehearse
    root = tmp_path / "project"
    for name in ("content", "templates", "static"):
        shutil.copytree(PROJECT / name, root / name)
    copy = rehearse.copy_sources

    def interrupted(source: Path, target: Path) -> None:
        copy(source, target)
        raise KeyboardInterrupt
    monkeypatch.setattr(rehearse, "copy_sources", interrupted)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(KeyboardInterrupt):  # (build.py turns it into one line, as for a build)
        main(["rehearse", "--port", "8791"], root, out, err)
    assert list((tmp_path / "tmp").iterdir()) == []


@pytest.mark.parametrize("argv, message", [
    (["--every", "inf"], "argument --every: expected seconds from 0 to 3600, got 'inf'"),
    (["--every", "-5"], "argument --every: expected seconds from 0 to 3600, got '-5'"),
    (["--every", "nan"], "argument --every: expected seconds from 0 to 3600, got 'nan'"),
    (["--every", "1e9"], "argument --every: expected seconds from 0 to 3600, got '1e9'"),
    (["--every", "soon"], "argument --every: expected a number of seconds, got 'soon'"),
    (["--poll", "0"], "argument --poll: expected seconds from 1 to 3600, got '0'"),
])
def test_rehearse_refuses_intervals_it_cannot_keep(argv: list[str], message: str, capsys) -> None:
    """`--every inf` killed the thread that declares seats; a negative interval was accepted."""
    from sitegen.cli import main
    assert main(["rehearse", *argv], PROJECT, io.StringIO(), io.StringIO()) == 2
    assert capsys.readouterr().err.splitlines()[-1] == f"python3 build.py rehearse: error: {message}"


def test_rehearse_every_0_needs_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """With no terminal `--every 0` waited for an Enter that could never come, and said nothing."""
    import os

    from sitegen.cli import main
    monkeypatch.setattr("sys.stdin", open(os.devnull))  # as under a service manager or nohup
    out, err = io.StringIO(), io.StringIO()
    assert main(["rehearse", "--every", "0"], PROJECT, out, err) == 2
    assert err.getvalue() == ("python3 build.py: error: --every 0 declares a seat each time you press Enter, and "
                              "there is no terminal to press it in; give the seconds between declarations instead\n")


def test_rehearse_says_when_its_input_ends(tmp_path: Path) -> None:
    """Enter presses read from a file or a pipe: at its end the rehearsal says no more will come."""
    import socket
    import subprocess
    import sys
    import time
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    (tmp_path / "presses").write_text("\n")  # one press: one seat, then the end
    with open(tmp_path / "presses") as presses:
        process = subprocess.Popen([sys.executable, str(PROJECT / "build.py"), "rehearse", "--every", "0",
                                    "--port", str(port)], cwd=PROJECT, stdin=presses, stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, text=True)
        try:
            line = process.stderr.readline()
            assert line == ("Rehearsal: the input has ended, so no more seats will declare (--every 0 declares one "
                            "each time Enter is pressed); Ctrl+C to stop.\n")
        finally:
            process.terminate()
            out, _ = process.communicate(timeout=10)
    assert "Rehearsal: Erewash declared (1 of 11 declared)" in out


def test_a_result_revision_changes_with_any_figure_of_a_declared_result(tmp_path: Path) -> None:
    """What lets an open page notice a correction: any corrected figure, not only the state."""
    from sitegen.site.data import result_revision
    content = Path(shutil.copytree(PROJECT / "content", tmp_path / "content"))

    def revision() -> str:
        site = gather(project_paths(content, tmp_path / "dist"))
        return result_revision(next(s for s in site.results.seats if s.seat.slug == "erewash"))
    seat = content / "constituencies" / "erewash.yml"
    text = seat.read_text()
    first = revision()
    seat.write_text(text.replace("votes: 351}", "votes: 352}").replace("valid_votes: 43006", "valid_votes: 43007"))
    second = revision()
    seat.write_text(text.replace("declared_at: 2024-07-05T02:30:00+01:00", "declared_at: 2024-07-05T02:35:00+01:00"))
    third = revision()
    seat.write_text(text)
    assert len({first, second, third}) == 3 and revision() == first


def test_a_rehearsal_can_declare_a_mistyped_figure_and_correct_it(tmp_path: Path) -> None:
    paths = project_paths(PROJECT / "content", tmp_path / "dist")
    rehearsal = Rehearsal(paths, tmp_path / "scratch", correct="high-peak")
    try:
        said = [rehearsal.step() for _ in range(5)]
        assert said[3:] == ["High Peak declared, with a figure mistyped", "High Peak corrected"]
        site = gather(rehearsal.paths)  # the correction passes the checks, and is shown
        record = next(s for s in json.loads(site.files["results.json"])["constituencies"] if s["slug"] == "high-peak")
        # High Peak: Jon Pearce 22,533 of 49,206 valid votes (official), typed 18 too high
        assert record["corrections"] == [{"at": "2024-07-05T04:25:00+01:00",
                                          "was": {"Jon Pearce": 22551, "valid_votes": 49224},
                                          "why": "Rehearsal: 18 votes too many were typed; corrected from the declaration"}]
    finally:
        rehearsal.close()


def test_an_awaited_seat_says_who_held_it_and_the_majority_to_overturn(tmp_path: Path) -> None:
    """Before its result a seat page gave no context although the content has it."""
    rows = [r for r in csv.DictReader((PROJECT.parent / "shared/data/derbyshire-2024/notional-2019.csv").open())
            if r["constituency"] == "Erewash"] if (PROJECT.parent / "shared/data").is_dir() else []
    if not rows:
        pytest.skip("../shared/data is not beside the checkout")
    votes = sorted((int(r["votes"]) for r in rows), reverse=True)
    majority = votes[0] - votes[1]
    share = (Decimal(majority * 100) / sum(int(r["votes"]) for r in rows)).quantize(Decimal("0.1"), ROUND_HALF_UP)
    site = gather(project_paths(night_at(tmp_path / "content", set()), tmp_path / "dist"))
    page = parse(site.files["erewash/index.html"])
    facts = {text(d.find("dt")): text(d.find("dd")) for d in page.select("dl.facts > div")}
    assert facts == {"Held by": "Conservative in 2019 (notional)", "Previous MP": "Maggie Throup",
                     "Majority to overturn": f"{majority:,} ({share}%)"}
