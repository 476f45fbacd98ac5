"""Find your seat: content/places/, its import from the official lookups, and the published index.

The expected seats come from ../shared/data/places (read here with the csv module), and the index
is read with this file's own small reader, written from find.py's description of the files, never
by calling the code that writes them.
"""
from __future__ import annotations

import csv
import io
import json
import shutil
from collections import defaultdict
from pathlib import Path

import pytest

from sitegen.cli import main
from sitegen.engine import Site
from tests.conftest import PROJECT, copy_project_files, parse

PLACES = PROJECT.parent / "shared" / "data" / "places"
POSTCODES = PLACES / "postcodes-pcon24.derbyshire.csv"
WARDS = PLACES / "wards-pcon24.derbyshire.csv"
SPLITS = PLACES / "ward-splits.derbyshire.csv"
needs_places = pytest.mark.skipif(not PLACES.is_dir(), reason="../shared/data is not beside the checkout")


def run(root: Path, *argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), root=root, out=out, err=err)
    return code, out.getvalue(), err.getvalue()


class Index:
    """A reader of the published find/ files: what search.js does, in Python."""

    def __init__(self, files: dict[str, str | bytes]):
        self.files = files
        self.first = self.read("index.json")
        self.names = [name for _, name, _ in self.first["seats"]]

    def read(self, name: str) -> dict | list:
        return json.loads(self.files["find/" + name])

    def postcode(self, postcode: str) -> str:
        outward, inward = postcode.split(" ")
        return self.names[self.read(f"p/{outward}.json")[inward]]

    def area(self, outward: str) -> dict:
        return self.read(f"p/{outward.rstrip('0123456789')}.json")

    def district(self, outward: str) -> set[str]:
        return {self.names[n] for n in self.area(outward)["d"][outward]}

    def sector(self, sector: str) -> set[str]:
        return {self.names[n] for n in self.area(sector.split(" ")[0])["s"][sector]}

    def named(self, name: str) -> list[tuple[str, str]]:
        """Every (what, seat) entry named exactly `name`, from the file of its first letter."""
        entries = self.read(f"n-{name[0].lower()}.json")
        return sorted((entry[2], self.names[n]) for entry in entries if entry[0] == name for n in entry[3:])


