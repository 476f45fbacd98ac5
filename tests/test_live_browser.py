"""The update banner in a real browser, driven by a real rehearsal (`build.py rehearse`) over HTTP."""
from __future__ import annotations

import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Iterator

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, expect

from sitegen.preview.server import free_port
from tests.conftest import PROJECT
from tests.test_browser import WCAG_TAGS

pytestmark = pytest.mark.browser

POLL_SECONDS = 1  # the rehearsal's polling interval, shortened for the test (the site's is 60)


class Rehearsing:
    """`build.py rehearse` in a process of its own, declaring a seat each time it is told to."""

    def __init__(self, port: int, *options: str):
        self.process = subprocess.Popen(
            [sys.executable, str(PROJECT / "build.py"), "rehearse", "--every", "0", "--poll", str(POLL_SECONDS),
             "--port", str(port), *options], cwd=PROJECT, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT, text=True, bufsize=1)
        self.url = f"http://127.0.0.1:{port}/"
        self.lines: list[str] = []
        self.wait_for("Serving ")

    def wait_for(self, part: str) -> str:
        """Return the next line of the rehearsal's output that holds `part`."""
        assert self.process.stdout is not None
        while True:
            line = self.process.stdout.readline()
            assert line, f"rehearsal ended: {self.lines}"
            self.lines.append(line.rstrip("\n"))
            if part in line:
                return line.rstrip("\n")

    def declare_next(self) -> str:
        assert self.process.stdin is not None
        self.process.stdin.write("\n")
        self.process.stdin.flush()
        said = self.wait_for("Rehearsal: ")
        self.wait_for(" rebuild, ")  # the new site is served
        return said

    def stop(self) -> None:
        """Stop it as `kill` would; it removes its scratch copy on the way out."""
        self.process.terminate()
        self.process.wait(timeout=10)
        scratch = re.search(r"in a scratch copy \((.*?)\)", "\n".join(self.lines))
        assert scratch is not None and not Path(scratch.group(1)).exists(), self.lines[0]


@pytest.fixture
def rehearsal() -> Iterator[Rehearsing]:
    run = Rehearsing(free_port("127.0.0.1", 8600) or 8600)
    try:
        yield run
    finally:
        run.stop()



def test_the_banner_names_a_new_declaration_within_one_interval(rehearsal: Rehearsing, browser: Browser) -> None:
    page = browser.new_page(viewport={"width": 390, "height": 844})
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(rehearsal.url)
    assert page.locator("h1").inner_text() == "No results declared yet"
    banner = page.locator("aside.live-banner")
    page.wait_for_timeout(POLL_SECONDS * 1500)  # a poll has come and gone: nothing new, no banner
    expect(banner).to_be_hidden()
    heading = page.locator("h1").bounding_box()

    assert rehearsal.declare_next() == "Rehearsal: Erewash declared (1 of 11 declared)"
    declared = time.monotonic()
    expect(banner).to_be_visible(timeout=(POLL_SECONDS + 2) * 1000)
    waited = time.monotonic() - declared
    assert waited < POLL_SECONDS + 1.5, waited
    assert banner.locator("p").inner_text() == "1 new result: Erewash."
    assert banner.locator("a").get_attribute("href") == "./erewash/"
    # announced politely, once, in words
    assert page.locator("#main > [role=status]").inner_text() == "1 new result: Erewash. Use Show to load them."
    assert page.locator("h1").bounding_box() == heading  # nothing on the page moved
    assert page.locator("h1").inner_text() == "No results declared yet"  # nor changed under the reader
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    assert [(v["id"], [n["target"] for n in v["nodes"]]) for v in results.response["violations"]] == []

    # the reader chooses: Show loads the new result
    banner.get_by_role("button", name="Show").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "1 of 11 seats declared"
    expect(banner).to_be_hidden()
    assert errors == []
    page.close()


