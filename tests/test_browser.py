"""The built site in a real browser (Debian's Chromium via Playwright), served from a sub-path."""
from __future__ import annotations

import gzip
import re
from pathlib import Path
from typing import Iterator

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page

from sitegen.engine import build
from tests.browser import serve_folder
from tests.conftest import PROJECT, project_paths

pytestmark = pytest.mark.browser

PREFIX = "/elections/derbyshire/"
PAGES = ["", "amber-valley/", "bolsover/", "chesterfield/", "derby-north/", "derby-south/",
         "derbyshire-dales/", "erewash/", "high-peak/", "mid-derbyshire/", "north-east-derbyshire/",
         "south-derbyshire/", "find/", "maps/winner/", "maps/change-reform/", "maps/swing/"]
# The embeddable cards (made for an <iframe> in an article) get the same checks.
EMBEDS = ["embed/", "amber-valley/embed/", "bolsover/embed/", "derbyshire-dales/embed/"]
VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 800}}
# 1280 px at 400% zoom lays out like a 320 px screen (WCAG 1.4.10 Reflow).
ZOOM_400 = {"width": 320, "height": 640}
PAGE_BUDGET_BYTES = 60 * 1024
PAGE_WEIGHTS: dict[str, tuple[int, int]] = {}  # reported at the end of the run by conftest.py
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]


@pytest.fixture(scope="module")
def site_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    dist = tmp_path_factory.mktemp("browser") / "dist"
    build(project_paths(PROJECT / "content", dist))
    with serve_folder(dist, PREFIX) as url:
        yield url



def open_page(browser: Browser, url: str, viewport: dict, **options) -> tuple[Page, list[str]]:
    """Open `url`, collecting console errors and failed or non-2xx requests as problems."""
    page = browser.new_page(viewport=viewport, **options)
    problems: list[str] = []
    page.on("console", lambda msg: problems.append(f"console {msg.type}: {msg.text}")
            if msg.type in ("error", "warning") else None)
    page.on("pageerror", lambda exc: problems.append(f"page error: {exc}"))
    # A request cancelled because the test moved on to the next page (Chromium fetches the icon
    # after the load event) is not a failure of the site; any other failure is.
    page.on("requestfailed", lambda req: problems.append(f"failed: {req.url} ({req.failure})")
            if req.failure != "net::ERR_ABORTED" else None)
    page.on("response", lambda res: problems.append(f"{res.status}: {res.url}") if res.status >= 400 else None)
    response = page.goto(url)
    assert response is not None and response.status == 200, url
    return page, problems


@pytest.mark.parametrize("viewport", sorted(VIEWPORTS))
@pytest.mark.parametrize("path", PAGES + EMBEDS)
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


@pytest.mark.parametrize("path", PAGES + EMBEDS)
def test_page_reflows_at_400_percent_zoom_and_stays_light(browser: Browser, site_url: str, path: str) -> None:
    page = browser.new_page(viewport=ZOOM_400)
    sizes: dict[str, int] = {}  # what each file weighs sent as any web host sends text: gzipped
    page.on("response", lambda res: sizes.__setitem__(res.url, len(gzip.compress(res.body(), 6))))
    response = page.goto(site_url + path)
    assert response is not None
    html = len(response.body())
    assert html < PAGE_BUDGET_BYTES  # the page itself, uncompressed
    page.wait_for_load_state("networkidle")
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow == 0, f"page scrolls sideways by {overflow}px at 320px"
    clipped = page.evaluate("""() => [...document.querySelectorAll('figure svg text')].filter(t => {
        const svg = t.ownerSVGElement, box = t.getBBox();
        const width = svg.viewBox.baseVal && svg.viewBox.baseVal.width || svg.getBoundingClientRect().width;
        return box.x < -2 || box.x + box.width > width + 2;
    }).map(t => t.textContent)""")
    assert clipped == [], f"chart labels cut off at 320px: {clipped}"
    host = site_url.split(PREFIX)[0]
    assert all(url.startswith(host) for url in sizes), sorted(sizes)  # no request to any other host
    total = sum(sizes.values())
    PAGE_WEIGHTS[path or "index"] = (html, total)
    assert total < PAGE_BUDGET_BYTES, f"{path or 'index'} weighs {total} bytes"
    page.close()


