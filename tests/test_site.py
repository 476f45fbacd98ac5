"""The real Derbyshire site: every figure checked by hand, in the HTML, results.json and results.csv."""
from __future__ import annotations

import re

import csv
import io
import json
from xml.etree import ElementTree

import pytest

from sitegen.engine import Site
from tests.conftest import parse

# Worked by hand from shared/data/derbyshire-2024 (valid = sum of votes; turnout includes rejected).
HAND = {
    # Chesterfield: valid 41,555; 19,316 - 8,496 = 10,820 = 26.04%; (41,555 + 135) / 71,645 = 58.19%
    "chesterfield": dict(result="Labour HOLD", winner="Toby Perkins", votes="19,316", valid=41555, majority=10820,
                         majority_pct="26.0%", turnout="58.2%", share="46.5%", change="+6.3",
                         summary="Toby Perkins held Chesterfield for Labour with a majority of 10,820 "
                                 "(26.0%) on a turnout of 58.2%."),
    # Amber Valley: valid 42,531; 3,554 = 8.36%; (42,531 + 105) / 71,546 = 59.59%; 37.02 - 26.8 = +10.2
    "amber-valley": dict(result="Labour GAIN from Conservative", winner="Linsey Farnsworth", votes="15,746", valid=42531,
                         majority=3554, majority_pct="8.4%", turnout="59.6%", share="37.0%",
                         change="+10.2",
                         summary="Linsey Farnsworth won Amber Valley for Labour, a gain from the "
                                 "Conservatives, with a majority of 3,554 (8.4%) on a turnout of 59.6%."),
    # Derbyshire Dales: valid 51,272; 350 = 0.68%; (51,272 + 173) / 73,324 = 70.16%; 34.64 - 24.1 = +10.5
    "derbyshire-dales": dict(result="Labour GAIN from Conservative", winner="John Whitby", votes="17,759", valid=51272,
                             majority=350, majority_pct="0.7%", turnout="70.2%", share="34.6%",
                             change="+10.5",
                             summary="John Whitby won Derbyshire Dales for Labour, a gain from the "
                                     "Conservatives, with a majority of 350 (0.7%) on a turnout of 70.2%."),
}


def text(node) -> str:
    """Return a node's text with a space between its elements (table cells, list items)."""
    return " ".join(node.get_text(" ").split())


def sentence(node) -> str:
    """Return running text as a reader sees it: inline elements (<bdi>, <strong>) add no space."""
    return " ".join(node.get_text().split())


def test_builds_every_page_and_data_file(real_build: Site) -> None:
    names = set(real_build.files)
    slugs = ["amber-valley", "bolsover", "chesterfield", "derby-north", "derby-south",
             "derbyshire-dales", "erewash", "high-peak", "mid-derbyshire", "north-east-derbyshire",
             "south-derbyshire"]
    assert {f"{s}/index.html" for s in slugs} | {"index.html", "404.html", "results.json",
                                                  "results.csv", "sitemap.xml", "robots.txt"} <= names
    assert any(n.startswith("assets/style.") and n.endswith(".css") for n in names)
    assert real_build.warnings == []


@pytest.mark.parametrize("slug", sorted(HAND))
def test_seat_page_shows_hand_checked_figures(real_build: Site, slug: str) -> None:
    want = HAND[slug]
    page = parse(real_build.files[f"{slug}/index.html"])
    assert text(page.find(class_="badge")) == want["result"]
    assert sentence(page.find("p", class_="lead")) == want["summary"]
    assert page.find("meta", attrs={"name": "description"})["content"] == want["summary"]
    rows = page.find("table", class_="result").find("tbody").find_all("tr")
    first = [text(cell) for cell in rows[0].find_all(["th", "td"])]
    assert first[0].startswith(want["winner"]) and "Elected" in first[0]
    assert first[2:] == [want["votes"], want["share"], want["change"]]
    foot = text(page.find("table", class_="result").find("tfoot"))
    assert f"Valid votes {want['valid']:,}" in foot
    facts = {text(d.find("dt")): text(d.find("dd")) for d in page.find("dl", class_="facts").find_all("div")}
    assert facts["Majority"] == f"{want['majority']:,} ({want['majority_pct']})"
    assert facts["Turnout"] == want["turnout"]


