"""Trust on the night: corrections shown everywhere, provisional results labelled, times that the
content gives and no others, and the night's tools (reset --awaited, one awaited warning).

Figures are the official ones (../shared/data/derbyshire-2024): Erewash, Adam Thompson 17,224 of
43,006 valid votes; the Library recorded Mid Derbyshire at 05:22 on 5 July."""
from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import feedparser
import pytest

from sitegen.engine import Site, gather
from tests.conftest import PROJECT, card_path, copy_project_files, parse, project_paths

SEAT = "constituencies/erewash.yml"
CORRECTED = ("corrections:\n  - {at: 2024-07-05T04:10:00+01:00, was: {Adam Thompson: 17224, valid_votes: 43006}, "
             "why: \"Typing error: the declaration gives 17,242\"}\n")


def content_with(tmp_path: Path, *edits: tuple[str, str, str]) -> Path:
    import shutil
    content = shutil.copytree(PROJECT / "content", tmp_path / "content")
    for name, old, new in edits:
        path = content / name
        text = path.read_text()
        assert old in text, (name, old)
        path.write_text(text.replace(old, new, 1))
    return content


def build_of(content: Path, tmp_path: Path) -> Site:
    return gather(project_paths(content, tmp_path / "dist"))


def words(node) -> str:
    return " ".join(node.get_text(" ").split())


@pytest.fixture(scope="module")
def corrected(tmp_path_factory: pytest.TempPathFactory) -> Site:
    tmp = tmp_path_factory.mktemp("corrected")
    content = content_with(tmp, (SEAT, "votes: 17224}", "votes: 17242}"), (SEAT, "valid_votes: 43006", "valid_votes: 43024"))
    (content / SEAT).write_text((content / SEAT).read_text() + CORRECTED)
    return build_of(content, tmp)


def test_a_correction_shows_on_the_seat_page(corrected: Site) -> None:
    page = parse(corrected.files["erewash/index.html"])
    assert words(page.find(class_="corrected")) == "Corrected 04:10 BST, 5 July : what changed, and why"
    assert page.find(class_="corrected").find("time")["datetime"] == "2024-07-05T04:10:00+01:00"
    section = page.find("section", id="corrections")
    assert [words(li) for li in section.select("ol > li > ul > li")] == [
        "Votes for Adam Thompson: 17,224 before, 17,242 now", "Valid votes: 43,006 before, 43,024 now"]
    assert "Typing error: the declaration gives 17,242" in words(section)
    assert "17,242" in words(page.find("table", class_="result"))


def test_a_correction_is_listed_on_the_corrections_page_linked_from_every_page(corrected: Site) -> None:
    page = parse(corrected.files["corrections/index.html"])
    assert words(page.find(id="list-heading")) == "1 correction, newest first"
    item = page.select_one(".correction-list > li")
    assert item.find("a")["href"] == "../erewash/#corrections"
    assert words(item.find("p")) == "Erewash · 04:10 BST, 5 July"
    for name in ("index.html", "erewash/index.html", "bolsover/index.html"):
        assert any(a.get_text() == "Corrections" for a in parse(corrected.files[name]).select("footer a"))


def test_with_no_corrections_the_page_says_so(real_build: Site) -> None:
    page = parse(real_build.files["corrections/index.html"])
    assert words(page.find(id="list-heading")) == "No corrections"
    assert words(page.find("section").find_all("p")[-1]) == "No published result on this site has been changed."


def test_a_correction_reaches_the_feed_status_json_and_the_data_files(corrected: Site) -> None:
    feed = feedparser.parse(corrected.files["feed.xml"])
    entry = next(e for e in feed.entries if e.link.endswith("/erewash/"))
    assert entry.updated == "2024-07-05T04:10:00+01:00"
    assert "Corrected 04:10 BST, 5 July: Typing error: the declaration gives 17,242" in entry.summary
    status = json.loads(corrected.files["status.json"])
    seat = next(s for s in status["seats"] if s["slug"] == "erewash")
    assert seat["corrected"] == "2024-07-05T04:10:00+01:00"
    record = next(s for s in json.loads(corrected.files["results.json"])["constituencies"] if s["slug"] == "erewash")
    assert record["corrections"] == [{"at": "2024-07-05T04:10:00+01:00",
                                      "was": {"Adam Thompson": 17224, "valid_votes": 43006},
                                      "why": "Typing error: the declaration gives 17,242"}]
    rows = [r for r in csv.DictReader(io.StringIO(corrected.files["results.csv"])) if r["constituency_slug"] == "erewash"]
    assert {r["corrections"] for r in rows} == {"1"}


