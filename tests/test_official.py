"""Importing the official data and reconciling the site with the official release.

On the Derbyshire rows of the real files in ../shared/data/official: the candidate lists (the May
snapshot, then the final list), then the results with the notional baseline and the hex layout,
into an empty content folder, give the official figures (worked out in tests/test_official_figures.py
from ../shared/data/derbyshire-2024 alone, never by the project's code), and `check --against` the
Library's files finds nothing; seeded mistakes are found, each with our file and line. The quirks
of the national files (the Speaker, independents, two candidates with one name, Labour and
Co-operative, the Brexit Party, the Scottish Green Party, Northern Ireland, 13 candidates, a comma,
a mis-encoded name) are rows written here in the results website's own layout, with invented figures.
"""
from __future__ import annotations

import csv
import io
import json
import re
import shutil
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest

from sitegen.cli import main
from sitegen.config import Paths
from sitegen.engine import gather
from tests.conftest import PROJECT, card_path, parse
from tests.test_official_figures import OFFICIAL

OFFICIAL_DATA = PROJECT.parent / "shared" / "data" / "official"
MAY = OFFICIAL_DATA / "democracyclub-export-2024-05-22.derbyshire.csv"
FINAL = OFFICIAL_DATA / "democracyclub-candidates-final.derbyshire.csv"
RESULTS = OFFICIAL_DATA / "parliament-results-2024.derbyshire.csv"
NOTIONAL = OFFICIAL_DATA / "parliament-notional-2019.derbyshire.csv"
HEXES = OFFICIAL_DATA / "uk-constituencies-2024.hexjson"
BY_CANDIDATE = OFFICIAL_DATA / "hoc-ge2024-results-by-candidate.derbyshire.csv"
BY_CONSTITUENCY = OFFICIAL_DATA / "hoc-ge2024-results-by-constituency.derbyshire.csv"
needs_data = pytest.mark.skipif(not OFFICIAL_DATA.is_dir(), reason="../shared/data is not beside the checkout")


