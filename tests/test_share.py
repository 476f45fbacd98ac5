"""Results that travel: share images (og:image), embeddable result cards, the 404 page and icons."""
from __future__ import annotations

import html
import io
import re
import shutil
from pathlib import Path

import pytest
from PIL import Image

from sitegen.site import cards
from sitegen.engine import Site, build, gather
from tests.conftest import PROJECT, card_path, parse, project_paths
from tests.test_live import night_at

BASE = "https://example.org/derbyshire-2024/"
SEATS = ["amber-valley", "bolsover", "chesterfield", "derby-north", "derby-south", "derbyshire-dales", "erewash",
         "high-peak", "mid-derbyshire", "north-east-derbyshire", "south-derbyshire"]
PARTY_COLOURS = {"lab": (0xE4, 0x00, 0x3B)}  # content/parties.yml


def meta(page, name: str) -> str:
    tag = page.find("meta", attrs={"property": name}) or page.find("meta", attrs={"name": name})
    assert tag is not None, name
    return tag["content"]


def png(body: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(body))
    assert image.format == "PNG"
    return image


def test_every_page_shares_an_existing_1200_by_630_png(real_build: Site) -> None:
    pages = ["index.html"] + [f"{slug}/index.html" for slug in SEATS]
    for name in pages:
        page = parse(real_build.files[name])
        image_url = meta(page, "og:image")
        assert image_url.startswith(BASE), name
        target = image_url[len(BASE):]
        assert target == card_path(real_build, None if name == "index.html" else name.split("/")[0])
        assert png(real_build.files[target]).size == (1200, 630), target
        assert (meta(page, "og:image:width"), meta(page, "og:image:height")) == ("1200", "630")
        assert meta(page, "og:image:type") == "image/png"
        assert meta(page, "twitter:card") == "summary_large_image"
        assert len(meta(page, "og:image:alt")) > 40 and meta(page, "og:image:alt") == meta(page, "twitter:image:alt")
    dales = parse(real_build.files["derbyshire-dales/index.html"])
    assert meta(dales, "og:image:alt") == (
        "Derbyshire Dales: Labour GAIN from Conservative. John Whitby won Derbyshire Dales for Labour, a gain "
        "from the Conservatives, with a majority of 350 (0.7%) on a turnout of 70.2%.")
    assert meta(parse(real_build.files["index.html"]), "og:image:alt") == (
        "Labour won all 11 seats: a map of the 11 constituencies coloured by the party that won each, and the "
        "seats each party won.")


def test_two_builds_give_the_same_image_bytes(tmp_path: Path) -> None:
    first, second = tmp_path / "one", tmp_path / "two"
    build(project_paths(PROJECT / "content", first / "dist")._replace(cache=first / "cache"))
    build(project_paths(PROJECT / "content", second / "dist")._replace(cache=None))  # drawn again, no cache
    images = sorted(p.relative_to(first / "dist") for p in (first / "dist").rglob("*.png"))
    assert len(images) == 13  # the overview, 11 seats and the touch icon
    for name in images + [Path("favicon.ico")]:
        assert (first / "dist" / name).read_bytes() == (second / "dist" / name).read_bytes(), name


def test_a_card_is_drawn_once_then_read_from_the_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = gather(project_paths(PROJECT / "content", tmp_path / "dist"))
    seat = site.results.seats[0]
    data = cards.seat_card(seat, site.results.content.parties, "Derbyshire results 2024", "UK general election 2024")
    drawn = cards.Cards(tmp_path / "cards").seat(data)
    assert len(list((tmp_path / "cards").glob("*.png"))) == 1

    def refuse(*_: object) -> bytes:
        raise AssertionError("an unchanged card was drawn again")
    monkeypatch.setattr(cards, "_draw_seat", refuse)
    assert cards.Cards(tmp_path / "cards").seat(data) == drawn  # a new build, the same card from disk
    changed = data._replace(name="Amber Valley (renamed)")
    with pytest.raises(AssertionError, match="drawn again"):
        cards.Cards(tmp_path / "cards").seat(changed)  # what it shows changed: drawn anew