def test_results_table_lists_all_candidates_with_lost_deposits(real_build: Site) -> None:
    page = parse(real_build.files["chesterfield/index.html"])
    table = page.find("table", class_="result")
    assert text(table.find("caption")) == "Chesterfield result"
    assert [th["scope"] for th in table.find("thead").find_all("th")] == ["col"] * 5
    rows = table.find("tbody").find_all("tr")
    names = [text(r.find("th").find("span", class_="cand").contents[0]) for r in rows]
    assert names == ["Toby Perkins", "Ben Flook", "Dan Price", "David Wadsworth", "Ian Barfield",
                     "Kris Stone", "Julie Lowe"]
    votes = [text(r.find_all("td")[1]) for r in rows]
    assert votes == ["19,316", "8,496", "7,897", "2,682", "2,553", "363", "248"]
    # Under 5% of 41,555 (2,077.75 votes) forfeits the deposit: Stone and Lowe only.
    lost = [bool(r.find(string=" (lost deposit)")) for r in rows]
    assert lost == [False] * 5 + [True, True]
    changes = [text(r.find_all("td")[-1]) for r in rows]
    assert changes[1] == "\u221216.6"    # Con 20.45% - 37.0
    assert changes[5:] == ["new", "new"]


def test_derby_south_shows_ballot_description_and_counts_as_labour(real_build: Site) -> None:
    page = parse(real_build.files["derby-south/index.html"])
    first = page.find("table", class_="result").find("tbody").find("tr")
    assert "Labour and Co-operative" in text(first)
    assert text(page.find(class_="badge")) == "Labour HOLD"


def test_share_chart_has_a_text_alternative_matching_the_table(real_build: Site) -> None:
    page = parse(real_build.files["amber-valley/index.html"])
    chart = page.find("figure", class_="share-chart").find("div", class_="vbars")
    assert chart["role"] == "img"
    assert chart["aria-label"].startswith("Vote share in Amber Valley: Linsey Farnsworth, Labour, 37.0%; "
                                          "Alex Stevenson, Reform UK, 28.7%;")
    fills = [span["style"] for span in chart.find_all("span", class_="vbar-fill")][:3]
    assert [f.split("background-color: ")[1] for f in fills] == ["#E4003B", "#12B6CF", "#0087DC"]
    # each name above its bar, so a long one wraps (it ran off an SVG chart at 320 px)
    assert [text(s) for s in chart.find_all("span", class_="vbar-label")][:2] == ["Linsey Farnsworth Lab",
                                                                                  "Alex Stevenson Reform"]


def test_overview_headline_tally_and_table(real_build: Site) -> None:
    page = parse(real_build.files["index.html"])
    assert text(page.find("h1")) == "Labour won all 11 seats"
    assert len(page.find_all("h1")) == 1
    tally = {text(r.find("th")): [text(td) for td in r.find_all("td")]
             for r in page.find("table", class_="tally").find("tbody").find_all("tr")}
    assert tally == {"Labour": ["2", "11", "+9"], "Conservative": ["9", "0", "\u22129"]}
    rows = page.find("table", class_="seats").find("tbody").find_all("tr")
    assert len(rows) == 11
    dales = next(r for r in rows if text(r.find("a")) == "Derbyshire Dales")
    assert dales.find("a")["href"] == "derbyshire-dales/"
    # the winner under the seat's name; the result in short (the wide screen adds whom it was won from)
    assert text(dales.find("th")) == "Derbyshire Dales John Whitby"
    cells = [text(td) for td in dales.find_all("td")]
    assert cells == ["Lab gain from Con", "350 (0.7%)", "70.2%"]
    assert dales.find("td").find("span", class_="wide-only") is not None
    holds = [text(r.find("a")) for r in rows if text(r.find_all("td")[0]) == "Lab hold"]
    assert holds == ["Chesterfield", "Derby South"]
    assert "notional" in text(page.find("footer"))


def test_results_json_carries_computed_figures(real_build: Site) -> None:
    data = json.loads(real_build.files["results.json"])
    assert data["seats"] == 11 and data["declared"] == 11
    assert data["tally"] == [{"party": "lab", "before": 2, "after": 11, "change": 9},
                             {"party": "con", "before": 9, "after": 0, "change": -9}]
    seats = {c["slug"]: c for c in data["constituencies"]}
    for slug, want in HAND.items():
        seat = seats[slug]
        assert (seat["valid_votes"], seat["majority"]) == (want["valid"], want["majority"])
        assert f"{seat['majority_pct']}%" == want["majority_pct"]
        assert f"{seat['turnout_pct']}%" == want["turnout"]
        assert seat["result"] == want["result"] and seat["status"] == "declared"
        assert seat["winner"]["name"] == want["winner"]
        assert f"{seat['candidates'][0]['share_pct']}%" == want["share"]
    reform = seats["amber-valley"]["candidates"][1]
    assert reform["change_pp"] is None and reform["new_party"] is True
    assert seats["amber-valley"]["swing"] == {"from": "con", "to": "lab", "points_pp": 24.4}