def run(root: Path, *argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), root=root, out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def project(tmp_path: Path) -> Path:
    """Return a project root with the real templates and static files and an empty content/."""
    root = tmp_path / "project"
    for name in ("templates", "static"):
        shutil.copytree(PROJECT / name, root / name)
    (root / "content").mkdir()
    return root


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The three imports of election night into an empty content folder; the project root."""
    root = project(tmp_path_factory.mktemp("imported"))
    for argv in (["import", "candidates", str(MAY), "--all", "--area", "Derbyshire", "--area-type", "county"],
                 ["import", "candidates", str(FINAL)],
                 ["import", "results", str(RESULTS), "--notional", str(NOTIONAL), "--hexjson", str(HEXES)]):
        code, out, err = run(root, *argv)
        assert code == 0, out + err
    return root


def one_dp(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@needs_data
def test_three_imports_into_an_empty_folder_give_the_official_site(imported: Path) -> None:
    code, out, err = run(imported, "build")
    assert code == 0, err
    assert out.startswith("Built 37 pages")
    notional = {r["constituency"]: r["notional_2019_winner"] for r in csv.DictReader(
        open(PROJECT.parent / "shared/data/derbyshire-2024/constituencies.csv"))}
    document = json.loads((imported / "dist/results.json").read_text(), parse_float=Decimal)
    assert document["site"]["area"] == "Derbyshire" and document["site"]["area_type"] == "county"
    assert len(document["constituencies"]) == 11
    for record in document["constituencies"]:
        want = OFFICIAL[record["slug"]]
        assert (record["name"], record["valid_votes"], record["majority"], record["majority_pct"],
                record["turnout_pct"]) == (want["name"], want["valid"], want["majority"], want["majority_pct"],
                                           want["turnout"])
        # names as declared (the lists had ten under their full legal names), votes, shares, changes
        assert [(c["name"], c["votes"], c["share_pct"], c["change_pp"]) for c in record["candidates"]] == [
            (r["name"], r["votes"], r["share"], r["change"]) for r in want["rows"]]
        winner = "Labour"  # every seat; held where the notional 2019 winner was Labour too
        expected = "Labour HOLD" if notional[want["name"]] == winner else f"Labour GAIN from {notional[want['name']]}"
        assert record["result"] == expected
        assert record["hex"] is not None and record["ons_code"].startswith("E140")
    page = parse((imported / "dist/high-peak/index.html").read_text())
    assert page.select_one("table.result tbody th .cand").get_text(" ", strip=True) == "Jon Pearce Elected"


@needs_data
def test_check_against_the_library_files_finds_no_difference(imported: Path) -> None:
    for root in (imported, PROJECT):
        code, out, err = run(root, "check", "--against", str(BY_CANDIDATE), str(BY_CONSTITUENCY), str(RESULTS))
        assert (code, err) == (0, ""), out + err
        assert out == (f"Compared 11 declared seats with {BY_CANDIDATE}, {BY_CONSTITUENCY}, {RESULTS}: "
                       "no differences.\n")


def copy_of_real_content(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    for name in ("content", "templates", "static"):
        shutil.copytree(PROJECT / name, root / name)
    return root


def _edit(root: Path, seat: str, old: str, new: str) -> None:
    path = root / "content/constituencies" / f"{seat}.yml"
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


@needs_data
@pytest.mark.parametrize("seed, expected", [
    # one wrong vote (and the declared total typed to match it, so the checksum passes)
    ([("erewash", "votes: 17224", "votes: 17242"), ("erewash", "valid_votes: 43006", "valid_votes: 43024")], [
        "content/constituencies/erewash.yml:6:14: valid_votes: 43,024 here; 43,006 in {c}:8",
        "content/constituencies/erewash.yml:17:3: majority: 5,877 here; 5,859 in {c}:8",
        "content/constituencies/erewash.yml:17:64: candidates[0] share (Adam Thompson): 0.400753 here; 0.400502 in {a}:43",
        "content/constituencies/erewash.yml:17:64: candidates[0].votes (Adam Thompson): 17,242 here; 17,224 in {a}:43",
        "content/constituencies/erewash.yml:17:64: votes for Lab: 17,242 here; 17,224 in {c}:8",
    ]),
    # one wrong electorate
    ([("amber-valley", "electorate: 71546", "electorate: 71564")], [
        "content/constituencies/amber-valley.yml:5:13: electorate: 71,564 here; 71,546 in {c}:2",
    ]),
    # one candidate missing (and the declared total typed without them)
    ([("derby-south", "  - {name: Zephyr Tair, party: ind, person_id: 117832, votes: 292}\n", ""),
      ("derby-south", "valid_votes: 37399", "valid_votes: 37107")], [
        "content/constituencies/derby-south.yml:6:14: valid_votes: 37,107 here; 37,399 in {c}:6",
        "content/constituencies/derby-south.yml:15:3: candidates: Zephyr Tair (Independent, 292 votes) is in {a}:24 "
        "but not on the site",
        # the Library's "all other candidates" counts the Workers Party's 5,205 votes too
        "content/constituencies/derby-south.yml:15:3: votes for all other candidates: 5,205 here; 5,497 in {c}:6",
    ]),
])
def test_a_seeded_mistake_is_found_with_our_line_and_the_official_value(tmp_path: Path, seed: list,
                                                                        expected: list[str]) -> None:
    root = copy_of_real_content(tmp_path)
    for change in seed:
        _edit(root, *change)
    code, out, err = run(root, "check", "--against", str(BY_CANDIDATE), str(BY_CONSTITUENCY))
    lines = out.splitlines()
    assert code == 1 and err == ""
    # the shares and changes of the other candidates move too when the total moves: only these are pinned
    wanted = [line.format(a=BY_CANDIDATE, c=BY_CONSTITUENCY) for line in expected]
    assert [line for line in lines[:-1] if "share" not in line and "change" not in line] == [
        w for w in wanted if "share" not in w]
    for line in wanted:
        assert line in lines
    assert lines[-1].startswith(f"Compared 11 declared seats with {BY_CANDIDATE}, {BY_CONSTITUENCY}: ")
    assert lines[-1].endswith(" differences in 1 seat.") or lines[-1].endswith(" difference in 1 seat.")


@needs_data
def _official_candidates() -> dict[str, list[tuple[str, int]]]:
    """Each seat's candidates (name, votes), most votes first, read from the official file."""
    seats: dict[str, list[tuple[str, int]]] = {}
    with BY_CANDIDATE.open(encoding="utf-8-sig", newline="") as f:
        for row in csv.DictReader(f):
            seats.setdefault(row["Constituency name"], []).append(
                (f"{row['Candidate first name']} {row['Candidate surname']}", int(row["Votes"])))
    return {name: sorted(c, key=lambda c: -c[1]) for name, c in seats.items()}