def pixel(body: bytes, xy: tuple[int, int]) -> tuple[int, int, int]:
    return png(body).convert("RGB").getpixel(xy)


def test_each_state_has_its_own_card(tmp_path: Path) -> None:
    content = night_at(tmp_path / "content", {"erewash"}, recount="bolsover")
    site = gather(project_paths(content, tmp_path / "dist"))
    # the stripe along the top: the winner's colour, amber for a recount, grey while awaited
    assert pixel(site.files[card_path(site, "erewash")], (600, 4)) == PARTY_COLOURS["lab"]
    assert pixel(site.files[card_path(site, "bolsover")], (600, 4)) == (0xF2, 0xC2, 0x30)
    assert pixel(site.files[card_path(site, "chesterfield")], (600, 4)) == (0xB7, 0xBD, 0xC6)
    # an awaited card shows no figures: what it is drawn from says so
    chesterfield = next(s for s in site.results.seats if s.seat.slug == "chesterfield")
    data = cards.seat_card(chesterfield, site.results.content.parties, "t", "e")
    assert (data.status, data.label) == ("awaited", "Result awaited")
    # its 7 candidates (candidates.csv), in ballot-paper order by surname
    assert [c.name for c in data.candidates] == ["Ian Barfield", "Ben Flook", "Julie Lowe", "Toby Perkins",
                                               "Dan Price", "Kris Stone", "David Wadsworth"]


def test_seat_pages_offer_the_embed_code(real_build: Site) -> None:
    page = parse(real_build.files["amber-valley/index.html"])
    offer = page.find("details", class_="embed-offer")
    assert " ".join(offer.find("summary").get_text().split()) == "Embed this result"
    assert offer.find("label")["for"] == offer.find("textarea")["id"] == "embed-code"
    code = offer.find("textarea").get_text()
    frame = parse(code).find("iframe")
    assert frame["src"] == BASE + "amber-valley/embed/"
    assert frame["title"] == "Amber Valley: Labour GAIN from Conservative – Derbyshire results 2024"
    assert frame["height"] == str(260 + 62 * 5 + 40) and frame["loading"] == "lazy"  # (+40: the turnout note)
    script = parse(code).find("script").get_text()
    assert 'e.origin!=="https://example.org"' in script and "sitegen:height" in script
    assert offer.find("a", string="See the card")["href"] == "embed/"
    county = parse(real_build.files["index.html"]).find("details", class_="embed-offer")
    assert parse(county.find("textarea").get_text()).find("iframe")["src"] == BASE + "embed/"


def test_embeds_follow_the_states_and_open_links_in_a_new_tab(tmp_path: Path) -> None:
    content = night_at(tmp_path / "content", {"erewash"}, recount="bolsover")
    site = gather(project_paths(content, tmp_path / "dist"))
    erewash = parse(site.files["erewash/embed/index.html"])
    assert erewash.find("header") is None and erewash.find("footer") is None  # no site chrome
    rows = [[" ".join(c.get_text().split()) for c in r.find_all(["td"])] for r in erewash.select("tbody tr")]
    assert rows[0] == ["17,224", "40.1%"]  # Adam Thompson: 17,224 of 43,006 valid votes
    bolsover = parse(site.files["bolsover/embed/index.html"])
    assert " ".join(bolsover.find("span", class_="badge").get_text().split()) == "Recount under way"
    assert bolsover.find("table") is None
    chesterfield = parse(site.files["chesterfield/embed/index.html"])
    assert " ".join(chesterfield.find("span", class_="badge").get_text().split()) == "Result awaited"
    county = parse(site.files["embed/index.html"])
    assert " ".join(county.find("h1").get_text().split()) == "1 of 11 seats declared"
    labels = [a["aria-label"] for a in county.select("figure a")]
    assert "Bolsover Recount: recount under way (opens in a new tab)" in labels
    for name in ("erewash/embed/index.html", "bolsover/embed/index.html", "embed/index.html"):
        links = parse(site.files[name]).find_all("a")
        assert links and all(a.get("target") == "_blank" for a in links), name
        # (SVG links take no rel; browsers give every target="_blank" link noopener anyway)
        assert all(a.get("rel") == ["noopener"] for a in links if not a.find_parent("svg")), name


