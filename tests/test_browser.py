"""The built site in a real browser (Debian's Chromium via Playwright), served from a sub-path."""
from __future__ import annotations

from pathlib import Path
from typing import Iterator

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, sync_playwright

from sitegen.pipeline import build
from tests.browser import CHROMIUM_ARGS, CHROMIUM_PATH, serve_folder
from tests.conftest import PROJECT, project_paths

pytestmark = pytest.mark.browser

PREFIX = "/elections/derbyshire/"
PAGES = ["", "amber-valley/", "bolsover/", "chesterfield/", "derby-north/", "derby-south/",
         "derbyshire-dales/", "erewash/", "high-peak/", "mid-derbyshire/", "north-east-derbyshire/",
         "south-derbyshire/"]
VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 800}}
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]


@pytest.fixture(scope="module")
def site_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    dist = tmp_path_factory.mktemp("browser") / "dist"
    build(project_paths(PROJECT / "content", dist))
    with serve_folder(dist, PREFIX) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM_PATH, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def open_page(browser: Browser, url: str, viewport: dict, **options) -> tuple[Page, list[str]]:
    """Open `url`, collecting console errors and failed or non-2xx requests as problems."""
    page = browser.new_page(viewport=viewport, **options)
    problems: list[str] = []
    page.on("console", lambda msg: problems.append(f"console {msg.type}: {msg.text}")
            if msg.type in ("error", "warning") else None)
    page.on("pageerror", lambda exc: problems.append(f"page error: {exc}"))
    page.on("requestfailed", lambda req: problems.append(f"failed: {req.url}"))
    page.on("response", lambda res: problems.append(f"{res.status}: {res.url}") if res.status >= 400 else None)
    response = page.goto(url)
    assert response is not None and response.status == 200, url
    return page, problems


@pytest.mark.parametrize("viewport", sorted(VIEWPORTS))
@pytest.mark.parametrize("path", PAGES)
def test_page_is_clean_fits_and_passes_axe(browser: Browser, site_url: str, path: str, viewport: str) -> None:
    page, problems = open_page(browser, site_url + path, VIEWPORTS[viewport])
    assert problems == []
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow == 0, f"page scrolls sideways by {overflow}px"
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    violations = [(v["id"], [n["target"] for n in v["nodes"]]) for v in results.response["violations"]]
    assert violations == []
    assert page.locator("h1").count() == 1
    page.close()


@pytest.mark.parametrize("path", ["", "derbyshire-dales/"])
def test_dark_mode_passes_axe(browser: Browser, site_url: str, path: str) -> None:
    page, problems = open_page(browser, site_url + path, VIEWPORTS["phone"], color_scheme="dark")
    assert problems == []
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(15, 18, 22)"
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    assert results.response["violations"] == []
    page.close()


def test_every_link_resolves_from_a_sub_path(browser: Browser, site_url: str) -> None:
    page, problems = open_page(browser, site_url, VIEWPORTS["desktop"])
    seen, queue = set(), [site_url]
    while queue:
        url = queue.pop()
        if url in seen:
            continue
        seen.add(url)
        if not url.endswith("/"):  # data files and assets download rather than display
            assert page.request.get(url).status == 200, url
            continue
        assert page.goto(url).status == 200, url
        hrefs = page.eval_on_selector_all("a[href], link[href]", "els => els.map(e => e.href)")
        queue += [h.split("#")[0] for h in hrefs if h.startswith(site_url)]
    assert problems == []
    assert len([u for u in seen if u.endswith("/")]) == 12  # the overview and 11 seats


def test_keyboard_reaches_every_link_in_order(browser: Browser, site_url: str) -> None:
    page, _ = open_page(browser, site_url + "chesterfield/", VIEWPORTS["desktop"])
    expected = page.eval_on_selector_all(
        "a[href], [tabindex='0']", "els => els.map(e => e.outerHTML.slice(0, 80))")
    reached = []
    for _ in expected:
        page.keyboard.press("Tab")
        reached.append(page.evaluate("document.activeElement.outerHTML.slice(0, 80)"))
    assert reached == expected
    # the first Tab reaches the skip link, which moves focus to the main content
    page.keyboard.press("Shift+Tab")  # back to the last element; start again from the top
    page.goto(site_url + "chesterfield/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to main content"
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") == "solid"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_every_figure_is_there_without_javascript(browser: Browser, site_url: str) -> None:
    page, problems = open_page(browser, site_url + "derbyshire-dales/", VIEWPORTS["phone"],
                               java_script_enabled=False)
    assert problems == []
    assert page.get_by_text("with a majority of 350 (0.7%) on a turnout of 70.2%").is_visible()
    rows = page.locator("table.result tbody tr")
    assert rows.count() == 7
    assert rows.first.locator("td.num").all_inner_texts() == ["17,759", "34.6%", "+10.5"]
    page.goto(site_url)
    assert page.locator("h1").inner_text() == "Labour won all 11 seats"
    assert page.locator("table.seats tbody tr").count() == 11