@needs_data
@pytest.mark.parametrize("seat", sorted(p.stem for p in (PROJECT / "content" / "constituencies").glob("*.yml")))
def test_a_swap_of_the_winners_votes_with_another_candidates_is_refused_naming_both(tmp_path: Path, seat: str) -> None:
    """Adam Thompson's and Maggie Throup's vote lines exchanged in erewash.yml passed every check and
    published 'Conservative HOLD'; the declared winner now catches it, whichever seat."""
    root = copy_of_real_content(tmp_path)
    path = root / "content" / "constituencies" / f"{seat}.yml"
    text = path.read_text()
    name = next(line[6:] for line in text.splitlines() if line.startswith("name: "))
    (winner, most), (second, fewer) = _official_candidates()[name][:2]
    assert text.count(f"votes: {most}}}") == 1 and text.count(f"votes: {fewer}}}") == 1
    text = (text.replace(f"votes: {most}}}", "votes: MOST}").replace(f"votes: {fewer}}}", f"votes: {most}}}")
            .replace("votes: MOST}", f"votes: {fewer}}}"))  # the two candidates' votes exchanged
    path.write_text(text)
    line = next(i for i, row in enumerate(text.splitlines(), 1) if row.startswith("elected: "))
    code, out, err = run(root, "check", "--against", str(BY_CANDIDATE))
    assert code == 1
    assert err.splitlines()[0] == (
        f"content/constituencies/{seat}.yml:{line}:10: elected: {winner!r} was declared elected, but the votes "
        f"put {second} first ({second} {most:,}, {winner} {fewer:,}); check each candidate's votes against the "
        "declaration: are two lines swapped?")


@needs_data
def test_the_final_list_adds_withdraws_and_renames_and_says_so(tmp_path: Path) -> None:
    root = project(tmp_path)
    assert run(root, "import", "candidates", str(MAY), "--all", "--area", "Derbyshire")[0] == 0
    code, out, err = run(root, "import", "candidates", str(FINAL))
    assert code == 0, err
    bolsover = [line for line in out.splitlines() if line.startswith("content/constituencies/bolsover.yml")]
    assert bolsover == [
        "content/constituencies/bolsover.yml: ~ Robert Reaney: person_id '115883' → '113304'",
        "content/constituencies/bolsover.yml: + David Hancock (Liberal Democrats)",
        "content/constituencies/bolsover.yml: + Mark Fletcher (Conservative)",
        "content/constituencies/bolsover.yml: + David Kesteven (Green Party)",
        "content/constituencies/bolsover.yml: − Jack Evans (Workers Party of Britain): no longer on the list (withdrawn)",
        "content/constituencies/bolsover.yml: ons_code: E14001109",
    ]
    assert "content/constituencies/south-derbyshire.yml: ~ Joseph West: name 'Joseph West' → 'Job West'" in out
    assert ("Imported candidates for 11 seats from ../shared/data/official/democracyclub-candidates-final.derbyshire.csv"
            in out.replace(str(PROJECT.parent), ".."))
    # every seat's list is the final one, in ballot-paper order (surname, then given names)
    final: dict[str, list[str]] = {}
    for row in csv.DictReader(open(FINAL, encoding="utf-8")):
        final.setdefault(row["post_label"], []).append(row["person_name"])
    for path in sorted((root / "content/constituencies").glob("*.yml")):
        from sitegen.content.read import parse_yaml
        data = parse_yaml(path.read_text(), "x")[0].data
        names = [c["name"] for c in data["candidates"]]
        assert names == sorted(final[data["name"]], key=lambda n: (n.split()[-1].casefold(), n.casefold()))
    again = run(root, "import", "candidates", str(FINAL))  # nothing new: nothing written
    assert again[0] == 0 and "11 unchanged" in again[1]