def shared_rows(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@needs_places
def test_every_postcode_district_and_sector_finds_its_seats(real_build: Site) -> None:
    index = Index(real_build.files)
    rows = shared_rows(POSTCODES)
    assert len(rows) == 26202
    wrong = [(r["Postcode"], index.postcode(r["Postcode"]), r["PCON24NM"]) for r in rows
             if index.postcode(r["Postcode"]) != r["PCON24NM"]]
    assert wrong == []
    districts, sectors = defaultdict(set), defaultdict(set)
    for row in rows:
        outward, inward = row["Postcode"].split(" ")
        districts[outward].add(row["PCON24NM"])
        sectors[f"{outward} {inward[0]}"].add(row["PCON24NM"])
    assert (len(districts), len(sectors)) == (50, 181)
    # (the README says 44 and 88; these rows give 25 districts and 54 sectors in more than one seat)
    assert sum(len(s) > 1 for s in districts.values()) == 25 and sum(len(s) > 1 for s in sectors.values()) == 54
    assert {d: index.district(d) for d in districts} == districts
    assert {s: index.sector(s) for s in sectors} == sectors
    assert index.district("DE56") == {"Amber Valley", "Derbyshire Dales", "Mid Derbyshire"}


@needs_places
def test_every_ward_finds_its_seats_the_split_ones_both_and_the_wrong_ons_rows_none(real_build: Site) -> None:
    index = Index(real_build.files)
    expected = defaultdict(set)
    for row in shared_rows(WARDS):
        if row["lad_name"] != "Mansfield":  # the five wrong rows the README names
            expected[row["ward_name"], row["lad_name"]].add(row["pcon_name"])
    assert len(expected) == 176
    found = {key: {seat for what, seat in index.named(key[0]) if what == f"{key[1]} council ward"} for key in expected}
    assert found == expected
    splits = [r for r in shared_rows(SPLITS) if r["mysoc_split"] == "yes" and r["sources_agree_on_constituency_set"] == "yes"]
    assert len(splits) == 10
    for row in splits:
        assert len(found[row["ward_name"], row["lad_name"]]) == 2, row["ward_name"]
    assert index.named("Belper East") == [("Amber Valley council ward", "Mid Derbyshire")]
    for ward in ("Lindhurst", "Pleasley", "Rufford", "Sherwood", "Vale"):
        assert not any("Mansfield" in what for what, _ in index.named(ward))


def test_seats_and_candidates_are_found_by_name(real_build: Site) -> None:
    index = Index(real_build.files)
    assert index.named("Linsey Farnsworth") == [("Labour candidate", "Amber Valley")]
    assert index.named("High Peak") == [("", "High Peak")]
    assert index.first["seats"][index.names.index("Erewash")] == ["erewash", "Erewash", "Labour gain"]
    # 'Dale Abbey' is found by each of its words' first letters
    assert ("Erewash council ward", "Mid Derbyshire") in [
        (e[2], index.names[n]) for e in index.read("n-a.json") if e[0] == "West Hallam & Dale Abbey" for n in e[3:]]


def test_the_find_page_lists_every_seat_with_its_wards_and_credits_the_sources(real_build: Site) -> None:
    page = parse(real_build.files["find/index.html"])
    seats = page.select(".find-list > li")
    assert [li.h3.get_text() for li in seats][:3] == ["Amber Valley", "Bolsover", "Chesterfield"]
    assert len(seats) == 11
    mid = next(li for li in seats if li.h3.get_text() == "Mid Derbyshire")
    assert mid.h3.a["href"] == "../mid-derbyshire/"
    assert "Amber Valley: Alport & South West Parishes, Belper East, Belper North, Belper South," in mid.get_text(
        " ", strip=True)
    credit = " ".join(page.find(id="sources").get_text(" ").split())
    for words in ("Contains OS data © Crown copyright and database right 2023",
                  "Contains Royal Mail data © Royal Mail copyright and database right 2023",
                  "Open Government Licence v3.0", "CC BY 4.0", "mySociety"):
        assert words in credit
    # and every page's search box sends a reader without JavaScript there
    for name in ("index.html", "erewash/index.html", "corrections/index.html"):
        form = parse(real_build.files[name]).find("form", class_="finder")
        assert form["action"] == ("find/" if name == "index.html" else "../find/")
        assert form.find("label").get_text() == "Find your constituency"


@needs_places
def test_import_places_writes_the_lookups_and_reports_the_rows_it_leaves_out(tmp_path: Path) -> None:
    root = copy_project_files(tmp_path / "project", runnable=True)
    shutil.rmtree(root / "content" / "places")
    code, out, err = run(root, "import", "places", str(POSTCODES), "--wards", str(WARDS))
    assert code == 0, err
    assert out.splitlines() == [
        "content/places/postcodes.csv: 26,202 postcodes in 11 of the site's 11 constituencies",
        "content/places/wards.csv: 176 wards, 10 of them split between constituencies",
        "Now write content/places/sources.md: who these lookups come from and under which licence (the site "
        "shows it, and the build needs it)."]
    shown = WARDS.as_posix()
    assert err.splitlines() == [
        f"{shown}:{line}: warning: left out {ward} (Mansfield) in Bolsover: no postcode of the ward is in the "
        "postcode lookup" for line, ward in zip(range(36, 41), ("Lindhurst", "Pleasley", "Rufford", "Sherwood", "Vale"))]
    for name in ("postcodes.csv", "wards.csv"):
        assert (root / "content/places" / name).read_bytes() == (PROJECT / "content/places" / name).read_bytes()
    code, _, err = run(root, "check")
    assert code == 1
    assert ("content/places/sources.md: is missing: the postcode and ward lookups must credit their sources on the "
            "site, as their licences ask; write who they come from and under which licence") in err


@pytest.mark.parametrize("name, text, message", [
    ("postcodes.csv", "postcode,constituency\nDE56 1AA,E14001066\nDE56 1A,E14001066\n",
     "content/places/postcodes.csv:3: 'DE56 1A' is not a postcode (like DE56 1AA)"),
    ("postcodes.csv", "postcode,constituency\nde561aa,E14001066\nDE56 1AA,E14001109\n",
     "content/places/postcodes.csv:3: DE56 1AA is listed twice (lines 2 and 3); a postcode has one constituency"),
    ("postcodes.csv", "postcode,seat\nDE56 1AA,E14001066\n",
     "content/places/postcodes.csv:1: the first line must be the header postcode,constituency"),
    ("wards.csv", "ward,council,constituency\nBelper East,Amber Valley\n",
     "content/places/wards.csv:2: has 2 cells where the header has 3 (ward,council,constituency)"),
    ("wards.csv", "ward,council,constituency\nBelper East,Amber Valley,E14001362\nBelper East,Amber Valley,E14001362\n",
     "content/places/wards.csv:3: Belper East (Amber Valley) is listed in this constituency twice (lines 2 and 3)"),
])
def test_a_mistake_in_the_lookups_is_named_by_file_and_line(tmp_path: Path, name: str, text: str, message: str) -> None:
    root = copy_project_files(tmp_path / "project", runnable=True)
    (root / "content/places" / name).write_text(text, encoding="utf-8")
    code, out, err = run(root, "build")
    assert code == 1
    assert err.splitlines()[0] == message
    assert not (root / "dist").exists()


def test_rows_of_a_seat_the_site_does_not_have_are_left_out_with_one_warning(tmp_path: Path) -> None:
    root = copy_project_files(tmp_path / "project", runnable=True)
    (root / "content/places/postcodes.csv").write_text(
        "postcode,constituency\nDE56 1AA,E14001066\nZZ1 1ZZ,E14009999\nZZ1 1ZY,E14009999\n", encoding="utf-8")
    code, out, err = run(root, "build")
    assert code == 0, err
    assert ("content/places/postcodes.csv:3: warning: 2 rows name E14009999, which is not the ons_code of any "
            "constituency here (the site's are E14001066, E14001109, E14001165 …), so they are left out of the "
            "search; import the lookups again after adding or removing a seat (python3 build.py import places)"
            ) in err.splitlines()
    index = json.loads((root / "dist/find/index.json").read_text())
    assert index["areas"] == ["DE"]


@pytest.mark.parametrize("seats", [1, 100])
def test_every_page_of_a_site_of_one_to_a_hundred_seats_is_within_the_budget(tmp_path: Path, seats: int) -> None:
    """60 KB of HTML a page (its styles and scripts are shared files, cached once: tests/test_browser.py
    weighs a page with them); past 40 seats the map is one picture and the table links every seat."""
    from bench.generate import generate
    from sitegen.engine import build
    from tests.conftest import project_paths
    content = generate(seats, tmp_path / "content", parties=30)
    built = build(project_paths(content, tmp_path / "dist"))
    assert built.site is not None
    pages = {path: len(body.encode("utf-8") if isinstance(body, str) else body)
             for path, body in built.site.files.items() if path.endswith(".html")}
    assert len(pages) >= (2 * seats + 14 if seats == 100 else 2 * seats + 6)
    heavy = {path: size for path, size in pages.items() if size > 60 * 1024}
    assert heavy == {}
    overview = parse(built.site.files["index.html"])
    assert len(overview.select("table.seats tbody tr")) == seats
    if seats == 100:
        assert overview.select("figure.hex-map svg")[0]["role"] == "img"
        assert len(overview.select("figure.hex-map svg a")) == 0