def test_a_correction_at_step_five_reaches_an_open_tab(browser: Browser) -> None:
    """A rehearsal that declares High Peak with a figure mistyped (step 4) and corrects it with a
    correction entry (step 5): the tab open on High Peak is told, and shows the correction."""
    rehearsal = Rehearsing(free_port("127.0.0.1", 8650) or 8650, "--correct", "high-peak")
    try:
        steps = [rehearsal.declare_next() for _ in range(4)]
        assert steps[-1] == "Rehearsal: High Peak declared, with a figure mistyped (4 of 11 declared)"
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        page.goto(rehearsal.url + "high-peak/")
        assert "22,551" in page.locator("table.result").inner_text()  # 22,533 typed 18 too high
        page.wait_for_timeout(POLL_SECONDS * 1500)  # the page's first look at status.json
        assert rehearsal.declare_next() == "Rehearsal: High Peak corrected (4 of 11 declared)"
        banner = page.locator("aside.live-banner")
        expect(banner).to_be_visible(timeout=(POLL_SECONDS + 2) * 1000)
        assert banner.locator("p").inner_text() == "Corrected: High Peak."
        banner.get_by_role("button", name="Show").click()
        expect(page.locator("p.corrected")).to_be_visible()
        assert page.locator("p.corrected").inner_text() == "Corrected 04:25 BST, 5 July: what changed, and why"
        assert "Votes for Jon Pearce: 22,551 before, 22,533 now" in page.locator("#corrections").inner_text()
        page.close()
    finally:
        rehearsal.stop()


def test_a_seat_page_hears_of_news_and_updates_can_be_stopped(rehearsal: Rehearsing, browser: Browser) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    page.goto(rehearsal.url + "erewash/")
    control = page.locator("p.live-control")
    assert control.inner_text() == "This page checks for new results every second.Turn off"
    rehearsal.declare_next()
    banner = page.locator("aside.live-banner")
    expect(banner).to_be_visible(timeout=(POLL_SECONDS + 2) * 1000)
    assert banner.locator("p").inner_text() == "1 new result: Erewash."
    banner.get_by_role("button", name="Stop updates").click()
    expect(banner).to_be_hidden()
    assert control.inner_text() == "Checking for new results is off.Turn on"
    rehearsal.declare_next()  # Bolsover: the page no longer asks
    page.wait_for_timeout(POLL_SECONDS * 2500)
    expect(banner).to_be_hidden()
    page.reload()  # remembered in this browser
    assert page.locator("p.live-control").inner_text() == "Checking for new results is off.Turn on"
    page.locator("p.live-control button").click()
    assert page.locator("p.live-control").inner_text() == "This page checks for new results every second.Turn off"
    page.wait_for_timeout(POLL_SECONDS * 1500)  # Bolsover declared before this page loaded: no news
    expect(page.locator("aside.live-banner")).to_be_hidden()
    assert rehearsal.declare_next() == "Rehearsal: Amber Valley declared (3 of 11 declared)"
    expect(page.locator("aside.live-banner")).to_be_visible(timeout=(POLL_SECONDS + 2) * 1000)
    assert page.locator("aside.live-banner p").inner_text() == "1 new result: Amber Valley."
    # from a seat page, Show goes to the overview, where the news is
    page.locator("aside.live-banner").get_by_role("button", name="Show").click()
    page.wait_for_url(rehearsal.url)
    assert page.locator("h1").inner_text() == "3 of 11 seats declared"
    page.close()


def test_without_javascript_the_page_is_as_published(rehearsal: Rehearsing, browser: Browser, tmp_path: Path) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(rehearsal.url)
    rehearsal.declare_next()
    page.wait_for_timeout(POLL_SECONDS * 2000)
    assert page.locator("aside.live-banner").count() == 0
    assert page.locator("p.live-control").count() == 0
    assert page.locator("h1").inner_text() == "No results declared yet"  # complete as served, no news
    page.reload()
    assert page.locator("h1").inner_text() == "1 of 11 seats declared"
    context.close()