def test_a_provisional_result_is_labelled_on_its_page_embed_card_and_data(tmp_path: Path) -> None:
    content = content_with(tmp_path, (SEAT, "result_source: release", "result_source: count\nprovisional: true"))
    site = build_of(content, tmp_path)
    page = parse(site.files["erewash/index.html"])
    assert words(page.find(class_="provisional")) == ("Provisional: these figures are entered but not yet checked "
                                                      "against the declaration by a second person.")
    assert words(page.find(class_="result-source")).startswith("Figures as announced at the count.")
    embed = parse(site.files["erewash/embed/index.html"])
    assert "Provisional: not yet checked against the declaration." in words(embed)
    assert site.routes[card_path(site, "erewash")].context.label == "Labour GAIN from Conservative (provisional)"
    seat = next(s for s in json.loads(site.files["status.json"])["seats"] if s["slug"] == "erewash")
    assert seat["provisional"] is True
    record = next(s for s in json.loads(site.files["results.json"])["constituencies"] if s["slug"] == "erewash")
    assert (record["provisional"], record["result_source"]) == (True, "count")
    rows = [r for r in csv.DictReader(io.StringIO(site.files["results.csv"])) if r["constituency_slug"] == "erewash"]
    assert {r["provisional"] for r in rows} == {"true"}
    feed = feedparser.parse(site.files["feed.xml"])
    assert "Provisional: not yet checked" in next(e for e in feed.entries if e.link.endswith("/erewash/")).summary


def test_confirming_a_provisional_result_changes_its_revision(tmp_path: Path) -> None:
    """Open pages learn that a provisional result was checked (status.json's revision changes)."""
    provisional = build_of(content_with(tmp_path / "a", (SEAT, "result_source: release", "provisional: true\nresult_source: release")), tmp_path / "a")
    confirmed = build_of(content_with(tmp_path / "b"), tmp_path / "b")
    revisions = [next(s["revision"] for s in json.loads(site.files["status.json"])["seats"] if s["slug"] == "erewash")
                 for site in (provisional, confirmed)]
    assert revisions[0] != revisions[1]


def test_the_feed_gives_no_time_the_content_does_not(real_build: Site) -> None:
    """Seats without a declaration time were dated 00:00 UTC on 5 July, before the first real declaration."""
    import yaml
    given: dict[str, set[str]] = {}
    for path in (PROJECT / "content" / "constituencies").glob("*.yml"):
        data = yaml.safe_load(path.read_text())
        exact = data.get("declared_at") if not data.get("declared_at_approx") else None
        given[path.stem] = {t.isoformat() for t in (exact, data.get("recorded_at")) if t is not None}
    feed = feedparser.parse(real_build.files["feed.xml"])
    assert len(feed.entries) == 11
    for entry in feed.entries:
        slug = entry.link.rstrip("/").rsplit("/", 1)[1]
        assert entry.updated in given[slug], (slug, entry.updated)
    # Mid Derbyshire: no declaration time in the content; the Library recorded it at 05:22
    mid = next(e for e in feed.entries if e.link.endswith("/mid-derbyshire/"))
    assert mid.updated == "2024-07-05T05:22:00+01:00"
    assert mid.summary.endswith("Declaration time not known; the House of Commons Library recorded the result "
                                "at 05:22 BST, 5 July.")


def test_an_approximate_time_stays_approximate(real_build: Site) -> None:
    """Erewash was reported as 'just after 02:30': the feed's exact instant is the Library's
    record, and every output that gives 02:30 says 'just after'."""
    feed = feedparser.parse(real_build.files["feed.xml"])
    erewash = next(e for e in feed.entries if e.link.endswith("/erewash/"))
    assert erewash.updated == "2024-07-05T02:49:00+01:00"
    assert "Declared just after 02:30 BST, 5 July." in erewash.summary
    seat = next(s for s in json.loads(real_build.files["status.json"])["seats"] if s["slug"] == "erewash")
    assert (seat["declared_at"], seat["declared_at_approx"]) == ("2024-07-05T02:30:00+01:00", "just after")
    page = parse(real_build.files["erewash/index.html"])
    assert words(page.find(class_="declared")) == "Declared just after 02:30 BST, 5 July"