def test_the_404_page_describes_itself_and_links_home_without_the_placeholder_host(real_build: Site) -> None:
    page = parse(real_build.files["404.html"])
    assert meta(page, "description") == ("There is no page at this address on Derbyshire results 2024. Every "
                                         "constituency’s result is on the Derbyshire overview.")
    homes = page.find_all("a", attrs={"data-home": True})
    slugs = sorted(p.split("/")[0] for p in real_build.files if p.endswith("/index.html") and p.count("/") == 1
                   and p.split("/")[0] not in ("embed", "corrections", "find"))
    # home, twice, then every seat, by base_url's path only (a script finds the real root)
    assert [a["href"] for a in homes] == ["/derbyshire-2024/"] * 2 + [f"/derbyshire-2024/{s}/" for s in slugs]
    # the search box sends readers to the list of seats and places, and its script is found the same way
    form = page.find("form", class_="finder")
    assert form["action"] == "/derbyshire-2024/find/"
    assert form["data-search"].startswith("assets/search.") and form["data-search"].endswith(".js")
    assert [a.get_text() for a in page.select(".seat-list a")][:2] == ["Amber Valley", "Bolsover"]
    assert "example.org" not in real_build.files["404.html"]
    # its icon is in the page: at an address it cannot know, a link to a file would fail
    assert [link["href"][:26] for link in page.find_all("link", rel="icon")] == ["data:image/svg+xml;base64,"]
    assert page.find("link", rel="apple-touch-icon") is None


def test_icons_exist_at_the_addresses_browsers_ask_for(real_build: Site) -> None:
    touch = png(real_build.files["apple-touch-icon.png"])
    assert touch.size == (180, 180)
    assert touch.convert("RGB").getpixel((2, 2)) == (0x14, 0x21, 0x3D)  # the favicon's navy, edge to edge
    ico = Image.open(io.BytesIO(real_build.files["favicon.ico"]))
    assert ico.format == "ICO" and sorted(ico.info["sizes"]) == [(16, 16), (32, 32), (48, 48)]
    page = parse(real_build.files["amber-valley/index.html"])
    assert page.find("link", rel="apple-touch-icon")["href"] == "../apple-touch-icon.png"
    assert [link["href"] for link in page.find_all("link", rel="icon")][0] == "../favicon.ico"


def test_the_cards_fit_long_names(tmp_path: Path) -> None:
    content = shutil.copytree(PROJECT / "content", tmp_path / "content")
    seat = content / "constituencies" / "erewash.yml"
    seat.write_text(seat.read_text().replace("name: Erewash", "name: Erewash and the Very Long Name of Somewhere Else"))
    site = gather(project_paths(content, tmp_path / "dist"))
    assert png(site.files[card_path(site, "erewash")]).size == (1200, 630)
    assert html.unescape(re.search(r'og:image:alt" content="([^"]*)"',
                                   site.files["erewash/index.html"]).group(1)).startswith(
        "Erewash and the Very Long Name of Somewhere Else: Labour GAIN")


def test_a_build_returns_the_site_it_wrote(tmp_path: Path) -> None:
    """Gather, then write: the site a build returns holds every file's bytes, as written."""
    built = build(project_paths(PROJECT / "content", tmp_path / "dist"))
    assert built.site is not None
    for name, body in built.site.files.items():
        data = body.encode("utf-8") if isinstance(body, str) else body
        assert (tmp_path / "dist" / name).read_bytes() == data, name
    assert png(built.site.files[card_path(built.site, "erewash")]).size == (1200, 630)
    assert built.written == len(built.site.files)