@needs_data
def test_a_hand_edit_is_kept_and_said(tmp_path: Path) -> None:
    root = project(tmp_path)
    assert run(root, "import", "candidates", str(MAY), "--all", "--area", "Derbyshire")[0] == 0
    _edit(root, "south-derbyshire", "name: Joseph West", "name: Joe West")
    before_list = (root / "content/constituencies/south-derbyshire.yml").read_text()
    code, out, err = run(root, "import", "candidates", str(FINAL))
    assert code == 0
    assert ("content/constituencies/south-derbyshire.yml:7: Joe West: kept name 'Joe West' (changed by hand; the list "
            "has 'Job West')") in err
    text = (root / "content/constituencies/south-derbyshire.yml").read_text()
    assert "{name: Joe West, party: reform, person_id: 115922}" in text and "Job West" not in text
    assert text != before_list  # the rest of the list still came in


@needs_data
def test_the_candidate_list_leaves_declared_seats_alone(tmp_path: Path) -> None:
    root = copy_of_real_content(tmp_path)
    before = {p.name: p.read_bytes() for p in (root / "content/constituencies").iterdir()}
    code, out, err = run(root, "import", "candidates", str(FINAL))
    assert code == 0
    assert {p.name: p.read_bytes() for p in (root / "content/constituencies").iterdir()} == before
    assert err.count("declared: the candidate list does not change a declared result") == 11
    assert "0 written (0 new), 11 unchanged" in out


@needs_data
def test_a_declared_result_that_differs_is_listed_and_changed_only_with_apply(tmp_path: Path) -> None:
    root = copy_of_real_content(tmp_path)
    _edit(root, "erewash", "votes: 17224", "votes: 17242")
    _edit(root, "erewash", "valid_votes: 43006", "valid_votes: 43024")
    edited = (root / "content/constituencies/erewash.yml").read_text()
    code, out, err = run(root, "import", "results", str(RESULTS))
    assert code == 1
    assert err.splitlines()[:2] == [
        "content/constituencies/erewash.yml:17: candidates[0].votes: 17,242 here, 17,224 in the official file (not "
        "written: run with --apply to take the official figures)",
        "content/constituencies/erewash.yml:6: valid_votes: 43,024 here, 43,006 in the official file (not written: "
        "run with --apply to take the official figures)"]
    assert (root / "content/constituencies/erewash.yml").read_text() == edited
    code, out, err = run(root, "import", "results", str(RESULTS), "--apply")
    assert code == 0, err
    # the official figures, and a correction entry saying what was published (made now, by the import)
    text = (root / "content/constituencies/erewash.yml").read_text()
    body, corrections = text.split("corrections:\n")
    assert body == (PROJECT / "content/constituencies/erewash.yml").read_text()
    assert re.fullmatch(r"  - \{at: 20\d\d-\d\d-\d\dT\d\d:\d\d:00\+0[01]:00, was: \{Adam Thompson: 17242, "
                        r"valid_votes: 43024\}, why: Revised to the official results release "
                        r"\(parliament-results-2024\.derbyshire\.csv\)\}\n", corrections), corrections


@needs_data
@pytest.mark.parametrize("area, seats", [
    (["--seats", "Erewash,E14001066"], ["amber-valley", "erewash"]),
    (["--seats", "@{seats}"], ["bolsover", "high-peak"]),
    (["--region", "East Midlands"], sorted(OFFICIAL)),
    (["--region", "england"], sorted(OFFICIAL)),
])
def test_the_area_is_chosen_by_name_code_list_or_region(tmp_path: Path, area: list[str], seats: list[str]) -> None:
    root = project(tmp_path)
    (tmp_path / "seats.txt").write_text("# two seats\nHigh Peak\nE14001109\n")
    argv = [a.format(seats=tmp_path / "seats.txt") for a in area]
    code, out, err = run(root, "import", "results", str(RESULTS), "--notional", str(NOTIONAL), *argv,
                         "--area", "Somewhere")
    assert code == 0, err
    assert sorted(p.stem for p in (root / "content/constituencies").glob("*.yml")) == seats
    assert "The site builds" in out