def test_sorting_the_overview_table(browser: Browser, site_url: str) -> None:
    page, problems = open_page(browser, site_url, VIEWPORTS["desktop"])
    names = lambda: page.locator("table.seats tbody th a").all_inner_texts()  # noqa: E731
    alphabetical = names()
    majority = page.get_by_role("button", name="Majority")
    majority.click()
    assert page.locator("th", has=majority).get_attribute("aria-sort") == "ascending"
    assert names()[:3] == ["Derbyshire Dales", "North East Derbyshire", "Mid Derbyshire"]  # 350, 1,753, 1,878
    majority.press("Enter")  # a keyboard user sorts the same way
    assert page.locator("th", has=majority).get_attribute("aria-sort") == "descending"
    assert names()[0] == "Chesterfield"  # 10,820
    page.get_by_role("button", name="Turnout").click()
    assert names()[0] == "Derby South" and names()[-1] == "Derbyshire Dales"  # 51.5% ... 70.2%
    page.get_by_role("button", name="Constituency").click()
    assert names() == alphabetical
    assert problems == []


def test_a_seat_page_prints_on_one_page(browser: Browser, site_url: str, tmp_path: Path) -> None:
    page, _ = open_page(browser, site_url + "derbyshire-dales/", VIEWPORTS["desktop"])
    page.emulate_media(media="print")
    assert page.locator("header.masthead").is_hidden() and page.locator("nav.pager").is_hidden()
    pdf = page.pdf(format="A4", print_background=True)
    (tmp_path / "dales.pdf").write_bytes(pdf)
    assert re.findall(rb"/Type /Pages\s*/Count (\d+)", pdf) == [b"1"]  # the page tree holds one page


def test_reduced_motion_and_no_animation(browser: Browser, site_url: str) -> None:
    page, _ = open_page(browser, site_url, VIEWPORTS["phone"], reduced_motion="reduce")
    animated = page.evaluate("""() => [...document.querySelectorAll('*')].filter(e => {
        const s = getComputedStyle(e);
        return s.animationName !== 'none' || (s.transitionDuration !== '0s' && s.transitionProperty !== 'all');
    }).length""")
    assert animated == 0


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
        hrefs = page.eval_on_selector_all(
            "a[href], link[href], script[src]",
            "els => els.map(e => new URL(e.getAttribute('href') || e.getAttribute('src'), document.baseURI).href)")
        queue += [h.split("#")[0] for h in hrefs if h.startswith(site_url)]
    assert problems == []
    # the overview and 11 seats, their 12 embeds, corrections, the list of seats and places, 10 maps
    assert len([u for u in seen if u.endswith("/")]) == 36


@pytest.mark.parametrize("path", PAGES)
def test_keyboard_reaches_every_link_in_order(browser: Browser, site_url: str, path: str) -> None:
    page, _ = open_page(browser, site_url + path, VIEWPORTS["desktop"])
    expected = page.eval_on_selector_all(
        # those shown: the update bar is hidden until there is news, the embed code until asked for
        "a[href], input, button, summary, textarea, [tabindex='0']",
        "els => els.filter(e => e.checkVisibility()).map(e => e.outerHTML.slice(0, 80))")
    assert len(expected) > 8
    reached = []
    for _ in expected:
        page.keyboard.press("Tab")
        reached.append(page.evaluate("document.activeElement.outerHTML.slice(0, 80)"))
    assert reached == expected
    # the first Tab reaches the skip link, which moves focus to the main content
    page.goto(site_url + path)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to main content"
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") == "solid"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_every_page_says_the_same_without_javascript(browser: Browser, site_url: str) -> None:
    with_script = browser.new_page(viewport=VIEWPORTS["desktop"])
    without = browser.new_page(viewport=VIEWPORTS["desktop"], java_script_enabled=False)
    for path in PAGES:
        with_script.goto(site_url + path)
        without.goto(site_url + path)
        text = without.locator("main").inner_text()
        assert text == with_script.locator("main").inner_text(), path
        assert "%" in text or path in ("find/", "maps/winner/", "maps/swing/"), path  # the figures are in the page
    with_script.close()
    without.close()


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


LONG_SEAT = "Llanfairpwllgwyngyllgogerychwyrndrobwllllantysiliogogogoch"  # 58 letters
LONG_CANDIDATE = "Maximilian Alexander Bartholomew Featherston"  # 43 letters and spaces


