"""Find your seat in a real browser: the box on every page, by keyboard alone, with axe watching;
and without JavaScript, the list of every seat. Expected seats come from ../shared/data/places."""
from __future__ import annotations

import csv
from pathlib import Path
from typing import Iterator

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page

from sitegen.engine import build
from tests.browser import serve_folder
from tests.conftest import PROJECT, project_paths
from tests.test_browser import WCAG_TAGS

pytestmark = pytest.mark.browser

PREFIX = "/elections/derbyshire/"
POSTCODES = PROJECT.parent / "shared" / "data" / "places" / "postcodes-pcon24.derbyshire.csv"
SLUGS = {"Amber Valley": "amber-valley", "Bolsover": "bolsover", "Chesterfield": "chesterfield",
         "Derby North": "derby-north", "Derby South": "derby-south", "Derbyshire Dales": "derbyshire-dales",
         "Erewash": "erewash", "High Peak": "high-peak", "Mid Derbyshire": "mid-derbyshire",
         "North East Derbyshire": "north-east-derbyshire", "South Derbyshire": "south-derbyshire"}


@pytest.fixture(scope="module")
def site_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    dist = tmp_path_factory.mktemp("find") / "dist"
    build(project_paths(PROJECT / "content", dist))
    with serve_folder(dist, PREFIX) as url:
        yield url


def type_into_box(page: Page, text: str) -> list[str]:
    """Type as a reader does, wait for the list, and return its options' text."""
    box = page.get_by_role("combobox", name="Find your constituency")
    box.fill("")
    box.press_sequentially(text, delay=5)
    page.wait_for_function("document.querySelector('.finder [role=status]').textContent !== ''")
    return page.locator("#finder-options [role=option]").all_inner_texts()


def choose_by_keyboard(page: Page, down: int = 1) -> str:
    for _ in range(down):
        page.keyboard.press("ArrowDown")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    return page.url


@pytest.mark.skipif(not POSTCODES.is_file(), reason="../shared/data is not beside the checkout")
def test_a_postcode_from_every_district_leads_to_its_seat(browser: Browser, site_url: str) -> None:
    with open(POSTCODES, encoding="utf-8", newline="") as handle:
        first_of_district: dict[str, tuple[str, str]] = {}
        for row in csv.DictReader(handle):
            first_of_district.setdefault(row["Postcode"].split(" ")[0], (row["Postcode"], row["PCON24NM"]))
    assert len(first_of_district) == 50
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(site_url)
    for postcode, seat in sorted(first_of_district.values()):
        typed = postcode.lower().replace(" ", "")  # as readers type them
        assert type_into_box(page, typed) == [f"{seat}\n{postcode} is here · Labour gain" if seat not in (
            "Chesterfield", "Derby South") else f"{seat}\n{postcode} is here · Labour hold"], postcode
        assert page.get_by_role("combobox").get_attribute("aria-expanded") == "true"
        assert choose_by_keyboard(page) == f"{site_url}{SLUGS[seat]}/", postcode
    page.close()


def test_a_district_offers_every_seat_it_touches_and_the_list_passes_axe(browser: Browser, site_url: str) -> None:
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(site_url + "erewash/")
    assert type_into_box(page, "DE56") == [
        "Amber Valley\nPart of DE56", "Derbyshire Dales\nPart of DE56", "Mid Derbyshire\nPart of DE56"]
    assert page.locator(".finder [role=status]").inner_text() == (
        "3 results: use the up and down arrows to choose, and Enter to open.")
    box = page.get_by_role("combobox")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    assert box.get_attribute("aria-activedescendant") == "finder-option-1"
    assert page.locator("#finder-option-1").get_attribute("aria-selected") == "true"
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    assert [(v["id"], [n["target"] for n in v["nodes"]]) for v in results.response["violations"]] == []
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow == 0
    page.keyboard.press("Escape")
    assert box.get_attribute("aria-expanded") == "false"
    page.get_by_role("combobox").fill("")
    assert type_into_box(page, "ZZ1 1ZZ") == []
    assert page.locator(".finder [role=status]").inner_text() == "ZZ1 1ZZ is not a postcode in this area."
    page.close()


@pytest.mark.parametrize("typed, option, seat", [
    ("belper east", "Belper East\nAmber Valley council ward, in Mid Derbyshire", "mid-derbyshire"),
    ("farnsworth", "Linsey Farnsworth\nLabour candidate, in Amber Valley", "amber-valley"),
    ("high pe", "High Peak\nLabour gain", "high-peak"),
])
def test_a_ward_a_candidate_and_a_seat_name_lead_to_the_page(browser: Browser, site_url: str, typed: str,
                                                            option: str, seat: str) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    page.goto(site_url + "corrections/")
    page.keyboard.press("Tab")  # the skip link, then the site's name, then the box
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "finder-input"
    options = type_into_box(page, typed)
    assert options[0] == option
    assert choose_by_keyboard(page) == f"{site_url}{seat}/"
    page.close()


def test_without_javascript_the_box_leads_to_the_list_of_every_seat(browser: Browser, site_url: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site_url + "bolsover/")
    page.get_by_role("textbox", name="Find your constituency").fill("DE56 1AA")
    with page.expect_navigation():
        page.get_by_role("button", name="Find").click()
    assert page.url == f"{site_url}find/?q=DE56+1AA"
    assert page.get_by_role("heading", level=1).inner_text() == "Find your constituency"
    assert page.locator(".find-list h3 a").count() == 11
    context.close()


def test_a_shared_find_link_searches_at_once(browser: Browser, site_url: str) -> None:
    page = browser.new_page(viewport={"width": 320, "height": 640})
    page.goto(site_url + "find/?q=glossop")
    page.wait_for_function("document.querySelector('.finder [role=status]').textContent !== ''")
    assert page.locator("#finder-options [role=option]").all_inner_texts() == [
        "Old Glossop\nHigh Peak council ward, in High Peak"]
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow == 0
    page.close()


@pytest.mark.parametrize("prefix", ["/derbyshire-2024/", "/a/copy/elsewhere/"])
def test_the_404_page_finds_a_seat_wherever_the_site_is_served(browser: Browser, tmp_path: Path, prefix: str) -> None:
    """Served as a host serves it (404.html at any missing address): under base_url's path it knows
    its root at once; elsewhere it reads status.json upwards until found. Either way no request is
    left failed or cancelled, and the box searches the site it is on."""
    import functools
    import http.server
    import threading
    from bench.lighthouse import Host
    build(project_paths(PROJECT / "content", tmp_path / "dist"))
    handler = type("Here", (Host,), {"prefix": prefix})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(tmp_path / "dist")))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        page = browser.new_page(viewport={"width": 390, "height": 844})
        failed: list[str] = []
        page.on("requestfailed", lambda r: failed.append(f"{r.url} {r.failure}"))
        missing = f"http://127.0.0.1:{server.server_address[1]}{prefix}amber-valley/no/such/page/"
        response = page.goto(missing)
        assert response is not None and response.status == 404
        page.wait_for_function("document.querySelector('.finder [role=combobox]') !== null")
        assert type_into_box(page, "DE56") == [
            "Amber Valley\nPart of DE56", "Derbyshire Dales\nPart of DE56", "Mid Derbyshire\nPart of DE56"]
        assert page.locator(".seat-list a").first.get_attribute("href") == f"{prefix}amber-valley/"
        assert page.locator("form.finder").get_attribute("action") == f"{prefix}find/"
        assert failed == []
        page.close()
    finally:
        server.shutdown()
        server.server_close()