@needs_data
@pytest.mark.parametrize("argv, expected", [
    (["import", "results", "{results}", "--seats", "Erewsh,Nowhere", "--notional", "{notional}", "--area", "X"], [
        "{results}: has no seat 'Erewsh' (did you mean 'Erewash'?)",
        "{results}: has no seat 'Nowhere'",
        "2 errors in 1 file; nothing imported."]),
    (["import", "results", "{results}", "--region", "Wales", "--area", "X"], [
        "{results}: no seat is in region 'Wales'; its regions and nations are: East Midlands, England",
        "1 error in 1 file; nothing imported."]),
    (["import", "candidates", "{final}", "--region", "East Midlands", "--area", "X"], [
        "{final}: no seat is in region 'East Midlands'; this file names no regions: give --hexjson FILE, whose "
        "layout does, or choose --seats",
        "1 error in 1 file; nothing imported."]),
    (["import", "results", "{final}", "--all"], [
        "{final}:1: is a Democracy Club candidate list; `import results` reads a UK Parliament results export of "
        "the election itself (give the notional one with --notional)",
        "1 error in 1 file; nothing imported."]),
    (["import", "results", "{notional}", "--all"], [
        "{notional}:1: is a notional results export; `import results` reads a UK Parliament results export of the "
        "election itself (give the notional one with --notional)",
        "1 error in 1 file; nothing imported."]),
    (["import", "results", "{results}", "--all"], [
        "content/site.yml: does not exist yet: give --area NAME (and --area-type county, region, ...) so that the "
        "import can write it",
        "1 error in 1 file; nothing imported."]),
    (["import", "results", "{results}", "--area", "X"], [
        "{results}: choose the area to import: --seats A,B (names or ONS codes, or @file with one per line), "
        "--region NAME, or --all",
        "1 error in 1 file; nothing imported."]),
])
def test_an_import_that_cannot_be_done_says_why_and_writes_nothing(tmp_path: Path, argv: list[str],
                                                                    expected: list[str]) -> None:
    root = project(tmp_path)
    names = {"results": RESULTS, "notional": NOTIONAL, "final": FINAL}
    code, out, err = run(root, *[a.format(**names) for a in argv])
    assert (code, out) == (1, "")
    assert err.splitlines() == [e.format(**names) for e in expected]
    assert list((root / "content").iterdir()) == []


@needs_data
def test_a_bad_row_is_named_with_its_line_and_column(tmp_path: Path) -> None:
    root = project(tmp_path)
    lines = RESULTS.read_text(encoding="utf-8-sig").splitlines()
    lines[3] = lines[3].replace(",10725,", ",10 725,")
    broken = tmp_path / "results.csv"
    broken.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, _, err = run(root, "import", "results", str(broken), "--all", "--area", "X")
    assert code == 1
    assert err.splitlines() == [f"{broken}:4: column 'Candidate vote count': expected a whole number, got '10 725'",
                                "1 error in 1 file; nothing imported."]


# --- the quirks of the national files, in the results website's layout -------------------------------

COLUMNS = ["Parliament number", "General election polling date", "General election is notional", "Country name",
           "English region name", "Constituency name", "Constituency geographic code", "Electorate",
           "Election valid vote count", "Election invalid vote count", "Election result summary",
           "Candidate family name", "Candidate given name", "Main party name", "Main party abbreviation",
           "Main party MNIS ID", "Adjunct party name", "Adjunct party abbreviation",
           "Candidate is standing as Commons Speaker", "Candidate is standing as independent", "Candidate vote count",
           "Candidate vote share", "Candidate vote change", "Majority", "Candidate result position"]