# --- cards that always carry their message ---------------------------------------------------------

LONG_PARTIES = ["Chesterfield and North Derbyshire Independents (CANDI)", "Official Monster Raving Loony Party",
                "Scottish Family Party: Pro-Family, Pro-Marriage, Pro-Life", "Plaid Cymru – The Party of Wales",
                "The Trade Unionist and Socialist Coalition", "Conservative and Unionist Party"]
LONG_NAMES = ["Alexander Boris de Pfeffel Johnson", "Jacob William Rees-Mogg-Fortescue-Smythe-Wilberforce",
              "Llanfairpwllgwyngyllgogerychwyrndrobwllllantysiliogogogoch", "Ann Li"]
OTHER_SCRIPTS = ["李小龍", "ناز شاه", "אברהם כהן", "Νίκος Παππάς", "Иван Петров"]  # the last two: drawn


def squeeze(text: str) -> str:
    return "".join(text.split())


def assert_carries_its_message(card_maker: cards.Cards, data) -> None:
    """Every text inside the card, none overlapping another; the seat's name, the result, the
    majority and the turnout whole (a line may break, never be cut short); only the winner's name,
    a candidate's name, a party's short name on a bar and the masthead may end in '…'."""
    placed = card_maker.layout(data)
    for item in placed:
        left, top, right, bottom = item.box
        assert 0 <= left and right <= cards.WIDTH - 40 and 14 < top and bottom <= cards.HEIGHT - 20, item
    boxes = [p.box for p in placed]
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            assert a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1], (a, b, placed)
    roles: dict[str, list] = {}
    for item in placed:
        roles.setdefault(item.role, []).append(item)
        if item.role in ("name", "result", "figures", "headline", "standing"):
            assert item.text == item.full or item.text in item.full.replace(" · ", "\n").split("\n") or \
                squeeze(item.text) in squeeze(item.full), item
    assert squeeze("".join(p.text for p in roles["name" if isinstance(data, cards.SeatCard) else "headline"])) == \
        squeeze(data.name if isinstance(data, cards.SeatCard) else data.headline)
    if isinstance(data, cards.OverviewCard):
        return
    assert squeeze("".join(p.text for p in roles["result"])) == squeeze(data.label)
    if data.status == "declared":
        figures = " ".join(p.text for p in roles["figures"])
        assert figures.split() == f"Majority {data.majority:,} ({data.majority_pct}%) · Turnout {data.turnout_pct}%".split() or \
            figures == f"Majority {data.majority:,} ({data.majority_pct}%) Turnout {data.turnout_pct}%"
        if card_maker.missing(data.winner):
            assert "winner" not in roles
        else:
            (winner,) = roles["winner"]
            assert winner.text == f"{data.winner} elected" or (winner.text.endswith("… elected") and
                                                                data.winner.startswith(winner.text[:-len("… elected")]))
    else:
        assert roles["standing"][0].text.startswith(f"{len(data.candidates)} candidate")


def test_the_real_cards_carry_their_message(tmp_path: Path) -> None:
    """Every seat of the real content, declared, awaited and in a recount."""
    maker = cards.Cards(None)
    for declared, recount in ((set(SEATS), None), (set(), "bolsover"), ({"erewash"}, "high-peak")):
        site = gather(project_paths(night_at(tmp_path / f"n{len(declared)}{recount}", declared, recount),
                                    tmp_path / "dist"))
        for name, route in site.routes.items():
            if cards.Cards.key_of(route.context) is not None:
                assert_carries_its_message(maker, route.context)


