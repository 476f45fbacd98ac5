"""Take screenshots of built pages for a look:
python tools/screenshot.py [--dist DIR] [--widths 320,390,1280] [--schemes light,dark] [page ...].

Serves dist/ (or DIR) on a free loopback port and writes full-page PNGs to /tmp/shots/, one per
page, width and colour scheme. Pages are dist/ paths such as '' (the overview) or 'amber-valley/'.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.browser import CHROMIUM_ARGS, CHROMIUM_PATH, serve_folder  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pages", nargs="*", default=[""])
    parser.add_argument("--dist", type=Path, default=Path(__file__).resolve().parent.parent / "dist")
    parser.add_argument("--widths", default="320,390,1280")
    parser.add_argument("--schemes", default="light,dark")
    parser.add_argument("--out", type=Path, default=Path("/tmp/shots"))
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright
    args.out.mkdir(exist_ok=True)
    with serve_folder(args.dist) as base, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM_PATH, args=CHROMIUM_ARGS)
        for page_path in args.pages:
            for width in (int(w) for w in args.widths.split(",")):
                for scheme in args.schemes.split(","):
                    page = browser.new_page(viewport={"width": width, "height": 800}, color_scheme=scheme)
                    page.goto(base + page_path)
                    name = (page_path.strip("/").replace("/", "-") or "overview") + f"-{width}-{scheme}.png"
                    page.screenshot(path=str(args.out / name), full_page=True)
                    page.close()
                    print(args.out / name)
        browser.close()


if __name__ == "__main__":
    main()
