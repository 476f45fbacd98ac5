"""Every published figure of every seat against the official data in ../shared/data/derbyshire-2024.

The expected figures are worked out here from the CSV files alone, with Decimal arithmetic and the
Commons Library's conventions (CBP-10009): share = votes / valid votes; change = share minus the
notional 2019 share (notional votes / notional valid votes, unnamed candidates included), Reform UK
against the notional Brexit Party; majority = first minus second; turnout = (valid + rejected) /
electorate, as returning officers publish it. Nothing here calls the project's compute code.
"""
from __future__ import annotations

import csv
import json
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal, getcontext

import pytest

from tests.conftest import PROJECT, parse

DATA = PROJECT.parent / "shared" / "data" / "derbyshire-2024"
getcontext().prec = 50
# The party names of the official files, as the content's party ids (Labour and Co-operative counts as
# Labour, as CBP-10009 does; notional "Brexit Party" is
# Reform UK's 2019 name; "Other candidate N" has no party and counts only in the notional total).
PARTY_IDS = {"Labour": "lab", "Labour and Co-operative": "lab", "Conservative": "con", "Reform UK": "reform", "Brexit Party": "reform",
             "Liberal Democrats": "ld", "Green Party": "green", "Independent": "ind",
             "Workers Party of Britain": "workers", "True and Fair Party": "tfp",
             "Freedom Alliance": "freedom", "Socialist Labour Party": "slp",
             "Chesterfield and North Derbyshire Independents (CANDI)": "candi"}

pytestmark = pytest.mark.skipif(not DATA.is_dir(), reason="../shared/data is not beside the checkout")


def one_dp(value: Decimal) -> Decimal:
    """Round half up to one decimal place, once."""
    return value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def signed(value: Decimal) -> str:
    return f"+{value}" if value > 0 else (f"\u2212{-value}" if value < 0 else str(value))


def slug(name: str) -> str:
    return name.lower().replace(" ", "-")


def official() -> dict[str, dict]:
    """Return each seat's expected figures, by slug, from the CSV files alone."""
    seats: dict[str, dict] = {}
    facts = {r["constituency"]: r for r in csv.DictReader(open(DATA / "constituencies.csv"))}
    notional: dict[str, dict[str, int]] = defaultdict(dict)
    notional_total: dict[str, int] = defaultdict(int)
    for r in csv.DictReader(open(DATA / "notional-2019.csv")):
        notional_total[r["constituency"]] += int(r["votes"])
        if r["party"] in PARTY_IDS:
            notional[r["constituency"]][PARTY_IDS[r["party"]]] = int(r["votes"])
    candidates: dict[str, list] = defaultdict(list)
    for r in csv.DictReader(open(DATA / "candidates.csv")):
        candidates[r["constituency"]].append((r["candidate"], PARTY_IDS[r["party"]], int(r["votes"])))
    for name, cands in candidates.items():
        cands.sort(key=lambda c: -c[2])
        valid = sum(c[2] for c in cands)
        rows = []
        for cand, party, votes in cands:
            share = Decimal(100 * votes) / valid
            before = notional[name].get(party)
            change = None if before is None else one_dp(share - Decimal(100 * before) / notional_total[name])
            shown = one_dp(share) if share >= 5 or one_dp(share) < 5 else share.quantize(Decimal("0.01"), ROUND_HALF_UP)
            rows.append({"name": cand, "party": party, "votes": votes, "share": one_dp(share), "shown": shown,
                         "change": change})
        majority = cands[0][2] - cands[1][2]
        counted = valid + int(facts[name]["rejected"])
        seats[slug(name)] = {"name": name, "valid": valid, "rows": rows, "majority": majority,
                             "majority_pct": one_dp(Decimal(100 * majority) / valid),
                             "turnout": one_dp(Decimal(100 * counted) / int(facts[name]["electorate"]))}
    return seats


OFFICIAL = official() if DATA.is_dir() else {}


def test_all_eleven_seats_and_every_candidate_are_covered() -> None:
    assert len(OFFICIAL) == 11
    assert sum(len(s["rows"]) for s in OFFICIAL.values()) == 67
    # the 49 change figures the Library publishes (a party with notional votes here)
    assert sum(1 for s in OFFICIAL.values() for r in s["rows"] if r["change"] is not None) == 49


