"""Lighthouse 12 on the built site: performance, accessibility, best practices and SEO per page.

Builds content/ into a temporary folder, serves it as a web host does (text gzipped, 404.html for
a missing address, under the site's sub-path), runs Lighthouse (mobile by default: an emulated
Moto G and slow 4G, simulated) on each page and prints the four scores and every audit that is
not passed. A benchmark, not a test: its figures go in bench/README.md.

    npm install --prefix .cache/lighthouse lighthouse@12.2.3      # once (Lighthouse 13 needs a newer Node)
    .venv/bin/python bench/lighthouse.py                           # overview, a seat, its embed, 404.html
    .venv/bin/python bench/lighthouse.py --desktop --pages "" maps/winner/ find/
"""
from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import json
import os
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sitegen.config import Paths  # noqa: E402
from sitegen.engine import build  # noqa: E402

PREFIX = "/derbyshire-2024/"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
CHROME_FLAGS = ("--headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking "
                "--disable-component-update --disable-sync")
TEXT = (".html", ".css", ".js", ".json", ".xml", ".svg", ".csv", ".txt", ".hexjson")


class Host(http.server.SimpleHTTPRequestHandler):
    """A static host: the site under PREFIX, text gzipped when asked, 404.html for what is missing,
    assets cached for a year (their names change with their content)."""

    prefix = PREFIX

    def log_message(self, *args: object) -> None:
        pass

    def send_head(self):  # type: ignore[no-untyped-def]
        path = self.path.split("?", 1)[0]
        if not path.startswith(self.prefix):
            return self._missing()
        local = Path(self.directory) / path[len(self.prefix):]
        if local.is_dir():
            if not path.endswith("/"):
                self.send_response(301)
                self.send_header("Location", path + "/")
                self.end_headers()
                return None
            local = local / "index.html"
        if not local.is_file():
            return self._missing()
        return self._send(200, local)

    def _missing(self):  # type: ignore[no-untyped-def]
        return self._send(404, Path(self.directory) / "404.html")

    def _send(self, status: int, file: Path):  # type: ignore[no-untyped-def]
        import io
        body = file.read_bytes()
        zipped = file.suffix in TEXT and "gzip" in self.headers.get("Accept-Encoding", "")
        if zipped:
            body = gzip.compress(body, 6)
        self.send_response(status)
        self.send_header("Content-Type", self.guess_type(str(file)))
        if zipped:
            self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "public, max-age=31536000, immutable" if "/assets/" in str(file)
                         else "public, max-age=60")
        self.end_headers()
        return io.BytesIO(body)


def lighthouse_binary(given: str | None) -> str:
    for candidate in ([given] if given else []) + [str(ROOT / ".cache/lighthouse/node_modules/.bin/lighthouse")]:
        if candidate and Path(candidate).exists():
            return candidate
    sys.exit("Lighthouse is not installed: npm install --prefix .cache/lighthouse lighthouse@12.2.3")


def run(binary: str, url: str, desktop: bool, out: Path) -> dict:
    argv = [binary, url, "--output=json", f"--output-path={out}", "--quiet", f"--chrome-flags={CHROME_FLAGS}",
            f"--only-categories={','.join(CATEGORIES)}"]
    if desktop:
        argv.append("--preset=desktop")
    env = dict(os.environ, CHROME_PATH=os.environ.get("CHROME_PATH", "/usr/bin/chromium"))
    subprocess.run(argv, env=env, check=True, timeout=300)
    return json.loads(out.read_text())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    # (404.html by its own address: Lighthouse stops at a document sent with status 404)
    parser.add_argument("--pages", nargs="+", default=["", "amber-valley/", "amber-valley/embed/", "404.html"],
                        help="paths under the site ('' the overview; a missing one gets 404.html)")
    parser.add_argument("--desktop", action="store_true", help="the desktop preset instead of mobile")
    parser.add_argument("--lighthouse", help="the lighthouse command (default .cache/lighthouse/...)")
    parser.add_argument("--content", type=Path, default=ROOT / "content")
    args = parser.parse_args()
    binary = lighthouse_binary(args.lighthouse)
    with tempfile.TemporaryDirectory() as tmp:
        dist = Path(tmp) / "dist"
        build(Paths(ROOT, args.content, ROOT / "templates", ROOT / "static", dist))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Host, directory=str(dist)))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_address[1]}{PREFIX}"
        print(f"Lighthouse {'desktop' if args.desktop else 'mobile'}: " + ", ".join(CATEGORIES))
        try:
            for page in args.pages:
                report = run(binary, base + page, args.desktop, Path(tmp) / "report.json")
                scores = [round(100 * (report["categories"][c]["score"] or 0)) for c in CATEGORIES]
                failed = sorted(audit["id"] for category in CATEGORIES
                                for ref in report["categories"][category]["auditRefs"]
                                if ref["weight"] > 0
                                for audit in [report["audits"][ref["id"]]]
                                if audit["score"] is not None and audit["score"] < 1)
                metrics = report["audits"]
                print(f"{page or '(overview)':<24} " + " ".join(f"{s:>3}" for s in scores)
                      + f"  FCP {metrics['first-contentful-paint']['displayValue']}, LCP "
                        f"{metrics['largest-contentful-paint']['displayValue']}, CLS "
                        f"{metrics['cumulative-layout-shift']['displayValue']}, weight "
                        f"{metrics['total-byte-weight']['numericValue'] / 1024:.1f} KiB"
                      + (f"  not passed: {', '.join(failed)}" if failed else ""))
        finally:
            server.shutdown()


if __name__ == "__main__":
    main()
