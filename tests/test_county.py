"""The declared total as a checksum on the real content, and the county in figures.

County figures are hand-worked from ../shared/data/derbyshire-2024 (sums written out below), never
taken from the project's compute code.
"""
from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest

from sitegen.cli import main
from sitegen.config import Paths
from sitegen.engine import gather
from tests.conftest import without_result, parse, read_tree

AMBER_VALLEY = "content/constituencies/amber-valley.yml"
# The candidates of amber-valley.yml in file order, and the running sums of their votes.
CANDIDATE_VOTES = [15746, 12192, 10725, 2278, 1590]


def run(root: Path, *argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), root=root, out=out, err=err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def built(project: Paths) -> Paths:
    """A copy of the real project, built once so dist/ exists."""
    assert run(project.root)[0] == 0
    return project


def candidates_line(text: str) -> int:
    return text.splitlines().index("candidates:") + 1


@pytest.mark.parametrize("kept", [1, 2, 3, 4])
def test_a_file_cut_off_after_a_candidate_fails_the_checksum(built: Paths, kept: int) -> None:
    file = built.root / AMBER_VALLEY
    text = file.read_text()
    lines = text.splitlines(keepends=True)
    start = candidates_line(text)  # the candidates follow this line, one a line
    file.write_text("".join(lines[:start + kept]))  # saved cut off after candidate number `kept`
    before = read_tree(built.dist)
    total = sum(CANDIDATE_VOTES[:kept])
    code, out, err = run(built.root)
    assert (code, out) == (1, "")
    checksum = (f"{AMBER_VALLEY}:{start}:1: candidates: votes add up to {total:,} but valid_votes is "
                f"42,531 ({42531 - total:,} short: is a candidate missing?)")
    if kept == 1:  # one candidate left is also too few for a declared result
        assert err.splitlines() == [checksum, f"{AMBER_VALLEY}:{start + 1}:3: candidates: a declared result "
                                    "needs at least two candidates", "2 errors in 1 file; nothing written."]
    else:
        assert err.splitlines() == [checksum, "1 error in 1 file; nothing written."]
    assert read_tree(built.dist) == before


def test_the_issue_example_cut_after_the_third_candidate(built: Paths) -> None:
    file = built.root / AMBER_VALLEY
    text = file.read_text()
    file.write_text(text[:text.index("  - {name: Matt McGuinness")])
    code, _, err = run(built.root, "check")
    assert code == 1
    assert ("candidates: votes add up to 38,663 but valid_votes is 42,531 (3,868 short: is a candidate "
            "missing?)") in err


def test_a_file_cut_off_after_its_last_candidate_is_still_a_whole_result(built: Paths) -> None:
    """Every figure is there; only the declaration's lines at the end of the file are lost, and the
    build asks for them by name."""
    file = built.root / AMBER_VALLEY
    text = file.read_text()
    file.write_text(text[:text.index("sources:")])
    code, _, err = run(built.root, "check")
    assert code == 1
    assert err.splitlines()[:2] == [
        "content/constituencies/amber-valley.yml:14:1: candidates: a declared result needs 'elected:', the "
        "candidate the returning officer declared elected, by name as on the declaration",
        "content/constituencies/amber-valley.yml:14:1: candidates: a declared result needs 'result_source:', where "
        "its figures were taken from: count, notice or release"]


@pytest.mark.parametrize("index, typo", [(0, 15764), (1, 1219), (4, 1509)])
def test_one_mistyped_figure_fails_the_checksum(built: Paths, index: int, typo: int) -> None:
    file = built.root / AMBER_VALLEY
    text = file.read_text()
    original = CANDIDATE_VOTES[index]
    file.write_text(text.replace(f"votes: {original}}}", f"votes: {typo}}}", 1))
    before = read_tree(built.dist)
    total = sum(CANDIDATE_VOTES) - original + typo
    gap = 42531 - total
    why = f"{gap:,} short: is a candidate missing?" if gap > 0 else f"{-gap:,} over: is a figure mistyped?"
    code, _, err = run(built.root)
    assert code == 1
    assert err.splitlines()[0] == (f"{AMBER_VALLEY}:{candidates_line(text)}:1: candidates: votes add up to "
                                   f"{total:,} but valid_votes is 42,531 ({why})")
    assert read_tree(built.dist) == before