PARTIES = {  # name, abbreviation, MNIS id, as the file gives them
    "con": ("Conservative", "Con", "4"), "lab": ("Labour", "Lab", "15"), "ld": ("Liberal Democrat", "LD", "17"),
    "green": ("Green Party", "Green", "44"), "reform": ("Reform UK", "RUK", "1036"),
    "brexit": ("The Brexit Party", "BRX", "1006"), "snp": ("Scottish National Party", "SNP", "29"),
    "sgp": ("Scottish Green Party", "SGP", ""), "dup": ("Democratic Unionist Party", "DUP", "7"),
    "sf": ("Sinn Féin", "SF", "30"), "sdlp": ("Social Democratic and Labour Party", "SDLP", "31"),
    "uup": ("Ulster Unionist Party", "UUP", "38"), "alliance": ("Alliance Party of Northern Ireland", "APNI", "1"),
    "tuv": ("Traditional Unionist Voice", "TUV", ""), "yorks": ("Yorkshire Party", "Yorks", ""),
}
# Invented seats, one per quirk: (name, ONS code, nation, electorate, rejected, candidates, notional);
# a candidate is (given, family, party, votes) with party 'ind' or 'speaker' for those, '+coop' for a joint
# candidacy; the notional result is (party, votes) rows, then the notional valid votes.
QUIRKS = [
    ("Speakers Vale", "E14999901", "England", 80000, 100,
     [("Lindsay", "Speaker", "speaker", 25000), ("Gina", "Green", "green", 3000),
      ("Ann", "Able", "ind", 2000), ("Bob", "Baker", "ind", 1000)],
     ([("speaker", 30000), ("ind", 1500)], 31500)),
    ("Independent Bay", "E14999902", "England", 70000, 90,
     [("Claire", "Crow", "ind", 20000), ("Len", "Lab", "lab", 15000), ("Con", "Servative", "con", 5000),
      ("Ian", "Dependent", "ind", 700)],
     ([("con", 25000), ("lab", 15000), ("ld", 3000)], 43500)),
    ("Mid Testshire", "E14999903", "England", 75000, 80,
     [("Greg", "Smith", "con", 20150), ("Greg", "Smith", "green", 2942), ("Lucy", "Ward", "lab", 15000),
      ("Dan", "Lib", "ld", 8000)],
     ([("con", 30000), ("lab", 10000), ("ld", 6000), ("green", 1000)], 47000)),
    ("Coop Town", "E14999904", "England", 72000, 70,
     [("Cora", "Operative", "lab+coop", 19000), ("Ray", "Form", "reform", 9000), ("Connie", "Vert", "con", 8000)],
     ([("lab", 20000), ("con", 15000), ("brexit", 4000)], 40000)),
    ("Glen Test", "S14999905", "Scotland", 68000, 60,
     [("Sandy", "Nat", "snp", 15000), ("Moira", "Green", "sgp", 4000), ("Lachlan", "Lab", "lab", 16000)],
     ([("snp", 20000), ("lab", 10000), ("sgp", 2000)], 33000)),
    ("Lough Test", "N05999906", "Northern Ireland", 71000, 300,
     [("Aoife", "Fein", "sf", 18000), ("David", "Unionist", "dup", 12000), ("Sean", "Social", "sdlp", 5000),
      ("Ulla", "Ulster", "uup", 4000), ("Alex", "Alliance", "alliance", 6000), ("Tom", "Voice", "tuv", 3000)],
     ([("sf", 20000), ("dup", 15000), ("sdlp", 6000), ("uup", 5000), ("alliance", 4000)], 50000)),
    ("Thirteen Fields", "E14999907", "England", 90000, 200,
     [(f"Name{i}", f"Candidate{chr(65 + i)}", party, votes) for i, (party, votes) in enumerate(
         [("lab", 14000), ("con", 12000), ("reform", 8000), ("ld", 5000), ("green", 3000), ("yorks", 900),
          ("ind", 800), ("ind", 700), ("ind", 600), ("ind", 500), ("ind", 400), ("ind", 300), ("ind", 200)])],
     ([("con", 25000), ("lab", 18000), ("ld", 4000)], 48000)),
    ("Northby, Southby and Westby", "E14999908", "England", 65000, 50,
     [("\u00c3\u0081ine", "O'Hara", "lab", 14000), ("Rhys", "Môn", "con", 13000)],
     ([("con", 20000), ("lab", 12000)], 33000)),
]


def _party_cells(party: str) -> list[str]:
    if party == "speaker":
        return ["", "", "", "", "", "true", "false"]
    if party == "ind":
        return ["", "", "", "", "", "false", "true"]
    coop = party.endswith("+coop")
    name, short, mnis = PARTIES[party.removesuffix("+coop")]
    return [name, short, mnis, "Co-operative Party" if coop else "", "Co-op" if coop else "", "false", "false"]


def write_quirks(folder: Path, notional: bool) -> Path:
    """Write the quirk seats as a UK Parliament results export (or its notional one), one row per
    candidate (or notional party), most votes first, in the columns of COLUMNS."""
    path = folder / ("quirks-notional.csv" if notional else "quirks-results.csv")
    with open(path, "w", newline="", encoding="utf-8-sig") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        for name, code, nation, electorate, rejected, candidates, (before, before_valid) in QUIRKS:
            rows = [("", "", party, votes) for party, votes in before] if notional else candidates
            valid = before_valid if notional else sum(votes for *_, votes in candidates)
            ranked = sorted(rows, key=lambda r: -r[3])
            for place, (given, family, party, votes) in enumerate(ranked, start=1):
                majority = str(ranked[0][3] - ranked[1][3]) if place == 1 else ""
                writer.writerow(["58" if notional else "59", "2019-12-12" if notional else "2024-07-04",
                                 str(notional).lower(), nation, "Testshire Region" if nation == "England" else "",
                                 name, code, str(electorate), str(valid), "" if notional else str(rejected), "",
                                 family, given, *_party_cells(party), str(votes), "", "", majority, str(place)])
    return path