# Words broken across lines ('487,4/68', 'TURN/OUT', 'Farnswort/h'): a box too narrow for a word of
# up to 20 letters is a layout fault at any width from 320 px; a longer one (the 58-letter name)
# is wider than a phone and has to break somewhere.
BROKEN_WORDS = """() => {
  const found = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  let node;
  while ((node = walker.nextNode())) {
    const el = node.parentElement;
    if (!el || el.closest('.visually-hidden, script, style, [hidden]') || !el.getClientRects().length) continue;
    const words = /[^\\s\\-\u2013\u2014\\/]{2,}/g;
    let m;
    while ((m = words.exec(node.textContent))) {
      const range = document.createRange();
      range.setStart(node, m.index);
      range.setEnd(node, m.index + m[0].length);
      const rects = [...range.getClientRects()].filter(r => r.width > 0);
      const lines = new Set(rects.map(r => Math.round(r.bottom)));
      if (lines.size > 1 && m[0].length <= 20) found.push(m[0]);
    }
  }
  return found;
}"""


@pytest.fixture(scope="module")
def long_names_urls(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """The site with a 58-letter seat name and a 43-letter candidate, in the night's three states:
    every seat awaited; three declared (the long-named seat among them) and one in a recount; all declared."""
    import contextlib
    import shutil
    from tests.conftest import without_result
    root = tmp_path_factory.mktemp("long")
    states = {"awaited": set(), "midnight": {"erewash", "amber-valley", "high-peak"}, "declared": None}
    with contextlib.ExitStack() as stack:
        urls = {}
        for state, declared in states.items():
            content = shutil.copytree(PROJECT / "content", root / state / "content")
            for file in (content / "constituencies").glob("*.yml"):
                text = file.read_text()
                if file.stem == "erewash":
                    text = text.replace("name: Erewash\n", f"name: {LONG_SEAT}\n", 1).replace("Adam Thompson",
                                                                                               LONG_CANDIDATE)
                if declared is not None and file.stem not in declared:
                    text = without_result(text)
                    if state == "midnight" and file.stem == "bolsover":
                        text += "status: recount\n"
                file.write_text(text)
            build(project_paths(content, root / state / "dist"))
            urls[state] = stack.enter_context(serve_folder(root / state / "dist"))
        yield urls


@pytest.mark.parametrize("width", [320, 390, 1280])
@pytest.mark.parametrize("state", ["awaited", "midnight", "declared"])
def test_no_page_widens_or_breaks_a_word_at_any_width_in_any_state(browser: Browser, long_names_urls: dict,
                                                                 state: str, width: int) -> None:
    """A 58-letter seat name made three seat pages scroll sideways (469 to 606 px wide at 320); at
    320 px tables scrolled sideways and stat boxes broke numbers and words mid-way."""
    page = browser.new_page(viewport={"width": width, "height": 800})
    for path in ("", "erewash/", "erewash/embed/", "amber-valley/", "bolsover/", "derby-north/", "embed/",
                 "corrections/", "find/", "maps/winner/", "maps/majority/", "maps/change-lab/", "maps/swing/"):
        page.goto(long_names_urls[state] + path)
        assert page.evaluate("document.documentElement.scrollWidth") <= width, path
        wide = page.evaluate("""() => [...document.querySelectorAll('.table-scroll, .card, figure, dl')].filter(e =>
            e.scrollWidth > e.clientWidth + 1).map(e => (e.querySelector('table') || e).className || e.tagName)""")
        assert wide == [], path  # nothing scrolls sideways inside the page either
        assert page.evaluate(BROKEN_WORDS) == [], path
    page.close()


def test_the_embed_code_is_copied_by_its_button(browser: Browser, site_url: str) -> None:
    context = browser.new_context(viewport=VIEWPORTS["phone"], permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.goto(site_url + "amber-valley/")
    page.get_by_text("Embed this result").click()
    button = page.get_by_role("button", name="Copy the code")
    button.click()
    page.wait_for_function("document.getElementById('embed-copied').textContent !== ''")  # the clipboard answers later
    assert page.locator("#embed-copied").inner_text() == "Copied."
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == page.locator("#embed-code").input_value()
    assert copied.startswith("<iframe")
    context.close()
