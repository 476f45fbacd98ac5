"""Map views: each has a table with the same figures as its tiles, worked out here from
../shared/data/derbyshire-2024 alone; and the gains show in greyscale."""
from __future__ import annotations

import csv
import io
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from pathlib import Path
from typing import Iterator

import pytest
from PIL import Image, ImageStat
from playwright.sync_api import Browser

from sitegen.engine import Site, build
from tests.browser import serve_folder
from tests.conftest import PROJECT, parse, project_paths

DATA = PROJECT.parent / "shared" / "data" / "derbyshire-2024"
needs_data = pytest.mark.skipif(not DATA.is_dir(), reason="../shared/data is not beside the checkout")
SHORT = {"Labour": "Lab", "Conservative": "Con", "Reform UK": "Reform", "Green Party": "Green",
         "Liberal Democrats": "LD"}


def rows(name: str) -> list[dict[str, str]]:
    with open(DATA / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def one_dp(value: Fraction) -> str:
    d = (Decimal(value.numerator) / Decimal(value.denominator)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return f"{d}"


def signed(value: Fraction) -> str:
    text = one_dp(abs(value))
    return f"+{text}" if value > 0 and text != "0.0" else (f"\u2212{text}" if value < 0 and text != "0.0" else text)


class Official:
    """The 2024 results and notional 2019 votes, straight from the CSV files."""

    def __init__(self) -> None:
        self.votes: dict[str, dict[str, int]] = defaultdict(dict)
        self.names: dict[str, dict[str, str]] = defaultdict(dict)
        for row in rows("candidates.csv"):
            party = "Labour" if row["party"] == "Labour and Co-operative" else row["party"]  # one party in 2019's terms
            self.votes[row["constituency"]][party] = int(row["votes"])
            self.names[row["constituency"]][party] = row["candidate"]
        self.seats = {row["constituency"]: row for row in rows("constituencies.csv")}
        self.before: dict[str, dict[str, int]] = defaultdict(dict)
        for row in rows("notional-2019.csv"):  # the Brexit Party is Reform UK's name in 2019
            party = "Reform UK" if row["party"] == "Brexit Party" else row["party"]
            self.before[row["constituency"]][party] = int(row["votes"])

    def valid(self, seat: str) -> int:
        return sum(self.votes[seat].values())

    def ranked(self, seat: str) -> list[tuple[str, int]]:
        return sorted(self.votes[seat].items(), key=lambda item: -item[1])

    def share(self, seat: str, party: str) -> Fraction:
        return Fraction(100 * self.votes[seat][party], self.valid(seat))

    def change(self, seat: str, party: str) -> Fraction:
        before = self.before[seat]
        return self.share(seat, party) - Fraction(100 * before[party], sum(before.values()))


def view(site: Site, key: str) -> tuple[dict[str, list[str]], dict[str, str]]:
    """Return a view's table (seat name -> cells) and its tiles (seat name -> the figure shown)."""
    page = parse(site.files[f"maps/{key}/index.html"])
    table = {tr.th.get_text(strip=True): [td.get_text(strip=True) for td in tr.find_all("td")]
             for tr in page.select("table.map-table tbody tr")}
    tiles = {}
    for link in page.select("figure.hex-map svg a"):
        spans = link.find_all("tspan")
        tiles[" ".join(s.get_text() for s in spans[:-1])] = spans[-1].get_text()
        assert link["aria-label"].startswith(" ".join(s.get_text() for s in spans))  # says what it shows first
    return table, tiles


def by_name(tiles: dict[str, str], official: Official) -> dict[str, str]:
    """Tiles keyed by the seat's name (a tile breaks a long name over lines)."""
    return {next(s for s in official.seats if s.split() == label.split()): value for label, value in tiles.items()}


@needs_data
def test_every_map_view_shows_the_official_figures_in_its_tiles_and_its_table(real_build: Site) -> None:
    official = Official()
    assert len(official.seats) == 11
    # winner
    table, tiles = view(real_build, "winner")
    for seat in official.seats:
        party = official.ranked(seat)[0][0]
        before = official.seats[seat]["notional_2019_winner"]
        result = f"{SHORT[party]} hold" if party == before else f"{SHORT[party]} gain from {SHORT[before]}"
        assert table[seat] == [official.names[seat][party], result], seat
    assert by_name(tiles, official) == {seat: SHORT[official.ranked(seat)[0][0]] for seat in official.seats}
    # the previous election's winner and majority (notional)
    table, tiles = view(real_build, "previous")
    for seat, before in official.before.items():
        top = sorted(before.values(), reverse=True)
        assert table[seat][0] == SHORT[official.seats[seat]["notional_2019_winner"]]
        assert table[seat][1].startswith(f"{top[0] - top[1]:,} (")
    # majority: the figure and its share of the valid vote, closest first
    table, tiles = view(real_build, "majority")
    majority = {seat: official.ranked(seat)[0][1] - official.ranked(seat)[1][1] for seat in official.seats}
    pct = {seat: one_dp(Fraction(100 * majority[seat], official.valid(seat))) + "%" for seat in official.seats}
    assert table == {seat: [SHORT[official.ranked(seat)[0][0]], f"{majority[seat]:,} ({pct[seat]})"]
                     for seat in official.seats}
    assert list(table) == sorted(official.seats, key=lambda s: Fraction(majority[s], official.valid(s)))
    assert by_name(tiles, official) == pct
    # turnout: every ballot paper counted over the electorate, highest first
    table, tiles = view(real_build, "turnout")
    turnout = {seat: Fraction(100 * (official.valid(seat) + int(row["rejected"])), int(row["electorate"]))
               for seat, row in official.seats.items()}
    assert table == {seat: [one_dp(t) + "%"] for seat, t in turnout.items()}
    assert list(table) == sorted(official.seats, key=lambda s: -turnout[s])
    assert by_name(tiles, official) == {seat: one_dp(t) + "%" for seat, t in turnout.items()}
    # the change in Labour's and Reform's shares (Reform new where it had no notional votes)
    for key, party in (("change-lab", "Labour"), ("change-reform", "Reform UK")):
        table, tiles = view(real_build, key)
        for seat in official.seats:
            share = one_dp(official.share(seat, party)) + "%"
            if party in official.before[seat]:
                assert table[seat] == [share, signed(official.change(seat, party))], (key, seat)
            else:
                assert table[seat] == [share, "new"], (key, seat)
        assert by_name(tiles, official) == {seat: table[seat][1] for seat in official.seats}
    # swing: half the gap between the two named parties' changes
    table, tiles = view(real_build, "swing")
    full = {v: k for k, v in SHORT.items()}
    for seat, (points, frm, to) in table.items():
        gap = official.change(seat, full[to]) - official.change(seat, full[frm])
        assert points == one_dp(gap / 2), seat
        assert by_name(tiles, official)[seat] == one_dp(gap / 2)


def test_every_view_links_to_every_other_and_the_overview_to_them_all(real_build: Site) -> None:
    overview = parse(real_build.files["index.html"])
    links = [a["href"] for a in overview.select("nav.map-views a")]
    assert links == ["maps/winner/", "maps/previous/", "maps/majority/", "maps/turnout/", "maps/change-lab/",
                     "maps/change-con/", "maps/change-reform/", "maps/change-green/", "maps/change-ld/", "maps/swing/"]
    for link in links:
        page = parse(real_build.files[link + "index.html"])
        assert [a["href"] for a in page.select("nav.map-views a")] == [
            "./" if other == link else "../" + other.split("/")[1] + "/" for other in links]
        assert len(page.select("nav.map-views a[aria-current=page]")) == 1


@pytest.fixture(scope="module")
def site_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    dist = tmp_path_factory.mktemp("maps") / "dist"
    build(project_paths(PROJECT / "content", dist))
    with serve_folder(dist, "/") as url:
        yield url


@pytest.mark.browser
@pytest.mark.parametrize("page", ["", "maps/winner/", "embed/"])
def test_gains_show_in_greyscale(browser: Browser, site_url: str, page: str) -> None:
    tab = browser.new_page(viewport={"width": 390, "height": 844})
    tab.goto(site_url + page)

    def texture(seat: str) -> float:
        """The spread of grey levels in a patch of the tile above its label."""
        shot = tab.locator(f"svg a[aria-label^='{seat} ']").screenshot()
        image = Image.open(io.BytesIO(shot)).convert("L")
        w, h = image.size
        return ImageStat.Stat(image.crop((int(w * 0.35), int(h * 0.16), int(w * 0.65), int(h * 0.26)))).stddev[0]

    # Chesterfield and Derby South are Labour holds, the other nine Labour gains: one colour
    assert texture("Chesterfield") < 3 and texture("Derby South") < 3
    assert texture("Amber Valley") > 10 and texture("Erewash") > 10
    tab.close()