# Hand-worked from candidates.csv and notional-2019.csv, all 11 seats:
# valid votes 2024: 42,531 + 42,434 + 41,555 + 40,919 + 38,497 + 49,129 + 43,006 + 49,206
#                   + 45,617 + 45,866 + 48,708 = 487,468
# Labour 2024: 15,746 + 17,197 + 19,316 + 18,619 + 15,260 + 17,759 + 17,224 + 22,533 + 16,915
#              + 17,591 + 17,408 = 195,568, so 195,568 / 487,468 = 40.119% -> 40.1
# notional valid votes 2019: 45,609 + 45,676 + 45,186 + 47,017 + 42,462 + 53,930 + 48,814
#                            + 54,173 + 51,582 + 49,479 + 47,199 = 531,127
# Labour 2019: 12,227 + 16,519 + 18,171 + 18,719 + 21,690 + 13,023 + 16,954 + 24,254 + 13,908
#              + 15,994 + 12,836 = 184,295, so 34.699%; change 40.119 - 34.699 = +5.4
# Conservative: 133,262 / 487,468 = 27.338%; 2019: 29,118 + 21,792 + 16,720 + 21,259 + 15,671 + 31,820
#               + 27,560 + 24,844 + 30,724 + 28,896 + 29,319 = 277,723 / 531,127 = 52.289%; change -25.0
# rejected: 105 + 111 + 135 + 187 + 145 + 173 + 175 + 178 + 153 + 120 + 153 = 1,635
# electorate: 801,296; turnout (487,468 + 1,635) / 801,296 = 61.039% -> 61.0
COUNTY = {"valid_votes": 487468, "previous_valid_votes": 531127, "rejected": 1635, "electorate": 801296,
          "turnout_pct": 61.0}


DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "derbyshire-2024"


def county_from_data() -> dict[str, tuple[int, int]]:
    """Return each party's (2024 votes, notional 2019 votes) summed from the shared CSV files."""
    data = DATA
    now: dict[str, int] = {}
    then: dict[str, int] = {}
    for r in csv.DictReader(open(data / "candidates.csv")):
        party = "Labour" if r["party"] == "Labour and Co-operative" else r["party"]
        now[party] = now.get(party, 0) + int(r["votes"])
    for r in csv.DictReader(open(data / "notional-2019.csv")):
        party = "Reform UK" if r["party"] == "Brexit Party" else r["party"]
        then[party] = then.get(party, 0) + int(r["votes"])
    return {p: (now[p], then.get(p, 0)) for p in now}


@pytest.mark.skipif(not DATA.is_dir(), reason="../shared/data is not beside the checkout")
def test_county_figures_are_summed_votes_not_averaged_shares(real_build) -> None:
    sums = county_from_data()
    assert sums["Labour"] == (195568, 184295)
    assert sums["Conservative"] == (133262, 277723)
    document = json.loads(real_build.files["results.json"])
    county = document["county"]
    assert {k: county[k] for k in COUNTY} == COUNTY
    assert county["seats_covered"] == 11
    parties = {p["party"]: p for p in county["parties"]}
    assert (parties["lab"]["votes"], parties["lab"]["share_pct"], parties["lab"]["change_pp"]) == (195568, 40.1, 5.4)
    assert (parties["con"]["votes"], parties["con"]["share_pct"], parties["con"]["change_pp"]) == (133262, 27.3, -25.0)
    # An average of the eleven seat shares would give Labour 40.2 (a check that the sums are used)
    assert parties["lab"]["previous_votes"] == 184295
    assert county["changed_hands"] == ["amber-valley", "bolsover", "derby-north", "derbyshire-dales", "erewash",
                                       "high-peak", "mid-derbyshire", "north-east-derbyshire", "south-derbyshire"]
    assert county["closest"][:3] == ["derbyshire-dales", "north-east-derbyshire", "mid-derbyshire"]
    assert county["turnout_order"][0] == "derbyshire-dales" and county["turnout_order"][-1] == "derby-south"