# --- corrections and unreadable news, against the published site served as files ---------------------

@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """The real site built into a folder and served as plain files (as a host would), so that a
    test can put any status.json in front of the open pages."""
    import io
    import threading
    from functools import partial
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    from sitegen.cli import main
    dist = tmp_path_factory.mktemp("published") / "dist"
    assert main(["--output", str(dist), "--cache", str(dist.parent / "cache")], PROJECT, io.StringIO(),
                io.StringIO()) == 0

    class Files(SimpleHTTPRequestHandler):
        def end_headers(self) -> None:
            self.send_header("Cache-Control", "no-store")
            super().end_headers()

        def log_message(self, *args: object) -> None:
            pass
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(Files, directory=str(dist)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/", dist
    finally:
        server.shutdown()


def test_a_correction_to_a_declared_result_brings_the_banner(published: tuple[str, Path], browser: Browser) -> None:
    """live.js compared only each seat's state letter: Erewash corrected from 'Labour GAIN' to
    'Conservative HOLD' never showed the banner, though a correction is why the checks go on."""
    import json
    url, dist = published
    original = (dist / "status.json").read_text()
    page = browser.new_page()
    page.add_init_script("window.SITEGEN_POLL_SECONDS = 1")
    try:
        page.goto(url + "erewash/")
        banner = page.locator("aside.live-banner")
        page.wait_for_timeout(1500)  # a poll of the same news: nothing to say
        expect(banner).to_be_hidden()
        status = json.loads(original)
        erewash = next(s for s in status["seats"] if s["slug"] == "erewash")
        erewash.update(result="Conservative HOLD", revision="0" * 8)
        (dist / "status.json").write_text(json.dumps(status))
        expect(banner).to_be_visible(timeout=3000)
        assert banner.locator("p").inner_text() == "Corrected: Erewash."
        assert page.locator("#main > [role=status]").inner_text() == "Corrected: Erewash. Use Show to load them."
    finally:
        (dist / "status.json").write_text(original)
        page.close()


@pytest.mark.parametrize("first", ["{}", '{"seats": [{"slug": "erewash"}]}', "<!doctype html><p>Bad gateway</p>"])
def test_an_unreadable_status_is_passed_over(published: tuple[str, Path], browser: Browser, first: str) -> None:
    """A first status.json of {} (or a seat without a state) became the page's baseline, and the
    next good one showed '10 new results' on a seat page whose news was not new."""
    url, dist = published
    original = (dist / "status.json").read_text()
    (dist / "status.json").write_text(first)
    page = browser.new_page()
    page.add_init_script("window.SITEGEN_POLL_SECONDS = 1")
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        page.goto(url + "erewash/")
        page.wait_for_timeout(1500)  # the bad status was read and passed over
        (dist / "status.json").write_text(original)
        page.wait_for_timeout(2500)  # the good one read since: what the page shows, nothing new
        expect(page.locator("aside.live-banner")).to_be_hidden()
        assert errors == []
    finally:
        (dist / "status.json").write_text(original)
        page.close()


def test_the_banner_lists_new_results_newest_first(rehearsal: Rehearsing, browser: Browser) -> None:
    """It listed them alphabetically: the result declared last must come first."""
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    page.goto(rehearsal.url)
    page.wait_for_timeout(POLL_SECONDS * 1500)  # the page's first look at status.json
    banner = page.locator("aside.live-banner p")
    for count in range(1, 5):  # Erewash, Bolsover, Amber Valley, High Peak, each heard before the next
        rehearsal.declare_next()
        expect(banner).to_contain_text(f"{count} new result", timeout=(POLL_SECONDS + 3) * 1000)
    assert banner.inner_text() == "4 new results: High Peak, Amber Valley, Bolsover and Erewash."
    page.close()