def test_results_csv_has_one_row_per_candidate(real_build: Site) -> None:
    rows = list(csv.DictReader(io.StringIO(real_build.files["results.csv"])))
    assert len(rows) == 67  # the candidates in candidates.csv
    dales = [r for r in rows if r["constituency_slug"] == "derbyshire-dales"]
    assert [(r["candidate"], r["votes"], r["share_pct"], r["change_pp"]) for r in dales[:2]] == [
        ("John Whitby", "17759", "34.6", "10.5"), ("Sarah Dines", "17409", "34.0", "-25.0")]
    assert dales[0]["majority"] == "350" and dales[0]["turnout_pct"] == "70.2"
    assert dales[0]["elected"] == "true" and dales[1]["elected"] == "false"
    assert {r["lost_deposit"] for r in dales[-2:]} == {"true"}


def test_links_are_relative_and_neighbours_link_both_ways(real_build: Site) -> None:
    page = parse(real_build.files["bolsover/index.html"])
    pager = page.find("nav", class_="pager")
    assert [a["href"] for a in pager.find_all("a")] == ["../amber-valley/", "../", "../chesterfield/"]
    css = page.find("link", rel="stylesheet")["href"]
    assert css.startswith("../assets/style.") and css[3:] in real_build.files
    for name, body in real_build.files.items():
        if name.endswith(".html") and name != "404.html":
            for a in parse(body).find_all(["a", "link"], href=True):
                href = a["href"]
                assert not href.startswith("/"), (name, href)


def test_sitemap_and_robots_use_the_base_url(real_build: Site) -> None:
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    sitemap = ElementTree.fromstring(real_build.files["sitemap.xml"].encode())
    locs = [loc.text for loc in sitemap.findall("s:url/s:loc", ns)]
    assert locs[0] == "https://example.org/derbyshire-2024/" and len(locs) == 12
    assert "https://example.org/derbyshire-2024/high-peak/" in locs
    assert "Sitemap: https://example.org/derbyshire-2024/sitemap.xml" in real_build.files["robots.txt"]


def test_hex_map_links_every_seat_with_an_accessible_name(real_build: Site) -> None:
    page = parse(real_build.files["index.html"])
    svg = page.find("figure", class_="hex-map").find("svg")
    links = svg.find_all("a")
    assert len(links) == 11
    labels = {a["aria-label"]: a["href"] for a in links}
    assert labels["Amber Valley Lab: Labour gain from Conservative"] == "amber-valley/"
    assert labels["Chesterfield Lab: Labour hold"] == "chesterfield/"
    assert {a.find("use")["fill"] for a in links} == {"#E4003B"}
    # the nine gains are striped over the colour, the two holds are not
    striped = sorted(a["href"] for a in links if a.find("use", href="#gain"))
    assert striped == sorted(f"{s}/" for s in ("amber-valley", "bolsover", "derby-north", "derbyshire-dales", "erewash",
                                               "high-peak", "mid-derbyshire", "north-east-derbyshire",
                                               "south-derbyshire"))
    assert [text(li) for li in page.find("ul", class_="legend").find_all("li")] == ["Labour 11", "gain: changed hands 9"]


def test_hex_layout_echoes_the_county_and_is_exported(real_build: Site) -> None:
    hexes = json.loads(real_build.files["derbyshire.hexjson"])
    assert hexes["layout"] == "odd-r" and len(hexes["hexes"]) == 11
    pos = {slug: (h["q"], h["r"]) for slug, h in hexes["hexes"].items()}
    # HexJSON rows count upwards: north has the larger r, west the smaller q.
    assert pos["high-peak"][1] == max(r for _, r in pos.values())
    assert pos["high-peak"][0] < pos["bolsover"][0]
    assert pos["bolsover"][1] == pos["high-peak"][1]
    assert pos["south-derbyshire"][1] == min(r for _, r in pos.values())
    assert pos["derby-south"][1] < pos["amber-valley"][1]
    assert hexes["hexes"]["erewash"] == {"q": 2, "r": 1, "n": "Erewash", "status": "declared", "party": "lab"}


def test_change_chart_matches_the_table(real_build: Site) -> None:
    page = parse(real_build.files["derby-south/index.html"])
    title = page.find("figure", class_="change-chart").find(attrs={"role": "img"})["aria-label"]
    assert title == ("Change in vote share since 2019 (notional), in percentage points: Labour, \u221212.3; "
                     "Reform UK, +16.9; Workers Party of Britain, new; Conservative, \u221223.0; "
                     "Green Party, new; Liberal Democrats, \u22121.3; Independent, not compared.")
    changes = [text(r.find_all("td")[-1]) for r in page.select("table.result tbody tr")]
    # an independent is compared only with their own votes last time: Zephyr Tair did not stand in 2019
    assert changes == ["\u221212.3", "+16.9", "new", "\u221223.0", "new", "\u22121.3", "\u2013"]


