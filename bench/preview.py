"""Save to screen: `python bench/preview.py [--edits 20] [--root CHECKOUT]`.

Starts the preview server (`build.py serve`) on a copy of the real content, opens a seat's page in
Debian's Chromium, then saves a new vote count (and the declared total) `--edits` times; each time
it measures from the save to the moment the page in the tab shows the new figure. Prints the
median and the slowest. `--root` runs another checkout's build.py (an earlier commit, for a
before-and-after), with this checkout's content. A benchmark: it prints figures, asserts nothing.
"""
from __future__ import annotations

import argparse
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.browser import CHROMIUM_ARGS, CHROMIUM_PATH  # noqa: E402

SEAT = "erewash"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def measure(checkout: Path, edits: int) -> list[float]:
    """Return the milliseconds from each save to the new figure on screen."""
    from playwright.sync_api import sync_playwright
    with tempfile.TemporaryDirectory(prefix="sitegen-preview-") as folder:
        content = Path(shutil.copytree(ROOT / "content", Path(folder) / "content"))
        port = free_port()
        server = subprocess.Popen(
            [sys.executable, str(checkout / "build.py"), "serve", "--port", str(port), "--content", str(content),
             "--output", str(Path(folder) / "dist"), "--cache", str(Path(folder) / "cache")],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        url = f"http://127.0.0.1:{port}/{SEAT}/"
        try:
            for _ in range(200):
                try:
                    if urllib.request.urlopen(url, timeout=1).status == 200:
                        break
                except OSError:
                    time.sleep(0.1)
            seat = content / "constituencies" / f"{SEAT}.yml"
            original = seat.read_text()
            votes = re.search(r"votes: (\d+)\}", original)
            total = re.search(r"^valid_votes: (\d+)$", original, re.M)
            assert votes and total
            timings = []
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=CHROMIUM_PATH, args=CHROMIUM_ARGS)
                page = browser.new_page()
                page.goto(url)
                page.wait_for_function("() => window.LiveReload && window.LiveReload.connector && "
                                       "window.LiveReload.connector._connectionDesired")
                time.sleep(0.5)
                for i in range(1, edits + 1):
                    shown = f"{int(votes.group(1)) + i:,}"
                    text = original.replace(votes.group(0), f"votes: {int(votes.group(1)) + i}}}", 1).replace(
                        total.group(0), f"valid_votes: {int(total.group(1)) + i}", 1)
                    started = time.perf_counter()
                    seat.write_text(text)
                    page.wait_for_function(f"() => document.body && document.body.innerText.includes({shown!r})",
                                           polling="raf", timeout=15_000)
                    timings.append((time.perf_counter() - started) * 1000)
                    time.sleep(0.3)  # an editor's pause between saves
                browser.close()
            return timings
        finally:
            server.terminate()
            server.wait(10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--edits", type=int, default=20)
    parser.add_argument("--root", type=Path, default=ROOT, help="the checkout whose build.py serves")
    args = parser.parse_args()
    timings = measure(args.root.resolve(), args.edits)
    print(f"save to screen over {len(timings)} edits ({args.root}): median {statistics.median(timings):.0f} ms, "
          f"slowest {max(timings):.0f} ms")


if __name__ == "__main__":
    main()