def test_the_library_time_is_shown_as_what_it_is(real_build: Site) -> None:
    page = parse(real_build.files["mid-derbyshire/index.html"])
    assert words(page.find(class_="result-source")) == (
        "Figures from the official results release. The House of Commons Library recorded this result at "
        "05:22 BST, 5 July .")


# --- the content's own rules ----------------------------------------------------------------------

@pytest.mark.parametrize("edit, message", [
    ((SEAT, "result_source: release", "result_source: release\ncorrections:\n  - {at: 2024-07-05T04:10:00+01:00, "
      "was: {Adam Thomson: 17242}, why: typo}"),
     "content/constituencies/erewash.yml:31:43: corrections[0].was.Adam Thomson: 'Adam Thomson' is not a figure of "
     "this result: name a candidate (Adam Thompson, Maggie Throup, Liam Booth-Isherwood, Brent Poland, James Archer, "
     "John Kirby), valid_votes, rejected or electorate"),
    ((SEAT, "result_source: release", "result_source: release\ncorrections:\n  - {at: 2024-07-05T04:10:00+01:00, "
      "was: {Adam Thompson: 17224}, why: typo}"),
     "content/constituencies/erewash.yml:31:58: corrections[0].was.Adam Thompson: 17,224 is the figure the file "
     "gives now; 'was' holds the figure as it was published"),
    ((SEAT, "elected: Adam Thompson", "elected: Adam Tompson"),
     "content/constituencies/erewash.yml:28:10: elected: 'Adam Tompson' is not one of the candidates (Adam Thompson, "
     "Maggie Throup, Liam Booth-Isherwood, Brent Poland, James Archer, John Kirby); write the name as in candidates"),
    ((SEAT, "elected: Adam Thompson\n", ""),
     "content/constituencies/erewash.yml:16:1: candidates: a declared result needs 'elected:', the candidate the "
     "returning officer declared elected, by name as on the declaration"),
])
def test_the_declaration_is_checked(tmp_path: Path, edit: tuple, message: str) -> None:
    assert refusals(content_with(tmp_path, edit), tmp_path) == [message]


def refusals(content: Path, tmp_path: Path) -> list[str]:
    """Return the build's error messages, each file named from the project folder."""
    from sitegen.errors import ContentErrors
    with pytest.raises(ContentErrors) as caught:
        build_of(content, tmp_path)
    return [e.format().replace(f"{content.parent}/", "") for e in caught.value.errors]


# --- the night's tools ----------------------------------------------------------------------------

def run_build(root: Path, *argv: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(root / "build.py"), *argv], cwd=root, capture_output=True, text=True)


def test_reset_awaited_takes_every_result_out_keeping_the_candidates(tmp_path: Path) -> None:
    root = copy_project_files(tmp_path / "copy", runnable=True)
    done = run_build(root, "reset", "--awaited")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == (
        "Reset 11 of 11 seats to awaited: votes, valid_votes, rejected, elected, result_source and the rest of each result taken "
        "out; candidates kept.")
    import yaml
    for path in (root / "content" / "constituencies").glob("*.yml"):
        before = yaml.safe_load((PROJECT / "content" / "constituencies" / path.name).read_text())
        after = yaml.safe_load(path.read_text())
        assert [{k: v for k, v in c.items() if k != "votes"} for c in before["candidates"]] == after["candidates"]
        assert not {"valid_votes", "rejected", "elected", "declared_at", "recorded_at"} & set(after)
    checked = run_build(root, "check")
    assert checked.returncode == 0
    # one line for the awaited seats, not eleven
    assert checked.stderr.splitlines() == [
        "content/constituencies: warning: 11 of 11 results awaited (no votes yet): Amber Valley, Bolsover, "
        "Chesterfield and 8 more"]
    again = run_build(root, "reset", "--awaited")
    assert again.stdout == "Every one of the 11 seats is already awaited; nothing changed.\n"


def test_reset_refuses_content_git_tracks_without_yes(tmp_path: Path) -> None:
    root = copy_project_files(tmp_path / "repo", runnable=True)
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    before = (root / "content" / SEAT).read_text()
    refused = run_build(root, "reset", "--awaited")
    assert refused.returncode == 2
    assert refused.stderr == (
        "python3 build.py: error: reset --awaited takes every result out of content/, which git tracks (your site's "
        "own content); run it on a copy (rehearse makes one for you), or add --yes to go ahead: git keeps what it "
        "removes\n")
    assert (root / "content" / SEAT).read_text() == before
    assert run_build(root, "reset", "--awaited", "--yes").returncode == 0
    assert "votes:" not in (root / "content" / SEAT).read_text().split("candidates:")[1]