def test_sharing_tags_use_the_summary_and_base_url(real_build: Site) -> None:
    page = parse(real_build.files["high-peak/index.html"])
    meta = {m.get("property") or m.get("name"): m["content"] for m in page.find_all("meta", content=True)}
    assert meta["og:url"] == "https://example.org/derbyshire-2024/high-peak/"
    assert meta["og:description"] == meta["description"] == sentence(page.find("p", class_="lead"))
    assert meta["og:description"].startswith("Jon Pearce won High Peak for Labour, a gain from the Conservatives")
    assert meta["og:title"] == text(page.find("title")) == "High Peak: Labour GAIN from Conservative – Derbyshire results 2024"
    assert meta["twitter:card"] == "summary_large_image"  # with the share image (tests/test_share.py)


def test_sitemap_lastmod_comes_from_the_content(real_build: Site) -> None:
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    sitemap = ElementTree.fromstring(real_build.files["sitemap.xml"].encode())
    lastmods = {u.find("s:loc", ns).text: u.find("s:lastmod", ns).text for u in sitemap.findall("s:url", ns)}
    assert set(lastmods.values()) == {"2024-07-05"}  # site.yml `updated`, the declaration day


def test_overview_table_is_sortable_without_losing_its_default_order(real_build: Site) -> None:
    page = parse(real_build.files["index.html"])
    table = page.find("table", class_="seats")
    assert table.has_attr("data-sortable")
    rows = table.find("tbody").find_all("tr")
    assert [text(r.find("a")) for r in rows] == sorted(text(r.find("a")) for r in rows)
    # sort.js sorts a figure by the number it starts with ('3,554 (8.4%)' as 3554)
    assert [text(r.find_all("td")[-2]) for r in rows][:3] == ["3,554 (8.4%)", "6,323 (14.9%)", "10,820 (26.0%)"]
    script = page.find("script", src=re.compile(r"^assets/sort\."))
    assert script is not None and script.has_attr("defer")


def test_results_json_assembled_from_fragments_equals_one_dump(real_build: Site) -> None:
    """results.json is put together from each seat's record, serialised once per seat result: the
    same text as dumping the whole document at once."""
    document = json.loads(real_build.files["results.json"])
    assert real_build.files["results.json"] == json.dumps(document, ensure_ascii=False, separators=(",", ":")) + "\n"
    assert [s["slug"] for s in document["constituencies"]] == [s.seat.slug for s in real_build.results.seats]


def test_names_in_the_summary_sentence_are_isolated(real_build: Site) -> None:
    """Each name in a seat's summary is a <bdi>, so a name in a right-to-left script cannot
    reorder the words around it; the meta description (plain text) has the same words."""
    page = parse(real_build.files["erewash/index.html"])
    lead = page.find("p", class_="lead")
    assert [b.get_text() for b in lead.find_all("bdi")] == ["Adam Thompson", "Erewash", "Labour", "the Conservatives"]
    assert page.find("meta", attrs={"name": "description"})["content"] == lead.get_text()


def test_published_stylesheets_and_scripts_leave_their_comments_behind() -> None:
    """Comments are for whoever edits static/; readers downloaded about 2 KB of them on every page."""
    from sitegen.site.assets import without_comments
    css = b"/* the page */\n.a { color: red; } /* inline */\n.b::after { content: \"/* kept */\"; }\n"
    assert without_comments("style.css", css) == b".a { color: red; } .b::after { content: \"/* kept */\"; }\n"
    js = b"// a note\nvar url = 'https://example.org/';  // after code: kept\n  // indented note\nf();\n"
    assert without_comments("live.js", js) == b"var url = 'https://example.org/';  // after code: kept\nf();\n"
    assert without_comments("favicon.svg", b"<!-- x -->") == b"<!-- x -->"


def test_each_map_tile_is_named_by_what_it_shows_first(real_build: Site) -> None:
    """The tiles read 'Amber Valley Lab' but were named 'Amber Valley: Labour gain from Conservative'
    (Lighthouse and axe: visible text labels do not match accessible names)."""
    for name in ("index.html", "embed/index.html"):
        tiles = parse(real_build.files[name]).select("figure svg a")
        assert len(tiles) == 11
        for a in tiles:
            shown = " ".join(a.find("text").get_text(" ").split())
            assert a["aria-label"].startswith(shown + ": "), (name, shown, a["aria-label"])