@pytest.fixture(scope="module")
def quirks(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, str]:
    """The quirk seats imported (results with their notional baseline) into an empty folder and built."""
    folder = tmp_path_factory.mktemp("quirks")
    root = project(folder)
    code, out, err = run(root, "import", "results", str(write_quirks(folder, False)), "--notional",
                         str(write_quirks(folder, True)), "--all", "--area", "Testland", "--area-type", "country")
    assert code == 0, out + err
    code, build_out, build_err = run(root, "build")
    assert code == 0, build_err
    return root, out, err


def _seat(root: Path, slug: str) -> dict:
    document = json.loads((root / "dist/results.json").read_text(), parse_float=Decimal)
    return next(s for s in document["constituencies"] if s["slug"] == slug)


def _share(votes: int, valid: int) -> Decimal:
    return one_dp(Decimal(100 * votes) / valid)


def test_every_quirk_seat_imports_and_builds(quirks: tuple[Path, str, str]) -> None:
    root, out, err = quirks
    slugs = sorted(p.stem for p in (root / "content/constituencies").glob("*.yml"))
    assert slugs == ["coop-town", "glen-test", "independent-bay", "lough-test", "mid-testshire",
                     "northby-southby-and-westby", "speakers-vale", "thirteen-fields"]
    assert "The site builds" in out
    # the mis-encoded name is repaired, and the row named
    assert "quirks-results.csv:39: candidate name 'Ã\\x81ine' was mis-encoded in the file; read as 'Áine'" in err


def test_the_speaker_is_neither_a_party_nor_an_independent(quirks: tuple[Path, str, str]) -> None:
    root = quirks[0]
    seat = _seat(root, "speakers-vale")
    assert seat["result"] == "Speaker HOLD"
    speaker, green, able, baker = seat["candidates"]
    # the Speaker's change is against the Speaker's notional share; two independents, neither compared
    assert speaker["change_pp"] == one_dp(Decimal(100 * 25000) / 31000 - Decimal(100 * 30000) / 31500)
    assert (green["new_party"], able["change_pp"], able["independent"], baker["change_pp"]) == (True, None, True, None)
    page = parse((root / "dist/speakers-vale/index.html").read_text())
    assert page.select_one("p.lead").get_text(" ", strip=True).startswith("Lindsay Speaker held Speakers Vale as the Speaker")
    parties = json.loads((root / "dist/results.json").read_text())["parties"]
    assert parties["speaker"]["kind"] == "speaker" and parties["ind"]["kind"] == "independent"


def test_an_independent_who_wins_is_a_gain_with_no_change(quirks: tuple[Path, str, str]) -> None:
    seat = _seat(quirks[0], "independent-bay")
    assert seat["result"] == "Independent GAIN from Conservative"
    assert [c["change_pp"] for c in seat["candidates"] if c["independent"]] == [None, None]
    page = parse((quirks[0] / "dist/independent-bay/index.html").read_text())
    assert "Claire Crow won Independent Bay as an independent, a gain from the Conservatives" in page.select_one(
        "p.lead").get_text(" ", strip=True)


def test_two_candidates_with_one_name_both_stand(quirks: tuple[Path, str, str]) -> None:
    seat = _seat(quirks[0], "mid-testshire")
    assert [(c["name"], c["party"], c["votes"]) for c in seat["candidates"]] == [
        ("Greg Smith", "con", 20150), ("Lucy Ward", "lab", 15000), ("Dan Lib", "ld", 8000), ("Greg Smith", "green", 2942)]
    assert seat["result"] == "Conservative HOLD" and seat["majority"] == 5150


def test_labour_and_cooperative_is_labour_and_the_brexit_party_is_reform(quirks: tuple[Path, str, str]) -> None:
    seat = _seat(quirks[0], "coop-town")
    lab, reform, con = seat["candidates"]
    assert (lab["party"], lab["description"]) == ("lab", "Labour and Co-operative")
    assert seat["result"] == "Labour HOLD"
    assert reform["change_pp"] == one_dp(Decimal(100 * 9000) / 36000 - Decimal(100 * 4000) / 40000)