def test_650_cards_with_long_names_and_long_party_names_carry_their_message(tmp_path: Path) -> None:
    """A winner from CANDI ran the label off the card ('GAIN from Conservative' never appeared); a
    ballot name as long as 'Alexander Boris de Pfeffel Johnson' lost the turnout's figure."""
    from bench.generate import generate
    site = gather(project_paths(generate(650, tmp_path / "content"), tmp_path / "dist"))
    maker = cards.Cards(None)
    seats = [route.context for route in site.routes.values() if isinstance(route.context, cards.SeatCard)]
    assert len(seats) == 650
    for i, data in enumerate(seats):
        won, lost = LONG_PARTIES[i % len(LONG_PARTIES)], LONG_PARTIES[(i + 1) % len(LONG_PARTIES)]
        long = data._replace(
            site_title="A site title that runs on for fifty-five characters, yes"[:20 + i % 36],
            name=data.name if i % 3 else f"{data.name} and {LONG_NAMES[2]}",
            label=f"{won} GAIN from {lost}" if data.status == "declared" else data.label,
            winner=LONG_NAMES[i % len(LONG_NAMES)] if data.status == "declared" else "",
            candidates=tuple(c._replace(name=LONG_NAMES[(i + j) % len(LONG_NAMES)]) for j, c in enumerate(data.candidates)),
            bars=tuple(b._replace(short=LONG_PARTIES[j][:5 + i % 30]) for j, b in enumerate(data.bars)))
        assert_carries_its_message(maker, long)


@pytest.mark.parametrize("name", OTHER_SCRIPTS)
def test_a_name_in_another_script_is_drawn_or_left_out_with_a_warning(tmp_path: Path, name: str) -> None:
    """Arabic, Hebrew or Chinese names were drawn as nothing, and the build said nothing."""
    content = shutil.copytree(PROJECT / "content", tmp_path / "content")
    seat = content / "constituencies" / "erewash.yml"
    seat.write_text(seat.read_text().replace("{name: Adam Thompson,", f'{{name: "{name}",')
                    .replace("elected: Adam Thompson", f'elected: "{name}"'))
    site = gather(project_paths(content, tmp_path / "dist"))
    data = site.routes[card_path(site, "erewash")].context
    assert data.winner == name
    assert_carries_its_message(cards.Cards(None), data)
    said = [w.format() for w in site.warnings if "share card" in w.message]
    if name in ("Νίκος Παππάς", "Иван Петров"):  # Greek and Cyrillic: in the card's fonts
        assert said == []
        assert any(p.text == f"{name} elected" for p in cards.Cards(None).layout(data))
    else:
        distinct = list(dict.fromkeys(c for c in name if not c.isspace()))
        letters = ", ".join(repr(c) for c in distinct[:3]) + (" and more" if len(distinct) > 3 else "")
        assert said == [f"{seat}: warning: its share card leaves out the "
                        f"winner's name {name!r} (its fonts have no letters for {letters}); the page shows it in full"]


def test_a_long_site_title_leaves_the_election_whole() -> None:
    """A 55-character site title cut the masthead to '· UK Pa'."""
    election = "United Kingdom Parliamentary general election 2024"
    data = cards.SeatCard("A site title that runs on for fifty-five characters, yes", election,
                          "Erewash", "awaited", "Result awaited")
    placed = {p.role: p for p in cards.Cards(None).layout(data)}
    assert placed["election"].text == f"· {election}"
    assert placed["masthead"].text.endswith("…") and placed["masthead"].full == data.site_title.upper()


def test_a_card_has_the_same_address_whatever_else_is_installed(real_build: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    """Card addresses were made from every installed library's version, so CI's fresh environment
    published every card under another name than the checkout it was tested on."""
    from sitegen import buildcache
    card = real_build.routes[card_path(real_build, "erewash")].context
    before = cards.card_file(card)
    monkeypatch.setattr(buildcache, "installed_libraries", lambda: "somelib==9.9")
    cards.design_version.cache_clear()
    cards.drawing_version.cache_clear()
    try:
        assert cards.card_file(card) == before
        assert cards.card_file(card._replace(turnout_pct="60.5")) != before  # what it shows names it
    finally:
        cards.design_version.cache_clear()
        cards.drawing_version.cache_clear()
