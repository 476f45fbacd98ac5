"""Take screenshots of built pages for a look: python tools/screenshot.py [page ...].

Serves dist/ on a free loopback port and writes PNGs to /tmp/shots/ at 390 px and 1280 px,
light and dark. Pages are dist/ paths such as '' (the overview) or 'amber-valley/'.
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.browser import CHROMIUM_ARGS, CHROMIUM_PATH, serve_folder  # noqa: E402


def main(pages: list[str]) -> None:
    from playwright.sync_api import sync_playwright
    out = Path("/tmp/shots")
    out.mkdir(exist_ok=True)
    dist = Path(__file__).resolve().parent.parent / "dist"
    with serve_folder(dist) as base, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM_PATH, args=CHROMIUM_ARGS)
        for page_path in pages or [""]:
            for width, height in ((390, 844), (1280, 800)):
                for scheme in ("light", "dark"):
                    page = browser.new_page(viewport={"width": width, "height": height},
                                            color_scheme=scheme)
                    page.goto(base + page_path)
                    name = (page_path.strip("/") or "overview") + f"-{width}-{scheme}.png"
                    page.screenshot(path=str(out / name), full_page=True)
                    page.close()
                    print(out / name)
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1:])