def test_a_recount_declared_is_told_the_next_step_at_once(tmp_path: Path) -> None:
    """Votes typed on a seat still in a recount: the message said to remove the votes, and a
    leftover recount_note surfaced only on the next save."""
    content = content_with(tmp_path, (SEAT, "hex:", "status: recount\nrecount_note: Bundle check\nhex:"))
    assert refusals(content, tmp_path) == [
        "content/constituencies/erewash.yml:10:9: status: 'recount' while candidates have votes: once the recount "
        "is declared, remove status and recount_note (the votes are the declared result); while it is under way, "
        "remove the votes and valid_votes"]


# --- statements that hold -------------------------------------------------------------------------

def _lost_deposits_near_five() -> list[tuple[str, str, str]]:
    """(seat, candidate, share to 2 dp) for each lost deposit whose share rounds to 5.0 at 1 dp,
    worked out from the official votes in ../shared/data."""
    from decimal import ROUND_HALF_UP, Decimal
    from fractions import Fraction
    rows = list(csv.DictReader((PROJECT.parent / "shared" / "data" / "derbyshire-2024" / "candidates.csv").open()))
    totals: dict[str, int] = {}
    for row in rows:
        totals[row["constituency"]] = totals.get(row["constituency"], 0) + int(row["votes"])
    found = []
    for row in rows:
        share = Fraction(int(row["votes"]) * 100, totals[row["constituency"]])
        one = Decimal(share.numerator / share.denominator).quantize(Decimal("0.1"), ROUND_HALF_UP)
        if share < 5 and one == Decimal("5.0"):
            two = Decimal(share.numerator / share.denominator).quantize(Decimal("0.01"), ROUND_HALF_UP)
            found.append((row["constituency"], row["candidate"], f"{two}%"))
    return found


@pytest.mark.skipif(not (PROJECT.parent / "shared" / "data").is_dir(), reason="../shared/data is not beside the checkout")
def test_a_lost_deposit_never_reads_five_percent(real_build: Site) -> None:
    """Two lost deposits read '5.0%' beside the lost-deposit mark (4.966%, 4.951%), and North East
    Derbyshire's card showed the Green 5.0% with no mark at all."""
    from sitegen.site import cards
    near = _lost_deposits_near_five()
    assert len(near) == 2
    shown_on_a_card = []
    for seat_name, candidate, share in near:
        slug = seat_name.lower().replace(" ", "-")
        page = parse(real_build.files[f"{slug}/index.html"])
        row = next(r for r in page.select("table.result tbody tr") if candidate in words(r.find("th")))
        assert "(lost deposit)" in words(row.find("th"))
        assert [words(td) for td in row.find_all("td")][2] == share
        embed = parse(real_build.files[f"{slug}/embed/index.html"])
        assert share in [words(td) for td in embed.find_all("td")]
        card = real_build.routes[card_path(real_build, slug)].context
        drawn = [p.text for p in cards.Cards(None).layout(card) if p.role == "bar"]
        if any(bar.name == candidate for bar in card.bars):  # (a card shows the leading four)
            assert f"{share} · lost deposit" in drawn
            shown_on_a_card.append(slug)
    assert shown_on_a_card == ["north-east-derbyshire"]


def test_the_county_row_for_independents_shows_no_change(real_build: Site) -> None:
    """It showed +0.3: the 2019 independents of Chesterfield and Derby North against unrelated 2024
    independents elsewhere. Independents are different people, so the county never compares them."""
    page = parse(real_build.files["index.html"])
    rows = {words(tr.find("th")): [words(td) for td in tr.find_all("td")]
            for tr in page.select("section.county table tbody tr")}
    independent = next(cells for label, cells in rows.items() if label.startswith("Independent"))
    assert independent[-1] == "–"
    row = next(r for r in csv.DictReader(io.StringIO(real_build.files["county.csv"])) if r["party_id"] == "ind")
    assert (row["change_pp"], row["previous_votes"], row["new_party"]) == ("", "", "false")
    county = json.loads(real_build.files["results.json"])["county"]
    assert next(p for p in county["parties"] if p["party"] == "ind")["change_pp"] is None
