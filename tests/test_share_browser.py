"""Embeds inside an <iframe> on another page, and the 404 page, in a real browser."""
from __future__ import annotations

import contextlib
import functools
import html
import http.server
import re
import shutil
import threading
from pathlib import Path
from typing import Iterator

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser

from sitegen.engine import build
from tests.browser import serve_folder
from tests.conftest import PROJECT, project_paths
from tests.test_browser import WCAG_TAGS

pytestmark = pytest.mark.browser

SEATS = ["amber-valley", "bolsover", "chesterfield", "derby-north", "derby-south", "derbyshire-dales", "erewash",
         "high-peak", "mid-derbyshire", "north-east-derbyshire", "south-derbyshire"]
EMBEDS = [f"{slug}/embed/" for slug in SEATS] + ["embed/"]  # every seat's card, and the county's



@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """The site built for the address it is served at (so the embed code's origin check holds), with
    a host page for each embed made of exactly the code a seat page offers."""
    root = tmp_path_factory.mktemp("embeds")
    content = shutil.copytree(PROJECT / "content", root / "content")
    dist = root / "dist"
    dist.mkdir()
    with serve_folder(dist) as url:
        site = content / "site.yml"
        site.write_text(re.sub(r"^base_url: .*", f"base_url: {url}", site.read_text(), flags=re.M))
        build(project_paths(content, dist, root))
        for embed in EMBEDS:
            page = dist / embed.removesuffix("embed/") / "index.html"
            code = html.unescape(re.search(r'<textarea id="embed-code"[^>]*>(.*?)</textarea>',
                                           page.read_text(), re.S).group(1))
            host = dist / "hosts" / embed / "index.html"
            host.parent.mkdir(parents=True)
            host.write_text("<!doctype html><html lang=en><meta name=viewport content='width=device-width'>"
                            f"<title>An article</title><body style='margin:0'><p>Before.</p>{code}<p>After.</p>")
        yield url, dist


@pytest.mark.parametrize("width", [320, 700])
@pytest.mark.parametrize("embed", EMBEDS)
def test_an_embed_fits_its_frame_and_passes_axe(browser: Browser, published: tuple[str, Path], embed: str,
                                                width: int) -> None:
    url, _ = published
    page = browser.new_page(viewport={"width": width, "height": 900})
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type in ("error", "warning") else None)
    page.on("response", lambda r: problems.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    page.goto(url + "hosts/" + embed)
    handle = page.locator("iframe").element_handle()
    assert handle is not None
    frame = handle.content_frame()
    assert frame is not None
    frame.wait_for_selector("main")
    # the card tells the page its height, and the frame takes it: no scrolling, nothing cut off
    page.wait_for_function("""() => {
        const f = document.querySelector('iframe');
        const d = f.contentDocument && f.contentDocument.documentElement;
        return d && Math.abs(f.getBoundingClientRect().height - d.getBoundingClientRect().height) <= 1;
    }""", timeout=5000)
    inner = frame.evaluate("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth,"
                           " document.documentElement.scrollHeight, window.innerHeight]")
    assert inner[0] <= inner[1], f"the card scrolls sideways at {width}px: {inner}"
    assert inner[2] <= inner[3] + 1, f"the card is taller than its frame: {inner}"
    links = frame.eval_on_selector_all("a", "els => els.map(a => a.getAttribute('target'))")
    assert links and set(links) == {"_blank"}
    with page.expect_popup() as popup:
        frame.locator("main a").last.click()
    assert popup.value.url.startswith(url) and "/embed/" not in popup.value.url  # the full page, in a new tab
    popup.value.close()
    card = browser.new_page(viewport={"width": width, "height": 900})
    card.goto(url + embed)
    results = Axe().run(card, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    assert [(v["id"], [n["target"] for n in v["nodes"]]) for v in results.response["violations"]] == []
    card.emulate_media(color_scheme="dark")
    results = Axe().run(card, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    assert [(v["id"], [n["target"] for n in v["nodes"]]) for v in results.response["violations"]] == []
    assert problems == []
    card.close()
    page.close()


def test_without_a_script_the_frame_keeps_a_height_that_shows_the_card(browser: Browser,
                                                                       published: tuple[str, Path]) -> None:
    url, _ = published
    page = browser.new_page(viewport={"width": 320, "height": 900}, java_script_enabled=False)
    page.goto(url + "hosts/amber-valley/embed/")
    given = int(page.locator("iframe").get_attribute("height"))
    card = browser.new_page(viewport={"width": 320, "height": 900}, java_script_enabled=False)
    card.goto(url + "amber-valley/embed/")
    needed = card.evaluate("document.documentElement.getBoundingClientRect().height")
    assert needed <= given < needed + 160, (needed, given)  # the whole card, without a large gap
    page.close()
    card.close()


class _NotFoundHandler(http.server.SimpleHTTPRequestHandler):
    """Serves a folder as static hosts do (GitHub Pages for a project site): for a missing address,
    the nearest 404.html above it, with status 404."""

    def log_message(self, *args: object) -> None:
        pass

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        folder = Path(self.directory)
        parts = self.path.split("?")[0].strip("/").split("/")
        pages = [folder.joinpath(*parts[:i], "404.html") for i in range(len(parts), -1, -1)]
        page = next((p for p in pages if p.is_file()), None)
        if code != 404 or page is None:
            return super().send_error(code, message, explain)
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


@contextlib.contextmanager
def static_host(folder: Path) -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_NotFoundHandler,
                                                                                  directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize("mount", ["", "elections/derbyshire/"])
def test_the_404_page_links_home_wherever_the_site_is_served(browser: Browser, tmp_path: Path, mount: str) -> None:
    public = tmp_path / "public"
    site = public / mount
    build(project_paths(PROJECT / "content", site))  # base_url stays the placeholder on example.org
    with static_host(public) as host:
        page = browser.new_page()
        response = page.goto(host + mount + "no-such-seat/deeper/page")
        assert response is not None and response.status == 404
        assert page.locator("h1").inner_text() == "Page not found"
        page.wait_for_function("document.querySelector('a[data-home]').getAttribute('href') !== '/derbyshire-2024/'",
                               timeout=5000)
        assert page.locator(".seat-list a").first.get_attribute("href") == "/" + mount + "amber-valley/"
        page.locator("main p a[data-home]").click()
        page.wait_for_load_state()
        assert page.url == host + mount
        assert page.locator("h1").inner_text() == "Labour won all 11 seats"
        page.go_back()
        page.wait_for_function("document.querySelector('.seat-list a').getAttribute('href') !== "
                               "'/derbyshire-2024/amber-valley/'", timeout=5000)
        page.locator(".seat-list a", has_text="Erewash").click()  # every seat is listed, and reachable
        page.wait_for_load_state()
        assert page.url == host + mount + "erewash/"
        page.close()


def test_the_embed_snippet_names_the_origin_as_the_browser_does(browser: Browser) -> None:
    """With 'https://Example.ORG/...' as base_url the snippet compared messages with that text,
    which no browser ever gives as an origin: the frame never fitted its card."""
    from sitegen.site.pages import web_origin
    page = browser.new_page()
    page.goto("about:blank")
    for url in ("https://Example.ORG/derbyshire-2024/", "https://example.org:443/x/", "http://localhost:8000/",
                "HTTP://EXAMPLE.org:80/", "https://b\u00fccher.example/", "http://[::1]:8080/", "https://x.example:8443/"):
        assert web_origin(url) == page.evaluate("u => new URL(u).origin", url), url
    page.close()