def test_the_scottish_green_party_is_its_own_party(quirks: tuple[Path, str, str]) -> None:
    root = quirks[0]
    parties = json.loads((root / "dist/results.json").read_text())["parties"]
    assert parties["sgp"]["name"] == "Scottish Green Party" and "green" in parties
    seat = _seat(root, "glen-test")
    assert [(c["party"], c["change_pp"]) for c in seat["candidates"]] == [
        ("lab", one_dp(Decimal(100 * 16000) / 35000 - Decimal(100 * 10000) / 33000)),
        ("snp", one_dp(Decimal(100 * 15000) / 35000 - Decimal(100 * 20000) / 33000)),
        ("sgp", one_dp(Decimal(100 * 4000) / 35000 - Decimal(100 * 2000) / 33000))]
    assert seat["result"] == "Labour GAIN from Scottish National Party"


def test_a_northern_ireland_seat_has_its_own_parties(quirks: tuple[Path, str, str]) -> None:
    seat = _seat(quirks[0], "lough-test")
    assert [c["party"] for c in seat["candidates"]] == ["sf", "dup", "alliance", "sdlp", "uup", "tuv"]
    assert seat["result"] == "Sinn Féin HOLD" and seat["turnout_pct"] == _share(48000 + 300, 71000)


def test_thirteen_candidates_all_stand(quirks: tuple[Path, str, str]) -> None:
    root = quirks[0]
    seat = _seat(root, "thirteen-fields")
    assert len(seat["candidates"]) == 13
    page = parse((root / "dist/thirteen-fields/index.html").read_text())
    assert len(page.select("table.result tbody tr")) == 13


def test_a_name_with_a_comma_and_accents_reads_back(quirks: tuple[Path, str, str]) -> None:
    root = quirks[0]
    seat = _seat(root, "northby-southby-and-westby")
    assert seat["name"] == "Northby, Southby and Westby"
    assert [c["name"] for c in seat["candidates"]] == ["Áine O'Hara", "Rhys Môn"]


def test_a_name_that_cannot_be_repaired_is_refused_with_its_row(tmp_path: Path) -> None:
    root = project(tmp_path)
    results = write_quirks(tmp_path, False)
    text = results.read_text(encoding="utf-8-sig").replace("Gina", "Gi\u0007na")
    results.write_text(text, encoding="utf-8")
    code, out, err = run(root, "import", "results", str(results), "--all", "--area", "X")
    assert (code, out) == (1, "")
    assert err.splitlines() == [
        f"{results}:3: candidate name 'Gi\\x07na' contains the control character U+0007; delete it (retype the text if "
        "you cannot see it)", "1 error in 1 file; nothing imported."]


def test_shares_of_the_quirk_seats_are_exact(quirks: tuple[Path, str, str]) -> None:
    root = quirks[0]
    for name, _, _, electorate, rejected, candidates, _ in QUIRKS:
        slug = "-".join("".join(c if c.isalnum() else " " for c in name.lower()).split())
        seat = _seat(root, slug)
        valid = sum(c[3] for c in candidates)
        assert seat["valid_votes"] == valid
        assert seat["turnout_pct"] == _share(valid + rejected, electorate)
        assert sorted(c["share_pct"] for c in seat["candidates"]) == sorted(_share(c[3], valid) for c in candidates)


def test_a_national_site_of_650_seats_and_130_parties_builds(tmp_path: Path) -> None:
    """The engine holds on national variety: every party in the table, the long tail grouped in the
    chart, the share card drawn (130 parties used to overflow its palette)."""
    from bench.generate import generate
    content = generate(650, tmp_path / "content", parties=130)
    site = gather(Paths(PROJECT, content, PROJECT / "templates", PROJECT / "static", tmp_path / "dist", None))
    assert len(site.results.seats) == 650 and len(site.results.content.parties) == 130
    page = parse(site.files["index.html"])
    bars = page.select("figure.county-chart .hbar")
    assert len(bars) <= 9 and bars[-1].select_one(".hbar-label").get_text() == "Others"
    stood = {c.party for s in site.results.seats for c in s.candidates}
    assert len(page.select("table.county-share tbody tr")) == len(stood)
    assert site.files[card_path(site)][:8] == b"\x89PNG\r\n\x1a\n"