@pytest.mark.parametrize("slug_", sorted(OFFICIAL))
def test_seat_page_shows_the_official_figures(real_build, slug_: str) -> None:
    want = OFFICIAL[slug_]
    page = parse(real_build.files[f"{slug_}/index.html"])
    rows = [[" ".join(td.get_text().split()) for td in tr.find_all("td")[-3:]]
            for tr in page.select("table.result tbody tr")]
    # no change: "new" for a party that did not stand here; "–" for an independent, whom the Library
    # compares only with their own votes last time (none of these stood here in 2019)
    # a lost deposit whose share rounds to 5.0 is shown to two places (4.97%), so it never reads 5.0
    assert rows == [[f"{r['votes']:,}", f"{r['shown']}%",
                     ("–" if r["party"] == "ind" else "new") if r["change"] is None else signed(r["change"])]
                    for r in want["rows"]]
    facts = {" ".join(d.find("dt").get_text().split()): " ".join(d.find("dd").get_text().split())
             for d in page.select("dl.facts > div")}
    assert facts["Majority"] == f"{want['majority']:,} ({want['majority_pct']}%)"
    assert facts["Turnout"] == f"{want['turnout']}%"
    valid = page.select_one("table.result tfoot tr td.num").get_text()
    assert valid == f"{want['valid']:,}"


def test_results_json_has_the_official_figures(real_build) -> None:
    document = json.loads(real_build.files["results.json"], parse_float=Decimal)
    for record in document["constituencies"]:
        want = OFFICIAL[record["slug"]]
        assert (record["valid_votes"], record["majority"], record["majority_pct"], record["turnout_pct"]) == (
            want["valid"], want["majority"], want["majority_pct"], want["turnout"])
        assert [(c["name"], c["votes"], c["share_pct"], c["change_pp"]) for c in record["candidates"]] == [
            (r["name"], r["votes"], r["share"], r["change"]) for r in want["rows"]]


def test_results_csv_has_the_official_figures(real_build) -> None:
    rows = list(csv.DictReader(real_build.files["results.csv"].splitlines()))
    by_seat: dict[str, list] = defaultdict(list)
    for row in rows:
        by_seat[row["constituency_slug"]].append(row)
    assert sorted(by_seat) == sorted(OFFICIAL)
    for slug_, want in OFFICIAL.items():
        got = by_seat[slug_]
        assert [(r["candidate"], r["votes"], r["share_pct"], r["change_pp"]) for r in got] == [
            (r["name"], str(r["votes"]), str(r["share"]), "" if r["change"] is None else str(r["change"]))
            for r in want["rows"]]
        assert {(r["valid_votes"], r["majority"], r["turnout_pct"]) for r in got} == {
            (str(want["valid"]), str(want["majority"]), str(want["turnout"]))}


@pytest.mark.parametrize("seat, party, change", [
    ("amber-valley", "green", "+2.3"),          # from rounded shares it read +2.4
    ("south-derbyshire", "con", "\u221232.5"),  # from rounded shares it read -32.4
    ("erewash", "con", "\u221230.0"),
])
def test_changes_the_rounded_baseline_got_wrong(real_build, seat: str, party: str, change: str) -> None:
    page = parse(real_build.files[f"{seat}/index.html"])
    for tr in page.select("table.result tbody tr"):
        swatch_party = tr.find("td", class_="wide-only").get_text(" ", strip=True)
        if swatch_party.startswith({"green": "Green", "con": "Conservative"}[party]):
            assert tr.find_all("td")[-1].get_text(strip=True) == change
            break
    else:
        pytest.fail(f"no {party} row in {seat}")


def test_north_east_derbyshire_swing_is_butler_swing_from_exact_shares(real_build) -> None:
    # Lab 17,591 / 45,866 - 15,994 / 49,479 = +6.0282; Con 15,838 / 45,866 - 28,896 / 49,479 = -23.8695;
    # (6.0282 + 23.8695) / 2 = 14.9489, so 14.9 (from shares rounded first: (6.0 + 23.9) / 2 = 15.0)
    page = parse(real_build.files["north-east-derbyshire/index.html"])
    facts = {d.find("dt").get_text(strip=True): " ".join(d.find("dd").get_text().split())
             for d in page.select("dl.facts > div")}
    assert facts["Swing"] == "14.9 points from Conservative to Labour"
    record = next(r for r in json.loads(real_build.files["results.json"])["constituencies"]
                  if r["slug"] == "north-east-derbyshire")
    assert record["swing"] == {"from": "con", "to": "lab", "points_pp": 14.9}