def test_overview_shows_the_county_in_figures(real_build) -> None:
    page = parse(real_build.files["index.html"])
    section = page.find("section", class_="county")
    assert section.find("h2").get_text() == "Derbyshire in figures"
    assert " ".join(section.find("p", class_="coverage").get_text().split()) == (
        "All 11 seats declared: these figures cover the whole county.")
    facts = {d.find("dt").get_text(strip=True): " ".join(d.find("dd").get_text().split())
             for d in section.select("dl.facts > div")}
    assert facts == {"Valid votes": "487,468", "Turnout": "61.0%", "Changed hands": "9 of 11 seats"}
    rows = [[" ".join(c.get_text(" ").split()) for c in tr.find_all(["th", "td"])]
            for tr in section.select("table.county-share tbody tr")]
    # each party by name with the short code the chart above uses
    assert rows[0] == ["Labour (Lab)", "195,568", "40.1%", "+5.4"]
    assert rows[1] == ["Conservative (Con)", "133,262", "27.3%", "\u221225.0"]
    assert rows[7][0] == "Chesterfield and North Derbyshire Independents (CANDI)"
    closest = [li.find("a").get_text() for li in section.find(id="closest-heading").find_next("ol").find_all("li")]
    assert closest == ["Derbyshire Dales", "North East Derbyshire", "Mid Derbyshire"]
    largest = [li.find("a").get_text() for li in section.find(id="largest-heading").find_next("ol").find_all("li")]
    assert largest == ["Chesterfield", "Derby North", "High Peak"]
    # what changed, near the top: gains, the sitting MPs who lost (content's previous MPs standing
    # again and beaten), the closest result, the biggest swing, the highest and lowest turnout
    changed = [" ".join(li.get_text().split()) for li in page.select("section.changed li")]
    assert changed == [
        "Labour gained 9 seats (9 from Conservative): Amber Valley, Bolsover, Derby North, Derbyshire Dales, "
        "Erewash, High Peak and 3 more.",
        "8 sitting MPs lost: Nigel Mills (Con, Amber Valley), Mark Fletcher (Con, Bolsover), Amanda Solloway (Con, "
        "Derby North), Sarah Dines (Con, Derbyshire Dales), Maggie Throup (Con, Erewash), Robert Largan (Con, High "
        "Peak) and 2 more.",
        "Closest result: Derbyshire Dales (majority 350 (0.7%)).",
        "Biggest swing: Amber Valley (24.4 points from Con to Lab).",
        "Turnout: Derbyshire Dales (highest, 70.2%), Derby South (lowest, 51.5%)."]
    links = [a["href"] for a in page.select("section.changed a")]
    assert links[:2] == ["amber-valley/", "bolsover/"] and links[6] == "maps/winner/"
    # it and the editor's story come before the figures
    order = [h.get_text() for h in page.find_all("h2")]
    assert order[:2] == ["What changed", "The story of the night"]


def test_county_csv_has_a_row_per_party(real_build) -> None:
    rows = list(csv.DictReader(io.StringIO(real_build.files["county.csv"])))
    lab = rows[0]
    assert (lab["party_id"], lab["votes"], lab["share_pct"], lab["previous_votes"], lab["change_pp"],
            lab["seats_won"], lab["seats_before"]) == ("lab", "195568", "40.1", "184295", "5.4", "11", "2")
    assert {r["turnout_pct"] for r in rows} == {"61.0"}
    assert [r["party_id"] for r in rows if r["new_party"] == "true"] == ["workers", "candi", "tfp", "slp", "freedom"]


def test_seat_pages_say_where_they_rank(real_build) -> None:
    def ranks(slug: str) -> list[str]:
        ul = parse(real_build.files[f"{slug}/index.html"]).find("ul", class_="ranks")
        return [li.get_text() for li in ul.find_all("li")] if ul else []
    assert ranks("derbyshire-dales") == ["Closest result in Derbyshire", "Highest turnout in Derbyshire"]
    assert ranks("high-peak") == ["3rd largest majority of 11", "3rd highest turnout of 11"]
    assert ranks("chesterfield") == ["Largest majority in Derbyshire"]
    assert ranks("bolsover") == ["2nd lowest turnout of 11"]
    assert ranks("erewash") == []


def test_county_section_with_three_of_eleven_declared(project: Paths) -> None:
    # Leave Amber Valley, Erewash and High Peak declared; the other eight back to awaited.
    declared = {"amber-valley", "erewash", "high-peak"}
    for file in sorted((project.content / "constituencies").glob("*.yml")):
        if file.stem in declared:
            continue
        file.write_text(without_result(file.read_text()))
    build = gather(project)
    page = parse(build.files["index.html"])
    section = page.find("section", class_="county")
    assert " ".join(section.find("p", class_="coverage").get_text().split()) == (
        "These figures cover the 3 of 11 seats declared so far; seats still to declare are left out.")
    county = json.loads(build.files["results.json"])["county"]
    # 42,531 + 43,006 + 49,206 valid; rejected 105 + 175 + 178; electorates 71,546 + 71,501 + 74,385
    assert (county["seats_covered"], county["valid_votes"], county["rejected"], county["electorate"]) == (
        3, 134743, 458, 217432)
    assert county["turnout_pct"] == 62.2  # 135,201 / 217,432 = 62.18%
    lab = next(p for p in county["parties"] if p["party"] == "lab")
    # Labour 15,746 + 17,224 + 22,533 = 55,503 of 134,743 = 41.19%; notional 12,227 + 16,954 + 24,254
    # = 53,435 of 45,609 + 48,814 + 54,173 = 148,596 = 35.96%; change +5.2
    assert (lab["votes"], lab["share_pct"], lab["previous_votes"], lab["change_pp"]) == (55503, 41.2, 53435, 5.2)
    assert [a.get_text() for a in page.select("section.changed li")[0].find_all("a")] == [
        "Amber Valley", "Erewash", "High Peak"]
    # fewer than four declared: no seat page claims a rank yet
    assert parse(build.files["high-peak/index.html"]).find("ul", class_="ranks") is None


def test_a_seat_page_shows_when_it_was_declared(project: Paths) -> None:
    seat = project.content / "constituencies" / "amber-valley.yml"
    seat.write_text(seat.read_text().replace("rejected: 105", "rejected: 105\ndeclared_at: 2024-07-05T02:35:00+01:00"))
    site = gather(project)
    declared = parse(site.files["amber-valley/index.html"]).find("span", class_="declared")
    assert " ".join(declared.get_text().split()) == "Declared 02:35 BST, 5 July"
    assert declared.find("time")["datetime"] == "2024-07-05T02:35:00+01:00"
    # as reported: Erewash "just after 2.30am" (Erewash Borough Council), so qualified on the page
    declared = parse(site.files["erewash/index.html"]).find("span", class_="declared")
    assert " ".join(declared.get_text().split()) == "Declared just after 02:30 BST, 5 July"
    assert declared.find("time")["datetime"] == "2024-07-05"  # an approximate time: only its day is exact
    # without a time, nothing is claimed
    assert parse(site.files["chesterfield/index.html"]).find("span", class_="declared") is None


def test_a_sitting_mp_is_named_as_losing_only_when_their_name_is_one_candidates(project: Paths) -> None:
    """Erewash's previous MP, Maggie Throup, lost. A second candidate of the same name (real ballots
    have had two of one name) leaves it unknown which was the MP: neither is named."""
    def lost(site: Site) -> str:
        lines = [" ".join(li.get_text().split()) for li in parse(site.files["index.html"]).select("section.changed li")]
        return next(line for line in lines if "sitting MP" in line)
    assert "Maggie Throup (Con, Erewash)" in lost(gather(project))
    seat = project.content / "constituencies" / "erewash.yml"
    text = seat.read_text()
    seat.write_text(text.replace("name: James Archer", "name: Maggie Throup"))
    assert "Maggie Throup" not in lost(gather(project))
    assert lost(gather(project)).startswith("7 sitting MPs lost")
